"""Accessibility in the real browser: axe-core (WCAG 2.2 AA) on every page type in both
languages, the consent banner opened, the banner and the language switcher by keyboard
alone, and `lang` on every page and every passage in the other language.

All pages are served on 127.0.0.1; every other request is aborted in the browser.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from policypress.a11y import (
    BANNER,
    EXIT_FINDINGS,
    EXIT_OK,
    check_site,
    keep_local,
    render_json,
    render_text,
    run_axe,
)
from policypress.audit.browser import CONTEXT_OPTIONS, wait_until_still
from policypress.errors import AuditTimeout, UsageError
from policypress.localserver import serve_directory

from conftest import run_mkdocs_build

pytestmark = pytest.mark.browser

# Every page type, in both languages (the cookie table is part of the policy pages).
PAGES = {
    "root chooser": "",
    "home en": "en/",
    "home sv": "sv/",
    "current policy en": "en/privacy-policy/",
    "current policy sv": "sv/integritetspolicy/",
    "frozen release en": "en/privacy-policy/1.0/",
    "frozen release sv": "sv/integritetspolicy/1.0/",
    "archive en": "en/privacy-policy/archive/",
    "archive sv": "sv/integritetspolicy/arkiv/",
    "what changed en": "en/privacy-policy/changes/1.0-1.1/",
    "what changed sv": "sv/integritetspolicy/andringar/1.0-1.1/",
}
CONSENT_TEXTS = {"en": ("Accept", "Reject", "Manage settings"), "sv": ("Acceptera", "Acceptera inte", "Hantera inställningar")}
# A first visit shows the banner; focus moves into it, so its buttons are a few Tabs away.
MAX_TABS_TO_BANNER_BUTTON = 6
MAX_TABS_TO_LANGUAGE_SWITCHER = 6


def _report(violations) -> str:
    return "\n".join(str(v) for v in violations)


def _new_context(browser, base_url: str, **options):
    context = browser.new_context(**{**CONTEXT_OPTIONS, **options})  # reduced motion, as the tool's
    context.route("**/*", keep_local(base_url))
    return context


def _close_banner(page, url: str) -> None:
    """Store "rejected" through Material's own storage, so the banner stays closed."""
    page.goto(url)
    page.evaluate("() => __md_set('__consent', {})")  # localStorage: stored before the next line runs
    page.goto(url)


def _stored_consent(page) -> dict | None:
    entries = page.evaluate("() => Object.entries(localStorage)")
    values = [json.loads(value) for key, value in entries if key.endswith("__consent")]
    assert len(values) <= 1, entries
    return values[0] if values else None


def _open_banner(page, url: str) -> None:
    page.goto(url)
    page.locator(BANNER).wait_for(state="visible")
    wait_until_still(page)  # the banner's fade-in has ended: what is measured is what stays
    page.wait_for_function("() => document.forms.consent.contains(document.activeElement)")


