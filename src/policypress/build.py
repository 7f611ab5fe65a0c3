"""The build of a policy site as named phases, independent of the builder.

The MkDocs plugin (``policypress.mkdocs``) calls these in its events; another
builder could call the same ones in the same order:

  load_edition   load and verify policy_data/ and its releases; the release in effect
                 on the build date (the draft is shown beside it in previews only)
  lint_phase     the GDPR completeness summary; stops the build when ``fail_on`` says so
  plan           the generated pages of every language, as a ``SiteBuild``
  render_page    one generated page: its HTML, table of contents and anchors
  consent_for    the consent banner's settings for one language
  artifacts      the files published beside the pages (policy.json, feeds, gpc.json ...)
  scan_verdict   the consent scan of the built site against the cookie table

Every failure a user can cause comes out as a ``PolicyPressError``; ``BuildStopped``
carries the whole message the builder should show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import escape, site
from .consent import analytics_declared, material_consent
from .consent_export import gpc_json
from .errors import PolicyPressError
from .export import POLICY_JSON_SCHEMA, dumps, jsonld_script, policy_json, policy_jsonld
from .feed import atom_feed, feed_path
from .i18n import Lang
from .lint import Severity as LintSeverity
from .lint import lint_policy, lint_summary
from .lint import render as render_lint
from .pages import SiteBuild, render_generated_page
from .scan import ScanReport, scan_site
from .scan.report import format_finding, render_text, summary
from .scan.transparency import fill_scan_note, scan_note
from .versions import History, Release, build_date, load_history

# The anchor of the cookie table, which the banner's description links to.
COOKIE_TABLE = "table-cookies"
FAIL_ON = ("never", "warning", "error")
CONSENT_TEXTS = ("policy", "site")


class BuildStopped(PolicyPressError):
    """A phase found that the site must not be published. ``str()`` is the whole message."""


@dataclass(frozen=True)
class Options:
    """The build's settings, whatever configuration file they were read from."""

    data_dir: Path
    preview: bool = False
    languages: tuple[Lang, ...] = tuple(Lang)
    lint_fail_on: str = "never"
    scan_enabled: bool = True
    scan_strict: bool = False
    scan_pages: tuple[Path, ...] = ()
    # Keep the site's own consent switches (e.g. Material's `github`) beside the policy's.
    consent_merge: bool = True
    # "policy": the banner's title and description come from the policy, in each page's
    # language; "site": from the site's extra.consent where it gives them.
    consent_texts: str = "policy"


def is_preview(option: bool, environ: Mapping[str, str]) -> bool:
    """Previews show the draft; the environment switch lets `make preview` turn it on per build."""
    return option or environ.get("POLICYPRESS_PREVIEW", "") not in ("", "0")


def load_edition(data_dir: Path, environ: Mapping[str, str]) -> tuple[History, dt.date, Release]:
    """The verified history, the build date and the release in effect on it."""
    try:
        history = load_history(data_dir)
        history.draft  # the working copy must be valid even when it is not shown
        today = build_date(dict(environ))
    except PolicyPressError as exc:
        raise BuildStopped(f"policypress: {exc}") from None
    current = history.current(today)
    if current is None:
        raise BuildStopped(
            f"policypress: no release is in effect on {today}: release the draft with "
            "`policypress release VERSION --effective YYYY-MM-DD`, or set POLICY_DATE"
        )
    return history, today, current


def lint_phase(history: History, current: Release, *, preview: bool, fail_on: str) -> list[str]:
    """One summary line per linted edition (the draft too in previews); raises when ``fail_on`` is met."""
    targets = [(f"release {current.version}", current.policy, current.path)]
    if preview:
        targets.append(("draft", history.draft, history.data_dir))
    lines = []
    for label, policy, data_dir in targets:
        report = lint_policy(policy, data_dir, label=label)
        lines.append(f"policypress {lint_summary(report)} ({label}): see `policypress lint` for details")
        if fail_on != "never" and report.at_or_above(LintSeverity(fail_on)):
            raise BuildStopped(
                f"policypress: the lint of {label} fails the build (fail_on: {fail_on}):\n{render_lint(report, 'text')}"
            )
    return lines


def keep_analytics(analytics: Mapping[str, Any], current: Release) -> bool:
    """Whether the site's analytics settings may stay. No property id: load none at all
    (Material would load gtag with an empty id). A property id the policy does not declare stops the build."""
    if not analytics.get("property"):
        return False
    if not analytics_declared(current.policy):
        raise BuildStopped(
            "policypress: extra.analytics is configured but the policy in effect declares no analytics "
            "cookie; declare the analytics cookies (category: analytics) or remove the property id"
        )
    return True


