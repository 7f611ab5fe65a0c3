"""The JSON Schema (draft 2020-12) of ``policy_json``'s output."""

from __future__ import annotations

from typing import Any

from ..i18n import TAG_PATTERN
from ..vocabulary import (
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
from .plain import _LABELLED, FORMAT_VERSION

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
            # Keyed by the policy's languages (BCP 47 tags): whichever they are.
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": TAG_PATTERN},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
        "country": {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2"},
        "duration": {
            "type": "string",
            "description": "An ISO 8601 duration such as P2Y, P13M or PT30M.",
            "pattern": r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$",
        },
    },
}