def _focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement, s = getComputedStyle(e);
        return { tag: e.tagName, text: e.textContent.trim(), hreflang: e.getAttribute('hreflang'),
                 label: e.getAttribute('aria-label'), inBanner: document.forms.consent.contains(e),
                 outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) } }"""
    )


def _tab_to(page, matches, limit: int) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if matches(focused):
            return focused
    pytest.fail(f"not reached in {limit} Tabs; focus is on {_focused(page)}")


def _assert_focus_visible(focused: dict) -> None:
    assert focused["outline"] not in ("none", "") and focused["outlineWidth"] >= 2, focused


def test_keep_local_lets_the_site_load_and_aborts_every_other_request(browser, tmp_path):
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title><link rel="stylesheet" href="site.css">'
        '<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script></head>'
        '<body><img src="http://127.0.0.2:8765/pixel.gif" alt=""></body></html>', encoding="utf-8")
    (tmp_path / "site.css").write_text("body { color: #000 }", encoding="utf-8")
    with serve_directory(tmp_path) as base_url:
        context = _new_context(browser, base_url)
        page = context.new_page()
        failed, answered = [], []
        page.on("requestfailed", lambda request: failed.append((request.url, request.failure)))
        page.on("response", lambda response: answered.append((response.url, response.status)))
        page.goto(base_url)
        page.wait_for_load_state("load")
        context.close()
    assert answered == [(base_url, 200), (base_url + "site.css", 200)]
    assert sorted(failed) == [("http://127.0.0.2:8765/pixel.gif", "net::ERR_FAILED"),
                              ("https://www.googletagmanager.com/gtag/js?id=G-1", "net::ERR_FAILED")]


@pytest.fixture(scope="module")
def closed_banner_page(browser, site_url):
    """One tab on the built site, the consent already answered (banner closed)."""
    context = _new_context(browser, site_url)
    page = context.new_page()
    _close_banner(page, site_url)
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_no_serious_violation(closed_banner_page, site_url, path):
    closed_banner_page.goto(site_url + path)
    violations = run_axe(closed_banner_page, path)
    assert not violations, _report(violations)


@pytest.mark.parametrize("path", ["en/privacy-policy/", "sv/integritetspolicy/andringar/1.0-1.1/"])
def test_axe_on_a_phone_wide_screen_where_the_tables_scroll(browser, site_url, path):
    context = _new_context(browser, site_url, viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        _close_banner(page, site_url + path)
        violations = run_axe(page, path)
        assert not violations, _report(violations)
    finally:
        context.close()


def test_axe_on_the_draft_page_of_a_preview_build(browser, project_copy, tmp_path):
    result = run_mkdocs_build(
        project_copy, tmp_path / "preview", env={"POLICY_DATE": "2026-11-25", "POLICYPRESS_PREVIEW": "1"}
    )
    assert result.returncode == 0, result.stderr
    paths = ["en/privacy-policy/draft/", "sv/integritetspolicy/draft/"]
    with serve_directory(result.site) as base_url:
        context = _new_context(browser, base_url)
        try:
            page = context.new_page()
            _close_banner(page, base_url + paths[0])
            violations = run_axe(page, paths[0])
            page.goto(base_url + paths[1])
            violations += run_axe(page, paths[1])
        finally:
            context.close()
    assert not violations, _report(violations)


@pytest.mark.parametrize("lang,path", [("en", "en/privacy-policy/"), ("sv", "sv/integritetspolicy/")])
def test_axe_on_the_consent_banner_open_and_its_settings_open(browser, site_url, lang, path):
    context = _new_context(browser, site_url)
    try:
        page = context.new_page()
        _open_banner(page, site_url + path)
        violations = run_axe(page, path, "banner open")
        manage = page.locator(f"{BANNER} label[for=__settings]")
        manage.focus()
        page.keyboard.press("Enter")
        page.locator(f"{BANNER} .md-consent__settings").wait_for(state="visible")
        violations += run_axe(page, path, "settings open")
    finally:
        context.close()
    assert not violations, _report(violations)


@pytest.mark.parametrize(
    "lang,button,stored",
    [("en", 0, {"analytics": True}), ("en", 1, {}), ("sv", 0, {"analytics": True}), ("sv", 1, {})],
    ids=["accept-en", "reject-en", "accept-sv", "reject-sv"],
)
def test_the_banner_by_keyboard_alone(browser, site_url, lang, button, stored):
    """Tab to Accept (or Reject) from the page's start, press Enter: the choice is stored, the banner closes."""
    label = CONSENT_TEXTS[lang][button]
    context = _new_context(browser, site_url)
    try:
        page = context.new_page()
        _open_banner(page, f"{site_url}{lang}/")
        assert _stored_consent(page) is None
        focused = _tab_to(
            page, lambda f: f["inBanner"] and f["tag"] == "BUTTON" and f["text"] == label, MAX_TABS_TO_BANNER_BUTTON
        )
        _assert_focus_visible(focused)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        page.wait_for_load_state("load")
        assert _stored_consent(page) == stored
        # Material decides in an inline script, before "load": with a choice stored it sets no timer
        # to show the banner (that is only done when nothing is stored), so hidden now is hidden for good.
        assert page.evaluate("() => document.querySelector('[data-md-component=consent]').hidden") is True
        assert not page.locator(BANNER).is_visible()
    finally:
        context.close()


