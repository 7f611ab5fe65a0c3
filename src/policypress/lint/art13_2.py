"""Art. 13(2) GDPR: retention, the rights, consent, complaints, whether data must be given, automated decisions."""

from __future__ import annotations

from ..vocabulary import DataSource, LegalBasis, Requirement, Right
from . import rules
from .context import LintContext
from .findings import Severity

ACTIVITIES = "activities.yaml"
RIGHTS = "rights.yaml"
COOKIES = "cookies.yaml"

# Art. 13(2)(b) names these six; withdrawal of consent and complaints have rules of their own.
_CORE_RIGHTS = (
    Right.ACCESS,
    Right.RECTIFICATION,
    Right.ERASURE,
    Right.RESTRICTION,
    Right.OBJECTION,
    Right.PORTABILITY,
)
# The data subject must be told the consequence only where the data is not voluntary.
_MANDATORY = (Requirement.STATUTORY, Requirement.CONTRACTUAL, Requirement.CONTRACT_PREREQUISITE)


def check_retention(ctx: LintContext) -> None:
    general = ctx.policy.activities.general_retention
    for activity_id, activity in ctx.policy.activities.activities.items():
        if activity.retention is not None:
            continue
        path = ("activities", activity_id, "retention")
        fix = (
            f"set activities.{activity_id}.retention to a period (period: P2Y) "
            "or to the criteria that decide it (criteria: {en, sv})"
        )
        if general is not None:
            ctx.report(
                rules.RETENTION, ACTIVITIES, path,
                f"activity '{activity_id}' has no retention period or criteria of its own; "
                "the general_retention statement covers all purposes alike and is not a period per purpose",
                fix, severity=Severity.WARNING,
            )
        else:
            ctx.report(
                rules.RETENTION, ACTIVITIES, path,
                f"activity '{activity_id}' states no retention period or criteria, and there is no general statement either",
                fix,
            )


def check_rights(ctx: LintContext) -> None:
    stated = ctx.policy.rights.rights
    missing = [right for right in _CORE_RIGHTS if right not in stated]
    if missing:
        names = ", ".join(right.value for right in missing)
        ctx.report(
            rules.RIGHTS, RIGHTS, ("rights",),
            f"{len(missing)} of the six rights of Art. 13(2)(b) {'is' if len(missing) == 1 else 'are'} not stated: {names}",
            f"add {names} to rights.yaml under 'rights', each with a description ({{en, sv}})",
        )


def check_withdraw_consent(ctx: LintContext) -> None:
    if Right.WITHDRAW_CONSENT in ctx.policy.rights.rights:
        return
    by_consent = [
        activity_id
        for activity_id, activity in ctx.policy.activities.activities.items()
        if activity.legal_basis == LegalBasis.CONSENT
    ]
    # Cookies that wait for consent rest on consent too, and it must be as easy to withdraw (Art. 7(3)).
    cookies = [name for name, cookie in ctx.policy.cookies.items() if cookie.consent_required]
    if not by_consent and not cookies:
        return
    reasons = []
    if by_consent:
        reasons.append(f"activities {', '.join(by_consent)} rely on consent")
    if cookies:
        reasons.append(f"cookies {', '.join(cookies)} are set only with consent")
    ctx.report(
        rules.WITHDRAW_CONSENT, RIGHTS, ("rights", "withdraw_consent"),
        f"the right to withdraw consent is not stated, but {' and '.join(reasons)}",
        "add withdraw_consent to rights.yaml under 'rights': that consent can be withdrawn at any time, "
        "how, and that this does not affect processing before the withdrawal",
    )


def check_complaint(ctx: LintContext) -> None:
    rights = ctx.policy.rights
    if Right.COMPLAINT not in rights.rights:
        ctx.report(
            rules.COMPLAINT, RIGHTS, ("rights", "complaint"),
            "the right to lodge a complaint with a supervisory authority is not stated",
            "add complaint to rights.yaml under 'rights', with a description ({en, sv})",
        )
    if rights.supervisory_authority is None:
        ctx.report(
            rules.COMPLAINT, RIGHTS, ("supervisory_authority",),
            "no supervisory authority is named",
            "set supervisory_authority in rights.yaml, e.g. name: {en: Swedish Authority for Privacy Protection "
            "(IMY), sv: Integritetsskyddsmyndigheten (IMY)}, website: https://www.imy.se",
        )


def check_requirement(ctx: LintContext) -> None:
    choices = Requirement.choices()
    for activity_id, activity in ctx.policy.activities.activities.items():
        if activity.source != DataSource.DATA_SUBJECT:
            continue  # Art. 13(2)(e) concerns data the person gives us themselves
        if activity.requirement is None:
            ctx.report(
                rules.REQUIREMENT, ACTIVITIES, ("activities", activity_id, "requirement"),
                f"activity '{activity_id}' collects data from the data subject but does not say whether "
                "providing it is a statutory or contractual requirement",
                f"set activities.{activity_id}.requirement to one of: {choices}",
            )
        elif activity.requirement in _MANDATORY and activity.requirement_consequence is None:
            ctx.report(
                rules.REQUIREMENT, ACTIVITIES, ("activities", activity_id, "requirement_consequence"),
                f"activity '{activity_id}' requires the data ({activity.requirement.value}) but does not say "
                "what happens if it is not provided",
                f"describe the consequence in activities.{activity_id}.requirement_consequence ({{en, sv}})",
                severity=Severity.WARNING,
            )


def check_automated_decisions(ctx: LintContext) -> None:
    if ctx.policy.activities.automated_decision_making is None:
        ctx.report(
            rules.AUTOMATED_DECISIONS, ACTIVITIES, ("automated_decision_making",),
            "the policy does not say whether automated decision-making or profiling is used",
            "add automated_decision_making to activities.yaml with used: false and a description ({en, sv}) "
            "saying that none is used, or used: true with the logic and its consequences",
        )


CHECKS = (
    check_retention,
    check_rights,
    check_withdraw_consent,
    check_complaint,
    check_requirement,
    check_automated_decisions,
)
