"""The policy as JSON-LD in the W3C Data Privacy Vocabulary (DPV 2.3)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from ..countries import is_in_eea
from ..errors import UsageError
from ..feed import site_urls  # the one place that knows a version's page address
from ..i18n import Lang, Text
from ..model import Policy
from ..vocabulary import Right
from .dpv_terms import (
    AUTHORITY_TYPES,
    CONTEXT,
    DATA_CATEGORY_BROADER,
    DATA_CATEGORY_TERMS,
    DATA_SOURCE_TERMS,
    LEGAL_BASIS_TERMS,
    NON_PERSONAL,
    RECIPIENT_TYPES,
    RIGHT_TERMS,
    STORAGE_TYPE_BROADER,
    TRANSFER_BROADER,
    TRANSFER_MEASURES,
    TRANSFER_TERMS,
    context,
    data_category_term,
    own_namespace,
    storage_type_term,
)

__all__ = ["CONTEXT", "DATA_CATEGORY_TERMS", "LEGAL_BASIS_TERMS", "TRANSFER_TERMS", "export_jsonld", "policy_jsonld"]


def _lang_values(value: Text | None) -> list[dict[str, str]] | None:
    if value is None:
        return None
    return [{"@value": written, "@language": lang.value} for lang, written in value.items()]


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def _refs(iris: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
    return [_ref(iri) for iri in iris]


def _prune(node: dict[str, Any]) -> dict[str, Any]:
    """Leave out unknown facts (None, "" and empty lists) rather than state them empty."""
    return {k: v for k, v in node.items() if v is not None and v != "" and v != []}


def _duration(source: str, description: Text | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "dpv:StorageDuration"}
    if source in ("session", "persistent"):
        node["dct:description"] = source
    elif source:
        node["rdf:value"] = {"@value": source, "@type": "xsd:duration"}
    if description is not None:
        node["dct:description"] = _lang_values(description)
    return node


def _mailto(address: str) -> dict[str, str] | None:
    return _ref(f"mailto:{address}") if address else None


def _tel(number: str) -> dict[str, str] | None:
    return _ref(f"tel:{number.replace(' ', '')}") if number else None


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def export_jsonld(
    policy: Policy, *, version: str, effective: str | None, base_url: str | None, site_url: str | None = None
) -> dict[str, Any]:
    """The policy as a standalone JSON-LD document: every node id absolute.

    A file read on its own has no document URL to resolve ``#activity-x`` against, so the
    ids need a base: ``base_url`` (the address the file is published at), else the English
    page of ``version`` under ``site_url``. Neither given is a usage error, not relative ids.
    """
    if not base_url and site_url:
        base_url = site_urls(site_url, policy.languages[0])("", version)
    for name, value in (("base URL", base_url), ("site_url", site_url)):
        if value and not _absolute(value):
            raise UsageError(f"the {name} must be an absolute http(s) URL, such as https://example.org/privacy/ (got {value!r})")
    if not base_url:
        raise UsageError(
            "a standalone JSON-LD export needs a base URL for its node ids: pass --base-url URL "
            "(the address it is published at) or set the site's site_url"
        )
    return policy_jsonld(policy, version=version, effective=effective, url=base_url, site_url=site_url)


def policy_jsonld(
    policy: Policy, *, version: str, effective: str | None, url: str = "", site_url: str | None = None
) -> dict[str, Any]:
    """The policy in DPV, as one JSON-LD document (``@context`` plus ``@graph``).

    Node ids are fragments of ``url``; with ``url`` empty they are relative, which only a
    page embedding the document may do (JSON-LD in HTML takes the page's URL as base).
    Our own terms are under ``{site_url}/vocab#``; without a site_url, under the document
    itself when ``url`` is absolute (the terms are defined in its graph).
    """
    base = url.split("#", 1)[0]
    own = own_namespace(site_url) if site_url or not _absolute(base) else f"{base}#"

    def node_id(kind: str, key: str) -> str:
        return f"{base}#{kind}-{quote(key, safe='')}"

    controller = policy.controller
    controller_id = node_id("controller", controller.id)

    def party_id(party: str) -> str:
        return controller_id if party == controller.id else node_id("recipient", party)

    graph: list[dict[str, Any]] = []
    own_terms: dict[str, dict[str, Any]] = {}

    dpo = controller.dpo
    graph.append(
        _prune(
            {
                "@id": controller_id,
                "@type": "dpv:DataController",
                "dct:identifier": controller.id,
                "dpv:hasName": controller.legal_name,
                "foaf:nick": controller.short_name,
                "dpv:hasIdentifier": controller.organisation_number,
                "dpv:hasAddress": controller.address,
                "foaf:mbox": _mailto(controller.email),
                "foaf:phone": _tel(controller.phone),
                "foaf:homepage": _ref(controller.website) if controller.website else None,
                "dpv:hasDataProtectionOfficer": _prune(
                    {
                        "@type": "dpv:DataProtectionOfficer",
                        "dpv:hasName": dpo.name,
                        "foaf:mbox": _mailto(dpo.email),
                        "foaf:phone": _tel(dpo.phone),
                    }
                )
                if dpo is not None
                else None,
            }
        )
    )

    # tech:hasProvider points at a tech:Provider: the parties that set cookies are typed so.
    providers = {cookie.provider for cookie in policy.cookies.values()}
    if controller.id in providers:
        graph[0]["@type"] = ["dpv:DataController", "tech:Provider"]
    transfers: list[dict[str, Any]] = []
    for recipient_id, recipient in policy.recipients.items():
        countries = list(recipient.storage.countries)
        # A third country is one outside the EEA, as seen from this controller (Art. 44 GDPR):
        # stated per recipient and transfer, not as a fact about the country.
        outside = [c for c in countries if not is_in_eea(c)]
        recipient_types = list(RECIPIENT_TYPES[recipient.role])
        if recipient_id in providers:
            recipient_types.append("tech:Provider")
        graph.append(
            _prune(
                {
                    "@id": party_id(recipient_id),
                    "@type": recipient_types,
                    "dct:identifier": recipient_id,
                    "dpv:hasName": _lang_values(recipient.name),
                    "dct:description": _lang_values(recipient.service),
                    "policypress:role": recipient.role.value,
                    "dpv:hasCountry": _refs([f"loc:{c}" for c in countries]),
                    "dpv:hasThirdCountry": _refs([f"loc:{c}" for c in outside]),
                    "dpv:hasStorageCondition": _prune(
                        {"@type": "dpv:StorageLocation", "dct:description": _lang_values(recipient.storage.location)}
                    )
                    if recipient.storage.location is not None
                    else None,
                }
            )
        )
        if outside or recipient.transfer is not None:
            transfer = recipient.transfer
            transfers.append(
                _prune(
                    {
                        "@id": node_id("transfer", recipient_id),
                        "@type": "dpv:Process",
                        "dpv:hasProcessing": _ref("dpv:Transfer"),
                        "dpv:hasDataController": _ref(controller_id),
                        "dpv:hasRecipient": _ref(party_id(recipient_id)),
                        "dpv:hasThirdCountry": _refs([f"loc:{c}" for c in outside]),
                        "dpv:hasLegalBasis": _refs(TRANSFER_TERMS[transfer.mechanism]) if transfer else None,
                        "dpv:hasOrganisationalMeasure": _ref(TRANSFER_MEASURES[transfer.mechanism])
                        if transfer and transfer.mechanism in TRANSFER_MEASURES
                        else None,
                        "policypress:transferMechanism": transfer.mechanism.value if transfer else None,
                        "dct:description": _lang_values(transfer.reference) if transfer else None,
                    }
                )
            )
            if transfer is not None and transfer.mechanism in TRANSFER_BROADER:
                term = f"policypress:{transfer.mechanism.value}"
                own_terms[term] = {
                    "@id": term,
                    "@type": "dpv:DataTransferLegalBasis",
                    "skos:broader": _ref(TRANSFER_BROADER[transfer.mechanism]),
                    "skos:prefLabel": _lang_values(transfer.mechanism.label_text(policy.languages)),
                }

    activities: list[dict[str, Any]] = []
    general = policy.activities.general_retention
    for activity_id, activity in policy.activities.activities.items():
        legal_bases: list[dict[str, Any]] = []
        if activity.legal_basis is not None:
            legal_bases.extend(_refs(LEGAL_BASIS_TERMS[activity.legal_basis]))
            if activity.legitimate_interest is not None:
                legal_bases.append(
                    {
                        "@id": node_id("legitimate-interest", activity_id),
                        "@type": "dpv:LegitimateInterestOfController",
                        "dct:description": _lang_values(activity.legitimate_interest),
                    }
                )
        personal: list[dict[str, str]] = []
        other: list[dict[str, str]] = []
        for category in activity.data_categories:
            term = data_category_term(category)
            (other if category in NON_PERSONAL else personal).append(_ref(term))
            if category not in DATA_CATEGORY_TERMS:
                own_terms[term] = _prune(
                    {
                        "@id": term,
                        "@type": "dpv:NonPersonalData" if category in NON_PERSONAL else "dpv:PersonalData",
                        "skos:broader": _ref(DATA_CATEGORY_BROADER[category])
                        if category in DATA_CATEGORY_BROADER
                        else None,
                        "skos:prefLabel": _lang_values(category.label_text(policy.languages)),
                    }
                )
        retention = activity.retention
        if retention is not None:
            storage = _duration(str(retention.period) if retention.period else "", retention.criteria)
        elif general is not None:
            storage = _duration("", general)
        else:
            storage = None
        source_term = DATA_SOURCE_TERMS.get(activity.source)
        activities.append(
            _prune(
                {
                    "@id": node_id("activity", activity_id),
                    "@type": "dpv:Process",
                    "dct:identifier": activity_id,
                    "dct:title": _lang_values(activity.name),
                    "dpv:hasDataController": _ref(controller_id),
                    "dpv:hasPurpose": {
                        "@id": node_id("purpose", activity_id),
                        # The DPV purpose the data names (a class below dpv:Purpose), else the root.
                        "@type": activity.dpv_purpose or "dpv:Purpose",
                        "dct:description": _lang_values(activity.purpose),
                    },
                    "dpv:hasLegalBasis": legal_bases,
                    "dpv:hasPersonalData": personal,
                    "dpv:hasData": other,
                    "dpv:hasDataSource": _ref(source_term) if source_term else None,
                    "policypress:source": activity.source.value,
                    "dpv:hasRecipient": _refs([party_id(r) for r in activity.recipients]),
                    "dpv:hasStorageCondition": storage,
                    "policypress:requirement": activity.requirement.value if activity.requirement else None,
                    "policypress:requirementConsequence": _lang_values(activity.requirement_consequence),
                }
            )
        )

    cookies: list[dict[str, Any]] = []
    for name, cookie in policy.cookies.items():
        term = storage_type_term(cookie.type)
        if cookie.type in STORAGE_TYPE_BROADER:
            own_terms[term] = {
                "@id": term,
                "@type": "dpv:Technology",
                "skos:broader": _ref(STORAGE_TYPE_BROADER[cookie.type]),
                "skos:prefLabel": _lang_values(cookie.type.label_text(policy.languages)),
            }
        cookies.append(
            _prune(
                {
                    "@id": node_id("storage", name),
                    "@type": term,
                    "dct:title": name,
                    "tech:hasProvider": _ref(party_id(cookie.provider)),
                    "dpv:hasPurpose": {"@type": "dpv:Purpose", "dct:description": _lang_values(cookie.purpose)},
                    "dpv:hasStorageCondition": _duration(str(cookie.duration)),
                    "dpv:hasLegalBasis": _ref("dpv:Consent") if cookie.consent_required else None,
                    "policypress:consentRequired": cookie.consent_required,
                    "policypress:party": cookie.party.value,
                    "policypress:cookieCategory": cookie.category.value,
                }
            )
        )

    rights = [
        _prune(
            {
                "@id": node_id("right", str(right)),
                "@type": ["dpv:DataSubjectRight", RIGHT_TERMS[Right(right)]],
                "dct:identifier": str(right),
                "skos:prefLabel": _lang_values(Right(right).label_text(policy.languages)),
                "dct:description": _lang_values(statement.description),
            }
        )
        for right, statement in policy.rights.rights.items()
    ]

    authority = policy.rights.supervisory_authority
    adm = policy.activities.automated_decision_making
    notice = _prune(
        {
            "@type": "dpv:PrivacyNotice",
            "dct:title": _lang_values(policy.meta.title),
            "dcat:version": version,
            "dct:valid": {"@value": effective, "@type": "xsd:date"} if effective else None,
            "dpv:hasDataController": _ref(controller_id),
            "dpv:hasProcess": _refs([a["@id"] for a in activities] + [t["@id"] for t in transfers]),
            "dpv:hasRecipient": _refs([party_id(r) for r in policy.recipients]),
            "dpv:hasRight": _refs([r["@id"] for r in rights]),
            "policypress:howToExercise": _lang_values(policy.rights.how_to_exercise),
            "dpv:hasAuthority": _prune(
                {
                    "@type": list(AUTHORITY_TYPES),
                    "dpv:hasName": _lang_values(authority.name),
                    "foaf:homepage": _ref(authority.website) if authority.website else None,
                }
            )
            if authority is not None
            else None,
            "policypress:generalRetention": _lang_values(general),
            "policypress:automatedDecisionMaking": _prune(
                {
                    "@type": "dpv:AutomatedDecisionMaking" if adm.used else None,
                    "policypress:used": adm.used,
                    "dct:description": _lang_values(adm.description),
                }
            )
            if adm is not None
            else None,
            "policypress:storage": _refs([c["@id"] for c in cookies]),
        }
    )
    notice = {"@id": base, **notice}  # "" is the document itself
    graph = [notice, *graph, *activities, *transfers, *cookies, *rights]
    graph.extend(own_terms[key] for key in sorted(own_terms))
    return {"@context": context(own), "@graph": graph}


