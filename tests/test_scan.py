"""`policypress scan` on the fixture sites: exactly the findings each one was written to produce.

Each site under tests/fixtures/sites/<name>/ has its pages in site/ and its declarations in
policy_data/. The expected findings below were written from the fixtures by hand; lines are
located by a piece of text that occurs once in the fixture file.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from clirun import Cli, CliResult, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT

SITES = ROOT / "tests" / "fixtures" / "sites"


@pytest.fixture
def scan(cli: Cli) -> Callable[..., CliResult]:
    def run(*args: str, cwd: Path = ROOT) -> CliResult:
        return cli("scan", *args, cwd=cwd)

    return run


def fixture_args(name: str) -> list[str]:
    return [f"tests/fixtures/sites/{name}/pages", "--data", f"tests/fixtures/sites/{name}/policy_data"]


@pytest.fixture
def scan_json(scan: Callable[..., CliResult]) -> Callable[..., tuple[int, dict]]:
    def run(name: str, *extra: str) -> tuple[int, dict]:
        result = scan(*fixture_args(name), "--format", "json", *extra)
        assert result.returncode in (0, 1), result.stderr
        return result.returncode, json.loads(result.stdout)

    return run


def line_of(path: Path, needle: str) -> int:
    lines = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(lines) == 1, f"{needle!r} should occur once in {path}"
    return lines[0]


def summary(findings: list[dict]) -> set[tuple[str, str, str | None, str | None, str | None]]:
    return {(f["rule"], f["severity"], f["page"], f["vendor"], f["key"]) for f in findings}


# (exit code, {(rule, severity, page, vendor, key)})
EXPECTED = {
    "compliant": (0, set()),
    "material": (0, set()),
    "undeclared-tracker": (
        1,
        {
            ("undeclared", "error", "index.html", "hotjar", None),
            # Google Fonts stores nothing: the IP address it receives before consent is a warning.
            ("ip-transfer-before-consent", "warning", "about/index.html", "google_fonts", None),
        },
    ),
    "ga-before-consent": (1, {("before-consent", "error", "index.html", "google_analytics", None)}),
    "wrong-category": (1, {("wrong-category", "error", "index.html", "google_analytics", "_ga")}),
    "undeclared-local-storage": (1, {("undeclared", "error", "js/app.js", None, "recentlyViewed")}),
    "declared-not-observed": (
        0,
        {("declared-not-observed", "warning", "cookies.yaml", None, "__RequestVerificationToken")},
    ),
    "youtube-without-consent": (1, {("before-consent", "error", "index.html", "youtube", None)}),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_gives_exactly_its_findings(scan_json, name: str) -> None:
    code, report = scan_json(name)
    expected_code, expected = EXPECTED[name]
    assert summary(report["findings"]) == expected
    assert len(report["findings"]) == len(expected)
    assert code == expected_code
    assert report["ok"] is (expected_code == 0)
    pages = len(list((SITES / name / "pages").rglob("*.html")))
    assert report["pages_scanned"] == pages


def test_every_fixture_site_is_in_the_table() -> None:
    # A scan fixture is a folder of built pages; MkDocs projects there (three-languages) are built by their tests.
    assert {p.name for p in SITES.iterdir() if (p / "pages").is_dir()} == set(EXPECTED)


def test_compliant_site_sees_every_vendor_it_uses(scan_json) -> None:
    # A clean report is only worth something if the vendors were found and judged held or necessary.
    _, report = scan_json("compliant")
    assert set(report["vendors_seen"]) == {
        "google_analytics",
        "jsdelivr",  # the CDN the consent banner's files come from
        "mailchimp_forms",
        "umbraco_forms",
        "vanilla_cookieconsent",
    }


def test_before_consent_names_page_line_element_and_every_page(scan_json) -> None:
    _, report = scan_json("ga-before-consent")
    (finding,) = report["findings"]
    page = SITES / "ga-before-consent" / "pages" / "index.html"
    assert finding["folder"] == "tests/fixtures/sites/ga-before-consent/pages"
    assert finding["line"] == line_of(page, '<script async src="https://www.googletagmanager.com/gtag/js')
    assert finding["element"].startswith('<script async src="https://www.googletagmanager.com/gtag/js?id=G-CMT2024XY"')
    assert finding["pages_count"] == 2  # the same template on index.html and blog/index.html
    # The page uses Cookiebot, so the fix is written in Cookiebot's syntax.
    assert 'data-cookieconsent="statistics"' in finding["fix"]


def test_wrong_category_says_what_was_declared_and_what_it_is(scan_json) -> None:
    _, report = scan_json("wrong-category")
    (finding,) = report["findings"]
    assert (finding["declared_category"], finding["expected_category"]) == ("necessary", "analytics")
    assert finding["line"] == line_of(SITES / "wrong-category" / "pages" / "index.html", "gtag/js?id=")
    assert "category: analytics" in finding["fix"]


def test_undeclared_storage_key_points_at_the_code_that_writes_it(scan_json) -> None:
    _, report = scan_json("undeclared-local-storage")
    (finding,) = report["findings"]
    script = SITES / "undeclared-local-storage" / "pages" / "js" / "app.js"
    assert finding["storage_type"] == "localStorage"
    assert finding["line"] == line_of(script, 'localStorage.setItem("recentlyViewed"')
    assert finding["element"].startswith('localStorage.setItem("recentlyViewed"')
    assert '"recentlyViewed": {provider: cmt' in finding["fix"]


def test_undeclared_vendor_lists_what_it_stores_and_how_to_declare_it(scan_json) -> None:
    _, report = scan_json("undeclared-tracker")
    hotjar = next(f for f in report["findings"] if f["vendor"] == "hotjar")
    assert "_hjSessionUser_* (cookie)" in hotjar["message"]
    assert "_hjSession_* (cookie)" in hotjar["message"]
    assert "add 'hotjar' (the company) to recipients.yaml" in hotjar["fix"]
    fonts = next(f for f in report["findings"] if f["vendor"] == "google_fonts")
    assert "recipients.yaml" in fonts["message"]
    assert "theme.font: false" in fonts["fix"]


def test_declared_but_unseen_points_at_the_declaration_and_fails_only_when_strict(scan_json) -> None:
    code, report = scan_json("declared-not-observed")
    (finding,) = report["findings"]
    data = SITES / "declared-not-observed" / "policy_data"
    assert finding["folder"] == "tests/fixtures/sites/declared-not-observed/policy_data"
    assert finding["line"] == line_of(data / "cookies.yaml", "__RequestVerificationToken:")
    assert code == 0 and report["warnings"] == 1

    code, report = scan_json("declared-not-observed", "--strict")
    assert code == 1
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [("declared-not-observed", "error")]


def test_youtube_fix_uses_the_pages_consent_manager(scan_json) -> None:
    _, report = scan_json("youtube-without-consent")
    (finding,) = report["findings"]
    assert finding["line"] == line_of(SITES / "youtube-without-consent" / "pages" / "index.html", "youtube.com/embed")
    assert 'data-name="youtube"' in finding["fix"]  # Klaro is on the page
    assert "youtube_nocookie" in report["vendors_seen"]  # seen on videos/, held back by Klaro


def test_text_report_is_one_block_per_finding_with_a_summary(scan) -> None:
    result = scan(*fixture_args("undeclared-tracker"))
    assert result.returncode == 1
    blocks = result.stdout.strip().split("\n\n")
    assert len(blocks) == 3
    assert blocks[0].startswith("error[undeclared] tests/fixtures/sites/undeclared-tracker/pages/index.html:")
    assert blocks[1].startswith(
        "warning[ip-transfer-before-consent] tests/fixtures/sites/undeclared-tracker/pages/about/index.html:"
    )
    assert "Google Fonts" in blocks[1].splitlines()[0]
    assert all("\n  fix: " in block for block in blocks[:2])
    assert blocks[2].startswith("scanned 2 pages in tests/fixtures/sites/undeclared-tracker/pages: 1 error, 1 warning")


def test_text_report_of_a_clean_site_is_its_summary(scan) -> None:
    result = scan(*fixture_args("compliant"))
    assert result.returncode == 0
    assert result.stdout.startswith("scanned 3 pages in tests/fixtures/sites/compliant/pages: 0 errors, 0 warnings")


def test_junit_has_a_failed_case_per_finding(scan, tmp_path: Path) -> None:
    junit = tmp_path / "reports" / "scan.xml"
    result = scan(*fixture_args("undeclared-tracker"), "--junit", str(junit))
    assert result.returncode == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "2")
    cases = suite.findall("testcase")
    failures = {(case.get("classname"), failure.get("type")) for case in cases for failure in case.findall("failure")}
    assert failures == {
        ("policypress.scan.undeclared", "error"),
        ("policypress.scan.ip-transfer-before-consent", "warning"),
    }
    assert {case.get("file") for case in cases} == {
        "tests/fixtures/sites/undeclared-tracker/pages/index.html",
        "tests/fixtures/sites/undeclared-tracker/pages/about/index.html",
    }
    for case in cases:
        failure = case.find("failure")
        assert failure is not None
        assert "fix: " in (failure.text or "")


def test_junit_of_a_clean_site_is_one_passing_case(scan, tmp_path: Path) -> None:
    junit = tmp_path / "scan.xml"
    assert scan(*fixture_args("compliant"), "--junit", str(junit)).returncode == 0
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None


def test_pages_folders_are_checked_against_the_same_declarations(scan) -> None:
    # The compliant declarations name Google (so Google Fonts passes), but not Hotjar nor Klaro's cookie.
    result = scan(*fixture_args("compliant"), "--pages", "tests/fixtures/sites/undeclared-tracker/pages",
                  "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert report["pages_scanned"] == 5
    assert report["folders"] == ["tests/fixtures/sites/compliant/pages", "tests/fixtures/sites/undeclared-tracker/pages"]
    other = "tests/fixtures/sites/undeclared-tracker/pages"
    assert {(f["rule"], f["folder"], f["page"], f["vendor"]) for f in report["findings"]} == {
        ("undeclared", other, "index.html", "hotjar"),
        ("undeclared", other, "index.html", "klaro"),  # its cookie is declared only in the other fixture
    }


def test_pages_alone_scan_only_those_folders(scan) -> None:
    result = scan("--pages", "tests/fixtures/sites/ga-before-consent/pages", "--data",
                  "tests/fixtures/sites/ga-before-consent/policy_data", "--format", "json")
    report = json.loads(result.stdout)
    assert report["folders"] == ["tests/fixtures/sites/ga-before-consent/pages"]
    assert summary(report["findings"]) == EXPECTED["ga-before-consent"][1]


def test_material_analytics_without_consent_runs_before_consent(scan, tmp_path: Path) -> None:
    site = tmp_path / "material"
    shutil.copytree(SITES / "material", site)
    page = site / "pages" / "index.html"
    html = page.read_text(encoding="utf-8")
    gated = 'if("undefined"!=typeof __md_analytics){var consent=__md_get("__consent");consent&&consent.analytics&&__md_analytics()}'
    assert gated in html
    # What Material writes when extra.consent is not set: the call without a check, and no banner.
    html = html.replace(gated, '"undefined"!=typeof __md_analytics&&__md_analytics()')
    html = html.replace('data-md-component="consent"', 'data-md-component="no-consent"')
    page.write_text(html, encoding="utf-8")
    result = scan(str(site / "pages"), "--data", str(site / "policy_data"), "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 1
    assert summary(report["findings"]) == {
        ("before-consent", "error", "index.html", "google_analytics", None),
        ("declared-not-observed", "warning", "cookies.yaml", None, "/.__consent"),
    }
    before = next(f for f in report["findings"] if f["rule"] == "before-consent")
    assert before["line"] == line_of(page, '<script id="__analytics">')
    assert "extra.consent" in before["fix"]


def test_material_keys_are_localstorage_under_the_site_path(scan, tmp_path: Path) -> None:
    site = tmp_path / "material"
    shutil.copytree(SITES / "material", site)
    cookies = site / "policy_data" / "cookies.yaml"
    text = cookies.read_text(encoding="utf-8")
    cookies.write_text(text.replace("/.__consent:", "/.__consent_old:"), encoding="utf-8")
    report = json.loads(scan(str(site / "pages"), "--data", str(site / "policy_data"), "--format", "json").stdout)
    assert summary(report["findings"]) == {
        ("undeclared", "error", "index.html", "material", "/.__consent"),
        ("declared-not-observed", "warning", "cookies.yaml", None, "/.__consent_old"),
    }
    undeclared = next(f for f in report["findings"] if f["rule"] == "undeclared")
    assert undeclared["storage_type"] == "localStorage"
    assert undeclared["line"] == line_of(site / "pages" / "index.html", 'data-md-component="consent"')


# --- bad input: exit 2 with a message that says what is wrong ---------------------------------


def test_missing_site_folder(scan, tmp_path: Path) -> None:
    result = scan(str(tmp_path / "nowhere"), "--data", str(SITES / "compliant" / "policy_data"))
    assert result.returncode == 2
    assert "nowhere: no such folder" in result.stderr


def test_default_site_folder_is_site(scan, tmp_path: Path) -> None:
    result = scan("--data", str(SITES / "compliant" / "policy_data"), cwd=tmp_path)
    assert result.returncode == 2
    assert "site: no such folder" in result.stderr


def test_pages_folder_without_html(scan, tmp_path: Path) -> None:
    empty = tmp_path / "mirror"
    empty.mkdir()
    (empty / "readme.txt").write_text("no pages here", encoding="utf-8")
    result = scan(*fixture_args("compliant"), "--pages", str(empty))
    assert result.returncode == 2
    assert "mirror: no .html pages" in result.stderr
    assert "--adjust-extension" in result.stderr


def test_invalid_policy_data(scan, tmp_path: Path) -> None:
    data = tmp_path / "policy_data"
    shutil.copytree(SITES / "compliant" / "policy_data", data)
    (data / "cookies.yaml").write_text("cookies:\n  _ga:\n    provider: google\n", encoding="utf-8")
    result = scan(str(SITES / "compliant" / "pages"), "--data", str(data))
    assert result.returncode == 2
    assert "cookies.yaml" in result.stderr


BAD_SIGNATURES = [
    pytest.param(
        "version: 1\nvendors:\n  acme:\n    name: Acme\n    detect:\n      - script: cdn.acme.example/t.js\n",
        "vendors.acme.category: 'category' is required",
        id="missing-category",
    ),
    pytest.param(
        "version: 1\nvendors:\n  acme:\n    name: Acme\n    category: analytics\n    detect:\n      - inline: 'acme('\n",
        "is not a valid regular expression",
        id="bad-regex",
    ),
    pytest.param(
        "version: 1\nvendors:\n  acme:\n    name: Acme\n    category: analytics\n    detect:\n"
        "      - script: cdn.acme.example/t.js\n        sets: [acme_id]\n",
        "'sets' names 'acme_id', which is not in this vendor's storage",
        id="sets-unknown-name",
    ),
    pytest.param(
        "version: 1\nvendors:\n  acme:\n    name: Acme\n    category: analytics\n    detect:\n"
        "      - script: cdn.acme.example/t.js\n        iframe: cdn.acme.example/f\n",
        "write exactly one of",
        id="two-kinds",
    ),
    pytest.param(
        "version: 1\nvendors:\n  acme:\n    name: Acme\n    category: analytics\n    detect:\n"
        "      - script: cdn.acme.example/t.js\n    storage:\n"
        "      - {name: acme_id, type: cookie, party: first, duration: 2 years, purpose: An id.}\n",
        "'2 years' is not a duration",
        id="bad-duration",
    ),
]


@pytest.mark.parametrize(("content", "message"), BAD_SIGNATURES)
def test_bad_signatures_file(scan, tmp_path: Path, content: str, message: str) -> None:
    signatures = tmp_path / "mine.yaml"
    signatures.write_text(content, encoding="utf-8")
    result = scan(*fixture_args("compliant"), "--signatures", str(signatures))
    assert result.returncode == 2
    assert "in the tracker signatures" in result.stderr
    assert message in result.stderr
    assert "mine.yaml:" in result.stderr  # with the line of the problem


def test_own_signatures_make_the_scan_know_a_vendor(scan, tmp_path: Path) -> None:
    signatures = tmp_path / "mine.yaml"
    signatures.write_text(
        "version: 1\nvendors:\n  acme_chat:\n    name: Acme Chat\n    category: preferences\n"
        "    detect:\n      - script: cdn.acme.example/chat.js\n"
        "    storage:\n      - {name: acme_chat_id, type: cookie, party: first, duration: P1Y, purpose: The chat visitor id.}\n",
        encoding="utf-8",
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html><head><script src="https://cdn.acme.example/chat.js"></script></head></html>\n',
        encoding="utf-8",
    )
    data = str(SITES / "declared-not-observed" / "policy_data")
    without = json.loads(scan(str(site), "--data", data, "--format", "json").stdout)
    # Code from a host no signature knows, run before consent: an error until a signature says what it is.
    assert ("unknown-third-party", "error") in {(f["rule"], f["severity"]) for f in without["findings"]}
    with_own = json.loads(scan(str(site), "--data", data, "--format", "json", "--signatures", str(signatures)).stdout)
    rules = {(f["rule"], f["vendor"], f["key"]) for f in with_own["findings"] if f["severity"] == "error"}
    assert rules == {("undeclared", "acme_chat", "acme_chat_id"), ("before-consent", "acme_chat", None)}
