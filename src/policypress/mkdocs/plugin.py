"""The policypress MkDocs plugin: events only. Every decision is in ``policypress.build``.

Events, in build order:
  on_config       load and verify policy_data/ and its releases (fail before site/ is touched),
                  print the GDPR lint summary, add our theme partials and stylesheets
  on_files        the generated pages (current policy, archive, releases, changes, draft) and the
                  files published beside them (policy.json, feeds, gpc.json), all known by then
  on_nav          our pages into the navigation; one navigation per language
  on_page_content put the rendered HTML into the generated pages
  on_page_context per-page language: switcher, theme texts, consent banner
  on_post_build   the consent scan of the built site and its note under the cookie table
                  (it needs every page written, so it cannot run earlier)
  on_serve        `mkdocs serve` rebuilds when policy_data/ changes

The theme folder is put just after the site's own ``custom_dir`` and before Material's:
our partials replace Material's, and a site that overrides one of them still wins.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import _TocToken, get_toc
from mkdocs.utils import normalize_url
from mkdocs.utils.templates import TemplateContext

from policypress import build, site
from policypress.errors import PolicyPressError
from policypress.feed import feed_path
from policypress.i18n import DEFAULT_LANG, Lang
from policypress.pages import SiteBuild, page_date
from policypress.ui import ui
from policypress.versions import Release

from .config import PolicyPressConfig
from .navigation import language_navs, place_pages

THEME_DIR = Path(__file__).resolve().parent / "theme"
# Static files of THEME_DIR, which MkDocs copies (and serves) like any theme asset.
STYLESHEETS = ("policypress/policypress.css", "policypress/print.css")
log = logging.getLogger("mkdocs.plugins.policypress")


def _stop(exc: PolicyPressError) -> Abort:
    return Abort(str(exc) if isinstance(exc, build.BuildStopped) else f"policypress: {exc}")


@dataclass
class _BuildState:
    """What one build learns in its early events and needs in its later ones."""

    options: build.Options
    plan: SiteBuild
    current: Release
    site_consent: dict[str, Any] | None
    generated: dict[str, site.GeneratedPage] = field(default_factory=dict)
    navs: dict[Lang, Navigation] = field(default_factory=dict)
    translations: dict[str, dict[Lang, site.PageRef]] = field(default_factory=dict)


class PolicyPressPlugin(BasePlugin[PolicyPressConfig]):
    """Builds the policy pages of ``policy_data/`` into a Material for MkDocs site."""

    def __init__(self) -> None:
        super().__init__()
        self._state: _BuildState | None = None

    @property
    def state(self) -> _BuildState:
        if self._state is None:
            raise Abort("policypress: the plugin's on_config event did not run")
        return self._state

    def options(self, config: MkDocsConfig) -> build.Options:
        base = Path(config.config_file_path or ".").parent
        chosen = self.config.languages
        return build.Options(
            data_dir=base / self.config.data_dir,
            preview=build.is_preview(self.config.preview, os.environ),
            languages=tuple(lang for lang in Lang if not chosen or lang.value in chosen),
            lint_fail_on=self.config.lint.fail_on,
            scan_enabled=self.config.scan.enabled,
            scan_strict=self.config.scan.strict,
            scan_pages=tuple(base / folder for folder in self.config.scan.pages),
            consent_merge=self.config.consent.merge,
            consent_texts=self.config.consent.texts,
        )

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._state = None  # every build starts afresh (mkdocs serve rebuilds included)
        options = self.options(config)
        try:
            history, today, current = build.load_edition(options.data_dir, os.environ)
            for line in build.lint_phase(history, current, preview=options.preview, fail_on=options.lint_fail_on):
                log.info(line)
            if not build.keep_analytics(config.extra.get("analytics") or {}, current):
                config.extra.pop("analytics", None)
        except PolicyPressError as exc:
            raise _stop(exc) from None
        plan = build.plan(
            history, today, preview=options.preview, languages=options.languages,
            use_directory_urls=config.use_directory_urls,
        )
        site_consent = config.extra.get("consent")
        # Material shows the banner when extra.consent is set; the text is chosen per page.
        config.extra["consent"] = build.consent_for(
            current, DEFAULT_LANG, policy_url="", site_consent=site_consent, options=options
        )
        dirs = config.theme.dirs
        if str(THEME_DIR) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
        for stylesheet in STYLESHEETS:
            if stylesheet not in config.extra_css:
                config.extra_css.append(stylesheet)
        self._state = _BuildState(options, plan, current, site_consent)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        server.watch(str(self.state.options.data_dir))
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        state = self.state
        # With a nav: of the site's own, our pages are placed in on_nav; MkDocs must not report them as omitted.
        explicit_nav = config.nav is not None
        for page in state.plan.pages:
            file = File.generated(config, page.src_uri, content=page.stub())
            if not page.in_nav or explicit_nav:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(file)
            state.generated[page.src_uri] = page
        artifacts = build.artifacts(state.plan, state.current, site_url=config.site_url, languages=state.options.languages)
        for path, content in artifacts.items():
            # INCLUDED: MkDocs would leave out .well-known/ (a dot folder) otherwise.
            files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.INCLUDED))
        return files

    def _key(self, src_uri: str) -> str:
        generated = self.state.generated.get(src_uri)
        return site.translation_key(src_uri, generated.key if generated else None)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        state = self.state
        refs = [(site.PageRef(file.src_uri, file.url), self._key(file.src_uri)) for file in files.documentation_pages()]
        state.translations = site.index_translations(refs)
        if config.nav is None:
            state.navs = language_navs(nav)
        else:
            # The site wrote its own navigation: ours join it, and it stays the site's, unsplit.
            ours = [file.page for file in files.documentation_pages() if self._in_nav(file.src_uri)]
            place_pages(nav, [page for page in ours if isinstance(page, Page)], self.config.nav.section)
        return nav

    def _in_nav(self, src_uri: str) -> bool:
        page = self.state.generated.get(src_uri)
        return page is not None and page.in_nav

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        state = self.state
        generated = state.generated.get(page.file.src_uri)
        # MkDocs dates pages with the clock (sitemap lastmod, the sitemap.xml.gz header).
        page.update_date = page_date(generated, state.plan).isoformat()
        if generated is None:
            return html
        output = build.render_page(generated, state.plan, site_url=config.site_url)
        page.toc = get_toc(cast(list[_TocToken], output.toc))
        page.present_anchor_ids = set(output.anchor_ids)
        return output.html

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        state = self.state
        lang = site.page_language(page.file.src_uri)
        if lang in state.navs:
            context["nav"] = state.navs[lang]
        # Pages are rendered one at a time, so the switcher and the hreflang links
        # Material draws from extra.alternate can point at this page's translations.
        alternates = site.alternates(self._key(page.file.src_uri), state.translations)
        config.extra["alternate"] = [asdict(alt) for alt in alternates if Lang(alt.lang) in state.options.languages]
        policy_ref = state.translations.get(site.PageKind.CURRENT.value, {}).get(lang)
        policy_url = normalize_url(policy_ref.url, page) if policy_ref else ""
        context["pp"] = {  # type: ignore[typeddict-unknown-key]  # read by our partials
            "lang": lang.value,
            "consent": build.consent_for(
                state.current, lang, policy_url=policy_url, site_consent=state.site_consent, options=state.options
            ),
            "owner": state.current.policy.controller.legal_name,
            "cookie_settings": ui("consent.settings", lang),
            "feed_url": normalize_url(feed_path(lang), page),
            "feed_title": ui("feed.title", lang),
        }
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        state = self.state
        if not state.options.scan_enabled:
            return
        site_dir = Path(config.site_dir)
        try:
            verdict = build.scan_verdict(site_dir, state.current, state.options)
        except PolicyPressError as exc:
            raise _stop(exc) from None
        for line in verdict.lines:
            log.info(line)
        build.write_scan_notes(site_dir, state.plan, verdict.report)
