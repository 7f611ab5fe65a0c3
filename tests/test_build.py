"""Real MkDocs builds: escaping, failure that loses nothing, `make site`, links, analytics behind consent."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import BIN, ROOT, run_mkdocs_build, run_mkdocs_process, serve_directory
from policypress.linkcheck import run_linkchecker

EN_PAGE = "en/privacy-policy/index.html"


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_script_in_the_data_renders_as_text(project_copy):
    data = project_copy / "policy_data"
    # Released from 1.2's data: the draft (2.0) holds proposed facts, which `release` refuses.
    for frozen in (data / "releases" / "1.2").glob("*.yaml"):
        if frozen.name != "manifest.yaml":
            (data / frozen.name).write_text(frozen.read_text(encoding="utf-8"), encoding="utf-8")
    replace_in(data / "activities.yaml", "name: {en: Newsletter,", 'name: {en: "<script>alert(1)</script> Newsletter",')
    replace_in(data / "policy.yaml", "en: Privacy policy", 'en: "Privacy <b>policy</b>"')
    released = subprocess.run(
        [str(BIN / "policypress"), "release", "1.3", "--effective", "2026-12-01", "--class", "material",
         "--summary-en", "<i>New</i> newsletter", "--summary-sv", "Nytt nyhetsbrev"],
        cwd=project_copy, capture_output=True, text=True,
    )
    assert released.returncode == 0, released.stderr
    result = run_mkdocs_build(project_copy, project_copy / "site", env={"POLICY_DATE": "2026-12-01"})
    assert result.returncode == 0, result.stderr
    for page in (EN_PAGE, "en/privacy-policy/archive/index.html", "en/privacy-policy/changes/1.2-1.3/index.html"):
        raw = (project_copy / "site" / page).read_text(encoding="utf-8")
        assert "<script>alert(1)" not in raw, page
        assert "<b>policy</b>" not in raw, page
        assert "<i>New</i>" not in raw, page
    html = BeautifulSoup((project_copy / "site" / EN_PAGE).read_text(encoding="utf-8"), "html.parser")
    cells = [th.get_text(strip=True) for th in html.select("#table-activities tbody th")]
    assert "<script>alert(1)</script> Newsletter" in cells
    assert html.h1.get_text(strip=True) == "Privacy <b>policy</b>"
    archive = BeautifulSoup(
        (project_copy / "site" / "en/privacy-policy/archive/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert "<i>New</i> newsletter" in archive.select_one("#version-1\\.3").get_text()


def test_invalid_data_fails_the_build_and_keeps_the_previous_site(project_copy):
    site = project_copy / "site"
    assert run_mkdocs_build(project_copy, site).returncode == 0
    before = (site / EN_PAGE).read_text(encoding="utf-8")
    replace_in(project_copy / "policy_data" / "cookies.yaml", "category: analytics", "category: analytic")

    result = run_mkdocs_build(project_copy, site)

    assert result.returncode != 0
    assert re.search(
        r"policy_data/cookies\.yaml:\d+:5: cookies\._ga\.category: 'analytic' is not one of "
        r"necessary, preferences, analytics, marketing",
        result.stdout + result.stderr,
    ), result.stdout + result.stderr
    assert (site / EN_PAGE).read_text(encoding="utf-8") == before


def make_site(project: Path) -> subprocess.CompletedProcess[str]:
    """`make site` in a copy of the project, reusing this test run's virtual environment."""
    venv = BIN.parent
    return subprocess.run(
        ["make", "--no-print-directory", "-o", f"{venv}/.installed", "site", f"VENV={venv}"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "POLICYPRESS_GA_PROPERTY"},
    )


def test_make_site_replaces_site_only_when_everything_succeeded(project_copy):
    shutil.copy2(ROOT / "Makefile", project_copy / "Makefile")
    site = project_copy / "site"
    site.mkdir()
    (site / "marker.txt").write_text("previous build")
    replace_in(project_copy / "policy_data" / "recipients.yaml", "countries: [IE]", "countries: [Ireland]")

    failed = make_site(project_copy)

    assert failed.returncode != 0
    assert "policy_data/recipients.yaml:" in failed.stderr
    assert "'Ireland' is not an ISO 3166-1 alpha-2 country code" in failed.stderr
    assert (site / "marker.txt").read_text() == "previous build"

    replace_in(project_copy / "policy_data" / "recipients.yaml", "countries: [Ireland]", "countries: [IE]")
    built = make_site(project_copy)
    assert built.returncode == 0, built.stderr
    assert (site / EN_PAGE).is_file()
    assert not (site / "marker.txt").exists()
    # No staging folder of either build is left beside site/.
    assert sorted(p.name for p in project_copy.glob(".site-build*")) == []


def test_linkchecker_finds_no_broken_internal_link(site_url):
    result = run_linkchecker(site_url)
    assert result.returncode == 0, result.stdout
    assert "0 errors found" in result.stdout


def test_linkchecker_would_report_a_broken_link(built_site, tmp_path):
    # The check above can fail: the same command on the same site with one broken link does.
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    replace_in(site / "en" / "index.html", 'href="privacy-policy/"', 'href="privacy-polcy/"')
    with serve_directory(site) as url:
        result = run_linkchecker(url)
    assert result.returncode == 1
    assert "privacy-polcy" in result.stdout


