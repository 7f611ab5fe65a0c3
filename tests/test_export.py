"""The policy as data: plain JSON against its JSON Schema, and JSON-LD in the W3C DPV."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import jsonschema
import pytest

from clirun import cli  # noqa: F401
from conftest import ROOT
from policypress.export import (
    LEGAL_BASIS_TERMS,
    POLICY_JSON_SCHEMA,
    dumps,
    jsonld_script,
    policy_json,
    policy_jsonld,
)
from policypress.i18n import Text
from policypress.model import PolicyMeta
from policypress.versions import History, load_history
from policypress.vocabulary import LegalBasis

DATA = ROOT / "policy_data"
VALIDATOR = jsonschema.Draft202012Validator(POLICY_JSON_SCHEMA)


@pytest.fixture(scope="module")
def history() -> History:
    return load_history(DATA)


def nodes(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["@id"]: node for node in document["@graph"]}


def ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item["@id"] for item in items]


def types(node: dict[str, Any]) -> list[str]:
    value = node["@type"]
    return value if isinstance(value, list) else [value]


def by_lang(values: list[dict[str, str]]) -> dict[str, str]:
    return {value["@language"]: value["@value"] for value in values}


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(POLICY_JSON_SCHEMA)
    assert POLICY_JSON_SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("version", ["1.2", "draft"])
def test_policy_json_is_valid_against_its_schema(history: History, version: str):
    if version == "draft":
        policy, effective = history.draft, None
    else:
        release = history.get(version)
        policy, effective = release.policy, release.manifest.effective
    document = policy_json(policy, version=version, effective=effective)
    errors = sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    # The JSON that is written out is the same document.
    assert json.loads(dumps(document)) == document


def test_the_schema_rejects_what_the_data_cannot_hold(history: History):
    document = policy_json(history.draft, version="draft", effective=None)
    broken = json.loads(json.dumps(document))
    broken["activities"]["newsletter"]["legal_basis"] = "because"
    # A text is keyed by language tags (whichever the policy has), each text non-empty.
    broken["cookies"]["_ga"]["purpose"] = {"English": "not a language tag"}
    messages = [e.message for e in VALIDATOR.iter_errors(broken)]
    assert len(messages) == 2, messages


def test_policy_json_keeps_ids_as_keys_in_the_order_of_the_data(history: History):
    policy = history.draft
    document = policy_json(policy, version="draft", effective=None)
    assert list(document["activities"]) == list(policy.activities.activities)
    assert list(document["recipients"]) == list(policy.recipients)
    assert list(document["cookies"]) == list(policy.cookies)
    newsletter = document["activities"]["newsletter"]
    assert newsletter["legal_basis"] == "consent"
    assert newsletter["recipients"] == ["mailchimp"]
    assert newsletter["purpose"]["sv"].startswith("När du har anmält dig")
    assert document["recipients"]["mailchimp"]["third_countries"] == ["US"]
    assert document["recipients"]["mailchimp"]["transfer"]["mechanism"] == "eu_us_dpf"
    assert document["labels"]["legal_bases"]["consent"]["sv"] == "Samtycke (artikel 6.1 a GDPR)"
    # Stable: the same data gives the same bytes.
    assert dumps(document) == dumps(policy_json(policy, version="draft", effective=None))


def test_release_1_0_states_no_legal_basis(history: History):
    release = history.get("1.0")
    document = policy_json(release.policy, version="1.0", effective=release.manifest.effective)
    assert document["effective"] == "2026-11-25"
    assert {a["legal_basis"] for a in document["activities"].values()} == {None}
    VALIDATOR.validate(document)
    ld = nodes(policy_jsonld(release.policy, version="1.0", effective=release.manifest.effective))
    activities = [n for n in ld.values() if n.get("dct:identifier") in release.policy.activities.activities]
    assert activities and all("dpv:hasLegalBasis" not in n for n in activities)


def test_jsonld_uses_dpv_for_the_purposes_and_legal_bases_of_the_draft(history: History):
    policy = history.draft
    document = policy_jsonld(policy, version="draft", effective=None, url="https://example.org/en/privacy-policy/")
    assert document["@context"]["dpv"] == "https://w3id.org/dpv#"
    assert document["@context"]["eu-gdpr"] == "https://w3id.org/dpv/legal/eu/gdpr#"
    graph = nodes(document)
    base = "https://example.org/en/privacy-policy/"
    assert graph[base]["@type"] == "dpv:PrivacyNotice"
    handled = ids(graph[base]["dpv:hasProcess"])
    stated = [a for a in policy.activities.activities.values() if a.legal_basis is not None]
    assert len(stated) == len(policy.activities.activities), "the draft states a legal basis for every activity"
    for activity_id, activity in policy.activities.activities.items():
        node = graph[f"{base}#activity-{activity_id}"]
        assert node["@id"] in handled
        assert "dpv:Process" in types(node)
        purpose = node["dpv:hasPurpose"]
        assert purpose["@type"] == activity.dpv_purpose and activity.dpv_purpose.startswith("dpv:")
        assert by_lang(purpose["dct:description"]) == activity.purpose.as_dict()
        bases = ids(node["dpv:hasLegalBasis"])
        assert bases[: len(LEGAL_BASIS_TERMS[activity.legal_basis])] == list(LEGAL_BASIS_TERMS[activity.legal_basis])
    bases = {aid: ids(graph[f"{base}#activity-{aid}"]["dpv:hasLegalBasis"]) for aid in policy.activities.activities}
    assert bases["newsletter"] == ["dpv:Consent", "eu-gdpr:A6-1-a"]
    assert bases["website_analytics"] == ["dpv:Consent", "eu-gdpr:A6-1-a"]
    assert bases["user_accounts"] == ["dpv:Contract", "eu-gdpr:A6-1-b"]
    assert bases["customer_support"] == ["dpv:Contract", "eu-gdpr:A6-1-b"]
    assert bases["contact"] == ["dpv:LegitimateInterest", "eu-gdpr:A6-1-f", f"{base}#legitimate-interest-contact"]
    interest = graph[f"{base}#activity-contact"]["dpv:hasLegalBasis"][-1]
    assert interest["@type"] == "dpv:LegitimateInterestOfController"
    assert by_lang(interest["dct:description"])["en"].startswith("our interest in answering")


def test_every_legal_basis_maps_to_dpv_and_a_gdpr_article():
    articles = {basis: [t for t in terms if t.startswith("eu-gdpr:")] for basis, terms in LEGAL_BASIS_TERMS.items()}
    assert set(LEGAL_BASIS_TERMS) == set(LegalBasis)
    assert articles == {
        LegalBasis.CONSENT: ["eu-gdpr:A6-1-a"],
        LegalBasis.CONTRACT: ["eu-gdpr:A6-1-b"],
        LegalBasis.LEGAL_OBLIGATION: ["eu-gdpr:A6-1-c"],
        LegalBasis.VITAL_INTERESTS: ["eu-gdpr:A6-1-d"],
        LegalBasis.PUBLIC_TASK: ["eu-gdpr:A6-1-e"],
        LegalBasis.LEGITIMATE_INTERESTS: ["eu-gdpr:A6-1-f"],
    }
    assert LEGAL_BASIS_TERMS[LegalBasis.VITAL_INTERESTS][0] == "dpv:VitalInterest"
    assert LEGAL_BASIS_TERMS[LegalBasis.LEGAL_OBLIGATION][0] == "dpv:LegalObligation"


def test_jsonld_personal_data_recipients_transfers_and_storage(history: History):
    policy = history.draft
    graph = nodes(policy_jsonld(policy, version="draft", effective=None))
    contact = graph["#activity-contact"]
    assert ids(contact["dpv:hasPersonalData"]) == ["pd:Name", "pd:EmailAddress", "pd:TelephoneNumber", "pd:Communication"]
    assert ids(contact["dpv:hasRecipient"]) == ["#recipient-microsoft"]
    assert ids(contact["dpv:hasDataController"]) == ["#controller-cmt"]
    assert contact["dpv:hasStorageCondition"]["@type"] == "dpv:StorageDuration"
    analytics = graph["#activity-website_analytics"]
    assert "policypress:online_identifier" in ids(analytics["dpv:hasPersonalData"])
    own = graph["policypress:online_identifier"]
    assert own["@type"] == "dpv:PersonalData" and own["skos:broader"] == {"@id": "pd:Identifier"}
    assert ids(graph["#activity-user_accounts"]["dpv:hasPersonalData"])[-1] == "pd:PaymentCard"
    aggregated = graph["#activity-aggregated_data"]
    assert "dpv:hasPersonalData" not in aggregated
    assert ids(aggregated["dpv:hasData"]) == ["policypress:aggregated_statistics"]

    assert types(graph["#controller-cmt"]) == ["dpv:DataController", "tech:Provider"]
    assert types(graph["#recipient-mailchimp"]) == ["dpv:DataProcessor"]
    assert types(graph["#recipient-google"]) == ["dpv:DataProcessor", "tech:Provider"], "it sets the _ga cookies"
    assert ids(graph["#recipient-mailchimp"]["dpv:hasCountry"]) == ["loc:US"]
    assert ids(graph["#recipient-mailchimp"]["dpv:hasThirdCountry"]) == ["loc:US"]
    roles = {rid: r.role.value for rid, r in policy.recipients.items()}
    for rid, role in roles.items():
        expected = "dpv:DataProcessor" if role == "processor" else "dpv:ThirdParty"
        assert expected in types(graph[f"#recipient-{rid}"])
    transfer = graph["#transfer-mailchimp"]
    assert transfer["dpv:hasProcessing"] == {"@id": "dpv:Transfer"}
    assert ids(transfer["dpv:hasThirdCountry"]) == ["loc:US"]
    assert "eu-gdpr:A45-3" in ids(transfer["dpv:hasLegalBasis"])
    assert "loc:US" not in graph, "a third country is one for this controller, not a fact about the country"
    assert all("loc:IE" not in ids(n.get("dpv:hasThirdCountry", [])) for n in graph.values()), "Ireland is in the EEA"

    assert graph["#storage-_ga"]["@type"] == "tech:Cookie"
    assert graph["#storage-_ga"]["dpv:hasLegalBasis"] == {"@id": "dpv:Consent"}
    assert graph["#storage-_ga"]["dpv:hasStorageCondition"]["rdf:value"] == {"@value": "P2Y", "@type": "xsd:duration"}
    consent_key = graph["#storage-%2A.__consent"]
    assert consent_key["@type"] == "policypress:localStorage"
    assert graph["policypress:localStorage"]["skos:broader"] == {"@id": "tech:LocalStorage"}
    assert "#right-complaint" in ids(graph[""]["dpv:hasRight"])
    assert "eu-gdpr:A77" in types(graph["#right-complaint"])


def test_every_compact_iri_uses_a_declared_prefix(history: History):
    document = policy_jsonld(history.draft, version="draft", effective=None, url="https://example.org/x/")
    seen: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "@context":
                    continue
                if ":" in key and not key.startswith("@"):
                    seen.add(key.split(":", 1)[0])
                if key in ("@id", "@type"):
                    for iri in item if isinstance(item, list) else [item]:
                        if not iri.startswith(("https://", "#", "mailto:", "tel:")) and iri:
                            seen.add(iri.split(":", 1)[0])
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    assert seen <= set(document["@context"]), seen - set(document["@context"])
    assert {"dpv", "eu-gdpr", "pd", "tech", "loc", "policypress"} <= seen


def test_jsonld_is_stable_and_its_script_element_cannot_be_closed_by_the_data(history: History):
    policy = history.draft
    first = dumps(policy_jsonld(policy, version="draft", effective=None))
    assert first == dumps(policy_jsonld(policy, version="draft", effective=None))
    hostile = dataclasses.replace(policy, meta=PolicyMeta(title=Text(en="A </script><b>x</b> & y", sv="B <!--")))
    document = policy_jsonld(hostile, version="draft", effective=None)
    script = jsonld_script(document)
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner
    assert json.loads(inner) == document


def test_export_command_writes_json_and_jsonld(tmp_path, cli, monkeypatch):  # noqa: F811
    monkeypatch.delenv("POLICYPRESS_SITE_URL", raising=False)

    def _cli(*argv: str) -> int:
        return cli("export", *argv, "--data", DATA).code

    out = tmp_path / "policy.json"
    assert _cli("1.2", "--format", "json", "-o", str(out)) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    VALIDATOR.validate(document)
    assert (document["version"], document["effective"]) == ("1.2", "2026-11-25")
    ld = tmp_path / "policy.jsonld"
    assert _cli("draft", "--format", "jsonld", "--url", "https://example.org/p/", "-o", str(ld)) == 0
    graph = nodes(json.loads(ld.read_text(encoding="utf-8")))
    assert graph["https://example.org/p/"]["dcat:version"] == "draft"
    assert "dct:valid" not in graph["https://example.org/p/"]
