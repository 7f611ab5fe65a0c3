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
  cookie_table   which cookie table the scan checks: the draft's (editing) or the release's (publishing)
  scan_verdict   the consent scan of the built site against that table

Every failure a user can cause comes out as a ``PolicyPressError``; ``BuildStopped``
carries the whole message the builder should show.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import escape, site
from .consent import analytics_declared, material_consent
from .consent_export import gpc_json
from .errors import PolicyPressError
from .export import POLICY_JSON_SCHEMA, dumps, jsonld_script, policy_json, policy_jsonld
from .feed import atom_feed, feed_path
from .i18n import DEFAULT_LANGUAGES, Lang, languages_list
from .kept import Kept
from .lint.findings import LintReport, lint_summary
from .lint.findings import Severity as LintSeverity
from .loader import display_path
from .localefacts import use_cache_dir as use_locale_cache
from .locales import catalog, check_languages
from .model import CookieDeclaration, Policy
from .pages import SiteBuild, render_generated_page
from .proposed import refuse_unconfirmed_releases
from .provenance import load_provenance
from .scan import Rule, ScanReport, scan_site
from .scan.report import format_finding, render_text, summary
from .scan.transparency import fill_scan_note, scan_note
from .trackers.names import names_overlap, parse_name
from .trackers.signatures import use_cache_dir as use_signatures_cache
from .buildcache import as_text, cache_dir_for, pickled, texts_fingerprint
from .render import use_cache_dir
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
    # The site's languages: the policy's (policy.yaml), narrowed by the builder's option.
    languages: tuple[Lang, ...] = DEFAULT_LANGUAGES
    lint_fail_on: str = "never"
    scan_enabled: bool = True
    scan_strict: bool = False
    scan_pages: tuple[Path, ...] = ()
    # Hosts of the site itself (from its published URL): its absolute links are not a third party.
    site_hosts: tuple[str, ...] = ()
    # Keep the site's own consent switches (e.g. Material's `github`) beside the policy's.
    consent_merge: bool = True
    # "site": the banner's title, description and buttons come from the site's extra.consent
    # where it gives them (it is the site's banner); "policy": from the policy, in each page's language.
    consent_texts: str = "site"
    # Check the cookie table of the draft rather than of the release in effect (mkdocs serve, previews).
    scan_draft: bool = False
    # Storage the theme itself writes, declared on the site's behalf unless the data declares it.
    theme_storage: Mapping[str, CookieDeclaration] = field(default_factory=dict)


def is_preview(option: bool, environ: Mapping[str, str]) -> bool:
    """Previews show the draft; the environment switch lets `make preview` turn it on per build."""
    return option or environ.get("POLICYPRESS_PREVIEW", "") not in ("", "0")


def load_edition(data_dir: Path, environ: Mapping[str, str]) -> tuple[History, dt.date, Release]:
    """The verified history, the build date and the release in effect on it."""
    try:
        cache_dir = cache_dir_for(data_dir)
        use_cache_dir(cache_dir)  # our templates' bytecode
        use_signatures_cache(cache_dir)  # the validated tracker signatures
        use_locale_cache(cache_dir)  # the dates and language names the pages take from Babel
        history = load_history(data_dir, cache_dir=cache_dir)
        history.draft  # the working copy must be valid even when it is not shown
        load_provenance(history)  # where the releases' facts came from must name real paths
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


def site_languages(current: Release, chosen: Sequence[str] = ()) -> tuple[Lang, ...]:
    """The languages of the site: those of the release in effect, or the ones ``chosen`` of them
    (in the policy's order), each with a locale (ours, or the project's ``locales_dir``)."""
    languages = current.policy.languages
    if chosen:
        try:
            wanted = [Lang(code) for code in chosen]
        except ValueError as exc:
            raise BuildStopped(f"policypress: languages: {exc}") from None
        unknown = [lang.value for lang in wanted if lang not in languages]
        if unknown:
            raise BuildStopped(
                f"policypress: languages: {', '.join(unknown)} not among the languages of release "
                f"{current.version} ({languages_list(languages)}, from its policy.yaml)"
            )
        languages = tuple(lang for lang in languages if lang in wanted)
    try:
        check_languages(languages)
    except PolicyPressError as exc:
        raise BuildStopped(f"policypress: {exc}") from None
    return languages


def lint_phase(history: History, current: Release, *, preview: bool, fail_on: str) -> list[str]:
    """One summary line per linted edition (the draft too in previews); raises when ``fail_on`` is met."""
    if not preview:
        # Proposed facts and review notes are for previews only; a published page would state them as true.
        try:
            refuse_unconfirmed_releases(history)
        except PolicyPressError as exc:
            raise BuildStopped(f"policypress: {exc}") from None
    targets: list[tuple[str, Policy, Path, Release | None]] = [
        (f"release {current.version}", current.policy, current.path, current)
    ]
    if preview:
        targets.append(("draft", history.draft, history.data_dir, None))
    lines = []
    for label, policy, data_dir, release in targets:
        report = _lint_report(label, policy, data_dir, release, history.cache_dir)
        lines.append(f"policypress {lint_summary(report)} ({label}): see `policypress lint` for details")
        if fail_on != "never" and report.at_or_above(LintSeverity(fail_on)):
            raise BuildStopped(
                f"policypress: the lint of {label} fails the build (fail_on: {fail_on}):\n{render_lint(report, 'text')}"
            )
    return lines