@pytest.mark.browser
def test_google_analytics_loads_only_after_consent(ga_site, local_context):
    with serve_directory(ga_site) as url:
        page = local_context.context.new_page()
        page.goto(url + "en/privacy-policy/")
        page.wait_for_selector("form[name=consent]", state="visible")
        assert not [u for u in local_context.blocked if "googletagmanager.com" in u]
        assert page.evaluate("typeof window.dataLayer") == "undefined"

        page.click("form[name=consent] button:not([type=reset])")
        page.wait_for_load_state("load")
        page.wait_for_function("window.dataLayer !== undefined")
        assert any("googletagmanager.com/gtag/js?id=G-TEST123" in u for u in local_context.blocked)


@pytest.mark.browser
def test_managed_consent_without_analytics_keeps_analytics_off(ga_site, local_context):
    with serve_directory(ga_site) as url:
        page = local_context.context.new_page()
        page.goto(url + "en/privacy-policy/")
        page.click("form[name=consent] label[for=__settings]")
        analytics = page.locator("form[name=consent] input[name=analytics]")
        assert not analytics.is_checked()  # nothing is pre-ticked
        page.click("form[name=consent] button:not([type=reset])")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)
        assert not [u for u in local_context.blocked if "googletagmanager.com" in u]


@pytest.mark.browser
def test_rejecting_consent_keeps_analytics_off(ga_site, local_context):
    with serve_directory(ga_site) as url:
        page = local_context.context.new_page()
        page.goto(url + "sv/integritetspolicy/")
        page.click("form[name=consent] button[type=reset]")
        page.wait_for_load_state("load")
        page.goto(url + "sv/")
        page.wait_for_timeout(300)
        assert page.locator("form[name=consent]").is_hidden()
        assert not [u for u in local_context.blocked if "googletagmanager.com" in u]
        assert page.evaluate("typeof window.dataLayer") == "undefined"


@pytest.mark.browser
def test_global_privacy_control_turns_optional_categories_off_without_asking(ga_site, browser):
    context = browser.new_context(extra_http_headers={"Sec-GPC": "1"})
    context.add_init_script("Object.defineProperty(navigator, 'globalPrivacyControl', {get: () => true})")
    blocked: list[str] = []
    context.route(
        "**/*",
        lambda route: route.continue_()
        if route.request.url.startswith("http://127.0.0.1:")
        else (blocked.append(route.request.url), route.abort()),
    )
    try:
        with serve_directory(ga_site) as url:
            page = context.new_page()
            page.goto(url + "en/privacy-policy/")
            page.wait_for_timeout(500)
            assert page.locator("form[name=consent]").is_hidden()
            stored = page.evaluate("Object.entries(localStorage).filter(([k]) => k.endsWith('__consent'))")
            assert [value for _, value in stored] == ["{}"]
            assert not [u for u in blocked if "googletagmanager.com" in u]
            assert page.evaluate("typeof window.dataLayer") == "undefined"
    finally:
        context.close()


def test_build_publishes_gpc_json(built_site):
    assert json.loads((built_site / ".well-known" / "gpc.json").read_text()) == {
        "gpc": True,
        "lastUpdate": "2026-11-25",
    }


HOTJAR = """
<script>
    (function(h,o,t,j,a,r){
        h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
        h._hjSettings={hjid:1234567,hjsv:6};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    })(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>
"""


def test_an_ungated_hotjar_snippet_fails_the_build_naming_page_vendor_and_fix(project_copy):
    page = project_copy / "docs" / "en" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + HOTJAR, encoding="utf-8")
    result = run_mkdocs_build(project_copy, project_copy / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "policypress scan found problems" in output
    assert "en/index.html" in output
    assert "Hotjar" in output
    assert "fix:" in output


def test_cookie_table_says_when_and_against_how_many_pages_it_was_checked(built_site):
    pages = len(list(built_site.rglob("*.html")))
    en = BeautifulSoup((built_site / EN_PAGE).read_text(encoding="utf-8"), "html.parser")
    note = en.select_one("#table-cookies ~ .pp-scan-note").get_text(" ", strip=True)
    assert note.startswith(f"This table was checked on 25 November 2026 against the {pages} pages of this website")
    sv = BeautifulSoup((built_site / "sv/integritetspolicy/index.html").read_text(encoding="utf-8"), "html.parser")
    assert sv.select_one(".pp-scan-note").get_text(" ", strip=True).startswith("Tabellen kontrollerades den 25 november 2026")
    # Frozen release pages carry no such sentence: they were not checked against today's site.
    frozen = BeautifulSoup((built_site / "en/privacy-policy/1.0/index.html").read_text(encoding="utf-8"), "html.parser")
    assert frozen.select_one(".pp-scan-note") is None


def test_two_builds_of_the_same_commit_are_byte_identical(tmp_path):
    env = {"POLICY_DATE": "2026-11-25", "POLICYPRESS_SITE_URL": "https://policy.example.org/"}
    # Each in a process of its own, as two CI runs are: another hash seed, nothing in memory.
    first = run_mkdocs_process(ROOT, tmp_path / "a", env=env)
    assert first.returncode == 0, first.stderr
    time.sleep(1.1)  # a second later, so any clock-based timestamp would differ
    second = run_mkdocs_process(ROOT, tmp_path / "b", env=env)
    assert second.returncode == 0, second.stderr
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b
    different = [str(p) for p in files_a if (tmp_path / "a" / p).read_bytes() != (tmp_path / "b" / p).read_bytes()]
    assert different == []
    assert "<lastmod>2026-11-25</lastmod>" in (tmp_path / "a" / "sitemap.xml").read_text()
