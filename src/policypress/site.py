"""The site's structure, independent of the builder: which pages exist in which
language, their URLs, and how they pair up for the language switcher.

The MkDocs hooks ask this module; another MkDocs-compatible builder could too.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from enum import StrEnum
from collections.abc import Sequence
from pathlib import PurePosixPath

from .escape import html
from .i18n import DEFAULT_LANG, DEFAULT_LANGUAGES, Lang
from .locales import message
from .versions import History


class PageKind(StrEnum):
    CURRENT = "current"  # the policy in effect on the build date
    ARCHIVE = "archive"  # every release
    RELEASE = "release"  # one release, frozen, at a URL that never changes
    CHANGES = "changes"  # what changed between two consecutive versions
    DRAFT = "draft"  # the unreleased working copy (preview builds only)


DRAFT = "draft"


# The URL slugs are words of each language, kept in its locale (site.slug.*): a page's address
# must never change, so a locale must not reword a slug once its pages are published.
def policy_slug(lang: Lang) -> str:
    return message("site.slug.policy", lang)


def archive_slug(lang: Lang) -> str:
    return message("site.slug.archive", lang)


def changes_slug(lang: Lang) -> str:
    return message("site.slug.changes", lang)


@dataclass(frozen=True)
class GeneratedPage:
    """A page built from the data rather than written in ``docs/``."""

    kind: PageKind
    lang: Lang
    src_uri: str
    title: str
    version: str | None = None  # RELEASE: the version; CHANGES: the new side ("draft" for the draft)
    old_version: str | None = None  # CHANGES: the old side
    in_nav: bool = False

    @property
    def key(self) -> str:
        """Pages with the same key are translations of each other."""
        if self.kind is PageKind.RELEASE:
            return f"release/{self.version}"
        if self.kind is PageKind.CHANGES:
            return f"changes/{self.old_version}/{self.version}"
        return self.kind.value

    def stub(self) -> str:
        """Markdown source for the builder: front matter only; the body is rendered HTML.

        The title is HTML-escaped here because MkDocs themes print page titles
        unescaped (in <title>, the navigation and the <h1>).
        """
        # A release's page and a "what changed" page are records, found through the archive: the site's
        # search finds the policy in effect (and the draft in previews) rather than every version of each
        # sentence. (Material's search reads `search: exclude`; MkDocs' own search theme indexes every page.)
        record = "search:\n  exclude: true\n" if self.kind in (PageKind.RELEASE, PageKind.CHANGES) else ""
        return f'---\ntitle: "{_yaml_escape(str(html(self.title)))}"\n{record}---\n'


def _yaml_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


@dataclass(frozen=True)
class PageRef:
    src_uri: str
    url: str  # site-relative, as the builder writes it ("sv/integritetspolicy/")


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    link: str


def policy_src(lang: Lang, *parts: str) -> str:
    slug = policy_slug(lang)
    return f"{lang.value}/{slug}.md" if not parts else f"{lang.value}/{slug}/{'/'.join(parts)}.md"


def page_title(kind: PageKind, lang: Lang, **values: str) -> str:
    return message(f"site.title.{kind.value}", lang, **values)


def version_name(version: str, lang: Lang) -> str:
    return message("site.draft_name", lang) if version == DRAFT else version


def plan_pages(
    history: History, today: dt.date, *, preview: bool, languages: Sequence[Lang] = DEFAULT_LANGUAGES
) -> list[GeneratedPage]:
    """Every generated page of the site in each of ``languages``. A release exists in the
    languages it was published in: a language added later has pages from that release on."""
    current = history.current(today)
    pages: list[GeneratedPage] = []
    for lang in languages:
        releases = [release for release in history.releases if lang in release.policy.languages]
        if current is not None and lang in current.policy.languages:
            title = current.policy.meta.title.get(lang)
            pages.append(GeneratedPage(PageKind.CURRENT, lang, policy_src(lang), title, current.version, in_nav=True))
        if releases:
            pages.append(
                GeneratedPage(PageKind.ARCHIVE, lang, policy_src(lang, archive_slug(lang)), page_title(PageKind.ARCHIVE, lang), in_nav=True)
            )
        for release in releases:
            title = page_title(PageKind.RELEASE, lang, title=release.policy.meta.title.get(lang), version=release.version)
            pages.append(GeneratedPage(PageKind.RELEASE, lang, policy_src(lang, release.version), title, release.version))
        pairs = [(old.version, new.version) for old, new in history.pairs() if lang in old.policy.languages and lang in new.policy.languages]
        if preview and lang in history.draft.languages:
            pages.append(GeneratedPage(PageKind.DRAFT, lang, policy_src(lang, DRAFT), page_title(PageKind.DRAFT, lang), DRAFT, in_nav=True))
            if history.latest is not None and lang in history.latest.policy.languages:
                pairs.append((history.latest.version, DRAFT))
        for old, new in pairs:
            title = page_title(PageKind.CHANGES, lang, old=version_name(old, lang), new=version_name(new, lang))
            src = policy_src(lang, changes_slug(lang), f"{old}-{new}")
            pages.append(GeneratedPage(PageKind.CHANGES, lang, src, title, new, old))
    return pages


def page_url(src_uri: str, *, use_directory_urls: bool = True) -> str:
    """The site-relative URL MkDocs gives a Markdown file."""
    path = PurePosixPath(src_uri)
    stem = path.with_suffix("")
    if not use_directory_urls:
        return str(stem) + ".html"
    if stem.name in ("index", "README"):
        parent = str(stem.parent)
        return "" if parent == "." else parent + "/"
    return str(stem) + "/"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative directory URLs)."""
    base = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath("/" + to_url, "/" + base)
    if to_url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "./" if rel == "./" else rel


