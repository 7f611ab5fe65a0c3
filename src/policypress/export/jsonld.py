"""The policy as JSON-LD in the W3C Data Privacy Vocabulary (DPV 2)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..countries import is_in_eea
from ..i18n import Lang, Text
from ..model import Policy
from ..vocabulary import (
    DataCategory,
    DataSource,
    LegalBasis,
    RecipientRole,
    Right,
    StorageType,
    TransferMechanism,
)

# --- JSON-LD in DPV ----------------------------------------------------------

DPV = "https://w3id.org/dpv#"
OWN = "urn:policypress:"  # the project's own terms, where DPV has none

CONTEXT: dict[str, str] = {
    "dpv": DPV,
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "pd": "https://w3id.org/dpv/pd#",
    "tech": "https://w3id.org/dpv/tech#",
    "loc": "https://w3id.org/dpv/loc#",
    "dct": "http://purl.org/dc/terms/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "policypress": OWN,
}

# Art. 6(1) GDPR: the DPV concept and the GDPR article. DPV has no "public task" concept:
# Art. 6(1)(e) is "public interest or official authority", both of which DPV has.
LEGAL_BASIS_TERMS: dict[LegalBasis, tuple[str, ...]] = {
    LegalBasis.CONSENT: ("dpv:Consent", "eu-gdpr:A6-1-a"),
    LegalBasis.CONTRACT: ("dpv:Contract", "eu-gdpr:A6-1-b"),
    LegalBasis.LEGAL_OBLIGATION: ("dpv:LegalObligation", "eu-gdpr:A6-1-c"),
    LegalBasis.VITAL_INTERESTS: ("dpv:VitalInterest", "eu-gdpr:A6-1-d"),
    LegalBasis.PUBLIC_TASK: ("dpv:PublicInterest", "dpv:OfficialAuthorityOfController", "eu-gdpr:A6-1-e"),
    LegalBasis.LEGITIMATE_INTERESTS: ("dpv:LegitimateInterest", "eu-gdpr:A6-1-f"),
}

# Personal data: the DPV PD extension term that means the same, where there is one.
DATA_CATEGORY_TERMS: dict[DataCategory, str] = {
    DataCategory.NAME: "pd:Name",
    DataCategory.EMAIL: "pd:EmailAddress",
    DataCategory.PHONE: "pd:TelephoneNumber",
    DataCategory.POSTAL_ADDRESS: "pd:PhysicalAddress",
    DataCategory.PAYMENT_CARD: "pd:PaymentCard",
    DataCategory.MESSAGE_CONTENT: "pd:Communication",
    DataCategory.PRODUCT_USAGE: "pd:ServiceConsumptionBehavior",
    DataCategory.IP_ADDRESS: "pd:IPAddress",
    DataCategory.BROWSING_BEHAVIOUR: "pd:BrowsingBehavior",
}
# The others are our own terms, each narrower than a DPV term where one fits.
DATA_CATEGORY_BROADER: dict[DataCategory, str] = {
    DataCategory.FIRST_NAME: "pd:Name",
    DataCategory.LAST_NAME: "pd:Name",
    DataCategory.COMPANY: "pd:Professional",
    DataCategory.ACCOUNT_CREDENTIALS: "pd:Identifying",
    DataCategory.SUPPORT_HISTORY: "pd:Communication",
    DataCategory.ONLINE_IDENTIFIER: "pd:Identifier",
    DataCategory.APPROXIMATE_LOCATION: "pd:Location",
    DataCategory.AGGREGATED_STATISTICS: "dpv:NonPersonalData",
}
# Not personal data once aggregated: stated with dpv:hasData, not dpv:hasPersonalData.
NON_PERSONAL: frozenset[DataCategory] = frozenset({DataCategory.AGGREGATED_STATISTICS})

DATA_SOURCE_TERMS: dict[DataSource, str] = {
    DataSource.DATA_SUBJECT: "dpv:DataSubjectDataSource",
    DataSource.THIRD_PARTY: "dpv:ThirdPartyDataSource",
}

RECIPIENT_TYPES: dict[RecipientRole, tuple[str, ...]] = {
    RecipientRole.PROCESSOR: ("dpv:DataProcessor",),
    RecipientRole.INDEPENDENT_CONTROLLER: ("dpv:ThirdParty", "dpv:DataController"),
    RecipientRole.RELATED_COMPANY: ("dpv:ThirdParty",),
}

TRANSFER_TERMS: dict[TransferMechanism, tuple[str, ...]] = {
    TransferMechanism.ADEQUACY_DECISION: ("eu-gdpr:A45-3",),
    TransferMechanism.EU_US_DPF: ("eu-gdpr:A45-3", "policypress:eu_us_dpf"),
    TransferMechanism.STANDARD_CONTRACTUAL_CLAUSES: ("dpv:StandardContractualClauses", "eu-gdpr:A46-2-c"),
    TransferMechanism.BINDING_CORPORATE_RULES: ("dpv:BindingCorporateRules", "eu-gdpr:A46-2-b"),
    TransferMechanism.DEROGATION: ("policypress:derogation",),
}

# DPV TECH has Cookie; localStorage and sessionStorage are narrower than its LocalStorage.
STORAGE_TYPE_TERMS: dict[StorageType, str] = {StorageType.COOKIE: "tech:Cookie"}
STORAGE_TYPE_BROADER: dict[StorageType, str] = {
    StorageType.LOCAL_STORAGE: "tech:LocalStorage",
    StorageType.SESSION_STORAGE: "tech:LocalStorage",
}

RIGHT_TERMS: dict[Right, str] = {
    Right.ACCESS: "eu-gdpr:A15",
    Right.RECTIFICATION: "eu-gdpr:A16",
    Right.ERASURE: "eu-gdpr:A17",
    Right.RESTRICTION: "eu-gdpr:A18",
    Right.PORTABILITY: "eu-gdpr:A20",
    Right.OBJECTION: "eu-gdpr:A21",
    Right.WITHDRAW_CONSENT: "eu-gdpr:A7-3",
    Right.COMPLAINT: "eu-gdpr:A77",
}


def data_category_term(category: DataCategory) -> str:
    """The compact IRI for a data category: a DPV term, else ``policypress:<id>``."""
    return DATA_CATEGORY_TERMS.get(category, f"policypress:{category.value}")


def storage_type_term(kind: StorageType) -> str:
    return STORAGE_TYPE_TERMS.get(kind, f"policypress:{kind.value}")


def _lang_values(value: Text | None) -> list[dict[str, str]] | None:
    if value is None:
        return None
    return [{"@value": value.get(lang), "@language": lang.value} for lang in Lang]


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


def policy_jsonld(policy: Policy, *, version: str, effective: str | None, url: str = "") -> dict[str, Any]:
    """The policy in DPV, as one JSON-LD document (``@context`` plus ``@graph``)."""
    base = url.split("#", 1)[0]

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
                "foaf:mbox": f"mailto:{controller.email}" if controller.email else "",
                "foaf:phone": f"tel:{controller.phone.replace(' ', '')}" if controller.phone else "",
                "foaf:homepage": _ref(controller.website) if controller.website else None,
                "dpv:hasDataProtectionOfficer": _prune(
                    {
                        "@type": "dpv:DataProtectionOfficer",
                        "dpv:hasName": dpo.name,
                        "foaf:mbox": f"mailto:{dpo.email}" if dpo.email else "",
                        "foaf:phone": f"tel:{dpo.phone.replace(' ', '')}" if dpo.phone else "",
                    }
                )
                if dpo is not None
                else None,
            }
        )
    )

    third_countries: list[str] = []
    transfers: list[dict[str, Any]] = []
    for recipient_id, recipient in policy.recipients.items():
        countries = list(recipient.storage.countries)
        outside = [c for c in countries if not is_in_eea(c)]
        for code in outside:
            if code not in third_countries:
                third_countries.append(code)
        graph.append(
            _prune(
                {
                    "@id": party_id(recipient_id),
                    "@type": list(RECIPIENT_TYPES[recipient.role]),
                    "dct:identifier": recipient_id,
                    "dpv:hasName": _lang_values(recipient.name),
                    "dct:description": _lang_values(recipient.service),
                    "policypress:role": recipient.role.value,
                    "dpv:hasCountry": _refs([f"loc:{c}" for c in countries]),
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
                        "@type": "dpv:PersonalDataHandling",
                        "dpv:hasProcessing": _ref("dpv:Transfer"),
                        "dpv:hasDataController": _ref(controller_id),
                        "dpv:hasRecipient": _ref(party_id(recipient_id)),
                        "dpv:hasCountry": _refs([f"loc:{c}" for c in outside]),
                        "dpv:hasLegalBasis": _refs(TRANSFER_TERMS[transfer.mechanism]) if transfer else None,
                        "policypress:transferMechanism": transfer.mechanism.value if transfer else None,
                        "dct:description": _lang_values(transfer.reference) if transfer else None,
                    }
                )
            )
            if transfer is not None and transfer.mechanism in (
                TransferMechanism.EU_US_DPF,
                TransferMechanism.DEROGATION,
            ):
                term = f"policypress:{transfer.mechanism.value}"
                own_terms[term] = {
                    "@id": term,
                    "@type": "dpv:DataTransferLegalBasis",
                    "skos:prefLabel": _lang_values(transfer.mechanism.labels()[transfer.mechanism.value]),
                }

    activities: list[dict[str, Any]] = []
    general = policy.activities.general_retention
    for activity_id, activity in policy.activities.activities.items():
        legal_bases: list[dict[str, Any]] = []
        if activity.legal_basis is not None:
            legal_bases = _refs(LEGAL_BASIS_TERMS[activity.legal_basis])
            if activity.legitimate_interest is not None:
                legal_bases.append(
                    {
                        "@id": node_id("legitimate-interest", activity_id),
                        "@type": "dpv:LegitimateInterestOfController",
                        "dct:description": _lang_values(activity.legitimate_interest),
                    }
                )
        personal, other = [], []
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
                        "skos:prefLabel": _lang_values(category.labels()[category.value]),
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
                    "@type": "dpv:PersonalDataHandling",
                    "dct:identifier": activity_id,
                    "dct:title": _lang_values(activity.name),
                    "dpv:hasDataController": _ref(controller_id),
                    "dpv:hasPurpose": {
                        "@id": node_id("purpose", activity_id),
                        "@type": "dpv:Purpose",
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
                "skos:prefLabel": _lang_values(cookie.type.labels()[cookie.type.value]),
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
                "skos:prefLabel": _lang_values(Right(right).labels()[str(right)]),
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
            "dct:hasVersion": version,
            "dct:valid": {"@value": effective, "@type": "xsd:date"} if effective else None,
            "dpv:hasDataController": _ref(controller_id),
            "dpv:hasPersonalDataHandling": _refs([a["@id"] for a in activities] + [t["@id"] for t in transfers]),
            "dpv:hasRecipient": _refs([party_id(r) for r in policy.recipients]),
            "dpv:hasRight": _refs([r["@id"] for r in rights]),
            "policypress:howToExercise": _lang_values(policy.rights.how_to_exercise),
            "dpv:hasAuthority": _prune(
                {
                    "@type": "dpv:SupervisoryAuthority",
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
    graph.extend({"@id": f"loc:{code}", "@type": "dpv:ThirdCountry"} for code in third_countries)
    graph.extend(own_terms[key] for key in sorted(own_terms))
    return {"@context": dict(CONTEXT), "@graph": graph}