def _lint_report(label: str, policy: Policy, data_dir: Path, release: Release | None, cache_dir: Path | None) -> LintReport:
    def run() -> LintReport:
        from .lint.engine import lint_policy  # noqa: PLC0415 - the rules are imported only when a report is not kept

        return lint_policy(policy, data_dir, label=label)

    if release is None or cache_dir is None:
        return run()
    # A release's files never change (load_history has just checked them against its sealed manifest):
    # its report is kept by their checksums, by where the report names them from, and by the English
    # texts it quotes (a legal basis's article, from locales/en.yaml and the project's locales_dir).
    key = json.dumps([release.manifest_sha256, sorted(release.manifest.files.items()), display_path(data_dir), label,
                      texts_fingerprint(catalog(Lang.EN))])
    return pickled("lint", key, LintReport, run, cache_dir)


def render_lint(report: LintReport, fmt: str) -> str:
    from .lint.report import render  # noqa: PLC0415 - only when the lint fails the build

    return render(report, fmt)


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
    history: History, today: dt.date, *, preview: bool, languages: Sequence[Lang] = DEFAULT_LANGUAGES,
    use_directory_urls: bool = True, cache_dir: Path | None = None,
) -> SiteBuild:
    """``cache_dir``: where the frozen releases' rendered outputs are kept between builds
    (``cache_dir_for(data_dir)``); without it they are kept in memory only."""
    pages = tuple(site.plan_pages(history, today, preview=preview, languages=languages))
    return SiteBuild(history, today, pages, use_directory_urls=use_directory_urls, preview=preview, cache_dir=cache_dir)


@dataclass(frozen=True)
class PageOutput:
    html: str
    toc: list[dict[str, Any]]  # get_toc's input; names are HTML (escaped here)
    anchor_ids: frozenset[str] = field(default_factory=frozenset)


OUTPUTS_KEPT = 1024


def render_page(page: site.GeneratedPage, build: SiteBuild, *, site_url: str | None = None,
                kept: Kept[str, PageOutput] | None = None) -> PageOutput:
    """``kept``: the pages without the draft an earlier build of this builder rendered, by everything they
    show (``mkdocs serve`` renders the site again after each save, and an edit of the draft changes none)."""
    parts = build.output_parts(page) if kept is not None else None
    if kept is None or parts is None:
        return _render_page(page, build, site_url=site_url)
    languages = sorted({lang for release in build.history.releases for lang in release.policy.languages})
    key = build.key("page-output", [*parts, site_url], languages)
    return kept.recall(key, lambda: _render_page(page, build, site_url=site_url))


def _render_page(page: site.GeneratedPage, build: SiteBuild, *, site_url: str | None = None) -> PageOutput:
    rendered = render_generated_page(page, build)
    html_out = rendered.html
    if page.kind in (site.PageKind.CURRENT, site.PageKind.RELEASE, site.PageKind.DRAFT):
        # The same facts for machines: DPV JSON-LD about this page.
        version = page.version or site.DRAFT
        release = build.history.get(version)

        def script() -> str:
            return jsonld_script(policy_jsonld(
                build.policy(version), version=version, effective=release.effective.isoformat() if release else None,
                site_url=site_url,
            ))

        seal = build.seal(version)
        # Its vocabulary labels are in every language of the policy.
        html_out += build.once(("jsonld", version, site_url), script) if seal is None else build.frozen(
            "jsonld", [seal, version, site_url], build.policy(version).languages, script, encode=str, decode=as_text
        )
    # Material prints toc names as HTML: the titles come from the data, so escape them.
    toc = [{"level": h.level, "id": h.id, "name": str(escape.html(h.title)), "children": []} for h in rendered.headings]
    return PageOutput(html_out, toc, frozenset(rendered.anchor_ids))


