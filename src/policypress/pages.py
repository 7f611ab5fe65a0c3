"""Rendering each kind of generated page: the current policy, a frozen release,
the archive, a "what changed" page and the draft.

Links between generated pages are computed here, relative to the page they
appear on, so the site works under any base path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from babel.dates import format_date
from markupsafe import Markup

from .diff import diff_policies, fragment_headings, render_changes_fragment
from .i18n import Lang
from .model import Policy
from .provenance import Provenance, load_provenance
from .render import Heading, RenderedPage, render_policy_page, render_template
from .site import DRAFT, GeneratedPage, PageKind, page_url, relative_url, version_name
from .ui import ui
from .versions import History, Release


def format_day(day: dt.date, lang: Lang) -> str:
    return format_date(day, format="long", locale=lang.babel_locale)


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

    @cached_property
    def provenance(self) -> Provenance:
        return load_provenance(self.history)

    @cached_property
    def current(self) -> Release | None:
        return self.history.current(self.today)

    def find(self, kind: PageKind, lang: Lang, version: str | None = None, old: str | None = None) -> GeneratedPage | None:
        for page in self.pages:
            if page.kind is kind and page.lang is lang and (version is None or page.version == version):
                if old is None or page.old_version == old:
                    return page
        return None

    def href(self, source: GeneratedPage, target: GeneratedPage) -> str:
        here = page_url(source.src_uri, use_directory_urls=self.use_directory_urls)
        there = page_url(target.src_uri, use_directory_urls=self.use_directory_urls)
        return relative_url(here, there)

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
    diff = diff_policies(build.policy(old_version), build.policy(new_version))
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
        fragment=Markup(render_changes_fragment(diff, lang)),
    )
    headings = tuple(Heading(h.level, h.id, h.title) for h in fragment_headings(diff, lang))
    return RenderedPage(title=page.title, html=html, headings=headings)


def render_generated_page(page: GeneratedPage, build: SiteBuild) -> RenderedPage:
    if page.kind is PageKind.ARCHIVE:
        return _render_archive(page, build)
    if page.kind is PageKind.CHANGES:
        return _render_changes(page, build)
    version = page.version or DRAFT
    policy = build.policy(version)
    return render_policy_page(
        policy, page.lang, header=_policy_header(page, build), scan_note_slot=page.kind is PageKind.CURRENT,
        preview=build.preview, added=build.provenance.paths(version),
    )


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
