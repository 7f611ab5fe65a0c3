"""Transfers to third countries (Art. 13(1)(f) read with Chapter V GDPR): the country, the copy of the
safeguards, derogations used for regular transfers, and prose that admits a transfer is unprotected."""

from __future__ import annotations

from ..countries import is_in_eea
from ..vocabulary import RecipientRole, TransferMechanism
from . import phrases, rules
from .context import LintContext, prose

RECIPIENTS = "recipients.yaml"
SECTIONS = "sections.yaml"

# Art. 46 safeguards and Art. 47 rules are documents the reader may ask for; an adequacy decision
# (Art. 45, the Data Privacy Framework) is published by the Commission, a derogation is no document.
_DOCUMENTED = (TransferMechanism.STANDARD_CONTRACTUAL_CLAUSES, TransferMechanism.BINDING_CORPORATE_RULES)


def check_third_country(ctx: LintContext) -> None:
    for recipient_id, recipient in ctx.policy.recipients.items():
        if any(not is_in_eea(code) for code in recipient.storage.countries):
            continue
        path = ("recipients", recipient_id, "storage", "countries")
        if recipient.transfer is not None:
            reason = f"a transfer mechanism ({recipient.transfer.mechanism.value}) is stated"
        elif (said := phrases.found(phrases.LEAVES_EEA, recipient.storage.location)) is not None:
            reason = f"its location says '{said}'"
        else:
            continue
        ctx.report(
            rules.THIRD_COUNTRY, RECIPIENTS, path,
            f"recipient '{recipient_id}' transfers data outside the EEA ({reason}), but no third country is named",
            f"list the countries outside the EEA in recipients.{recipient_id}.storage.countries (ISO codes such as US)",
            needs_input=True,
        )


def check_safeguard_copy(ctx: LintContext) -> None:
    documented = {
        recipient_id: recipient
        for recipient_id, recipient in ctx.policy.recipients.items()
        if recipient.transfer is not None and recipient.transfer.mechanism in _DOCUMENTED
    }
    if not documented:
        return
    if any(phrases.found(phrases.SAFEGUARD_COPY, text) for _, text in prose(ctx.policy)):
        return  # one sentence for all transfers is enough: "you can ask us for a copy of the safeguards"
    for recipient_id, recipient in documented.items():
        assert recipient.transfer is not None
        reference = recipient.transfer.reference
        if reference is not None and (
            any("https://" in written for _, written in reference.items()) or phrases.found(phrases.SAFEGUARD_COPY, reference)
        ):
            continue
        ctx.report(
            rules.SAFEGUARD_COPY, RECIPIENTS, ("recipients", recipient_id, "transfer", "reference"),
            f"the transfer to recipient '{recipient_id}' rests on {recipient.transfer.mechanism.value}, but the "
            "policy does not say how to obtain a copy of them or where they are made available",
            f"add a link to the safeguards in recipients.{recipient_id}.transfer.reference, or a sentence to "
            "sections.yaml saying how to ask for a copy (e.g. 'You can ask us for a copy of the safeguards')",
        )


def check_unprotected_transfer_prose(ctx: LintContext) -> None:
    for path, text in prose(ctx.policy):
        said = phrases.found(phrases.UNPROTECTED_TRANSFER, text)
        if said is None:
            continue
        ctx.report(
            rules.TRANSFER_WITHOUT_SAFEGUARD, SECTIONS, path,
            f"the policy says recipients '{said}': a transfer without the protection of Chapter V GDPR",
            "remove the sentence; state for each recipient outside the EEA its country and its safeguard "
            "(recipients.yaml storage.countries and transfer), and describe the safeguards in the prose instead",
        )


def check_systematic_derogation(ctx: LintContext) -> None:
    listed = {rid for activity in ctx.policy.activities.activities.values() for rid in activity.recipients}
    for recipient_id, recipient in ctx.policy.recipients.items():
        if recipient.transfer is None or recipient.transfer.mechanism != TransferMechanism.DEROGATION:
            continue
        if recipient.role == RecipientRole.PROCESSOR:
            why = "it is a processor, which receives data as a matter of course"
        elif recipient_id in listed:
            why = "an ongoing processing activity lists it"
        else:
            continue
        ctx.report(
            rules.SYSTEMATIC_DEROGATION, RECIPIENTS, ("recipients", recipient_id, "transfer", "mechanism"),
            f"recipient '{recipient_id}' relies on an Art. 49 derogation, but {why}: the transfer is systematic, "
            "and derogations cover only occasional, non-repetitive transfers",
            f"set recipients.{recipient_id}.transfer.mechanism to adequacy_decision, eu_us_dpf, "
            "standard_contractual_clauses or binding_corporate_rules",
        )


CHECKS = (check_third_country, check_safeguard_copy, check_unprotected_transfer_prose, check_systematic_derogation)