def site_digest(*parts: object) -> str:
    """A digest of what every generated page shows of the site (its configuration, its pages, the options)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=repr).encode("utf-8")).hexdigest()


def page_digest(stub: str, output: PageOutput, site_key: str) -> str:
    """What one generated page shows: equal digests, the same page (a dirty rebuild can leave it as it is)."""
    return site_digest(site_key, stub, output.html, output.toc, sorted(output.anchor_ids))


def consent_for(
    current: Release, lang: Lang, *, policy_url: str, site_consent: Mapping[str, Any] | None, options: Options
) -> dict[str, Any]:
    """The banner's settings for pages in ``lang``, shaped as Material's ``extra.consent``."""
    consent = material_consent(current.policy, lang, policy_url=policy_url, cookie_anchor=COOKIE_TABLE)
    own = dict(site_consent or {})
    if options.consent_texts == "site":
        consent.update({key: own[key] for key in ("title", "description", "actions") if own.get(key)})
    if options.consent_merge and isinstance(own.get("cookies"), Mapping):
        consent["cookies"] = merge_switches(own["cookies"], consent["cookies"])
    return consent


def merge_switches(site: Mapping[str, Any], ours: Mapping[str, Any]) -> dict[str, Any]:
    """The site's switches in its order with their names and ``checked`` states (its ``github``
    opt-in stays as the site set it), then ours. A category of the policy always starts off
    (a pre-ticked box is no consent), under the site's name for it when it gives one."""
    merged: dict[str, Any] = {}
    for key, value in site.items():
        # Material accepts `analytics: Name` as short for `{name: Name, checked: false}`.
        switch = dict(value) if isinstance(value, Mapping) else {"name": str(value), "checked": False}
        if key in ours:
            switch = {**ours[key], "name": switch.get("name") or ours[key]["name"], "checked": False}
        merged[key] = switch
    for key, value in ours.items():
        merged.setdefault(key, dict(value))
    return merged


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
        def document(release: Release = release) -> str:
            return dumps(policy_json(release.policy, version=release.version, effective=release.effective.isoformat()))

        files[f"releases/{release.version}/policy.json"] = build.frozen(
            "policy-json", [build.seal(release.version), release.version], release.policy.languages, document,
            encode=str, decode=as_text,
        )
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


@dataclass(frozen=True)
class CookieTable:
    """The cookie table a scan checks: the draft's, or that of the release in effect."""

    policy: Policy
    data_dir: Path
    label: str  # "the draft (policy_data/cookies.yaml)", or "release 1.2 (policy_data/releases/1.2/cookies.yaml)"
    is_draft: bool


def cookie_table(history: History, current: Release, *, draft: bool) -> CookieTable:
    """While editing (mkdocs serve, previews) the draft's table; when publishing, the release's."""
    if draft:
        # Named with its file, as a release is, so that a message says which file to fix.
        where = display_path(history.data_dir / "cookies.yaml")
        return CookieTable(history.draft, history.data_dir, f"the draft ({where})", True)
    where = display_path(current.path / "cookies.yaml")
    return CookieTable(current.policy, current.path, f"release {current.version} ({where})", False)


def with_theme_storage(policy: Policy, theme_storage: Mapping[str, CookieDeclaration]) -> tuple[Policy, set[str]]:
    """``policy`` with the theme's own storage declared where the data does not declare it itself."""
    declared = [parse_name(name) for name in policy.cookies]
    added = {
        name: cookie for name, cookie in theme_storage.items()
        if not any(names_overlap(parse_name(name), pattern) for pattern in declared)
    }
    if not added:
        return policy, set()
    return replace(policy, cookies={**policy.cookies, **added}), set(added)


def scan_verdict(site_dir: Path, table: CookieTable, options: Options) -> ScanVerdict:
    """The built site (and the folders in ``scan_pages``) against ``table``. Errors stop the build."""
    policy, implicit = with_theme_storage(table.policy, options.theme_storage)
    try:
        report = scan_site(
            site_dir, policy, extra_pages=list(options.scan_pages), strict=options.scan_strict,
            data_dir=table.data_dir, site_hosts=options.site_hosts, cache_dir=cache_dir_for(options.data_dir),
        )
    except PolicyPressError as exc:
        raise BuildStopped(f"policypress scan (of {table.label}): {exc}") from None
    # The theme's keys are declared on the site's behalf: a feature the site does not use is no finding.
    report.findings[:] = [
        finding for finding in report.findings
        if not (finding.rule is Rule.DECLARED_NOT_OBSERVED and finding.key in implicit)
    ]
    if not report.ok:
        advice = (
            "" if table.is_draft else
            "\nFix policy_data/ (the draft), then release it (`policypress release VERSION --effective YYYY-MM-DD`): "
            "a build checks the release in effect; `mkdocs serve` and previews check the draft."
        )
        raise BuildStopped(
            f"policypress scan found problems (checked against {table.label}):\n{render_text(report)}{advice}"
        )
    lines = [f"policypress scan: checked the built site against {table.label}", f"policypress scan: {summary(report)}"]
    lines += [f"policypress scan: {format_finding(finding).splitlines()[0]} ({table.label})" for finding in report.warnings]
    return ScanVerdict(report, lines)


def write_scan_notes(site_dir: Path, build: SiteBuild, report: ScanReport) -> None:
    """The scan's note under the cookie table of each current-policy page, once the site is built."""
    for page in build.pages:
        if page.kind is site.PageKind.CURRENT:
            path = site_dir / site.page_url(page.src_uri, use_directory_urls=build.use_directory_urls)
            path = path / "index.html" if build.use_directory_urls else path
            note = scan_note(report, build.today, page.lang)
            before = path.read_text(encoding="utf-8")
            after = fill_scan_note(before, note)
            if after != before:  # an unchanged page keeps its time: the next scan knows it is the same
                path.write_text(after, encoding="utf-8")
