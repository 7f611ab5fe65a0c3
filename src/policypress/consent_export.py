"""`policypress export-consent`: the consent manager configuration for the company's
other sites, from the same declarations that write the cookie table.

Formats: ``material`` (the ``extra.consent`` block for a Material for MkDocs site),
``cookieconsent-v3`` (orestbida/cookieconsent v3, as an ES module) and ``klaro``
(a ``klaroConfig`` script). Patterns such as ``_ga_*`` become regular expressions.

Both libraries put the banner's texts (descriptions, the cookie table's cells) into
the page as HTML, so every text from the data is HTML-escaped here; the JavaScript
itself is written with ``escape.script_json`` so it can be pasted into a
``<script>`` element; ``policy_url`` must pass ``escape.safe_url``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from enum import StrEnum
from typing import Any

import yaml

from .consent import consent_key, material_consent, optional_categories
from .errors import UsageError
from .escape import UnsafeURL, html, safe_url, script_json, script_regex
from .i18n import Lang
from .model import Policy
from .ui import ui
from .vocabulary import CookieCategory, StorageType


class ConsentFormat(StrEnum):
    MATERIAL = "material"
    COOKIECONSENT_V3 = "cookieconsent-v3"
    KLARO = "klaro"


class _Regex(str):
    """A pattern to be written as a JavaScript regular expression literal."""


def cookie_pattern(name: str) -> str | _Regex:
    if "*" not in name:
        return name
    return _Regex("^" + ".*".join(re.escape(part) for part in name.split("*")) + "$")


def _js(value: Any, indent: int = 0) -> str:
    """JSON safe inside <script>, except that _Regex values become /.../ literals."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, _Regex):
        return script_regex(str(value))
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{script_json(key)}: {_js(item, indent + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(f"{inner}{_js(item, indent + 1)}" for item in value) + f"\n{pad}]"
    return script_json(value)


def _cookies_by_category(policy: Policy) -> dict[CookieCategory, list[str]]:
    grouped: dict[CookieCategory, list[str]] = defaultdict(list)
    for name, cookie in policy.cookies.items():
        if cookie.type is StorageType.COOKIE:
            grouped[cookie.category].append(name)
    return grouped


def _description(policy: Policy, lang: Lang) -> str:
    """The banner's text, as HTML (both libraries render it so)."""
    return str(html(f"{ui('consent.description', lang)} {lang.in_sentence(policy.meta.title.get(lang))}."))


def material_config(policy: Policy, policy_url: str) -> str:
    first, *others = policy.languages
    block = {"extra": {"consent": material_consent(policy, first, policy_url=policy_url, cookie_anchor="table-cookies")}}
    header = "# Material for MkDocs: paste under `extra:` in mkdocs.yml. Material takes one language per site"
    if others:
        names = "; ".join(f"the {lang.english_name} texts for a{'n' if lang.english_name[0] in 'AEIOU' else ''} "
                          f"{lang.english_name} site" for lang in others)
        header += f";\n# {names} follow, commented.\n"
    else:
        header += ".\n"
    commented = "".join(
        f"# {line}\n"
        for lang in others
        for line in yaml.safe_dump(
            {"consent": material_consent(policy, lang, policy_url=policy_url, cookie_anchor="table-cookies")},
            allow_unicode=True, sort_keys=False,
        ).splitlines()
    )
    return header + yaml.safe_dump(block, allow_unicode=True, sort_keys=False) + commented


def cookieconsent_config(policy: Policy, policy_url: str) -> str:
    grouped = _cookies_by_category(policy)
    categories: dict[str, Any] = {"necessary": {"enabled": True, "readOnly": True}}
    for category in optional_categories(policy):
        categories[category.value] = {
            "autoClear": {"cookies": [{"name": cookie_pattern(name)} for name in grouped.get(category, [])]}
        }
    translations = {}
    for lang in policy.languages:
        sections = [
            {
                # cookieconsent v3 writes titles and table cells with innerHTML.
                "title": str(html(category.label(lang))),
                "linkedCategory": category.value,
                "cookieTable": {
                    "headers": {
                        "name": str(html(ui("table.cookies.name", lang))),
                        "provider": str(html(ui("table.cookies.provider", lang))),
                        "duration": str(html(ui("table.cookies.duration", lang))),
                        "purpose": str(html(ui("table.cookies.purpose", lang))),
                    },
                    "body": [
                        {
                            "name": str(html(name)),
                            "provider": str(html(policy.provider_name(cookie.provider, lang))),
                            "duration": str(html(cookie.duration.label(lang))),
                            "purpose": str(html(cookie.purpose.get(lang))),
                        }
                        for name, cookie in policy.cookies.items()
                        if cookie.category is category
                    ],
                },
            }
            for category in policy.cookie_categories
        ]
        translations[lang.value] = {
            "consentModal": {
                "title": ui("consent.title", lang),
                "description": _description(policy, lang),
                "footer": f'<a href="{html(policy_url)}">{html(policy.meta.title.get(lang))}</a>' if policy_url else "",
                "acceptAllBtn": ui("consent.button.accept_all", lang),
                "acceptNecessaryBtn": ui("consent.button.reject_all", lang),
                "showPreferencesBtn": ui("consent.button.manage", lang),
            },
            "preferencesModal": {
                "title": ui("consent.title", lang),
                "acceptAllBtn": ui("consent.button.accept_all", lang),
                "acceptNecessaryBtn": ui("consent.button.reject_all", lang),
                "savePreferencesBtn": ui("consent.button.save", lang),
                "sections": sections,
            },
        }
    config = {
        "categories": categories,
        "language": {"default": policy.languages[0].value, "autoDetect": "document", "translations": translations},
    }
    return (
        "// vanilla-cookieconsent v3 configuration, generated by `policypress export-consent`.\n"
        "// Gate each script with <script type=\"text/plain\" data-category=\"analytics\">.\n"
        f"export default {_js(config)};\n"
    )


def klaro_config(policy: Policy, policy_url: str) -> str:
    services: dict[str, dict[str, Any]] = {}
    for name, cookie in policy.cookies.items():
        service = services.setdefault(
            cookie.provider,
            {
                "name": cookie.provider,
                # Plain text: Klaro renders titles and purposes as text nodes (only the
                # descriptions are HTML, under htmlTexts).
                "title": policy.provider_name(cookie.provider, policy.languages[0]),
                "purposes": [],
                "cookies": [],
                "required": True,
                "default": False,
            },
        )
        if cookie.category.value not in service["purposes"]:
            service["purposes"].append(cookie.category.value)
        if cookie.type is StorageType.COOKIE:
            service["cookies"].append(cookie_pattern(name))
        service["required"] = service["required"] and not cookie.consent_required
    translations = {
        lang.value: {
            "consentModal": {"title": ui("consent.title", lang), "description": _description(policy, lang)},
            "privacyPolicyUrl": policy_url,
            "purposes": {category.value: category.label(lang) for category in policy.cookie_categories},
        }
        for lang in policy.languages
    }
    config = {
        "version": 1,
        "elementID": "klaro",
        "lang": policy.languages[0].value,
        "mustConsent": False,
        # The descriptions are HTML (escaped above): say so, rather than rely on Klaro's default.
        "htmlTexts": True,
        "acceptAll": True,
        "hideDeclineAll": False,
        "translations": translations,
        "services": list(services.values()),
    }
    return (
        "// Klaro configuration, generated by `policypress export-consent`.\n"
        "// Gate each script with <script type=\"text/plain\" data-type=\"application/javascript\" data-name=\"SERVICE\">.\n"
        f"var klaroConfig = {_js(config)};\n"
    )


def export_consent(policy: Policy, fmt: ConsentFormat | str, *, policy_url: str = "") -> str:
    """``policy_url``: where the published policy is, linked from the banner's text.

    Raises ``UsageError`` when ``policy_url`` is not an http(s), mailto or relative URL
    (``javascript:`` in a banner link would run when a visitor clicks it)."""
    chosen = ConsentFormat(fmt)
    try:
        policy_url = safe_url(policy_url)
    except UnsafeURL as exc:
        raise UsageError(f"--policy-url {exc}") from None
    if chosen is ConsentFormat.MATERIAL:
        return material_config(policy, policy_url)
    if chosen is ConsentFormat.COOKIECONSENT_V3:
        return cookieconsent_config(policy, policy_url)
    return klaro_config(policy, policy_url)


def gpc_json(last_update: str) -> str:
    """``/.well-known/gpc.json``: this site honours Global Privacy Control."""
    return json.dumps({"gpc": True, "lastUpdate": last_update}) + "\n"


__all__ = ["ConsentFormat", "consent_key", "export_consent", "gpc_json"]