def test_manage_settings_is_a_button_for_the_keyboard(browser, site_url):
    context = _new_context(browser, site_url)
    try:
        page = context.new_page()
        _open_banner(page, f"{site_url}en/")
        manage_text = CONSENT_TEXTS["en"][2]
        focused = _tab_to(page, lambda f: f["inBanner"] and f["text"] == manage_text, MAX_TABS_TO_BANNER_BUTTON)
        _assert_focus_visible(focused)
        manage = page.locator(f"{BANNER} label[for=__settings]")
        assert manage.get_attribute("role") == "button"
        assert manage.get_attribute("aria-expanded") == "false"
        settings = page.locator(f"{BANNER} .md-consent__settings")
        page.keyboard.press("Enter")
        settings.wait_for(state="visible")
        assert manage.get_attribute("aria-expanded") == "true"
        page.keyboard.press(" ")
        settings.wait_for(state="hidden")
        assert manage.get_attribute("aria-expanded") == "false"
        page.keyboard.press(" ")
        settings.wait_for(state="visible")
        # Tick analytics with the keyboard, then Accept stores exactly what is ticked.
        page.locator(f"{BANNER} input[name=analytics]").focus()
        page.keyboard.press(" ")
        assert page.locator(f"{BANNER} input[name=analytics]").is_checked()
        _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == CONSENT_TEXTS["en"][0], 3)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert _stored_consent(page) == {"analytics": True}
    finally:
        context.close()


@pytest.mark.parametrize(
    "start,other,arrive,arrive_lang",
    [("en/privacy-policy/", "sv", "sv/integritetspolicy/", "sv"), ("sv/integritetspolicy/", "en", "en/privacy-policy/", "en")],
    ids=["en-to-sv", "sv-to-en"],
)
def test_the_language_switcher_by_keyboard(browser, site_url, start, other, arrive, arrive_lang):
    context = _new_context(browser, site_url)
    try:
        page = context.new_page()
        _close_banner(page, site_url + start)
        focused = _tab_to(
            page, lambda f: f["tag"] == "BUTTON" and f["label"] in ("Select language", "Välj språk"),
            MAX_TABS_TO_LANGUAGE_SWITCHER,
        )
        _assert_focus_visible(focused)
        focused = _tab_to(page, lambda f: f["hreflang"] == other, 2)
        _assert_focus_visible(focused)
        # The list opens for the focused link (focus-within), not only on hover.
        page.wait_for_function("() => getComputedStyle(document.querySelector('.md-select__inner')).opacity === '1'")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == site_url + arrive
        assert page.locator("html").get_attribute("lang") == arrive_lang
    finally:
        context.close()


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def test_lang_on_every_page_and_passage(built_site):
    checked = 0
    for file in _pages(built_site):
        relative = file.relative_to(built_site).as_posix()
        html = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        page_lang = html.html.get("lang")
        expected = relative.split("/")[0] if relative.split("/")[0] in ("en", "sv") else "en"
        assert page_lang == expected, f"{relative}: <html lang={page_lang!r}>, expected {expected!r}"
        # Every link to a page in another language names its language, on the link or around it.
        for link in html.select("[hreflang]"):
            if link.name == "link":
                continue
            marked = link.get("lang") or next((p.get("lang") for p in link.parents if p.get("lang")), None)
            assert marked == link["hreflang"], f"{relative}: {link} is in {link['hreflang']}, marked {marked!r}"
            checked += 1
        # The policy's own content declares its language too.
        for block in html.select(".pp-policy, .pp-archive, .pp-changes, .pp-diff"):
            assert block.get("lang") == expected, f"{relative}: {block.name}.{block.get('class')} lang={block.get('lang')}"
    assert checked >= 20


def test_the_root_chooser_links_carry_their_language(built_site):
    html = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["hreflang"]: a for a in html.select(".pp-languages a")}
    assert set(links) == {"en", "sv"}
    assert all(a.get("lang") == lang for lang, a in links.items())


def test_the_language_switcher_marks_each_language_and_the_current_one(built_site):
    html = BeautifulSoup((built_site / "sv" / "integritetspolicy" / "index.html").read_text("utf-8"), "html.parser")
    links = {a["hreflang"]: a for a in html.select("a.md-select__link")}
    assert links["en"]["lang"] == "en" and links["sv"]["lang"] == "sv"
    assert links["sv"].get("aria-current") == "true" and links["en"].get("aria-current") is None


