"""Art. 13(2) GDPR: retention, the rights, consent, complaints, whether data must be given, automated decisions;
with Art. 21(4) (the right to object, stated separately) and Art. 13(3) (further processing)."""

from __future__ import annotations

from ..i18n import Text
from ..vocabulary import DataSource, LegalBasis, Requirement, Right
from . import phrases, rules
from .context import LintContext, prose
from ..yamlsource import PathKey
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


def check_vague_retention(ctx: LintContext) -> None:
    fix = "state a period (period: P2Y), or criteria the reader can work a period out from (an event and a time after it)"
    general = ctx.policy.activities.general_retention
    if (said := phrases.found(phrases.VAGUE_RETENTION, general)) is not None:
        # Shown on the page under the retention table whenever it is set, so it is read as a rule.
        ctx.report(
            rules.VAGUE_RETENTION, ACTIVITIES, ("general_retention",),
            f"the general retention statement says '{said}', which gives no period",
            f"{fix} per activity, and remove general_retention once every activity has its own",
        )
    for activity_id, activity in ctx.policy.activities.activities.items():
        criteria = activity.retention.criteria if activity.retention is not None else None
        if (said := phrases.found(phrases.VAGUE_RETENTION, criteria)) is not None:
            ctx.report(
                rules.VAGUE_RETENTION, ACTIVITIES, ("activities", activity_id, "retention", "criteria"),
                f"the retention of activity '{activity_id}' is '{said}', which gives no period",
                f"in activities.{activity_id}.retention, {fix}",
                needs_input=True,
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


def check_objection(ctx: LintContext) -> None:
    activities = ctx.policy.activities.activities
    grounds = [
        f"activity '{activity_id}' relies on {activity.legal_basis.value}"
        for activity_id, activity in activities.items()
        if activity.legal_basis in (LegalBasis.LEGITIMATE_INTERESTS, LegalBasis.PUBLIC_TASK)
    ]
    texts = [activity.purpose for activity in activities.values()] + [text for _, text in prose(ctx.policy)]
    marketing = next((said for text in texts if (said := phrases.found(phrases.DIRECT_MARKETING, text))), None)
    if marketing is not None:
        grounds.append(f"the policy speaks of direct marketing ('{marketing}')")
    if not grounds:
        return
    why = "; ".join(grounds)
    statement = ctx.policy.rights.rights.get(Right.OBJECTION)
    if statement is None:
        ctx.report(
            rules.OBJECTION_SEPARATE, RIGHTS, ("rights", "objection"),
            f"the right to object is not stated, but {why}",
            "add objection to rights.yaml under 'rights': that the reader can object at any time, on grounds "
            "relating to their situation, and without any grounds to direct marketing",
        )
        return
    unclear = phrases.missing_in(phrases.OBJECT, statement.description)
    if marketing is not None:
        unclear += [lang for lang in phrases.missing_in(phrases.MARKETING_WORD, statement.description)
                    if lang not in unclear]
    if unclear:
        langs = ", ".join(lang.value for lang in unclear)
        ctx.report(
            rules.OBJECTION_SEPARATE, RIGHTS, ("rights", "objection", "description"),
            f"the text of the right to object ({langs}) does not say explicitly that the reader can object"
            + (" to direct marketing" if marketing is not None else "") + f", although {why}",
            "say in rights.objection.description, in every language, that the reader can object"
            + (", and that they can object to direct marketing at any time" if marketing is not None else ""),
        )


def check_further_processing(ctx: LintContext) -> None:
    activities = ctx.policy.activities.activities
    texts: list[tuple[PathKey, Text]] = [
        (("activities", activity_id, "purpose"), activity.purpose) for activity_id, activity in activities.items()
    ]
    texts += list(prose(ctx.policy))
    if any(phrases.found(phrases.INFORM_BEFORE, text) for _, text in texts):
        return  # the policy promises to tell the reader before any new purpose
    for path, text in texts:
        if (said := phrases.found(phrases.FURTHER_PROCESSING, text)) is not None:
            file_name = ACTIVITIES if path[0] == "activities" else "sections.yaml"
            ctx.report(
                rules.FURTHER_PROCESSING, file_name, path,
                f"the policy reserves processing '{said}' but does not promise to inform the reader before it",
                "name the purpose and its legal basis now, or add that we will inform you of the new purpose, "
                "and of the other information of Art. 13(2), before we process your data for it",
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
    check_vague_retention,
    check_rights,
    check_objection,
    check_withdraw_consent,
    check_complaint,
    check_requirement,
    check_automated_decisions,
    check_further_processing,
)
