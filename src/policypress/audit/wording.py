"""How findings say what to do, and how they write lengths of time."""

from __future__ import annotations

import math

from ..consent import consent_key
from ..durations import Duration
from ..i18n import Lang
from collections.abc import Mapping

from ..scan.fixes import MANAGER_ORDER, MATERIAL_ANALYTICS_FIX, hold_script
from ..vocabulary import CookieCategory
from .scenarios import Scenario

DAY = 86400
# Chromium keeps no cookie longer than this, whatever the site asks for.
CHROMIUM_MAX_COOKIE_DAYS = 400


def days(seconds: float) -> str:
    if seconds < DAY:
        hours = max(1, round(seconds / 3600))
        return f"{hours} hour{'s' if hours != 1 else ''}"
    n = round(seconds / DAY)
    return f"{n} day{'s' if n != 1 else ''}"


def duration_label(duration: Duration) -> str:
    return duration.label(Lang.EN).lower() if duration.is_session else duration.label(Lang.EN)


def suggest_duration(seconds: float) -> str:
    """An ISO 8601 duration that covers ``seconds``: whole years when that is what it is, else days."""
    n_days = math.ceil(seconds / DAY - 0.01)
    if n_days >= 360:
        years = round(n_days / 365)
        if abs(n_days - years * 365) <= 2:
            return f"P{years}Y"
    if n_days >= 28 and abs(n_days - round(n_days / 30) * 30) <= 1:
        return f"P{round(n_days / 30)}M"
    return f"P{max(1, n_days)}D"


def gate_fix(scenario: Scenario, banner: str, vendor_id: str | None, vendor_name: str | None,
             category: CookieCategory, item: str | None, managers: Mapping[str, str] | None = None) -> str:
    """How to keep something optional back until the visitor consents.

    ``managers``: the consent managers the pages load (signature id → name); the fix is written in the
    syntax of the page's own manager, not Material's, when there is one.
    """
    what = vendor_name or f"the code that writes '{item}'"
    managers = managers or {}
    if vendor_id is not None and set(managers) & set(MANAGER_ORDER):
        fix = hold_script(vendor_id, category, frozenset(managers))
    elif managers:
        names = " or ".join(sorted(managers.values()))
        fix = (
            f"Hold {what} back until {names} reports the visitor's consent to {category.value}: mark it up the way "
            "the manager's documentation shows for blocking a script until consent, and load the manager's own tag "
            "first in <head>, before anything it must hold."
        )
    elif banner == "material" and vendor_id == "google_analytics":
        fix = MATERIAL_ANALYTICS_FIX + " Remove any gtag snippet pasted into the pages or templates."
    elif banner == "material" and vendor_id is not None:
        fix = hold_script(vendor_id, category, frozenset({"material"}))
    else:
        fix = (
            f"Load {what} only once the visitor has accepted {category.value}: from the banner's accept handler, "
            f"and on later pages only when the stored choice says so; never from a plain <script> in the page."
        )
    if vendor_id is None and item is not None:
        fix += (
            f" If the site cannot work without '{item}', declare it as necessary (consent_required: false) instead."
        )
    if scenario is Scenario.GPC:
        fix += (
            " The browser sent Global Privacy Control: treat it as a Reject (check navigator.globalPrivacyControl "
            "before loading anything optional)."
        )
    elif scenario is Scenario.REJECT_ALL:
        fix += " A Reject must be stored and checked before anything optional loads."
    return fix


def withdraw_fix(what: str) -> str:
    return (
        f"Check the stored choice on every page load and load {what} only while it says yes: a withdrawal must "
        "stop it as surely as a Reject does. Deleting its cookies when the visitor withdraws is good practice too."
    )


def banner_fix(banner: str, optional_categories: list[str]) -> str:
    needs = ", ".join(optional_categories) or "none"
    if banner == "material":
        return (
            "The audit answers Material's banner (extra.consent) by default. If the site uses another banner, give "
            "its controls as CSS selectors (--accept-selector, --reject-selector, --reopen-selector). If it has none, "
            f"add one: the policy declares categories that need consent ({needs}); the policypress hooks generate "
            f"Material's from the declarations ('{consent_key(CookieCategory.ANALYTICS)}' and the rest)."
        )
    return (
        "Check the CSS selectors given for the banner (--accept-selector, --reject-selector, --reopen-selector) "
        f"against the page, and that the banner appears without any other click. The policy declares categories "
        f"that need consent ({needs}), so a visitor must be able to accept, reject and change their mind."
    )
