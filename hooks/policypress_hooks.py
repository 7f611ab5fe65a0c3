"""MkDocs adapter for policypress. Thin on purpose: every decision about the
policy lives in the ``policypress`` package; this file only translates MkDocs
events into calls to it, so the engine can move to another builder later.

Events, in build order:
  on_config       load and validate policy_data/ (fail before site/ is touched)
  on_files        add the generated policy pages (/en/..., /sv/...)
  on_nav          split the navigation by language
  on_page_content put the rendered policy into the generated pages
  on_page_context per-page language: switcher, theme texts, consent banner
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from policypress import site
from policypress.consent import analytics_declared, material_consent
from policypress.errors import PolicyPressError
from policypress.i18n import DEFAULT_LANG, Lang
from policypress.loader import load_policy
from policypress.model import Policy
from policypress.render import render_policy_page
from policypress.ui import ui


@dataclass
class _BuildState:
    """What one build learns in its early events and needs in its later ones."""

    policy: Policy
    generated: dict[str, site.GeneratedPage] = field(default_factory=dict)
    navs: dict[Lang, Navigation] = field(default_factory=dict)
    translations: dict[str, dict[Lang, site.PageRef]] = field(default_factory=dict)


# Reset by on_config at the start of every build (mkdocs serve rebuilds included).
_state: _BuildState | None = None


def _current() -> _BuildState:
    if _state is None:
        raise Abort("policypress: the on_config hook did not run")
    return _state


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    options = config.extra.get("policypress") or {}
    data_dir = Path(config.config_file_path).parent / options.get("data_dir", "policy_data")
    try:
        policy = load_policy(data_dir)
    except PolicyPressError as exc:
        _state = None
        raise Abort(f"policypress: {exc}") from None

    analytics = config.extra.get("analytics") or {}
    if not analytics.get("property"):
        # No property id: load no analytics at all (Material would load gtag with an empty id).
        config.extra.pop("analytics", None)
    elif not analytics_declared(policy):
        raise Abort(
            "policypress: extra.analytics is configured but policy_data/cookies.yaml declares no analytics "
            "cookie; declare the analytics cookies (category: analytics) or remove the property id"
        )
    # Material shows the banner when extra.consent is set; the text is chosen per page.
    config.extra["consent"] = material_consent(policy, DEFAULT_LANG, policy_url="", cookie_anchor="table-cookies")
    _state = _BuildState(policy=policy)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    state = _current()
    for page in site.policy_pages(state.policy):
        files.append(File.generated(config, page.src_uri, content=page.stub()))
        state.generated[page.src_uri] = page
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    state = _current()
    refs = []
    for page in nav.pages:
        generated = state.generated.get(page.file.src_uri)
        key = site.translation_key(page.file.src_uri, generated.key if generated else None)
        refs.append((site.PageRef(page.file.src_uri, page.file.url), key))
    state.translations = site.index_translations(refs)
    for item in nav.items:
        if isinstance(item, Section) and item.children:
            first = next((p for p in _pages(item)), None)
            if first is not None and first.file.src_uri.split("/")[0] in {lang.value for lang in Lang}:
                lang = site.page_language(first.file.src_uri)
                state.navs[lang] = Navigation(item.children, list(_pages(item)))
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
    if generated is None:
        return html
    rendered = render_policy_page(state.policy, generated.lang)
    page.toc = get_toc(
        [{"level": h.level, "id": h.id, "name": h.title, "children": []} for h in rendered.headings]
    )
    page.present_anchor_ids = set(rendered.anchor_ids)
    return rendered.html


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Navigation) -> dict[str, Any]:
    state = _current()
    src_uri = page.file.src_uri
    lang = site.page_language(src_uri)
    generated = state.generated.get(src_uri)
    key = site.translation_key(src_uri, generated.key if generated else None)
    if lang in state.navs:
        context["nav"] = state.navs[lang]
    # Pages are rendered one at a time, so the switcher and the hreflang links
    # Material draws from extra.alternate can be made to point at this page's translations.
    config.extra["alternate"] = [asdict(alt) for alt in site.alternates(key, state.translations)]
    policy_ref = state.translations.get(site.POLICY_KEY, {}).get(lang)
    policy_url = normalize_url(policy_ref.url, page) if policy_ref else ""
    context["pp"] = {
        "lang": lang.value,
        "consent": material_consent(state.policy, lang, policy_url=policy_url, cookie_anchor="table-cookies"),
        "owner": state.policy.controller.legal_name,
        "cookie_settings": ui("consent.settings", lang),
    }
    return context
