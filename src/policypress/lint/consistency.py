"""Rules across files: cookies against consent, and card data against the recipients that process it.

Two consistency rules of the issue are left to ``policypress check``, which already fails on
them: every cookie has a duration (the schema requires one), and every recipient an activity
lists is declared (the cross-reference check).
"""

from __future__ import annotations

import re

from ..vocabulary import CookieCategory, DataCategory
from . import rules
from .context import LintContext, all_languages

ACTIVITIES = "activities.yaml"
COOKIES = "cookies.yaml"

# A recipient whose name or service says this is recognisably the payment provider.
_PAYMENT = re.compile(r"\b(pay|card|betal|kortbetal|stripe|klarna|adyen|nets|swish)", re.IGNORECASE)


def check_cookie_consent(ctx: LintContext) -> None:
    for name, cookie in ctx.policy.cookies.items():
        if cookie.category != CookieCategory.NECESSARY and not cookie.consent_required:
            ctx.report(
                rules.COOKIE_CONSENT, COOKIES, ("cookies", name, "consent_required"),
                f"cookie '{name}' is in category '{cookie.category.value}' but is set without consent",
                f"set cookies.{name}.consent_required to true, or, only if it is strictly necessary "
                "for a service the visitor asked for, its category to necessary",
            )


def check_payment_card(ctx: LintContext) -> None:
    for activity_id, activity in ctx.policy.activities.activities.items():
        if DataCategory.PAYMENT_CARD not in activity.data_categories:
            continue
        if not activity.recipients:
            ctx.report(
                rules.PAYMENT_CARD_RECIPIENT, ACTIVITIES, ("activities", activity_id, "recipients"),
                f"activity '{activity_id}' uses payment card details but lists no recipient; card payments are "
                "normally processed by a payment service provider or an acquiring bank",
                f"if one processes the payments, declare it in recipients.yaml (by name, or as the category "
                f"'payment service provider') and list it in activities.{activity_id}.recipients",
                needs_input=True,
            )
            continue
        texts = " ".join(
            all_languages(recipient.name) + " " + all_languages(recipient.service)
            for recipient_id in activity.recipients
            if (recipient := ctx.policy.recipients.get(recipient_id)) is not None
        )
        if not _PAYMENT.search(texts):
            ctx.report(
                rules.PAYMENT_PROVIDER_NAMED, ACTIVITIES, ("activities", activity_id, "recipients"),
                f"activity '{activity_id}' uses payment card details, but none of its recipients "
                f"({', '.join(activity.recipients)}) is named as the payment provider",
                f"name the company that processes card payments, declare it in recipients.yaml "
                f"and list it in activities.{activity_id}.recipients",
                needs_input=True,
            )


CHECKS = (check_cookie_consent, check_payment_card)
