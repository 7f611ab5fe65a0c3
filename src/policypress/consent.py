"""The consent banner's configuration, generated from the declared cookie categories.

Shaped for Material for MkDocs' ``extra.consent``. Necessary storage needs no
consent (LEK 9 kap. 28 §), so it gets no switch; every other category that has
at least one declaration gets one, off until the visitor turns it on.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .escape import html, safe_url
from .i18n import Lang
from .model import Policy
from .vocabulary import CookieCategory

# Material gates its Google Analytics integration on a consent key named "analytics".
MATERIAL_KEYS = {CookieCategory.ANALYTICS: "analytics"}


def consent_key(category: CookieCategory) -> str:
    return MATERIAL_KEYS.get(category, category.value)


def optional_categories(policy: Policy) -> list[CookieCategory]:
    return [c for c in policy.cookie_categories if c is not CookieCategory.NECESSARY]


def material_consent(policy: Policy, lang: Lang, *, policy_url: str, cookie_anchor: str) -> dict[str, Any]:
    """``extra.consent`` for one language. ``policy_url`` links the description to the cookie table.

    Raises ``escape.UnsafeURL`` when ``policy_url`` is not an http(s), mailto or relative URL."""
    from .ui import ui

    link = Markup('<a href="{url}#{anchor}">{text}</a>').format(
        url=safe_url(policy_url), anchor=cookie_anchor, text=Lang(lang).in_sentence(policy.meta.title.get(lang))
    )
    # Material renders the description as HTML: build it from escaped parts only
    # (Markup.format escapes every argument that is not markup itself).
    description = Markup("{} {}.").format(html(ui("consent.description", lang)), link)
    return {
        "title": ui("consent.title", lang),
        "description": str(description),
        "cookies": {
            consent_key(category): {"name": category.label(lang), "checked": False}
            for category in optional_categories(policy)
        },
        "actions": ["accept", "reject", "manage"],
    }


def analytics_declared(policy: Policy) -> bool:
    return CookieCategory.ANALYTICS in policy.cookie_categories
