"""The policy as data for machines: plain JSON (with a JSON Schema) and JSON-LD in the
W3C Data Privacy Vocabulary (DPV 2).

``policy_json`` holds the facts of one version exactly as the YAML states them: ids as
keys, in the order of the data (which is the order on the page), every text as
``{"en": ..., "sv": ...}``, vocabulary terms as their ids with their labels listed once
under ``labels``. ``POLICY_JSON_SCHEMA`` describes it.

``policy_jsonld`` says the same in DPV: each processing activity is a
``dpv:PersonalDataHandling`` with its purpose, legal bases (DPV and GDPR article terms),
personal data (DPV ``pd:`` terms where DPV has one, else the project's own
``policypress:`` term with its broader DPV term), recipients, storage duration and the
controller; transfers to third countries with their safeguard; cookies and other
browser storage as ``tech:`` technologies. Texts carry both languages as
language-tagged literals. Node ids are fragments (``#activity-newsletter``) of ``url``,
or of the document itself when no ``url`` is given (JSON-LD embedded in a page then
describes that page).

Nothing here reads the clock: the same data gives byte-identical output.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .countries import is_in_eea
from .i18n import Lang, Text
from .model import Policy, Retention
from .vocabulary import (
    CookieCategory,
    DataCategory,
    DataSource,
    LegalBasis,
    Party,
    RecipientRole,
    Requirement,
    Right,
    StorageType,
    TransferMechanism,
    Vocabulary,
)

FORMAT_VERSION = 1

# --- plain JSON --------------------------------------------------------------


def _text(value: Text | None) -> dict[str, str] | None:
    return None if value is None else {lang.value: value.get(lang) for lang in Lang}


def _retention(retention: Retention | None) -> dict[str, Any] | None:
    if retention is None:
        return None
    if retention.period is not None:
        return {"period": str(retention.period)}
    return {"criteria": _text(retention.criteria)}


_LABELLED: dict[str, type[Vocabulary]] = {
    "legal_bases": LegalBasis,
    "data_categories": DataCategory,
    "data_sources": DataSource,
    "recipient_roles": RecipientRole,
    "transfer_mechanisms": TransferMechanism,
    "requirements": Requirement,
    "cookie_categories": CookieCategory,
    "storage_types": StorageType,
    "parties": Party,
    "rights": Right,
}


def policy_json(policy: Policy, *, version: str, effective: str | None) -> dict[str, Any]:
    """The facts of ``policy`` (a release, or the draft with ``effective=None``) as plain JSON."""
    controller = policy.controller
    activities_file = policy.activities
    adm = activities_file.automated_decision_making
    authority = policy.rights.supervisory_authority
    return {
        "format": FORMAT_VERSION,
        "version": version,
        "effective": effective,
        "title": _text(policy.meta.title),
        "controller": {
            "id": controller.id,
            "legal_name": controller.legal_name,
            "short_name": controller.short_name,
            "organisation_number": controller.organisation_number,
            "address": controller.address,
            "email": controller.email,
            "phone": controller.phone,
            "website": controller.website,
            "dpo": None
            if controller.dpo is None
            else {"name": controller.dpo.name, "email": controller.dpo.email, "phone": controller.dpo.phone},
        },
        "activities": {
            activity_id: {
                "name": _text(activity.name),
                "purpose": _text(activity.purpose),
                "data_categories": [category.value for category in activity.data_categories],
                "source": activity.source.value,
                "recipients": list(activity.recipients),
                "legal_basis": activity.legal_basis.value if activity.legal_basis else None,
                "legitimate_interest": _text(activity.legitimate_interest),
                "retention": _retention(activity.retention),
                "requirement": activity.requirement.value if activity.requirement else None,
                "requirement_consequence": _text(activity.requirement_consequence),
            }
            for activity_id, activity in activities_file.activities.items()
        },
        "general_retention": _text(activities_file.general_retention),
        "automated_decision_making": None
        if adm is None
        else {"used": adm.used, "description": _text(adm.description)},
        "recipients": {
            recipient_id: {
                "name": _text(recipient.name),
                "role": recipient.role.value,
                "service": _text(recipient.service),
                "storage": {
                    "countries": list(recipient.storage.countries),
                    "location": _text(recipient.storage.location),
                },
                "third_countries": [c for c in recipient.storage.countries if not is_in_eea(c)],
                "transfer": None
                if recipient.transfer is None
                else {
                    "mechanism": recipient.transfer.mechanism.value,
                    "reference": _text(recipient.transfer.reference),
                },
            }
            for recipient_id, recipient in policy.recipients.items()
        },
        "cookies": {
            name: {
                "provider": cookie.provider,
                "party": cookie.party.value,
                "type": cookie.type.value,
                "category": cookie.category.value,
                "duration": str(cookie.duration),
                "purpose": _text(cookie.purpose),
                "consent_required": cookie.consent_required,
            }
            for name, cookie in policy.cookies.items()
        },
        "rights": {
            "how_to_exercise": _text(policy.rights.how_to_exercise),
            "rights": {str(right): {"description": _text(s.description)} for right, s in policy.rights.rights.items()},
        },
        "supervisory_authority": None
        if authority is None
        else {"name": _text(authority.name), "website": authority.website},
        "labels": {
            group: {member.value: _text(member.labels()[member.value]) for member in vocabulary}
            for group, vocabulary in _LABELLED.items()
        },
    }


# --- its JSON Schema ---------------------------------------------------------


def _enum(vocabulary: type[Vocabulary]) -> dict[str, Any]:
    return {"enum": [member.value for member in vocabulary]}


def _nullable(ref: str) -> dict[str, Any]:
    return {"oneOf": [{"$ref": ref}, {"type": "null"}]}


def _closed(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


_ID = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*$"}
_TEXT = "#/$defs/text"

POLICY_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "urn:policypress:schema:policy.json",
    "title": "policypress: the facts of a privacy policy",
    "description": "Output of `policypress export VERSION --format json` and the policy.json files of the "
    "built site. Mappings are keyed by stable ids, in the order shown on the page.",
    **_closed(
        {
            "format": {"const": FORMAT_VERSION},
            "version": {"type": "string", "pattern": r"^(draft|(0|[1-9]\d*)(\.(0|[1-9]\d*)){1,2})$"},
            "effective": {
                "description": "The day the version takes effect (YYYY-MM-DD); null for the draft.",
                "oneOf": [{"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}, {"type": "null"}],
            },
            "title": {"$ref": _TEXT},
            "controller": _closed(
                {
                    "id": _ID,
                    "legal_name": {"type": "string", "minLength": 1},
                    "short_name": {"type": "string"},
                    "organisation_number": {"type": "string"},
                    "address": {"type": "string"},
                    "email": {"type": "string"},
                    "phone": {"type": "string"},
                    "website": {"type": "string"},
                    "dpo": {
                        "oneOf": [
                            _closed({k: {"type": "string"} for k in ("name", "email", "phone")}),
                            {"type": "null"},
                        ]
                    },
                }
            ),
            "activities": {
                "type": "object",
                "propertyNames": _ID,
                "additionalProperties": _closed(
                    {
                        "name": {"$ref": _TEXT},
                        "purpose": {"$ref": _TEXT},
                        "data_categories": {"type": "array", "items": _enum(DataCategory)},
                        "source": _enum(DataSource),
                        "recipients": {"type": "array", "items": _ID},
                        "legal_basis": {"oneOf": [_enum(LegalBasis), {"type": "null"}]},
                        "legitimate_interest": _nullable(_TEXT),
                        "retention": {
                            "oneOf": [
                                _closed({"period": {"$ref": "#/$defs/duration"}}),
                                _closed({"criteria": {"$ref": _TEXT}}),
                                {"type": "null"},
                            ]
                        },
                        "requirement": {"oneOf": [_enum(Requirement), {"type": "null"}]},
                        "requirement_consequence": _nullable(_TEXT),
                    }
                ),
            },
            "general_retention": _nullable(_TEXT),
            "automated_decision_making": {
                "oneOf": [_closed({"used": {"type": "boolean"}, "description": {"$ref": _TEXT}}), {"type": "null"}]
            },
            "recipients": {
                "type": "object",
                "propertyNames": _ID,
                "additionalProperties": _closed(
                    {
                        "name": {"$ref": _TEXT},
                        "role": _enum(RecipientRole),
                        "service": {"$ref": _TEXT},
                        "storage": _closed(
                            {
                                "countries": {"type": "array", "items": {"$ref": "#/$defs/country"}},
                                "location": _nullable(_TEXT),
                            }
                        ),
                        "third_countries": {
                            "description": "The storage countries outside the EEA.",
                            "type": "array",
                            "items": {"$ref": "#/$defs/country"},
                        },
                        "transfer": {
                            "oneOf": [
                                _closed(
                                    {"mechanism": _enum(TransferMechanism), "reference": _nullable(_TEXT)}
                                ),
                                {"type": "null"},
                            ]
                        },
                    }
                ),
            },
            "cookies": {
                "type": "object",
                "propertyNames": {"type": "string", "pattern": r"^[^\s]+$"},
                "additionalProperties": _closed(
                    {
                        "provider": _ID,
                        "party": _enum(Party),
                        "type": _enum(StorageType),
                        "category": _enum(CookieCategory),
                        "duration": {
                            "oneOf": [{"$ref": "#/$defs/duration"}, {"enum": ["session", "persistent"]}]
                        },
                        "purpose": {"$ref": _TEXT},
                        "consent_required": {"type": "boolean"},
                    }
                ),
            },
            "rights": _closed(
                {
                    "how_to_exercise": _nullable(_TEXT),
                    "rights": {
                        "type": "object",
                        "propertyNames": _enum(Right),
                        "additionalProperties": _closed({"description": {"$ref": _TEXT}}),
                    },
                }
            ),
            "supervisory_authority": {
                "oneOf": [_closed({"name": {"$ref": _TEXT}, "website": {"type": "string"}}), {"type": "null"}]
            },
            "labels": _closed(
                {
                    group: {
                        "type": "object",
                        "propertyNames": _enum(vocabulary),
                        "additionalProperties": {"$ref": _TEXT},
                    }
                    for group, vocabulary in _LABELLED.items()
                }
            ),
        }
    ),
    "$defs": {
        "text": {
            "description": "A text in every language of the policy.",
            **_closed({lang.value: {"type": "string", "minLength": 1} for lang in Lang}),
        },
        "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2"},
        "duration": {
            "type": "string",
            "description": "An ISO 8601 duration such as P2Y, P13M or PT30M.",
            "pattern": r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$",
        },
    },
}


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


# --- serialising -------------------------------------------------------------


def dumps(document: dict[str, Any]) -> str:
    """Stable text: UTF-8, two-space indent, keys in the order built, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def jsonld_script(document: dict[str, Any]) -> str:
    """A ``<script type="application/ld+json">`` element, safe to place in an HTML page:
    ``<``, ``>`` and ``&`` are written as JSON escapes, so no text in the data can close the script."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f'<script type="application/ld+json">{text}</script>'


# --- the command -------------------------------------------------------------


def _run(args: argparse.Namespace) -> int:
    from .site import DRAFT
    from .sources import history_source, resolve_side

    if args.format == "schema":  # the same for every version: no data is read
        document = POLICY_JSON_SCHEMA
    else:
        with history_source(Path(args.data), None) as history:
            policy = resolve_side(history, args.version)
            release = None if args.version == DRAFT else history.get(args.version)
        effective = release.manifest.effective if release is not None else None
        if args.format == "jsonld":
            document = policy_jsonld(policy, version=args.version, effective=effective, url=args.url)
        else:
            document = policy_json(policy, version=args.version, effective=effective)
    output = dumps(document)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
        print(f"wrote {args.output} ({args.format}, {args.version})", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = subparsers.add_parser(
        "export",
        help="the policy as data: plain JSON (with a JSON Schema) or JSON-LD in the W3C Data Privacy Vocabulary",
        description="Write the facts of a release or of the draft as JSON (`--format json`, described by "
        "`--format schema`) or as JSON-LD using the W3C Data Privacy Vocabulary (`--format jsonld`). "
        "Texts are given in every language.",
    )
    export.add_argument("version", metavar="VERSION", help="a release version such as 1.1, or 'draft'")
    export.add_argument("--format", choices=("json", "jsonld", "schema"), default="json")
    export.add_argument(
        "--url", default="", metavar="URL",
        help="jsonld: the published address of this version, the base of its node ids (default: the document itself)",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    export.set_defaults(run=_run)
