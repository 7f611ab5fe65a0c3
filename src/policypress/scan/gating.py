"""Whether an element waits for consent, read from its markup alone.

Consent managers hold code back by making it inert until the visitor agrees:
- vanilla-cookieconsent: ``<script type="text/plain" data-category="analytics">``;
- Cookiebot: ``<script type="text/plain" data-cookieconsent="statistics">``, and for frames
  ``<iframe data-cookieblock-src=… data-cookieconsent="marketing">``;
- Klaro: ``<script type="text/plain" data-name="googleAnalytics">``, ``<iframe data-name=… data-src=…>``;
- Material for MkDocs: code guarded by ``__md_get("__consent")``, and its own analytics
  integration, which it calls only when the "analytics" consent is given;
- OneTrust: ``<script type="text/plain" class="optanon-category-C0002">``;
- Usercentrics: ``type="text/plain" data-usercentrics="Google Analytics"`` (support.usercentrics.com,
  "Manually blocking services prior consent");
- Complianz: ``type="text/plain" data-category="statistics"``;
- CookieYes: ``data-cookieyes="cookieyes-analytics"`` (cookieyes.com/documentation/implement-prior-consent-
  using-cookieyes/; its own example leaves the type alone, so CookieYes must intercept the script);
- iubenda: ``class="_iub_cs_activate" type="text/plain" data-iub-purposes="4"`` (iubenda.com/en/help/1229);
- Didomi: ``type="didomi/javascript" data-vendor="…"``;
- Borlabs Cookie: ``type="text/template" data-borlabs-cookie-script-blocker-id=…``, the address in
  ``data-borlabs-cookie-script-blocker-src``.
A category these managers run without asking ("necessary", Cookiebot's "ignore") gates nothing.
Auto-blocking (OneTrust's OtAutoBlock.js, Cookiebot's data-blockingmode="auto", iubenda's autoblocking
script) holds what its list names; the list is on the vendor's servers, so trackers after it are
*undecided*. Google Consent Mode (a denied default before the tag) is reported as its own rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .findings import Rule

# Script types the browser runs. Anything else is not run: data (JSON, templates) or held back.
JS_TYPES = frozenset(
    {
        "",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/ecmascript",
        "application/ecmascript",
        "text/jscript",
        "module",
    }
)
HELD_TYPES = frozenset({"text/plain", "didomi/javascript", "text/template"})
# Attributes of consent managers, in the order they are recognised.
CONSENT_ATTRIBUTES = (
    ("data-cookieconsent", "Cookiebot"),
    ("data-category", "vanilla-cookieconsent or Complianz"),
    ("data-service", "vanilla-cookieconsent"),
    ("data-name", "Klaro"),
    ("data-usercentrics", "Usercentrics"),
    ("data-cookieyes", "CookieYes"),
    ("data-iub-purposes", "iubenda"),
    ("data-vendor", "Didomi"),
    ("data-borlabs-cookie-script-blocker-id", "Borlabs Cookie"),
)
# Categories a consent manager runs without asking (iubenda's purpose 1 is "strictly necessary").
RUN_WITHOUT_CONSENT = frozenset(
    {"necessary", "ignore", "essential", "required", "functional-necessary", "cookieyes-necessary", "c0001", "1"}
)
DEFERRED_URL_ATTRIBUTES = ("data-src", "data-cookieblock-src", "data-href", "data-borlabs-cookie-script-blocker-src")
ONETRUST_CLASS = re.compile(r"\boptanon-category-(?P<groups>C\d{4}(?:-C\d{4})*)\b")
MATERIAL_CONSENT_READ = re.compile(r"""__md_get\(\s*["']__consent["']\s*\)""")
MATERIAL_ANALYTICS_DEFINITION = re.compile(r"function\s+__md_analytics\s*\(")
MATERIAL_ANALYTICS_CALL = re.compile(r"(?<![\w$])__md_analytics\(\)(?!\s*\{)")


@dataclass(frozen=True)
class Gate:
    """The consent state of one element: ``held`` when it waits for consent; ``how`` says why."""

    held: bool
    how: str
    # Reported under this rule (a warning) instead of before-consent: the scan cannot decide, or
    # Consent Mode holds the cookies but not the tag.
    rule: Rule | None = None
    category: str | None = None  # the manager's category the gate waits for, when known


RUNS_AT_ONCE = Gate(False, "loaded as soon as the page opens")
MATERIAL_UNGUARDED = Gate(False, "called by Material without a consent check (extra.consent is not set)")


def script_type(attrs: dict[str, str]) -> str:
    return attrs.get("type", "").split(";", 1)[0].strip().lower()


def is_code(attrs: dict[str, str]) -> bool:
    """A script the browser runs now, or one a consent manager will run later; not JSON or templates."""
    kind = script_type(attrs)
    if kind == "text/template":  # a template, unless Borlabs Cookie holds a script in it
        return "data-borlabs-cookie-script-blocker-id" in attrs
    return kind in JS_TYPES or kind in HELD_TYPES or any(name in attrs for name, _ in CONSENT_ATTRIBUTES)


def _manager_gate(attrs: dict[str, str]) -> Gate | None:
    onetrust = ONETRUST_CLASS.search(attrs.get("class", ""))
    if onetrust is not None:
        groups = onetrust["groups"]
        if set(groups.lower().split("-")) <= RUN_WITHOUT_CONSENT:
            return Gate(False, f'class="optanon-category-{groups}": OneTrust runs strictly necessary code without asking')
        return Gate(True, f'held by OneTrust (class="optanon-category-{groups}")', category=groups)
    for name, manager in CONSENT_ATTRIBUTES:
        value = attrs.get(name)
        if value is None:
            continue
        categories = {part.strip().lower() for part in value.split(",") if part.strip()}
        if categories and categories <= RUN_WITHOUT_CONSENT:
            return Gate(False, f'{name}="{value}": {manager} runs that category without asking for consent')
        return Gate(True, f'held by {manager} ({name}="{value}")', category=value)
    return None


def script_gate(attrs: dict[str, str]) -> Gate:
    if script_type(attrs) in JS_TYPES:
        managed = _manager_gate(attrs)
        if "data-cookieyes" in attrs and managed is not None and managed.held:
            return Gate(False, f'data-cookieyes="{attrs["data-cookieyes"]}" without type="text/plain": held only if '
                        "CookieYes's script runs first and intercepts it", rule=Rule.GATING_UNDECIDED)
        if any(name in attrs for name, _ in CONSENT_ATTRIBUTES) or ONETRUST_CLASS.search(attrs.get("class", "")):
            return Gate(False, 'has a consent attribute but no type="text/plain", so the browser runs it at once')
        return RUNS_AT_ONCE
    managed = _manager_gate(attrs)
    if managed is not None:
        return managed
    return Gate(True, f'type="{script_type(attrs)}": the browser does not run it until a script activates it')


def embed_gate(attrs: dict[str, str], url_attribute: str, in_noscript: bool) -> Gate:
    """For iframes, images and links: loaded at once through src/href, or held through data-src."""
    if url_attribute in DEFERRED_URL_ATTRIBUTES:
        managed = _manager_gate(attrs)
        if managed is not None:
            return managed
        return Gate(False, f"{url_attribute} without a consent manager's attribute: lazy-loading scripts load it without asking")
    if in_noscript:
        return Gate(False, "inside <noscript>: loaded for every visitor without JavaScript, whom no banner can ask")
    return RUNS_AT_ONCE


def inline_gate(attrs: dict[str, str], text: str) -> Gate:
    """An inline script: held by its markup, or by a Material consent check in its own code."""
    gate = script_gate(attrs)
    if gate.held or gate is not RUNS_AT_ONCE:
        return gate
    if MATERIAL_CONSENT_READ.search(text):
        return Gate(True, 'guarded by Material\'s consent (__md_get("__consent"))')
    return gate


@dataclass
class MaterialAnalytics:
    """Material defines ``__md_analytics`` in one script and calls it from another; decide at the end of the page."""

    defined: bool = False
    guarded_calls: int = 0
    unguarded_calls: int = 0

    def note_script(self, text: str) -> bool:
        """Record what ``text`` does with ``__md_analytics``; True when it is the definition."""
        if "__md_analytics" not in text:
            return False
        defines = MATERIAL_ANALYTICS_DEFINITION.search(text) is not None
        calls = len(MATERIAL_ANALYTICS_CALL.findall(text))
        if calls:
            if MATERIAL_CONSENT_READ.search(text):
                self.guarded_calls += calls
            else:
                self.unguarded_calls += calls
        self.defined = self.defined or defines
        return defines

    def gate(self) -> Gate:
        if self.unguarded_calls:
            return MATERIAL_UNGUARDED
        if self.guarded_calls:
            return Gate(True, "Material's analytics integration, called only after the 'analytics' consent")
        return Gate(True, "defined by Material but never called on this page")


# --- gates read from code -------------------------------------------------------------------


def from_code(element: Gate, verdict: int | None, how: str | None, category: str | None) -> Gate:
    """The gate of a tracker in a script: its element's, unless the code around it holds it (or may)."""
    if element.held or verdict is None or how is None:
        return element
    if verdict == 0:
        return Gate(True, how, category=category)
    if verdict == 1:
        return Gate(False, how, rule=Rule.GATING_UNDECIDED)
    return Gate(False, how)


# --- Google Consent Mode ----------------------------------------------------------------------

# Google's tags that read Consent Mode, and the consent types that hold their cookies (Google's
# "Consent mode reference", support.google.com/analytics/answer/13802165).
CONSENT_MODE_TAGS = {
    "google_analytics": ("analytics_storage",),
    "google_ads": ("ad_storage", "ad_user_data", "ad_personalization"),
    "google_tag_manager": ("analytics_storage", "ad_storage", "ad_user_data", "ad_personalization"),
}
CONSENT_MODE_DOCS = (
    "https://developers.google.com/tag-platform/security/guides/consent and "
    "https://support.google.com/analytics/answer/13802165"
)


@dataclass
class ConsentMode:
    """The Consent Mode state while the page is read: what ``gtag('consent', 'default'|'update', …)`` set."""

    states: dict[str, str] = field(default_factory=dict)
    default_line: int | None = None
    regional: bool = False

    def apply(self, command: str, values: dict[str, str], regional: bool, line: int) -> None:
        if command == "default":
            self.default_line = self.default_line or line
            self.regional = self.regional or regional
            for key, value in values.items():
                self.states.setdefault(key, value)
        else:  # an update that runs at once, unasked: the visitor did not grant it
            self.states.update(values)

    def gate(self, vendor_id: str, element: Gate) -> Gate:
        """``element`` for a tag that runs at once, turned into a Consent Mode gate when its cookies wait."""
        keys = CONSENT_MODE_TAGS.get(vendor_id)
        if keys is None or element.held or element.rule is not None or self.default_line is None:
            return element
        open_keys = [key for key in keys if self.states.get(key) != "denied"]
        if open_keys:
            state = ", ".join(f"{key} {self.states.get(key, 'not set')}" for key in open_keys)
            return Gate(False, f"{element.how}; the Consent Mode default (line {self.default_line}) leaves {state}")
        if self.regional:
            return Gate(False, f"{element.how}, under a Consent Mode default (line {self.default_line}) limited to "
                        "some regions; which visitors it covers is decided by Google's servers",
                        rule=Rule.GATING_UNDECIDED)
        denied = ", ".join(keys)
        return Gate(False, f"{element.how}, under Google Consent Mode with {denied} denied by default (line "
                    f"{self.default_line})", rule=Rule.CONSENT_MODE_DEFAULT_DENIED)


# --- consent managers' own scripts, and auto-blocking ---------------------------------------

# Loader scripts of managers the scan knows by address alone (from their installation guides).
MANAGER_LOADERS = (
    ("cdn.cookielaw.org", "", "OneTrust"),
    ("app.usercentrics.eu", "", "Usercentrics"),
    ("web.cmp.usercentrics.eu", "", "Usercentrics"),
    ("cdn.iubenda.com", "/cs/", "iubenda"),
    ("cs.iubenda.com", "/autoblocking/", "iubenda"),
)


def manager_loader(host: str | None, path: str) -> str | None:
    for known, prefix, manager in MANAGER_LOADERS:
        if host == known and path.startswith(prefix or "/"):
            return manager
    return None


def auto_blocker(host: str | None, path: str, attrs: dict[str, str]) -> str | None:
    """The manager whose auto-blocking this script starts; None when it starts none."""
    if host == "cdn.cookielaw.org" and path.split("?", 1)[0].endswith("/OtAutoBlock.js"):
        # OneTrust: "OtAutoBlock script is required to be run synchronously"; async, tags may fire first.
        return None if "async" in attrs else "OneTrust"
    if host in ("consent.cookiebot.com", "consent.cookiebot.eu") and attrs.get("data-blockingmode", "").lower() == "auto":
        return None if "async" in attrs else "Cookiebot"
    if host == "cs.iubenda.com" and path.startswith("/autoblocking/"):
        return "iubenda"
    return None


def auto_blocked(blocker: str, line: int, element: Gate) -> Gate:
    if element.held or element.rule is not None:
        return element
    return Gate(False, f"after {blocker}'s auto-blocking script (line {line}): gated by auto-block only if "
                f"{blocker}'s list, kept on its servers, names it", rule=Rule.GATING_UNDECIDED)


def before_manager(manager: str, line: int) -> Gate:
    return Gate(False, f"fetched before {manager} loads (line {line}), so {manager} cannot hold it: every visitor's "
                "IP address goes to the vendor before the banner can ask", rule=Rule.LOADS_BEFORE_MANAGER)


# --- what the findings of these rules say -----------------------------------------------------


def rule_texts(gate: Gate, vendor_name: str, via: str) -> tuple[str, str]:
    """(message, fix) of a finding reported under ``gate.rule``."""
    if gate.rule is Rule.CONSENT_MODE_DEFAULT_DENIED:
        return (
            f"{vendor_name} loads before the visitor consents{via}: {gate.how}. Its cookies wait for "
            "gtag('consent', 'update', {… 'granted'}), but the tag already sends cookieless pings to Google "
            "with the visitor's IP address.",
            "If cookieless pings before consent are acceptable, name Google in recipients.yaml and say so in the "
            "policy; otherwise load the tag itself only after consent (Consent Mode's basic implementation). "
            f"Google's Consent Mode documentation: {CONSENT_MODE_DOCS}.",
        )
    if gate.rule is Rule.LOADS_BEFORE_MANAGER:
        return (
            f"{vendor_name} is loaded before the consent manager{via}: {gate.how}.",
            "Serve it from the site itself, or place it after the consent manager's script and hold it back "
            "until consent.",
        )
    return (
        f"The scan cannot tell whether {vendor_name} waits for consent{via}: {gate.how}.",
        "Check it in a browser: `policypress audit` loads the pages, refuses consent and reports what "
        "loads and what is stored; or hold it back with the manager's markup, which the scan can read.",
    )
