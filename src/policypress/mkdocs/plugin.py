"""The policypress MkDocs plugin: events only. Every decision is in ``policypress.build``.

Events, in build order:
  on_startup      which command runs: `mkdocs serve` checks the draft's cookie table, a build the release's
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

The site stays the site's: its navigation, extra.consent (texts, buttons, its own switches),
extra.alternate, copyright and extra.analytics are kept; every change made to its configuration
is logged once per build (INFO, "policypress: ...").

The theme folder is put just after the site's own ``custom_dir`` and before Material's:
our partials replace Material's, and a site that overrides one of them still wins.
"""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Literal, cast
from urllib.parse import urlsplit

import click
import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import _TocToken, get_toc
from mkdocs.utils import normalize_url
from mkdocs.utils.templates import TemplateContext

from policypress import build, locales, site
from policypress.buildcache import cache_dir_for, theme_bytecode_dir
from policypress.errors import PolicyPressError
from policypress.feed import feed_path
from policypress.i18n import Lang
from policypress.kept import Kept
from policypress.pages import SiteBuild, page_date
from policypress.ui import theme_texts, ui
from policypress.versions import Release

from .config import PolicyPressConfig
from .generated import GeneratedFile, GeneratedPage
from .navigation import is_language_site, language_navs, place_pages
from .serve import Written, watch_promptly
from .storage import theme_storage

if TYPE_CHECKING:  # only `mkdocs serve` imports MkDocs' server
    from mkdocs.livereload import LiveReloadServer

THEME_DIR = Path(__file__).resolve().parent / "theme"
# Static files of THEME_DIR, which MkDocs copies (and serves) like any theme asset.
STYLESHEETS = ("policypress/policypress.css", "policypress/print.css")
log = logging.getLogger("mkdocs.plugins.policypress")


class _Stopped(Abort):
    """MkDocs' Abort, but on stderr and with our exit code (2: bad input), like `policypress check`:
    `make site` runs no separate check any more, and MkDocs prints its Abort on stdout with 1."""

    def show(self, *args: Any, **kwargs: Any) -> None:
        click.echo("\n" + self.format_message(), err=True)


def _stop(exc: PolicyPressError) -> Abort:
    stopped = _Stopped(str(exc) if isinstance(exc, build.BuildStopped) else f"policypress: {exc}")
    stopped.code = exc.exit_code
    stopped.exit_code = exc.exit_code  # type: ignore[misc]  # click exits with it; a ClassVar in the stubs
    return stopped


@dataclass
class _BuildState:
    """What one build learns in its early events and needs in its later ones."""

    options: build.Options
    plan: SiteBuild
    current: Release
    site_consent: dict[str, Any] | None
    table: build.CookieTable
    site_alternate: list[dict[str, Any]] | None = None
    site_language: str = "en"
    language_site: bool = False
    generated: dict[str, site.GeneratedPage] = field(default_factory=dict)
    outputs: dict[str, build.PageOutput] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    navs: dict[Lang, Navigation] = field(default_factory=dict)
    translations: dict[str, dict[Lang, site.PageRef]] = field(default_factory=dict)