def language_folder(src_uri: str, languages: Sequence[Lang] = DEFAULT_LANGUAGES) -> Lang | None:
    """The language whose folder (``en/``, ``de/``) holds the page, if it is one of ``languages``."""
    parts = PurePosixPath(src_uri).parts
    if len(parts) < 2:
        return None
    return next((lang for lang in languages if lang.value == parts[0]), None)


def page_language(src_uri: str, languages: Sequence[Lang] = DEFAULT_LANGUAGES) -> Lang:
    """Pages live under a language folder (``en/``, ``sv/``); anything else (the root chooser)
    is in the default language: the first of ``languages``."""
    return language_folder(src_uri, languages) or (languages[0] if languages else DEFAULT_LANG)


def translation_key(src_uri: str, generated_key: str | None = None, languages: Sequence[Lang] = DEFAULT_LANGUAGES) -> str:
    """Generated pages carry their key; hand-written ones pair by their path below
    the language folder (``en/index.md`` and ``sv/index.md``)."""
    if generated_key:
        return generated_key
    parts = PurePosixPath(src_uri).parts
    if language_folder(src_uri, languages) is not None:
        parts = parts[1:]
    return "/".join(parts)


def language_home(lang: Lang) -> str:
    return f"{lang.value}/"


def alternates(
    key: str, translations: dict[str, dict[Lang, PageRef]], languages: Sequence[Lang] = DEFAULT_LANGUAGES
) -> list[Alternate]:
    """The language switcher for a page: the same page in each language, else that language's home."""
    pages = translations.get(key, {})
    return [
        Alternate(lang=lang.value, name=lang.native_name, link=pages[lang].url if lang in pages else language_home(lang))
        for lang in languages
    ]


def index_translations(
    pages: list[tuple[PageRef, str]], languages: Sequence[Lang] = DEFAULT_LANGUAGES
) -> dict[str, dict[Lang, PageRef]]:
    """Group pages by translation key. ``pages`` holds (page, key) pairs."""
    table: dict[str, dict[Lang, PageRef]] = {}
    for ref, key in pages:
        lang = language_folder(ref.src_uri, languages)
        if lang is not None:
            table.setdefault(key, {})[lang] = ref
    return table
