"""The policy as plain JSON: the facts of one version as the YAML states them."""

from __future__ import annotations

from typing import Any

from ..countries import is_in_eea
from ..i18n import Lang, Text
from ..model import Policy, Retention
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

FORMAT_VERSION = 1

# --- plain JSON --------------------------------------------------------------


def _text(value: Text | None) -> dict[str, str] | None:
    return None if value is None else value.as_dict()


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
            group: {member.value: _text(member.label_text(policy.languages)) for member in vocabulary}
            for group, vocabulary in _LABELLED.items()
        },
    }