class PolicyPressPlugin(BasePlugin[PolicyPressConfig]):
    """Builds the policy pages of ``policy_data/`` into a Material for MkDocs site."""

    def __init__(self) -> None:
        super().__init__()
        self._state: _BuildState | None = None
        self._command = "build"
        self._dirty = False
        self._written: Written | None = None
        self._outputs: Kept[str, build.PageOutput] = Kept(build.OUTPUTS_KEPT)  # kept between `mkdocs serve` rebuilds

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self._command = command
        self._dirty = dirty

    @property
    def state(self) -> _BuildState:
        if self._state is None:
            raise Abort("policypress: the plugin's on_config event did not run")
        return self._state

    def options(self, config: MkDocsConfig) -> build.Options:
        base = Path(config.config_file_path or ".").parent
        return build.Options(
            data_dir=base / self.config.data_dir,
            preview=build.is_preview(self.config.preview, os.environ),
            lint_fail_on=self.config.lint.fail_on,
            scan_enabled=self.config.scan.enabled,
            scan_strict=self.config.scan.strict,
            scan_pages=tuple(base / folder for folder in self.config.scan.pages),
            site_hosts=tuple(host for host in [urlsplit(config.site_url or "").hostname] if host),
            consent_merge=self.config.consent.merge,
            consent_texts=self.config.consent.texts,
            scan_draft=self._command == "serve" or build.is_preview(self.config.preview, os.environ),
        )

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._state = None  # every build starts afresh (mkdocs serve rebuilds included)
        options = self.options(config)
        base = Path(config.config_file_path or ".").parent
        try:
            locales.use_project_dir(base / self.config.locales_dir if self.config.locales_dir else None)
            history, today, current = build.load_edition(options.data_dir, os.environ)
            options = replace(options, languages=build.site_languages(current, self.config.languages))
            # While editing (serve, previews) the draft is linted too, as it is scanned.
            editing = options.preview or options.scan_draft
            for line in build.lint_phase(history, current, preview=editing, fail_on=options.lint_fail_on):
                log.info(line)
            analytics = config.extra.get("analytics")
            if analytics is not None and not build.keep_analytics(analytics or {}, current):
                config.extra.pop("analytics", None)
                log.info("policypress: extra.analytics removed: it has no property id, and Material would load "
                         "gtag.js with an empty one")
        except PolicyPressError as exc:
            raise _stop(exc) from None
        plan = build.plan(
            history, today, preview=options.preview, languages=options.languages,
            use_directory_urls=config.use_directory_urls, cache_dir=cache_dir_for(options.data_dir),
        )
        options = replace(options, theme_storage=theme_storage(config.site_url, current.policy.controller.id))
        site_consent = config.extra.get("consent")
        # Material shows the banner when extra.consent is set; the text is chosen per page.
        config.extra["consent"] = build.consent_for(
            current, options.languages[0], policy_url="", site_consent=site_consent, options=options
        )
        log.info("policypress: %s", _consent_change(site_consent, config.extra["consent"], options))
        dirs = config.theme.dirs
        if str(THEME_DIR) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
            log.info("policypress: theme: added the policypress partials (consent, alternate, copyright, language) "
                     "after the site's custom_dir, before Material's")
        added_css = [sheet for sheet in STYLESHEETS if sheet not in config.extra_css]
        config.extra_css.extend(added_css)
        if added_css:
            log.info("policypress: extra_css: added %s", ", ".join(added_css))
        alternate = config.extra.get("alternate")
        table = build.cookie_table(history, current, draft=options.scan_draft)
        self._state = _BuildState(
            options, plan, current, site_consent, table,
            site_alternate=list(alternate) if isinstance(alternate, list) else None,
            site_language=str(config.theme.get("language") or options.languages[0].value),
        )
        return config

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # MkDocs makes a new environment per build and compiles the theme's templates again:
        # their bytecode is kept beside ours (Jinja checks each template's source against it).
        folder = theme_bytecode_dir(self.state.options.data_dir)
        if folder is not None:
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        return env

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Callable[..., Any]) -> LiveReloadServer:
        server.watch(str(self.state.options.data_dir))
        watch_promptly(server)
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        state = self.state
        # A site made of one folder per policy language (an init project) gets one menu per language;
        # any other site keeps its navigation, and our pages are placed into it in on_nav.
        state.language_site = config.nav is None and is_language_site(
            [file.src_uri for file in files.documentation_pages()], state.options.languages
        )
        # The site's own pages and settings, as far as they show on ours (navigation, banner, options).
        site_key = build.site_digest(
            Path(config.config_file_path).read_bytes() if config.config_file_path else b"",
            [(file.src_uri, _mtime(file.abs_src_path)) for file in files.documentation_pages()],
            {key: value for key, value in config.extra.items() if key != "alternate"}, state.options,
        )
        # A dirty build rewrites only the pages whose digest changed since the last finished build into
        # the same folder; until this one has finished, what is in the folder is not known.
        written, self._written = (self._written if self._dirty else None), None
        for page in state.plan.pages:
            output = state.outputs[page.src_uri] = build.render_page(
                page, state.plan, site_url=config.site_url, kept=self._outputs if self._command == "serve" else None
            )
            stub = page.stub()
            digest = state.digests[page.src_uri] = build.page_digest(stub, output, site_key)
            file = cast(GeneratedFile, GeneratedFile.generated(config, page.src_uri, content=stub))
            file.modified = (written is None or written.site_dir != config.site_dir
                             or written.digests.get(page.src_uri) != digest or not os.path.isfile(file.abs_dest_path))
            if not page.in_nav or not state.language_site:
                file.inclusion = InclusionLevel.NOT_IN_NAV
            GeneratedPage(None, file, config)  # becomes file.page, which MkDocs' navigation and build use
            files.append(file)
            state.generated[page.src_uri] = page
        artifacts = build.artifacts(state.plan, state.current, site_url=config.site_url, languages=state.options.languages)
        for path, content in artifacts.items():
            # INCLUDED: MkDocs would leave out .well-known/ (a dot folder) otherwise.
            files.append(File.generated(config, path, content=content, inclusion=InclusionLevel.INCLUDED))
        return files

    def _key(self, src_uri: str) -> str:
        generated = self.state.generated.get(src_uri)
        return site.translation_key(src_uri, generated.key if generated else None, self.state.options.languages)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        state = self.state
        refs = [(site.PageRef(file.src_uri, file.url), self._key(file.src_uri)) for file in files.documentation_pages()]
        state.translations = site.index_translations(refs, state.options.languages)
        if state.language_site:
            state.navs = language_navs(nav, state.options.languages)
        else:
            # The site's navigation (written or automatic) stays the site's: ours join it, unsplit.
            ours = [file.page for file in files.documentation_pages() if self._in_nav(file.src_uri)]
            placed = [page for page in ours if isinstance(page, Page)]
            place_pages(nav, placed, self.config.nav.section)
            where = f"the section '{self.config.nav.section}'" if self.config.nav.section else "the top level"
            log.info("policypress: nav: added %d policy pages to %s of the site's navigation", len(placed), where)
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
        output = state.outputs[page.file.src_uri]
        page.toc = get_toc(cast(list[_TocToken], output.toc))
        page.present_anchor_ids = set(output.anchor_ids)
        return output.html

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        state = self.state
        generated = state.generated.get(page.file.src_uri)
        page_lang = self._page_language(page.file.src_uri)
        lang = page_lang or _supported(state.site_language, state.options.languages)
        if lang in state.navs:
            context["nav"] = state.navs[lang]
        # Pages are rendered one at a time, so the switcher and the hreflang links
        # Material draws from extra.alternate can point at this page's translations.
        config.extra["alternate"] = self._alternates(page.file.src_uri, generated is not None)
        policy_ref = state.translations.get(site.PageKind.CURRENT.value, {}).get(lang)
        policy_url = normalize_url(policy_ref.url, page) if policy_ref else ""
        context["pp"] = {  # type: ignore[typeddict-unknown-key]  # read by our partials
            # The site's own pages keep the theme's language (a `language: de` site stays German).
            "lang": page_lang.value if page_lang else "",
            # The same for every page of a language (at the same depth): made once per build.
            "consent": state.plan.once(("consent", lang, policy_url), lambda: build.consent_for(
                state.current, lang, policy_url=policy_url, site_consent=state.site_consent, options=state.options)),
            "owner": state.current.policy.controller.legal_name,
            "cookie_settings": ui("consent.settings", lang),
            "feed_url": normalize_url(feed_path(lang), page),
            "feed_title": ui("feed.title", lang),
            # Our corrections of Material's texts (partials/language.html).
            "theme_texts": state.plan.once(("theme-texts", lang), lambda: theme_texts(lang)),
            "x_default": self._x_default(page_lang, config.extra["alternate"]),
        }
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        state = self.state
        self._written = Written(config.site_dir, dict(state.digests))
        if not state.options.scan_enabled:
            return
        site_dir = Path(config.site_dir)
        try:
            verdict = build.scan_verdict(site_dir, state.table, state.options)
        except PolicyPressError as exc:
            raise _stop(exc) from None
        for line in verdict.lines:
            log.info(line)
        build.write_scan_notes(site_dir, state.plan, verdict.report)

    def _page_language(self, src_uri: str) -> Lang | None:
        """A generated page's language, or that of a policy-language folder; None for the site's other pages."""
        generated = self.state.generated.get(src_uri)
        if generated is not None:
            return generated.lang
        return site.language_folder(src_uri, self.state.options.languages)

    def _x_default(self, page_lang: Lang | None, alternates: list[dict[str, Any]] | None) -> str:
        """hreflang x-default of a page in a policy language: its version in the policy's first language."""
        languages = self.state.options.languages
        if page_lang is None or len(languages) < 2:
            return ""
        return next((str(alt["link"]) for alt in alternates or () if alt.get("lang") == languages[0].value), "")

    def _alternates(self, src_uri: str, generated: bool) -> list[dict[str, Any]] | None:
        """The site's own switcher on its pages; on ours, our translations plus the site's other languages."""
        state = self.state
        ours: list[dict[str, Any]] = []
        if len(state.options.languages) > 1:
            ours = [asdict(alt) for alt in site.alternates(self._key(src_uri), state.translations, state.options.languages)]
        if state.site_alternate is None:
            return ours or None
        if not generated:
            return state.site_alternate
        covered = {alt["lang"] for alt in ours}
        return ours + [alt for alt in state.site_alternate if isinstance(alt, dict) and alt.get("lang") not in covered]


def _mtime(path: str | None) -> int:
    try:
        return os.stat(path).st_mtime_ns if path else 0
    except OSError:
        return 0


def _supported(code: str, languages: tuple[Lang, ...]) -> Lang:
    """The site's theme language if the policy has it, else the policy's first language."""
    return next((lang for lang in languages if lang.value == code), languages[0])


def _consent_change(site_consent: Any, merged: dict[str, Any], options: build.Options) -> str:
    ours = ", ".join(key for key in merged["cookies"] if not (isinstance(site_consent, dict)
                                                               and key in (site_consent.get("cookies") or {})))
    if not isinstance(site_consent, dict):
        return f"extra.consent: set from the policy (switches: {ours or 'none'})"
    kept = [key for key in ("title", "description", "actions") if site_consent.get(key) and options.consent_texts == "site"]
    own = ", ".join(site_consent.get("cookies") or {}) if options.consent_merge else ""
    return (f"extra.consent: merged the policy's switches ({ours or 'none'}) into the site's; kept the site's "
            f"{', '.join(kept) or 'nothing of its texts (consent.texts: policy)'}"
            + (f" and its switches ({own}) with their checked states" if own else ""))
