"""MkDocs adapter for policypress. Thin on purpose: every decision about the
policy lives in the ``policypress`` package; this file only translates MkDocs
events into calls to it, so the engine can move to another builder later.

Events, in build order:
  on_config       load and verify policy_data/ and its releases (fail before site/ is touched),
                  print the GDPR lint summary
  on_files        add the generated pages (current policy, archive, releases, changes, draft)
  on_nav          split the navigation by language
  on_page_content put the rendered HTML into the generated pages
  on_page_context per-page language: switcher, theme texts, consent banner
  on_post_build   the consent scan of the built site, its note under the cookie table,
                  policy.json per release, the Atom feeds, gpc.json
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from policypress import site
from policypress.consent import analytics_declared, material_consent
from policypress.consent_export import gpc_json
from policypress.export import POLICY_JSON_SCHEMA, dumps, jsonld_script, policy_json, policy_jsonld
from policypress.feed import atom_feed, feed_path
from policypress.errors import PolicyPressError
from policypress.i18n import DEFAULT_LANG, Lang
from policypress.lint import Severity as LintSeverity
from policypress.lint import lint_policy, lint_summary
from policypress.lint import render as render_lint
from policypress.pages import SiteBuild, page_date, render_generated_page
from policypress.scan import scan_site
from policypress.scan.report import format_finding, render_text, summary
from policypress.scan.transparency import fill_scan_note, scan_note
from policypress.ui import ui
from policypress.versions import build_date, load_history

COOKIE_TABLE = "table-cookies"
log = logging.getLogger("mkdocs.plugins.policypress")


@dataclass
class _BuildState:
    """What one build learns in its early events and needs in its later ones."""

    build: SiteBuild
    generated: dict[str, site.GeneratedPage] = field(default_factory=dict)
    navs: dict[Lang, Navigation] = field(default_factory=dict)
    translations: dict[str, dict[Lang, site.PageRef]] = field(default_factory=dict)


# Reset by on_config at the start of every build (mkdocs serve rebuilds included).
_state: _BuildState | None = None


def _current() -> _BuildState:
    if _state is None:
        raise Abort("policypress: the on_config hook did not run")
    return _state


def _is_preview(options: dict[str, Any]) -> bool:
    return bool(options.get("preview")) or os.environ.get("POLICYPRESS_PREVIEW", "") not in ("", "0")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    _state = None
    options = config.extra.get("policypress") or {}
    data_dir = Path(config.config_file_path).parent / options.get("data_dir", "policy_data")
    preview = _is_preview(options)
    try:
        history = load_history(data_dir)
        history.draft  # the working copy must be valid even when it is not shown
        today = build_date(dict(os.environ))
    except PolicyPressError as exc:
        raise Abort(f"policypress: {exc}") from None
    current = history.current(today)
    if current is None:
        raise Abort(
            f"policypress: no release is in effect on {today}: release the draft with "
            "`policypress release VERSION --effective YYYY-MM-DD`, or set POLICY_DATE"
        )
    _report_lint(options.get("lint") or {}, history, current, preview)
    pages = tuple(site.plan_pages(history, today, preview=preview))
    build = SiteBuild(history, today, pages, use_directory_urls=config.use_directory_urls)

    analytics = config.extra.get("analytics") or {}
    if not analytics.get("property"):
        # No property id: load no analytics at all (Material would load gtag with an empty id).
        config.extra.pop("analytics", None)
    elif not analytics_declared(current.policy):
        raise Abort(
            "policypress: extra.analytics is configured but the policy in effect declares no analytics "
            "cookie; declare the analytics cookies (category: analytics) or remove the property id"
        )
    # Material shows the banner when extra.consent is set; the text is chosen per page.
    config.extra["consent"] = material_consent(current.policy, DEFAULT_LANG, policy_url="", cookie_anchor=COOKIE_TABLE)
    _state = _BuildState(build=build)
    return config


def _report_lint(options: dict[str, Any], history: Any, current: Any, preview: bool) -> None:
    """The GDPR completeness summary of the policy in effect (and of the draft in previews)."""
    fail_on = options.get("fail_on", "never")
    if fail_on not in ("never", "warning", "error"):
        raise Abort(f"policypress: extra.policypress.lint.fail_on: '{fail_on}' is not one of never, warning, error")
    targets = [(f"release {current.version}", current.policy, current.path)]
    if preview:
        targets.append(("draft", history.draft, history.data_dir))
    for label, policy, data_dir in targets:
        report = lint_policy(policy, data_dir, label=label)
        log.info("policypress %s (%s): see `policypress lint` for details", lint_summary(report), label)
        if fail_on != "never" and report.at_or_above(LintSeverity(fail_on)):
            raise Abort(f"policypress: the lint of {label} fails the build (fail_on: {fail_on}):\n{render_lint(report, 'text')}")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = _current()
    for page in state.build.pages:
        file = File.generated(config, page.src_uri, content=page.stub())
        if not page.in_nav:
            file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
        state.generated[page.src_uri] = page
    return files


def _key(state: _BuildState, src_uri: str) -> str:
    generated = state.generated.get(src_uri)
    return site.translation_key(src_uri, generated.key if generated else None)


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    state = _current()
    refs = [
        (site.PageRef(file.src_uri, file.url), _key(state, file.src_uri))
        for file in files.documentation_pages()
    ]
    state.translations = site.index_translations(refs)
    for item in nav.items:
        if not isinstance(item, Section):
            continue
        pages = list(_pages(item))
        if pages and pages[0].file.src_uri.split("/")[0] in {lang.value for lang in Lang}:
            # One flat menu per language (home, policy, archive, ...), and previous/next
            # links that stay within the language.
            for previous, following in zip(pages, pages[1:]):
                previous.next_page, following.previous_page = following, previous
            pages[0].previous_page, pages[-1].next_page = None, None
            state.navs[site.page_language(pages[0].file.src_uri)] = Navigation(pages, pages)
    return nav


def _pages(section: Section):
    for child in section.children:
        if isinstance(child, Page):
            yield child
        elif isinstance(child, Section):
            yield from _pages(child)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    state = _current()
    generated = state.generated.get(page.file.src_uri)
    # MkDocs dates pages with the clock (sitemap lastmod, the sitemap.xml.gz header).
    page.update_date = page_date(generated, state.build).isoformat()
    if generated is None:
        return html
    rendered = render_generated_page(generated, state.build)
    html_out = rendered.html
    if generated.kind in (site.PageKind.CURRENT, site.PageKind.RELEASE, site.PageKind.DRAFT):
        # The same facts for machines: DPV JSON-LD about this page.
        version = generated.version or site.DRAFT
        release = state.build.history.get(version)
        document = policy_jsonld(
            state.build.policy(version), version=version, effective=release.effective.isoformat() if release else None
        )
        html_out += jsonld_script(document)
    page.toc = get_toc([{"level": h.level, "id": h.id, "name": h.title, "children": []} for h in rendered.headings])
    page.present_anchor_ids = set(rendered.anchor_ids)
    return html_out


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    state = _current()
    lang = site.page_language(page.file.src_uri)
    if lang in state.navs:
        context["nav"] = state.navs[lang]
    # Pages are rendered one at a time, so the switcher and the hreflang links
    # Material draws from extra.alternate can point at this page's translations.
    alternates = site.alternates(_key(state, page.file.src_uri), state.translations)
    config.extra["alternate"] = [asdict(alt) for alt in alternates]
    policy_ref = state.translations.get(site.PageKind.CURRENT.value, {}).get(lang)
    policy_url = normalize_url(policy_ref.url, page) if policy_ref else ""
    current = state.build.current
    assert current is not None
    context["pp"] = {
        "lang": lang.value,
        "consent": material_consent(current.policy, lang, policy_url=policy_url, cookie_anchor=COOKIE_TABLE),
        "owner": current.policy.controller.legal_name,
        "cookie_settings": ui("consent.settings", lang),
        "feed_url": normalize_url(feed_path(lang), page),
        "feed_title": ui("feed.title", lang),
    }
    return context


def on_post_build(config: MkDocsConfig) -> None:
    state = _current()
    current = state.build.current
    assert current is not None
    site_dir = Path(config.site_dir)

    # The consent-aware check: the built site (and any folders listed in mkdocs.yml)
    # against the cookie table of the policy in effect. Errors fail the build.
    options = (config.extra.get("policypress") or {}).get("scan") or {}
    if options.get("enabled", True):
        base = Path(config.config_file_path).parent
        try:
            report = scan_site(
                site_dir,
                current.policy,
                extra_pages=[base / folder for folder in options.get("pages", [])],
                strict=bool(options.get("strict", False)),
                data_dir=current.path,
            )
        except PolicyPressError as exc:
            raise Abort(f"policypress scan: {exc}") from None
        if not report.ok:
            raise Abort(f"policypress scan found problems:\n{render_text(report)}")
        # Warnings go out as information: in strict mode MkDocs would turn them into a failure.
        log.info("policypress scan: %s", summary(report))
        for finding in report.warnings:
            log.info("policypress scan: %s", format_finding(finding).splitlines()[0])
        for page in state.build.pages:
            if page.kind is site.PageKind.CURRENT:
                path = site_dir / site.page_url(page.src_uri, use_directory_urls=config.use_directory_urls)
                path = path / "index.html" if config.use_directory_urls else path
                note = scan_note(report, state.build.today, page.lang)
                path.write_text(fill_scan_note(path.read_text(encoding="utf-8"), note), encoding="utf-8")

    # The policy as data beside the pages, and a feed of releases per language.
    build = state.build
    (site_dir / "policy.json").write_text(
        dumps(policy_json(current.policy, version=current.version, effective=current.effective.isoformat())),
        encoding="utf-8",
    )
    (site_dir / "policy.schema.json").write_text(dumps(POLICY_JSON_SCHEMA), encoding="utf-8")
    for release in build.history.releases:
        target = site_dir / "releases" / release.version
        target.mkdir(parents=True, exist_ok=True)
        document = policy_json(release.policy, version=release.version, effective=release.effective.isoformat())
        (target / "policy.json").write_text(dumps(document), encoding="utf-8")
    for lang in Lang:
        feed = atom_feed(
            build.history, lang, today=build.today, base_url=config.site_url or "../",
            use_directory_urls=config.use_directory_urls,
        )
        (site_dir / feed_path(lang)).write_text(feed, encoding="utf-8")

    # Declares that the site honours Global Privacy Control (see the consent banner).
    well_known = Path(config.site_dir) / ".well-known"
    well_known.mkdir(parents=True, exist_ok=True)
    (well_known / "gpc.json").write_text(gpc_json(current.effective.isoformat()), encoding="utf-8")
