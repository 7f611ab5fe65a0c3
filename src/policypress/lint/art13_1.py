"""Art. 13(1) GDPR: who the controller is, why and on what basis, who receives the data, and where it goes."""

from __future__ import annotations

import re

from ..countries import is_in_eea
from ..model import Recipient
from ..vocabulary import DataCategory, LegalBasis, RecipientRole, TransferMechanism
from . import phrases, rules
from .context import LintContext, all_languages, controller_country
from .findings import Severity

CONTROLLER = "controller.yaml"
ACTIVITIES = "activities.yaml"
RECIPIENTS = "recipients.yaml"

# A purpose that talks of sharing or disclosing data implies recipients, even when none are listed.
_SHARING = re.compile(
    r"\b(shar(e|ed|es|ing)|disclos\w*|transfer(s|red)?|delas|dela|lämna(s|r)? ut|överför\w*)\b", re.IGNORECASE
)
_ARTICLE = re.compile(r"Art\. 6\(1\)\([a-f]\)")


def check_controller(ctx: LintContext) -> None:
    controller = ctx.policy.controller
    if not controller.legal_name.strip():  # the schema requires it; kept so the rule stands on its own
        ctx.report(
            rules.CONTROLLER_IDENTITY, CONTROLLER, ("controller", "legal_name"),
            "the controller's legal name is missing",
            "write the registered name of the company in controller.legal_name",
            needs_input=True,
        )
    # A national duty (Sweden's e-commerce act), not Art. 13: only where the controller is Swedish.
    if not controller.organisation_number.strip() and controller_country(ctx.policy) == "SE":
        ctx.report(
            rules.ORGANISATION_NUMBER, CONTROLLER, ("controller", "organisation_number"),
            "the controller's organisation number (organisationsnummer) is missing",
            "write the organisation number, such as 556677-8899, in controller.organisation_number",
            needs_input=True,
        )
    if not controller.address.strip():
        ctx.report(
            rules.CONTROLLER_CONTACT, CONTROLLER, ("controller", "address"),
            "the controller's postal address is missing",
            "write the postal address of the registered office in controller.address",
            needs_input=True,
        )
    if not controller.email.strip():
        ctx.report(
            rules.CONTROLLER_CONTACT, CONTROLLER, ("controller", "email"),
            "the controller's e-mail address is missing, so readers cannot make a privacy request",
            "write the e-mail address for privacy requests in controller.email",
            needs_input=True,
        )


def check_dpo(ctx: LintContext) -> None:
    dpo = ctx.policy.controller.dpo
    if dpo is None:
        return  # not every controller must designate one (Art. 37); the rule applies only where one is
    if not dpo.email.strip() and not dpo.phone.strip():
        ctx.report(
            rules.DPO_CONTACT, CONTROLLER, ("controller", "dpo", "email"),
            "a data protection officer is designated but has no contact details",
            "write the DPO's e-mail address (controller.dpo.email) or phone number (controller.dpo.phone)",
            needs_input=True,
        )


def _article_of(basis: LegalBasis) -> str:
    """``Art. 6(1)(a)`` from the vocabulary's label, so the wording has one source."""
    found = _ARTICLE.search(basis.label("en"))
    return found.group(0) if found else basis.label("en")


def check_legal_basis(ctx: LintContext) -> None:
    choices = ", ".join(f"{basis.value} ({_article_of(basis)})" for basis in LegalBasis)
    for activity_id, activity in ctx.policy.activities.activities.items():
        if activity.legal_basis is None:
            ctx.report(
                rules.LEGAL_BASIS, ACTIVITIES, ("activities", activity_id, "legal_basis"),
                f"activity '{activity_id}' states no legal basis",
                f"set activities.{activity_id}.legal_basis to one of: {choices}",
            )


def check_legitimate_interest(ctx: LintContext) -> None:
    for activity_id, activity in ctx.policy.activities.activities.items():
        if activity.legal_basis == LegalBasis.LEGITIMATE_INTERESTS and activity.legitimate_interest is None:
            ctx.report(
                rules.LEGITIMATE_INTEREST, ACTIVITIES, ("activities", activity_id, "legitimate_interest"),
                f"activity '{activity_id}' relies on legitimate interests but does not say what the interest is",
                f"describe the interest in activities.{activity_id}.legitimate_interest ({{en, sv}})",
            )