def plan(
    history: History, today: dt.date, *, preview: bool, languages: Sequence[Lang] = tuple(Lang),
    use_directory_urls: bool = True,
) -> SiteBuild:
    pages = tuple(page for page in site.plan_pages(history, today, preview=preview) if page.lang in languages)
    return SiteBuild(history, today, pages, use_directory_urls=use_directory_urls)


@dataclass(frozen=True)
class PageOutput:
    html: str
    toc: list[dict[str, Any]]  # get_toc's input; names are HTML (escaped here)
    anchor_ids: frozenset[str] = field(default_factory=frozenset)


def render_page(page: site.GeneratedPage, build: SiteBuild, *, site_url: str | None = None) -> PageOutput:
    rendered = render_generated_page(page, build)
    html_out = rendered.html
    if page.kind in (site.PageKind.CURRENT, site.PageKind.RELEASE, site.PageKind.DRAFT):
        # The same facts for machines: DPV JSON-LD about this page.
        version = page.version or site.DRAFT
        release = build.history.get(version)
        document = policy_jsonld(
            build.policy(version), version=version, effective=release.effective.isoformat() if release else None,
            site_url=site_url,
        )
        html_out += jsonld_script(document)
    # Material prints toc names as HTML: the titles come from the data, so escape them.
    toc = [{"level": h.level, "id": h.id, "name": str(escape.html(h.title)), "children": []} for h in rendered.headings]
    return PageOutput(html_out, toc, frozenset(rendered.anchor_ids))


def consent_for(
    current: Release, lang: Lang, *, policy_url: str, site_consent: Mapping[str, Any] | None, options: Options
) -> dict[str, Any]:
    """The banner's settings for pages in ``lang``, shaped as Material's ``extra.consent``."""
    consent = material_consent(current.policy, lang, policy_url=policy_url, cookie_anchor=COOKIE_TABLE)
    own = dict(site_consent or {})
    if options.consent_texts == "site":
        consent.update({key: own[key] for key in ("title", "description") if own.get(key)})
    if options.consent_merge and own.get("cookies"):
        # The policy's categories win: their switches must start off whatever the site says.
        consent["cookies"] = {**own["cookies"], **consent["cookies"]}
    return consent


def artifacts(build: SiteBuild, current: Release, *, site_url: str | None, languages: Sequence[Lang]) -> dict[str, str]:
    """Site-relative path -> content of every file published beside the pages.

    All of it is known once the history is loaded, so a builder can serve it like any page."""
    files = {
        # The policy as data beside the pages.
        "policy.json": dumps(policy_json(current.policy, version=current.version, effective=current.effective.isoformat())),
        "policy.schema.json": dumps(POLICY_JSON_SCHEMA),
        # Declares that the site honours Global Privacy Control (see the consent banner).
        ".well-known/gpc.json": gpc_json(current.effective.isoformat()),
    }
    for release in build.history.releases:
        document = policy_json(release.policy, version=release.version, effective=release.effective.isoformat())
        files[f"releases/{release.version}/policy.json"] = dumps(document)
    for lang in languages:
        files[feed_path(lang)] = atom_feed(
            build.history, lang, today=build.today, base_url=site_url or "../",
            use_directory_urls=build.use_directory_urls,
        )
    return files


@dataclass(frozen=True)
class ScanVerdict:
    report: ScanReport
    lines: list[str]  # what the build shows as information (never as warnings: strict would fail)


def scan_verdict(site_dir: Path, current: Release, options: Options) -> ScanVerdict:
    """The built site (and the folders in ``scan_pages``) against the cookie table of the policy in effect.
    Errors stop the build."""
    try:
        report = scan_site(
            site_dir, current.policy, extra_pages=list(options.scan_pages), strict=options.scan_strict,
            data_dir=current.path,
        )
    except PolicyPressError as exc:
        raise BuildStopped(f"policypress scan: {exc}") from None
    if not report.ok:
        raise BuildStopped(f"policypress scan found problems:\n{render_text(report)}")
    lines = [f"policypress scan: {summary(report)}"]
    lines += [f"policypress scan: {format_finding(finding).splitlines()[0]}" for finding in report.warnings]
    return ScanVerdict(report, lines)


def write_scan_notes(site_dir: Path, build: SiteBuild, report: ScanReport) -> None:
    """The scan's note under the cookie table of each current-policy page, once the site is built."""
    for page in build.pages:
        if page.kind is site.PageKind.CURRENT:
            path = site_dir / site.page_url(page.src_uri, use_directory_urls=build.use_directory_urls)
            path = path / "index.html" if build.use_directory_urls else path
            note = scan_note(report, build.today, page.lang)
            path.write_text(fill_scan_note(path.read_text(encoding="utf-8"), note), encoding="utf-8")
