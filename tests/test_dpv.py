"""The linked data is real: every DPV term we emit exists in DPV 2.3 and none is sunset, and a
standalone JSON-LD export has absolute ids, so it means the same read from anywhere."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import rdflib
from bs4 import BeautifulSoup
from rdflib.compare import isomorphic

from clirun import Cli, cli  # noqa: F401
from conftest import ROOT
from policypress.dpv_purposes import dpv_purposes
from policypress.export import export_jsonld, policy_jsonld
from policypress.export.dpv_terms import UNPUBLISHED_NAMESPACE
from policypress.errors import UsageError
from policypress.versions import History, load_history

DATA = ROOT / "policy_data"
TERMS_FILE = Path(__file__).parent / "fixtures" / "dpv-2.3-terms.txt"
NAMESPACES = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "tech": "https://w3id.org/dpv/tech#",
    "loc": "https://w3id.org/dpv/loc#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
}
# A prefixed DPV term as written in text (plain JSON, the schema): prefix, colon, a name.
PREFIXED = re.compile(r"(?<![\w/-])(dpv|pd|tech|loc|eu-gdpr):([A-Za-z][\w-]*)")
VERSIONS = ("draft", "1.0", "1.1", "1.2")


def _sections() -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
            continue
        assert current is not None, "a term before the first [section]"
        current.add(line)
    return sections


SECTIONS = _sections()
KNOWN, SUNSET = SECTIONS["terms"], SECTIONS["sunset"]


@pytest.fixture(scope="module")
def history() -> History:
    return load_history(DATA)


def prefixed(iri: str) -> str | None:
    for prefix, namespace in NAMESPACES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return None


def graph_of(document: dict[str, Any] | str, base: str | None) -> rdflib.Graph:
    text = document if isinstance(document, str) else json.dumps(document)
    return rdflib.Graph().parse(data=text, format="json-ld", base=base)


def dpv_terms(graph: rdflib.Graph) -> set[str]:
    """Every DPV term in the triples, after JSON-LD expansion: classes, properties, values."""
    found = set()
    for triple in graph:
        for part in triple:
            if isinstance(part, rdflib.URIRef) and (term := prefixed(str(part))):
                found.add(term)
    return found


def assert_known(terms: set[str], where: str) -> None:
    assert terms, f"{where}: no DPV term at all"
    unknown, sunset = sorted(terms - KNOWN), sorted(terms & SUNSET)
    assert (unknown, sunset) == ([], []), f"{where}: {len(unknown)} unknown {unknown}, {len(sunset)} sunset {sunset}"


# --- the term list -------------------------------------------------------------------


def test_the_term_list_names_its_source_and_licence():
    header = TERMS_FILE.read_text(encoding="utf-8").split("[terms]", 1)[0]
    assert "https://github.com/w3c/dpv" in header
    assert re.search(r"commit [0-9a-f]{40}", header)
    for path in ("2.3/dpv/dpv.ttl", "2.3/pd/pd.ttl", "2.3/tech/tech.ttl", "2.3/loc/loc.ttl", "2.3/legal/eu/gdpr/eu-gdpr.ttl"):
        assert path in header
    assert "W3C Software and Document License" in header
    # Spot checks that the list is the 2.3 one: the review's findings.
    assert {"dpv:DataProtectionAuthority", "pd:BrowsingBehaviour", "dpv:hasThirdCountry", "dpv:Process"} <= KNOWN
    assert not {"dpv:SupervisoryAuthority", "pd:BrowsingBehavior", "dpv:StandardContractualClauses"} & KNOWN
    assert {"dpv:PersonalDataHandling", "dpv:hasPersonalDataHandling"} <= SUNSET


def test_the_shipped_purposes_are_dpv_purposes_and_none_is_sunset():
    purposes = dpv_purposes()
    assert "dpv:Purpose" in purposes and "dpv:DirectMarketing" in purposes and len(purposes) > 100
    assert_known(set(purposes), "src/policypress/data/dpv-purposes.txt")


# --- what the exports and the pages emit ---------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_every_dpv_term_the_jsonld_export_emits_exists_and_none_is_sunset(history: History, version: str):
    policy = history.draft if version == "draft" else history.get(version).policy
    document = export_jsonld(policy, version=version, effective=None, base_url="https://example.org/p/")
    assert_known(dpv_terms(graph_of(document, None)), f"export {version} --format jsonld")


@pytest.mark.parametrize("fmt", ("json", "jsonld", "schema"))
@pytest.mark.parametrize("version", VERSIONS)
def test_the_export_command_in_every_format_writes_only_existing_terms(cli: Cli, fmt: str, version: str):  # noqa: F811
    result = cli("export", version, "--format", fmt, "--base-url", "https://example.org/p/", "--data", DATA)
    assert result.code == 0, result.err
    # Text search as well as expansion: plain JSON and the schema are no RDF, but may name terms.
    written = {f"{prefix}:{name}" for prefix, name in PREFIXED.findall(result.out)}
    if fmt == "jsonld":
        written |= dpv_terms(graph_of(result.out, None))
    unknown, sunset = sorted(written - KNOWN), sorted(written & SUNSET)
    assert (unknown, sunset) == ([], [])


def test_every_page_of_the_site_emits_existing_terms_and_expands_against_its_own_url(built_site: Path):
    pages = 0
    for page in sorted(built_site.rglob("*.html")):
        scripts = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select(
            'script[type="application/ld+json"]'
        )
        for script in scripts:
            pages += 1
            # JSON-LD in HTML takes the document's URL as base: expand it so, as a reader would.
            url = "https://example.org/" + page.relative_to(built_site).as_posix()
            graph = graph_of(script.string, url)
            assert_known(dpv_terms(graph), page.relative_to(built_site).as_posix())
            subjects = {str(s) for s in graph.subjects() if isinstance(s, rdflib.URIRef)}
            assert f"{url}#controller-cmt" in subjects
    assert pages >= 8, "the current, release and draft pages in both languages carry JSON-LD"


# --- standalone exports are linked data -----------------------------------------------


def _absolute_iris(graph: rdflib.Graph) -> bool:
    return all(
        str(part).startswith(("https://", "http://", "mailto:", "tel:"))
        for triple in graph
        for part in triple
        if isinstance(part, rdflib.URIRef)
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_a_standalone_export_loses_no_triple_without_a_base(history: History, version: str):
    policy = history.draft if version == "draft" else history.get(version).policy
    document = export_jsonld(policy, version=version, effective=None, base_url="https://example.org/p/")

    def relative(value: Any) -> list[str]:
        if isinstance(value, dict):
            return [v for k, v in value.items() if k == "@id" and not re.match(r"^[a-z][\w+.-]*:", v)] + [
                r for k, v in value.items() if k != "@context" for r in relative(v)
            ]
        return [r for item in value for r in relative(item)] if isinstance(value, list) else []

    assert relative(document) == []
    without, elsewhere = graph_of(document, None), graph_of(document, "https://elsewhere.example/x/")
    assert len(without) == len(elsewhere) > 300
    assert isomorphic(without, elsewhere), "the same triples whatever the reader's base"
    assert _absolute_iris(without)


def test_own_terms_live_under_the_site_vocab_and_nothing_under_urn(history: History):
    document = export_jsonld(
        history.draft, version="draft", effective=None, base_url=None, site_url="https://example.org/docs/"
    )
    assert document["@context"]["policypress"] == "https://example.org/docs/vocab#"
    graph = graph_of(document, None)
    notice = rdflib.URIRef("https://example.org/docs/en/privacy-policy/draft/")
    assert (notice, rdflib.RDF.type, rdflib.URIRef(NAMESPACES["dpv"] + "PrivacyNotice")) in graph
    assert "urn:" not in json.dumps(document)
    own = {str(o) for o in graph.objects() if str(o).startswith("https://example.org/docs/vocab#")}
    assert "https://example.org/docs/vocab#online_identifier" in own


def test_without_site_url_the_export_defines_its_own_terms_in_itself(history: History):
    document = export_jsonld(history.draft, version="draft", effective=None, base_url="https://example.org/p/")
    assert document["@context"]["policypress"] == "https://example.org/p/#"
    term = next(n for n in document["@graph"] if n["@id"] == "policypress:online_identifier")
    assert term["skos:broader"] == {"@id": "pd:Identifier"}
    # Pages with no address have no namespace to mint under: the reserved .invalid one says so.
    assert policy_jsonld(history.draft, version="draft", effective=None)["@context"]["policypress"] == UNPUBLISHED_NAMESPACE


def test_the_facts_the_review_found_wrong_are_stated_with_dpv_2_3_terms(history: History):
    document = export_jsonld(history.draft, version="draft", effective=None, base_url="https://e.org/p/")
    graph = {n["@id"]: n for n in document["@graph"]}
    notice = graph["https://e.org/p/"]
    assert notice["dcat:version"] == "draft" and "dct:hasVersion" not in notice
    assert notice["dpv:hasAuthority"]["@type"] == ["dpv:DataProtectionAuthority", "eu-gdpr:DataProtectionAuthority"]
    controller = history.draft.controller.model_copy(update={"email": "privacy@example.org", "phone": "+46 8 12 34"})
    document = export_jsonld(
        dataclasses.replace(history.draft, controller=controller), version="draft", effective=None, base_url="https://e.org/p/"
    )
    node = document["@graph"][1]
    assert node["foaf:mbox"] == {"@id": "mailto:privacy@example.org"} and node["foaf:phone"] == {"@id": "tel:+4681234"}
    mbox = rdflib.URIRef("http://xmlns.com/foaf/0.1/mbox")
    assert set(graph_of(document, None).objects(predicate=mbox)) == {rdflib.URIRef("mailto:privacy@example.org")}
    transfer = graph["https://e.org/p/#transfer-mailchimp"]
    assert transfer["@type"] == "dpv:Process"
    assert transfer["dpv:hasThirdCountry"] == [{"@id": "loc:US"}]
    dpf = graph["policypress:eu_us_dpf"]
    assert dpf["skos:broader"] == {"@id": "eu-gdpr:AdequacyDecision"}


def test_sccs_and_bcrs_are_measures_with_their_article_46_bases(history: History):
    from policypress.model import Transfer
    from policypress.vocabulary import TransferMechanism

    mailchimp = history.draft.recipients["mailchimp"]
    for mechanism, measure, basis in (
        (TransferMechanism.STANDARD_CONTRACTUAL_CLAUSES, "eu-gdpr:SCCByCommission", "eu-gdpr:A46-2-c"),
        (TransferMechanism.BINDING_CORPORATE_RULES, "eu-gdpr:BindingCorporateRules", "eu-gdpr:A46-2-b"),
    ):
        recipients = {**history.draft.recipients, "mailchimp": mailchimp.model_copy(update={"transfer": Transfer(mechanism=mechanism)})}
        policy = dataclasses.replace(history.draft, recipients=recipients)
        document = export_jsonld(policy, version="draft", effective=None, base_url="https://e.org/p/")
        transfer = {n["@id"]: n for n in document["@graph"]}["https://e.org/p/#transfer-mailchimp"]
        assert transfer["dpv:hasLegalBasis"] == [{"@id": basis}]
        assert transfer["dpv:hasOrganisationalMeasure"] == {"@id": measure}
        assert_known(dpv_terms(graph_of(document, None)), mechanism.value)


# --- refusing relative ids, and checking the purpose ---------------------------------


def test_a_standalone_export_without_a_base_is_refused_in_one_line(history: History, cli: Cli, monkeypatch):  # noqa: F811
    with pytest.raises(UsageError, match="needs a base URL"):
        export_jsonld(history.draft, version="draft", effective=None, base_url=None)
    monkeypatch.delenv("POLICYPRESS_SITE_URL", raising=False)
    result = cli("export", "draft", "--format", "jsonld", "--data", DATA)
    assert result.code == 2 and result.out == ""
    assert "--base-url" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    result = cli("export", "draft", "--format", "jsonld", "--base-url", "p/", "--data", DATA)
    assert result.code == 2 and "absolute" in result.err


def test_an_unknown_dpv_purpose_is_a_data_error_at_its_line_with_the_nearest_term(tmp_path: Path, cli: Cli):  # noqa: F811
    data = tmp_path / "policy_data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("releases"))
    activities = data / "activities.yaml"
    text = activities.read_text(encoding="utf-8")
    assert "dpv_purpose: dpv:DirectMarketing\n" in text
    activities.write_text(text.replace("dpv_purpose: dpv:DirectMarketing\n", "dpv_purpose: dpv:DirectMarketting\n"))
    line = next(i for i, row in enumerate(activities.read_text().splitlines(), 1) if "DirectMarketting" in row)
    result = cli("check", "--data", data)
    assert result.code == 2
    output = result.out + result.err
    assert f"activities.yaml:{line}:" in output
    assert "activities.newsletter.dpv_purpose" in output and "did you mean dpv:DirectMarketing?" in output
