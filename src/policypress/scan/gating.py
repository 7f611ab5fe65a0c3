"""Whether an element waits for consent, read from its markup alone.

Consent managers hold code back by making it inert until the visitor agrees:
- vanilla-cookieconsent: ``<script type="text/plain" data-category="analytics">``;
- Cookiebot: ``<script type="text/plain" data-cookieconsent="statistics">``, and for frames
  ``<iframe data-cookieblock-src=… data-cookieconsent="marketing">``;
- Klaro: ``<script type="text/plain" data-name="googleAnalytics">``, ``<iframe data-name=… data-src=…>``;
- Material for MkDocs: code guarded by ``__md_get("__consent")``, and its own analytics
  integration, which it calls only when the "analytics" consent is given.
A category these managers run without asking ("necessary", Cookiebot's "ignore") gates nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
HELD_TYPES = frozenset({"text/plain"})
# Attributes of consent managers, in the order they are recognised.
CONSENT_ATTRIBUTES = (
    ("data-cookieconsent", "Cookiebot"),
    ("data-category", "vanilla-cookieconsent"),
    ("data-service", "vanilla-cookieconsent"),
    ("data-name", "Klaro"),
)
# Categories a consent manager runs without asking.
RUN_WITHOUT_CONSENT = frozenset({"necessary", "ignore", "essential", "required"})
DEFERRED_URL_ATTRIBUTES = ("data-src", "data-cookieblock-src", "data-href")
MATERIAL_CONSENT_READ = re.compile(r"""__md_get\(\s*["']__consent["']\s*\)""")
MATERIAL_ANALYTICS_DEFINITION = re.compile(r"function\s+__md_analytics\s*\(")
MATERIAL_ANALYTICS_CALL = re.compile(r"(?<![\w$])__md_analytics\(\)(?!\s*\{)")


@dataclass(frozen=True)
class Gate:
    """The consent state of one element: ``held`` when it waits for consent; ``how`` says why."""

    held: bool
    how: str


RUNS_AT_ONCE = Gate(False, "loaded as soon as the page opens")
MATERIAL_UNGUARDED = Gate(False, "called by Material without a consent check (extra.consent is not set)")


def script_type(attrs: dict[str, str]) -> str:
    return attrs.get("type", "").split(";", 1)[0].strip().lower()


def is_code(attrs: dict[str, str]) -> bool:
    """A script the browser runs now, or one a consent manager will run later; not JSON or templates."""
    kind = script_type(attrs)
    return kind in JS_TYPES or kind in HELD_TYPES or any(name in attrs for name, _ in CONSENT_ATTRIBUTES)


def _manager_gate(attrs: dict[str, str]) -> Gate | None:
    for name, manager in CONSENT_ATTRIBUTES:
        value = attrs.get(name)
        if value is None:
            continue
        categories = {part.strip().lower() for part in value.split(",") if part.strip()}
        if categories and categories <= RUN_WITHOUT_CONSENT:
            return Gate(False, f'{name}="{value}": {manager} runs that category without asking for consent')
        return Gate(True, f'held by {manager} ({name}="{value}")')
    return None


def script_gate(attrs: dict[str, str]) -> Gate:
    if script_type(attrs) in JS_TYPES:
        if any(name in attrs for name, _ in CONSENT_ATTRIBUTES):
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