def test_the_policy_tables_are_named_scrollable_regions(built_site):
    html = BeautifulSoup((built_site / "en" / "privacy-policy" / "index.html").read_text("utf-8"), "html.parser")
    wrappers = html.select("div.pp-table")
    assert wrappers
    for wrapper in wrappers:
        assert wrapper["tabindex"] == "0" and wrapper["role"] == "region"
        caption = html.find(id=wrapper["aria-labelledby"])
        assert caption is not None and caption.name == "caption" and caption.get_text(strip=True)


# The command's engine on a whole site, a page with known problems, and bad input.


def test_check_site_on_the_built_site(browser, built_site):
    report = check_site(built_site, max_pages=3, browser=browser)
    assert report.exit_code == EXIT_OK, render_text(report)
    assert report.pages[0] == "" and len(report.pages) == 3
    assert report.banner_checked
    data = json.loads(render_json(report))
    assert data["ok"] is True and data["violations"] == [] and data["seconds_per_page"] > 0


def test_check_site_reports_by_page_rule_and_element(browser, tmp_path):
    (tmp_path / "index.html").write_text(
        "<!doctype html><html><head><title>x</title></head><body><main>"
        '<img src="data:," class="nameless"><a href="https://example.org/"><img src="data:,"></a>'
        "</main></body></html>",
        encoding="utf-8",
    )
    report = check_site(tmp_path, browser=browser)
    assert report.exit_code == EXIT_FINDINGS
    rules = {v.rule for v in report.violations}
    assert {"html-has-lang", "image-alt"} <= rules, rules
    assert not report.banner_checked
    text = render_text(report)
    assert "/\n  html-has-lang (serious)" in text
    image_alt = next(v for v in report.violations if v.rule == "image-alt")
    assert image_alt.impact == "critical" and {n.target for n in image_alt.nodes} == {".nameless", "a > img"}
    assert '<img src="data:," class="nameless">' in text
    data = json.loads(render_json(report))
    assert data["ok"] is False and {v["page"] for v in data["violations"]} == {""}


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_check_site_bad_input_is_exit_2(tmp_path, make):
    site = tmp_path / "site"
    if make == "empty":
        site.mkdir()
    with pytest.raises(UsageError) as caught:
        check_site(site)
    assert caught.value.exit_code == 2


FADING_BANNER = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fading banner</title>
<style>
@keyframes fade { from { opacity: 0.15 } to { opacity: 1 } }
@keyframes spin { to { transform: rotate(360deg) } }
form { animation: fade 2s linear; background: #fff; color: #000; }
.spinner { animation: spin 1s linear infinite; width: 1em; height: 1em; border: 2px solid #000; }
</style></head><body><main><h1>A banner that fades in</h1>
<div class="spinner" aria-hidden="true"></div>
<form name="consent"><p>We would like to use cookies for statistics.</p><button type="button">Accept</button></form>
</main></body></html>"""


def test_check_site_measures_a_fading_banner_once_it_has_faded_in(browser, tmp_path):
    # The animation ignores reduced motion (as Material's does): halfway, black on white is grey on
    # white, 1.3:1. The verdict must be the banner's as it stays, on a fast machine or a slow one.
    # (The spinner never ends: it must not hold the check up.)
    (tmp_path / "index.html").write_text(FADING_BANNER, encoding="utf-8")
    report = check_site(tmp_path, browser=browser)
    assert report.banner_checked
    assert report.violations == [], render_text(report)
    assert report.exit_code == EXIT_OK


def test_check_site_on_a_page_that_busy_loops_ends_with_a_timeout(browser):
    site = Path(__file__).parent / "fixtures" / "audit-sites" / "busy-loop" / "pages"
    with pytest.raises(AuditTimeout) as caught:
        check_site(site, browser=browser, page_timeout=3)
    assert str(caught.value).endswith("/ did not respond within 3 s: a script keeps the page's main thread busy")
    assert caught.value.exit_code == 2
    assert browser.is_connected()
