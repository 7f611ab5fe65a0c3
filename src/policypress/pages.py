"""Rendering each kind of generated page: the current policy, a frozen release,
the archive, a "what changed" page and the draft.

Links between generated pages are computed here, relative to the page they
appear on, so the site works under any base path.

What a frozen release renders to does not change (see ``buildcache``): the body of its
policy page (its notices, which depend on the build date, are put in afterwards) and the
"what changed" fragment between two releases are rendered once and kept. The draft's pages,
the archive and every link are rendered by each build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar, cast

from markupsafe import Markup

from . import buildcache, locales
from .diff import PolicyDiff, diff_policies, fragment_headings, render_changes_fragment
from .i18n import Lang
from .localefacts import long_date
from .model import Policy
from .provenance import Provenance, load_provenance
from .render import Heading, RenderedPage, render_policy_page, render_template, templates_fingerprint
from .seals import MANIFEST, sha256_file
from .site import DRAFT, GeneratedPage, PageKind, page_url, relative_url, version_name
from .ui import ui
from .versions import History, Release

T = TypeVar("T")
# Where a cached policy page gets this build's notices: a comment no data can write (data is escaped).
_HEADER_SLOT = "<!--policypress:header-->"


def format_day(day: dt.date, lang: Lang) -> str:
    return long_date(day, lang.babel_locale)


@dataclass(frozen=True)
class Link:
    href: str
    text: str


@dataclass
class SiteBuild:
    """What the pages of one build share: the history, the build date and the page plan."""

    history: History
    today: dt.date
    pages: tuple[GeneratedPage, ...]
    use_directory_urls: bool = True
    # Previews show proposed facts and review notes, marked; other builds never state them.
    preview: bool = False
    # Where frozen releases' rendered outputs are kept between builds (None: in memory only).
    cache_dir: Path | None = None
    _seals: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _texts: dict[Lang, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _once: dict[tuple[object, ...], Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @cached_property
    def provenance(self) -> Provenance:
        return load_provenance(self.history)

    @cached_property
    def current(self) -> Release | None:
        return self.history.current(self.today)

    @cached_property
    def _pages_by(self) -> dict[tuple[object, ...], GeneratedPage]:
        """The first page of each (kind, lang), (kind, lang, version) and (kind, lang, version, old):
        every page links to others, so a search through all pages each time grows with the square."""
        index: dict[tuple[object, ...], GeneratedPage] = {}
        for page in self.pages:
            for key in ((page.kind, page.lang), (page.kind, page.lang, page.version),
                        (page.kind, page.lang, page.version, page.old_version), (page.kind, page.lang, None, page.old_version)):
                index.setdefault(key, page)
        return index

    def find(self, kind: PageKind, lang: Lang, version: str | None = None, old: str | None = None) -> GeneratedPage | None:
        if old is None:
            key: tuple[object, ...] = (kind, lang) if version is None else (kind, lang, version)
        else:
            key = (kind, lang, version, old)
        return self._pages_by.get(key)

    def href(self, source: GeneratedPage, target: GeneratedPage) -> str:
        here = page_url(source.src_uri, use_directory_urls=self.use_directory_urls)
        there = page_url(target.src_uri, use_directory_urls=self.use_directory_urls)
        return relative_url(here, there)

    @cached_property
    def render_fingerprint(self) -> str:
        """The templates as this build reads them (a changed template is a cache miss)."""
        return templates_fingerprint()

    def seal(self, version: str) -> str | None:
        """The sha256 of a release's manifest (the seal ``load_history`` verified); None for the draft."""
        release = self.history.get(version) if version != DRAFT else None
        if release is None:
            return None
        if version not in self._seals:
            self._seals[version] = sha256_file(release.path / MANIFEST)
        return self._seals[version]

    def frozen(
        self, kind: str, parts: Sequence[object], langs: Sequence[Lang], compute: Callable[[], T],
        *, encode: Callable[[T], Any], decode: Callable[[Any], T],
    ) -> T:
        """``compute()`` kept by ``buildcache.rendered``: ``parts`` name the releases (by seal) and
        options it depends on; the templates and the texts of ``langs`` (every language whose
        words the output holds) are added here."""
        return buildcache.rendered(kind, self._with_texts(parts, langs), compute, self.cache_dir, encode=encode, decode=decode)

    def once(self, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once in this build: what several pages share (a diff, the banner's settings of a
        language, the draft's JSON-LD, which has no seal for ``frozen`` to keep it by)."""
        if key not in self._once:
            self._once[key] = compute()
        return cast(T, self._once[key])

    def key(self, kind: str, parts: Sequence[object], langs: Sequence[Lang]) -> str:
        """The key ``frozen`` would keep the output under (for outputs kept elsewhere)."""
        return buildcache.key_of(kind, self._with_texts(parts, langs))

    def _with_texts(self, parts: Sequence[object], langs: Sequence[Lang]) -> list[object]:
        for lang in langs:
            if lang not in self._texts:
                self._texts[lang] = buildcache.texts_fingerprint(locales.catalog(lang))
        texts = [(lang.value, self._texts[lang]) for lang in langs]
        return [self.render_fingerprint, texts, *parts]

    def output_parts(self, page: GeneratedPage) -> list[object] | None:
        """Everything a page without the draft shows besides the engine, the templates and the texts: the
        page plan (links), the releases by seal (notices), the date, the options and the provenance of its
        versions (a working-copy file). None for a page that shows the draft, or lists it (the archive)."""
        if DRAFT in (page.version, page.old_version) or page.kind is PageKind.ARCHIVE:
            return None
        versions = [version for version in (page.version, page.old_version) if version is not None]
        return [
            [page.kind.value, page.lang.value, page.src_uri, page.title, page.version, page.old_version],
            [(other.src_uri, other.title) for other in self.pages],
            [(release.version, self.seal(release.version)) for release in self.history.releases],
            self.today.isoformat(), self.preview, self.use_directory_urls,
            [(version, sorted(self.provenance.paths(version))) for version in versions],
        ]

    def diff(self, old: str, new: str) -> PolicyDiff:
        """The diff of two editions, once per build (each language's "what changed" page shows it)."""
        return self.once(("diff", old, new), lambda: diff_policies(self.policy(old), self.policy(new)))

    def policy(self, version: str) -> Policy:
        if version == DRAFT:
            return self.history.draft
        release = self.history.get(version)
        assert release is not None, version
        return release.policy


def _upcoming_notices(page: GeneratedPage, build: SiteBuild) -> list[dict[str, str]]:
    notices = []
    for release in build.history.upcoming(build.today):
        changes = build.find(PageKind.CHANGES, page.lang, release.version)
        if changes is None:
            continue
        notices.append(
            {
                "text": ui("version.upcoming", page.lang).format(
                    version=release.version, effective=format_day(release.effective, page.lang)
                ),
                "href": build.href(page, changes),
                "link_text": ui("version.upcoming.link", page.lang),
                "summary": release.manifest.summary.get(page.lang),
            }
        )
    return notices


def _release_notice(page: GeneratedPage, build: SiteBuild, release: Release) -> str:
    lang = page.lang
    effective = format_day(release.effective, lang)
    current = build.current
    if current is not None and current.version == release.version:
        return ui("version.release.current", lang).format(version=release.version, effective=effective)
    if release.effective > build.today:
        return ui("version.release.upcoming", lang).format(version=release.version, effective=effective)
    successor = build.history.successor(release)
    assert successor is not None  # not current and not upcoming: something replaced it
    if successor.effective <= release.effective:
        return ui("version.release.superseded_same_day", lang).format(
            version=release.version, effective=effective, next=successor.version
        )
    last_day = max(successor.effective - dt.timedelta(days=1), release.effective)
    return ui("version.release.superseded", lang).format(
        version=release.version, effective=effective, until=format_day(last_day, lang), next=successor.version
    )


def _policy_header(page: GeneratedPage, build: SiteBuild) -> str:
    lang = page.lang
    archive = build.find(PageKind.ARCHIVE, lang)
    context: dict[str, object] = {
        "draft": None,
        "version_line": "",
        "archive_href": build.href(page, archive) if archive else "",
        "archive_text": ui("version.all", lang),
        "release_notice": "",
        "current_link": None,
        "upcoming": [],
    }
    if page.kind is PageKind.DRAFT:
        latest = build.history.latest
        changes = build.find(PageKind.CHANGES, lang, DRAFT)
        context["draft"] = {
            "title": ui("version.draft.title", lang),
            "text": ui("version.draft", lang),
            "changes_link": Link(build.href(page, changes), ui("version.draft.changes", lang).format(version=latest.version))
            if changes and latest
            else None,
        }
        return render_template("notices.html.j2", **context)
    release = build.history.get(page.version or "")
    assert release is not None
    context["version_line"] = ui("version.line", lang).format(
        version=release.version, effective=format_day(release.effective, lang)
    )
    if page.kind is PageKind.CURRENT:
        context["upcoming"] = _upcoming_notices(page, build)
    else:
        context["release_notice"] = _release_notice(page, build, release)
        current_page = build.find(PageKind.CURRENT, lang)
        if current_page is not None and build.current is not None and build.current.version != release.version:
            context["current_link"] = Link(build.href(page, current_page), ui("version.current.link", lang))
    return render_template("notices.html.j2", **context)


def _render_archive(page: GeneratedPage, build: SiteBuild) -> RenderedPage:
    lang = page.lang
    current = build.current
    rows = []
    for release in reversed(build.history.releases):
        if lang not in release.policy.languages:
            continue  # published before the policy had this language: it has no page in it
        if current is not None and release.version == current.version:
            status = ui("status.current", lang)
        elif release.effective > build.today:
            status = ui("status.upcoming", lang)
        else:
            status = ui("status.superseded", lang)
        target = build.find(PageKind.RELEASE, lang, release.version)
        changes = build.find(PageKind.CHANGES, lang, release.version)
        rows.append(
            {
                "version": release.version,
                "href": build.href(page, target) if target else "",
                "effective": format_day(release.effective, lang),
                "status": status,
                "kind": ui(f"class.{release.manifest.change_class.value}", lang),
                "summary": release.manifest.summary.get(lang),
                "changes_href": build.href(page, changes) if changes else "",
                "changes_text": ui("archive.changes.link", lang).format(old=changes.old_version)
                if changes
                else ui("archive.first", lang),
            }
        )
    headers = [ui(f"archive.{key}", lang) for key in ("version", "effective", "status", "class", "summary", "changes")]
    html = render_template(
        "archive.html.j2",
        lang=lang.value,
        intro=ui("archive.intro", lang),
        caption=ui("archive.caption", lang),
        headers=headers,
        rows=rows,
    )
    return RenderedPage(title=page.title, html=html, headings=())


def _render_changes(page: GeneratedPage, build: SiteBuild) -> RenderedPage:
    lang = page.lang
    old_version, new_version = page.old_version or "", page.version or ""
    fragment, headings = _changes_fragment(build, old_version, new_version, lang)
    links = []
    for version, kind in ((old_version, PageKind.RELEASE), (new_version, PageKind.RELEASE)):
        target = build.find(PageKind.DRAFT, lang) if version == DRAFT else build.find(kind, lang, version)
        if target is not None:
            links.append(Link(build.href(page, target), version_name(version, lang).capitalize() if version == DRAFT else f"{ui('archive.version', lang)} {version}"))
    if new_version == DRAFT:
        intro, summary = ui("changes.intro.draft", lang).format(old=old_version), ""
    else:
        release = build.history.get(new_version)
        assert release is not None
        intro = ui("changes.intro", lang).format(
            new=new_version,
            effective=format_day(release.effective, lang),
            kind=ui(f"class.{release.manifest.change_class.value}", lang).lower(),
        )
        summary = release.manifest.summary.get(lang)
    provenance = [
        {"text": ui("changes.provenance", lang).format(version=version), "paths": sorted(build.provenance.paths(version))}
        for version in (old_version, new_version)
        if build.provenance.paths(version)
    ]
    html = render_template(
        "changes.html.j2",
        lang=lang.value,
        intro=intro,
        summary=summary,
        provenance=provenance,
        links=links,
        fragment=Markup(fragment),
    )
    return RenderedPage(title=page.title, html=html, headings=headings)


def _changes_fragment(build: SiteBuild, old: str, new: str, lang: Lang) -> tuple[str, tuple[Heading, ...]]:
    """The diff's HTML and headings; between two releases, rendered once (the draft's each time)."""
    def compute() -> tuple[str, tuple[Heading, ...]]:
        diff = build.diff(old, new)
        headings = tuple(Heading(h.level, h.id, h.title) for h in fragment_headings(diff, lang))
        return render_changes_fragment(diff, lang), headings

    seals = (build.seal(old), build.seal(new))
    if None in seals:
        return compute()
    return build.frozen(
        "changes-fragment", [*seals, lang.value], (lang,), compute,
        encode=lambda value: [value[0], _headings_json(value[1])],
        decode=lambda stored: (buildcache.as_text(stored[0]), _headings_from(stored[1])),
    )


def _headings_json(headings: Sequence[Heading]) -> list[list[object]]:
    return [[h.level, h.id, h.title] for h in headings]


def _headings_from(stored: Sequence[Sequence[Any]]) -> tuple[Heading, ...]:
    return tuple(
        Heading(int(level), buildcache.as_text(anchor), buildcache.as_text(title)) for level, anchor, title in stored
    )


def _policy_page(page: GeneratedPage, build: SiteBuild) -> RenderedPage:
    version = page.version or DRAFT
    added = build.provenance.paths(version)
    scan_slot = page.kind is PageKind.CURRENT
    header = _policy_header(page, build)

    def compute(with_header: str) -> RenderedPage:
        return render_policy_page(
            build.policy(version), page.lang, header=with_header, scan_note_slot=scan_slot,
            preview=build.preview, added=added,
        )

    seal = build.seal(version)
    if seal is None:
        return compute(header)
    body = build.frozen(
        "policy-page", [seal, page.lang.value, scan_slot, build.preview, sorted(added)], (page.lang,),
        lambda: compute(_HEADER_SLOT),
        encode=lambda done: {"title": done.title, "html": done.html, "headings": _headings_json(done.headings)},
        decode=lambda stored: RenderedPage(
            buildcache.as_text(stored["title"]), buildcache.as_text(stored["html"]), _headings_from(stored["headings"])
        ),
    )
    return replace(body, html=body.html.replace(_HEADER_SLOT, header, 1))


def render_generated_page(page: GeneratedPage, build: SiteBuild) -> RenderedPage:
    if page.kind is PageKind.ARCHIVE:
        return _render_archive(page, build)
    if page.kind is PageKind.CHANGES:
        return _render_changes(page, build)
    return _policy_page(page, build)


def page_date(page: GeneratedPage | None, build: SiteBuild) -> dt.date:
    """The date a page last changed, from the release data rather than the clock,
    so that two builds of the same commit are identical (sitemap, archives)."""
    current = build.current
    assert current is not None
    if page is not None and page.version and page.version != DRAFT:
        release = build.history.get(page.version)
        if release is not None:
            return release.effective
    return current.effective
