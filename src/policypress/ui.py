"""The package's own interface texts (table headings, labels), in every language.

Policy content comes from ``policy_data/``; these are the words around it, kept in
``locales/<lang>.yaml`` (see ``policypress.locales``).
"""

from __future__ import annotations

from .i18n import Lang
from .locales import message, prefixed


def ui(key: str, lang: Lang | str) -> str:
    """One of the words around the policy (``locales/<lang>.yaml``), in one language."""
    return message(key, lang)


def theme_texts(lang: Lang) -> dict[str, str]:
    """Our corrections of Material's own theme texts, by Material's key (``theme.*`` in the locale);
    the theme's partials/language.html looks here first, then in Material's file."""
    return prefixed("theme.", lang)
