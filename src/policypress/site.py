"""The site's structure, independent of the builder: which pages exist in which
language, how they pair up for the language switcher, and what each page needs.

The MkDocs hooks ask this module; another MkDocs-compatible builder could too.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import PurePosixPath

from .i18n import DEFAULT_LANG, Lang
from .model import Policy

POLICY_KEY = "privacy-policy"
POLICY_SLUGS = {Lang.EN: "privacy-policy", Lang.SV: "integritetspolicy"}


@dataclass(frozen=True)
class GeneratedPage:
    """A page built from the data rather than written in ``docs/``."""

    key: str
    lang: Lang
    src_uri: str
    title: str

    def stub(self) -> str:
        """Markdown source for the builder: front matter only; the body is rendered HTML.

        The title is HTML-escaped here because MkDocs themes print page titles
        unescaped (in <title>, the navigation and the <h1>).
        """
        return f"---\ntitle: {_yaml_string(html.escape(self.title))}\npolicypress_page: {self.key}\n---\n"


@dataclass(frozen=True)
class PageRef:
    src_uri: str
    url: str  # site-relative, as the builder writes it ("sv/integritetspolicy/")


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    link: str


def _yaml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def policy_pages(policy: Policy) -> list[GeneratedPage]:
    return [
        GeneratedPage(
            key=POLICY_KEY,
            lang=lang,
            src_uri=f"{lang.value}/{POLICY_SLUGS[lang]}.md",
            title=policy.meta.title.get(lang),
        )
        for lang in Lang
    ]


def page_language(src_uri: str) -> Lang:
    """Pages live under ``en/`` or ``sv/``; anything else (the root chooser) is in the default language."""
    first = PurePosixPath(src_uri).parts[0]
    return Lang(first) if first in {lang.value for lang in Lang} else DEFAULT_LANG


def translation_key(src_uri: str, generated_key: str | None = None) -> str:
    """Pages are translations of each other when they share this key.

    Generated pages carry their key; hand-written ones pair by their path below
    the language folder (``en/index.md`` and ``sv/index.md``).
    """
    if generated_key:
        return generated_key
    parts = PurePosixPath(src_uri).parts
    if parts[0] in {lang.value for lang in Lang}:
        parts = parts[1:]
    return "/".join(parts)


def language_home(lang: Lang) -> str:
    return f"{lang.value}/"


def alternates(key: str, translations: dict[str, dict[Lang, PageRef]]) -> list[Alternate]:
    """The language switcher for a page: the same page in each language, else that language's home."""
    pages = translations.get(key, {})
    return [
        Alternate(lang=lang.value, name=lang.native_name, link=pages[lang].url if lang in pages else language_home(lang))
        for lang in Lang
    ]


def index_translations(pages: list[tuple[PageRef, str]]) -> dict[str, dict[Lang, PageRef]]:
    """Group pages by translation key. ``pages`` holds (page, key) pairs."""
    table: dict[str, dict[Lang, PageRef]] = {}
    for ref, key in pages:
        if PurePosixPath(ref.src_uri).parts[0] not in {lang.value for lang in Lang}:
            continue
        table.setdefault(key, {})[page_language(ref.src_uri)] = ref
    return table

