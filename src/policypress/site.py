"""The site's structure, independent of the builder: which pages exist in which
language, their URLs, and how they pair up for the language switcher.

The MkDocs hooks ask this module; another MkDocs-compatible builder could too.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

from .escape import html
from .i18n import DEFAULT_LANG, Lang
from .versions import History


class PageKind(StrEnum):
    CURRENT = "current"  # the policy in effect on the build date
    ARCHIVE = "archive"  # every release
    RELEASE = "release"  # one release, frozen, at a URL that never changes
    CHANGES = "changes"  # what changed between two consecutive versions
    DRAFT = "draft"  # the unreleased working copy (preview builds only)


POLICY_SLUGS = {Lang.EN: "privacy-policy", Lang.SV: "integritetspolicy"}
ARCHIVE_SLUGS = {Lang.EN: "archive", Lang.SV: "arkiv"}
CHANGES_SLUGS = {Lang.EN: "changes", Lang.SV: "andringar"}
DRAFT = "draft"


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
        return f'---\ntitle: "{_yaml_escape(str(html(self.title)))}"\n---\n'


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
    slug = POLICY_SLUGS[lang]
    return f"{lang.value}/{slug}.md" if not parts else f"{lang.value}/{slug}/{'/'.join(parts)}.md"


TITLES = {
    PageKind.ARCHIVE: {Lang.EN: "All versions", Lang.SV: "Alla versioner"},
    PageKind.RELEASE: {Lang.EN: "{title}, version {version}", Lang.SV: "{title}, version {version}"},
    PageKind.CHANGES: {Lang.EN: "Changes from {old} to {new}", Lang.SV: "Ändringar från {old} till {new}"},
    PageKind.DRAFT: {Lang.EN: "Draft", Lang.SV: "Utkast"},
}


def version_name(version: str, lang: Lang) -> str:
    return {Lang.EN: "the draft", Lang.SV: "utkastet"}[lang] if version == DRAFT else version


def plan_pages(history: History, today: dt.date, *, preview: bool) -> list[GeneratedPage]:
    """Every generated page of the site, in every language."""
    current = history.current(today)
    pages: list[GeneratedPage] = []
    for lang in Lang:
        if current is not None:
            title = current.policy.meta.title.get(lang)
            pages.append(GeneratedPage(PageKind.CURRENT, lang, policy_src(lang), title, current.version, in_nav=True))
        if history.releases:
            pages.append(
                GeneratedPage(PageKind.ARCHIVE, lang, policy_src(lang, ARCHIVE_SLUGS[lang]), TITLES[PageKind.ARCHIVE][lang], in_nav=True)
            )
        for release in history.releases:
            title = TITLES[PageKind.RELEASE][lang].format(title=release.policy.meta.title.get(lang), version=release.version)
            pages.append(GeneratedPage(PageKind.RELEASE, lang, policy_src(lang, release.version), title, release.version))
        pairs = [(old.version, new.version) for old, new in history.pairs()]
        if preview:
            pages.append(GeneratedPage(PageKind.DRAFT, lang, policy_src(lang, DRAFT), TITLES[PageKind.DRAFT][lang], DRAFT, in_nav=True))
            if history.latest is not None:
                pairs.append((history.latest.version, DRAFT))
        for old, new in pairs:
            title = TITLES[PageKind.CHANGES][lang].format(old=version_name(old, lang), new=version_name(new, lang))
            src = policy_src(lang, CHANGES_SLUGS[lang], f"{old}-{new}")
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


def page_language(src_uri: str) -> Lang:
    """Pages live under ``en/`` or ``sv/``; anything else (the root chooser) is in the default language."""
    first = PurePosixPath(src_uri).parts[0]
    return Lang(first) if first in {lang.value for lang in Lang} else DEFAULT_LANG


def translation_key(src_uri: str, generated_key: str | None = None) -> str:
    """Generated pages carry their key; hand-written ones pair by their path below
    the language folder (``en/index.md`` and ``sv/index.md``)."""
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
