"""The built site: both languages, every table row, the switcher, Swedish theme texts, the consent banner."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from policypress.loader import load_policy

# The built site is pinned to 2026-11-25 (conftest.BUILD_DATE): version 1.2 is in effect.
POLICY = load_policy(ROOT / "policy_data" / "releases" / "1.2")
EN_PAGE = "en/privacy-policy/index.html"
SV_PAGE = "sv/integritetspolicy/index.html"


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


def table_rows(page: BeautifulSoup, kind: str) -> list[list[str]]:
    table = page.select_one(f"#table-{kind} table")
    assert table is not None, f"no {kind} table"
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.select("tbody tr")]


def test_policy_pages_exist_in_both_languages(built_site):
    assert (built_site / EN_PAGE).is_file()
    assert (built_site / SV_PAGE).is_file()
    assert soup(built_site, EN_PAGE).html["lang"] == "en"
    assert soup(built_site, SV_PAGE).html["lang"] == "sv"
    assert soup(built_site, EN_PAGE).h1.get_text(strip=True) == "Privacy policy"
    assert soup(built_site, SV_PAGE).h1.get_text(strip=True) == "Integritetspolicy"


@pytest.mark.parametrize("lang,page", [("en", EN_PAGE), ("sv", SV_PAGE)])
def test_every_recipient_cookie_and_activity_has_a_row(built_site, lang, page):
    html = soup(built_site, page)
    recipients = table_rows(html, "recipients")
    assert [row[0] for row in recipients] == [r.name.get(lang) for r in POLICY.recipients.values()]
    cookies = table_rows(html, "cookies")
    assert [row[0] for row in cookies] == list(POLICY.cookies)
    retention = table_rows(html, "retention")
    assert [row[0] for row in retention] == [a.name.get(lang) for a in POLICY.activities.activities.values()]
    activities = table_rows(html, "activities")
    assert [row[1] for row in activities] == [a.purpose.get(lang) for a in POLICY.activities.activities.values()]


def test_english_tables_say_what_a_reader_needs(built_site):
    html = soup(built_site, EN_PAGE)
    recipients = {row[0]: row for row in table_rows(html, "recipients")}
    # name, role, service, storage, safeguard
    assert recipients["MailChimp"][3] == "MailChimp's servers in the USA (United States)"
    assert recipients["MailChimp"][4] == "None stated"
    assert recipients["Microsoft (Office 365)"][4] == "Not needed: stored within the EEA"
    cookies = {row[0]: row for row in table_rows(html, "cookies")}
    # name, provider, type, category, duration, purpose, consent
    assert cookies["_ga"][1:5] == ["Google Analytics", "Cookie, first party", "Analytics", "2 years"]
    assert cookies["_ga"][6] == "Yes"
    assert cookies["__RequestVerificationToken"][3:5] == ["Necessary", "Session (deleted when the browser closes)"]
    assert cookies["__RequestVerificationToken"][6] == "No"
    assert cookies["*.__consent"][2:5] == ["Local storage, first party", "Necessary", "Until you clear your browser's storage"]


def test_swedish_tables_use_swedish_terms(built_site):
    html = soup(built_site, SV_PAGE)
    captions = [c.get_text(strip=True) for c in html.select(".pp-table caption")]
    assert "Cookies och liknande lagring i webbläsaren på vår webbplats" in captions
    assert "Hur länge vi sparar personuppgifter (lagringstid)" in captions
    recipients = {row[0]: row for row in table_rows(html, "recipients")}
    assert recipients["Microsoft (Office 365)"][1] == "Personuppgiftsbiträde"
    assert "Irland" in recipients["Microsoft (Office 365)"][3]
    cookies = {row[0]: row for row in table_rows(html, "cookies")}
    assert cookies["_ga"][3:5] == ["Statistikcookies", "2 år"]
    assert cookies["_ga"][6] == "Ja"
    rights = [row[0] for row in table_rows(html, "rights")]
    assert rights == ["Rätt till tillgång (artikel 15 GDPR)", "Rätt till radering (artikel 17 GDPR)"]


def test_sections_follow_the_seed_order(built_site):
    headings = [h.get_text(strip=True) for h in soup(built_site, EN_PAGE).select(".pp-policy h2")]
    assert headings == [
        "Scope",
        "PURPOSES FOR COLLECTING INFORMATION",
        "How we use and disclose your information",
        "Disclosure to third parties",
        "Storage of personal information",
        "Cookies",
        "Managing cookies",
        "Services using cookies",
        "Deletion & Retention of data",
        "Controller",
    ]


@pytest.mark.parametrize(
    "page,other_lang,expected_target",
    [(EN_PAGE, "sv", "sv/integritetspolicy/"), (SV_PAGE, "en", "en/privacy-policy/"), ("en/index.html", "sv", "sv/")],
)
def test_language_switcher_and_hreflang_lead_to_the_same_page(built_site, page, other_lang, expected_target):
    html = soup(built_site, page)
    base = "http://site/" + page.removesuffix("index.html")
    switch = html.select_one(f"a.md-select__link[hreflang={other_lang}]")
    assert switch is not None
    assert urljoin(base, switch["href"]) == "http://site/" + expected_target
    alternate = html.select_one(f'link[rel=alternate][hreflang="{other_lang}"]')
    assert urljoin(base, alternate["href"]) == "http://site/" + expected_target


def test_swedish_pages_have_swedish_theme_texts(built_site):
    html = soup(built_site, SV_PAGE)
    assert html.select_one("input[name=query]")["placeholder"] == "Sök"
    assert html.select_one("footer nav")["aria-label"] == "Sidfot"
    assert html.select_one("a.md-skip").get_text(strip=True) == "Gå till innehållet"
    assert html.select_one("nav.md-nav--secondary label").get_text(strip=True) == "Innehållsförteckning"
    english = soup(built_site, EN_PAGE)
    assert english.select_one("input[name=query]")["placeholder"] == "Search"


def test_navigation_shows_only_the_pages_of_the_page_language(built_site):
    def nav_titles(page: str) -> list[str]:
        return [a.get_text(strip=True) for a in soup(built_site, page).select("nav.md-nav--primary > ul > li > a.md-nav__link")]

    assert nav_titles(SV_PAGE) == ["Start", "Integritetspolicy", "Alla versioner"]
    assert nav_titles(EN_PAGE) == ["Home", "Privacy policy", "All versions"]


def test_site_root_links_to_both_languages(built_site):
    html = soup(built_site, "index.html")
    links = {a["hreflang"]: a["href"] for a in html.select("a[hreflang]") if "md-button" in a.get("class", [])}
    assert links == {"en": "en/privacy-policy/", "sv": "sv/integritetspolicy/"}


def test_home_pages_exist_in_both_languages(built_site):
    assert "CMT Konsult AB" in soup(built_site, "en/index.html").h1.get_text()
    assert soup(built_site, "sv/index.html").html["lang"] == "sv"


@pytest.mark.parametrize(
    "page,title,category,accept",
    [(EN_PAGE, "Cookie consent", "Analytics", "Accept"), (SV_PAGE, "Samtycke till cookies", "Statistikcookies", "Acceptera")],
)
def test_consent_banner_is_generated_from_the_categories(built_site, page, title, category, accept):
    form = soup(built_site, page).select_one("form[name=consent]")
    assert form.h4.get_text(strip=True) == title
    switches = {i["name"]: i.find_parent("label").get_text(strip=True) for i in form.select("input[type=checkbox][name]")}
    # Necessary cookies need no consent, so the data's categories give exactly one switch here.
    assert switches == {"analytics": category}
    assert form.select_one("button.md-button--primary").get_text(strip=True) == accept
    # The description links to the cookie table on the policy page in the same language.
    link = form.select_one("p a")
    assert link["href"].endswith("#table-cookies")


def test_no_analytics_is_loaded_without_a_property_id(built_site):
    for page in built_site.rglob("*.html"):
        assert "googletagmanager" not in page.read_text(encoding="utf-8"), page