def check_recipients(ctx: LintContext) -> None:
    if not ctx.policy.recipients:
        ctx.report(
            rules.RECIPIENTS, RECIPIENTS, ("recipients",),
            "no recipient or category of recipients is declared",
            "declare at least one recipient in recipients.yaml (a processor, or a category such as 'IT service providers')",
        )
    for activity_id, activity in ctx.policy.activities.activities.items():
        if activity.recipients:
            continue
        if set(activity.data_categories) <= {DataCategory.AGGREGATED_STATISTICS} and activity.data_categories:
            continue  # aggregated statistics are not personal data, so sharing them discloses nobody
        if _SHARING.search(all_languages(activity.purpose)):
            ctx.report(
                rules.RECIPIENTS, ACTIVITIES, ("activities", activity_id, "recipients"),
                f"the purpose of activity '{activity_id}' says its data is shared, but it lists no recipients",
                f"list the recipients (or a category of recipients) in activities.{activity_id}.recipients",
                severity=Severity.WARNING,
            )


def check_recipient_specificity(ctx: LintContext) -> None:
    for recipient_id, recipient in ctx.policy.recipients.items():
        vague = next(
            (name for lang, name in recipient.name.items()
             if lang in phrases.VAGUE_RECIPIENT and phrases.VAGUE_RECIPIENT[lang].match(name.strip())),
            None,
        )
        if vague is not None:
            ctx.report(
                rules.RECIPIENT_SPECIFICITY, RECIPIENTS, ("recipients", recipient_id, "name"),
                f"recipient '{recipient_id}' is called '{vague}', which does not say who receives the data",
                f"name the companies in recipients.{recipient_id}.name (one recipient each), or a specific "
                "category: what they do for us, their sector and where they are",
                needs_input=True,
            )


def _legal_disclosure_only(recipient: Recipient) -> bool:
    """An authority or court that receives data because the law requires it: by role and by what it does."""
    return recipient.role == RecipientRole.INDEPENDENT_CONTROLLER and (
        phrases.found(phrases.LEGAL_DISCLOSURE, recipient.service) is not None
    )


def check_transfers(ctx: LintContext) -> None:
    # A derogation is not a mechanism for a declared recipient (art49-systematic-derogation), so not offered.
    mechanisms = ", ".join(m.value for m in TransferMechanism if m != TransferMechanism.DEROGATION)
    for recipient_id, recipient in ctx.policy.recipients.items():
        if recipient.transfer is not None:
            continue
        outside = [code for code in recipient.storage.countries if not is_in_eea(code)]
        if outside:
            ctx.report(
                rules.TRANSFER_MECHANISM, RECIPIENTS, ("recipients", recipient_id, "transfer"),
                f"recipient '{recipient_id}' stores data outside the EEA ({', '.join(outside)}) "
                "but no transfer mechanism is stated",
                f"set recipients.{recipient_id}.transfer.mechanism to one of: {mechanisms} "
                "(eu_us_dpf only if the company is certified under the EU-US Data Privacy Framework)",
            )
        elif not recipient.storage.countries and not _legal_disclosure_only(recipient):
            ctx.report(
                rules.STORAGE_LOCATION, RECIPIENTS, ("recipients", recipient_id, "storage", "countries"),
                f"the storage location of recipient '{recipient_id}' is unknown, so a transfer outside the EEA "
                "cannot be ruled out",
                f"list the countries where the data is stored in recipients.{recipient_id}.storage.countries "
                "(ISO codes such as SE, IE, US), and a transfer mechanism if any is outside the EEA",
                needs_input=True,
            )


CHECKS = (
    check_controller,
    check_dpo,
    check_legal_basis,
    check_legitimate_interest,
    check_recipients,
    check_recipient_specificity,
    check_transfers,
)
