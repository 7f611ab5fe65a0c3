"""The consent managers' JavaScript APIs the scan reads: their checks and their callbacks, as each documents them.

Sources: cookieconsent.orestbida.com (v3), cookieconsent v2's JavaScript API (Osano), cookiebot.com/en/developer/,
my.onetrust.com ("OnetrustActiveGroups", "Client-Side Cookie Management") and developer.onetrust.com (events),
Klaro's README, usercentrics.com/docs/web/features/v2/events_v2/, developers.didomi.io ("Programmatic API"),
and for Google Consent Mode developers.google.com/tag-platform/security/guides/consent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # consent_code reads these tables; Code is only a type here
    from .consent_code import Code

# OneTrust's default category ids, as OneTrust names them.
ONETRUST_GROUPS = {"1": "necessary", "2": "analytics", "3": "preferences", "4": "marketing", "5": "marketing"}
_Q = r"""(?P<q>['"`])(?P<cat>[^'"`]+)(?P=q)"""


@dataclass(frozen=True)
class _Check:
    manager: str
    regex: re.Pattern[str]
    chain: bool = False  # the guarded code is the rest of the call chain (an observable, a listener)


CHECKS = (
    _Check("vanilla-cookieconsent", re.compile(rf"\bCookieConsent\s*\.\s*accepted(?:Category|Service)\s*\(\s*{_Q}")),
    _Check("vanilla-cookieconsent", re.compile(rf"\bcategories\s*\.\s*includes\s*\(\s*{_Q}")),
    _Check("cookieconsent", re.compile(r"\.\s*hasConsented\s*\(\s*\)(?P<cat>)")),
    _Check("cookieconsent", re.compile(r"""\bstatus\s*===?\s*['"]allow['"](?P<cat>)|cookieconsent\.status\.allow(?P<c2>)""")),
    _Check("Cookiebot", re.compile(r"\b(?:Cookiebot|CookieConsent)\s*\.\s*consent\s*\.\s*(?P<cat>statistics|marketing|preferences|necessary)\b")),
    _Check("OneTrust", re.compile(r"\b(?:Onetrust|Optanon)ActiveGroups\b[^;{}]{0,80}?C000(?P<cat>\d)")),
    _Check("OneTrust", re.compile(r"\bdetail\s*\.\s*(?:includes|indexOf)\s*\(\s*['\"],?C000(?P<cat>\d)")),
    _Check("Klaro", re.compile(rf"\.\s*getConsent\s*\(\s*{_Q}")),
    _Check("Usercentrics", re.compile(rf"\bdetail\s*(?:\.\s*ucCategory\s*)?\[\s*{_Q}\s*\]")),
    _Check("Usercentrics", re.compile(r"\bucCategory\s*\.\s*(?P<cat>\w+)")),
    _Check("Didomi", re.compile(rf"\bgetUserConsentStatusFor(?:Purpose|Vendor)\s*\(\s*{_Q}")),
    _Check("Didomi", re.compile(rf"\b(?:getObservableOnUserConsentStatusForVendor|addVendorStatusListener)\s*\(\s*{_Q}"), chain=True),
)


@dataclass(frozen=True)
class _Callback:
    manager: str
    name: str
    regex: re.Pattern[str]
    on_load: bool  # documented to run on page load whatever the visitor chose
    keys: re.Pattern[str] | None = None  # callbacks passed as keys of a configuration call


_LISTEN = r"""addEventListener\s*\(\s*['"]{}['"]\s*,"""
CALLBACKS = (
    _Callback("vanilla-cookieconsent", "CookieConsent's {key}", re.compile(r"\bCookieConsent\s*\.\s*run\s*\("), False,
              re.compile(r"\b(?P<key>onFirstConsent|onConsent|onChange)\b")),
    _Callback("cookieconsent", "cookieconsent's {key}", re.compile(r"\bcookieconsent\s*\.\s*initialise\s*\("), False,
              re.compile(r"\b(?P<key>onInitialise|onStatusChange)\b")),
    _Callback("Cookiebot", "the {key} event", re.compile(_LISTEN.format(r"(?P<key>CookiebotOnAccept|CookiebotOnConsentReady)")), False),
    _Callback("Cookiebot", "{key}", re.compile(r"\bfunction\s+(?P<key>CookiebotCallback_OnAccept)\s*\("), False),
    _Callback("Cookiebot", "{key}", re.compile(r"\bfunction\s+(?P<key>CookiebotCallback_OnLoad)\s*\("), True),
    _Callback("OneTrust", "{key}", re.compile(r"\b(?:function\s+(?P<key>OptanonWrapper)\s*\(|(?P<k2>OptanonWrapper)\s*=)"), True),
    _Callback("OneTrust", "the {key} event", re.compile(_LISTEN.format(r"(?P<key>OneTrustGroupsUpdated)")), True),
    _Callback("OneTrust", "{key}", re.compile(r"\bOneTrust\s*\.\s*(?P<key>OnConsentChanged)\s*\("), False),
    _Callback("OneTrust", "the {key} event", re.compile(_LISTEN.format(r"(?P<key>OTConsentApplied)")), False),
    _Callback("Klaro", "Klaro's {key}", re.compile(r"\.\s*(?P<key>watch)\s*\(\s*\{"), False),
    _Callback("Klaro", "a Klaro service's {key}", re.compile(r"\bklaroConfig\s*=\s*\{"), False, re.compile(r"\b(?P<key>onAccept)\s*:")),
    _Callback("Usercentrics", "the {key} event", re.compile(_LISTEN.format(r"(?P<key>ucEvent|UC_UI_INITIALIZED)")), True),
    _Callback("Didomi", "{key}", re.compile(r"\b(?P<key>didomiOnReady)\s*\.\s*push\s*\("), True),
)
# A Klaro service's onAccept runs only once the visitor accepted that service.
HOLDING_KEYS = frozenset({"onAccept"})
CONSENTISH = re.compile(r"consent|cookie|accept|agree|opt.?in|allow|gdpr|privacy|tracking", re.IGNORECASE)
NEGATED_AFTER = re.compile(r"""^[^&|]*?(?:===?\s*(?:-1|false)|<\s*0|!==?\s*true)""")
FUNCTION_BEFORE = re.compile(r"(?:\bfunction\s+(?P<a>[\w$]+)|(?P<b>[\w$]+)\s*[:=]\s*(?:async\s+)?function)\s*$")
ARROW_BEFORE = re.compile(r"(?P<n>[\w$]+)\s*[:=]\s*(?:async\s*)?$")
IF_PAREN = re.compile(r"if\s*\(")  # a braceless if's condition, matched where the statement starts
IF_BEFORE = re.compile(r"\bif\s*$")  # before a condition's "("
BLOCK_RETURN = re.compile(r"\{\s*return\b")  # a block that returns at once
NOT_FUNCTIONS = frozenset({"if", "for", "while", "switch", "catch", "with", "function", "return"})
REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")


# --- Google Consent Mode commands ------------------------------------------------------------

_CONSENT_COMMAND = re.compile(r"""\bgtag\s*\(\s*['"]consent['"]\s*,\s*['"](?P<command>default|update)['"]\s*,""")
_CONSENT_VALUE = re.compile(r"""['"]?(?P<key>\w+)['"]?\s*:\s*['"](?P<value>denied|granted)['"]""")


@dataclass(frozen=True)
class ConsentCommand:
    """``gtag('consent', 'default' | 'update', {…})`` at ``offset``."""

    offset: int
    command: str
    values: dict[str, str]
    regional: bool  # a default limited to some regions (``region: [...]``)


def consent_commands(code: Code) -> list[ConsentCommand]:
    """The Consent Mode commands that run as soon as the script runs (not inside a consent callback)."""
    if "consent" not in code.text:
        return []
    found = []
    for match in _CONSENT_COMMAND.finditer(code.text):
        if not code.live(match.start()) or code.verdict_at(match.start()) is not None:
            continue
        start = code.masked.find("{", match.end())
        end = code.close_of.get(start, len(code.text)) if start != -1 else match.end()
        body = code.text[start:end] if start != -1 else ""
        values = {m["key"]: m["value"] for m in _CONSENT_VALUE.finditer(body)}
        found.append(ConsentCommand(match.start(), match["command"], values, bool(re.search(r"\bregion\s*:", body))))
    return found
