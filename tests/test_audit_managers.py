"""The browser audit answers real consent managers' banners (tests/fixtures/managers/).

The open-source managers run their real code, served in the browser from the locked copies in
tools/consent-libs/ in place of the CDN, and autoconsent (tools/autoconsent/) answers them; Google
Analytics is the stand-in of tests/fixtures/standins/. The hosted managers cannot run offline: the
audit names them and says which scenarios it could not exercise.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT

from policypress.audit import MATERIAL, Timing, audit_site
from policypress.audit.autoconsent import ENV, MISSING, find_autoconsent
from policypress.audit.cdn import ConsentLibraries, find_libraries
from policypress.audit.findings import AuditReport
from policypress.audit.standins import load_standins
from policypress.loader import load_policy

MANAGERS = ROOT / "tests" / "fixtures" / "managers"
STANDINS = ROOT / "tests" / "fixtures" / "standins"
GA = {"_ga", "_ga_FIXTURE1"}
# name: (the manager as the report names it, autoconsent's rule, the cookie keeping the answer)
OPEN_SOURCE = {
    "cookieconsent3": ("CookieConsent v3 (orestbida, vanilla-cookieconsent)", "cookieconsent3", "cc_cookie"),
    "klaro": ("Klaro", "Klaro", "klaro"),
    "cookieconsent2": ("Cookie Consent v2 (Osano's open-source cookieconsent)", "Complianz optin",
                       "cookieconsent_status"),
}
HOSTED = {
    "cookiebot": "Cookiebot",
    "onetrust": "OneTrust",
    "usercentrics": "Usercentrics",
    "didomi": "Didomi",
    "osano": "Osano (hosted)",
    "complianz": "Complianz (WordPress plugin)",
}
ANSWERING = ("accept-all", "reject-all", "accept-then-withdraw")
needs_tools = pytest.mark.skipif(
    find_autoconsent() is None or not find_libraries(), reason="run `make tools` (autoconsent, consent-libs)"
)


def _audit(browser, name: str, **options) -> AuditReport:
    return audit_site(
        MANAGERS / name / "pages", load_policy(MANAGERS / "policy_data"), browser=browser,
        standins=load_standins(STANDINS), banner=replace(MATERIAL, timeout_ms=3000),
        timing=Timing(quiet_ms=200, max_ms=3000, page_timeout=10),
        dark_patterns=False,  # the banners' design is judged in test_dark_patterns.py (Klaro's "That's ok")
        **options,
    )


def _cookies(report: AuditReport, scenario: str) -> set[str]:
    summary = next(s for s in report.scenarios if s.scenario == scenario)
    return {cookie.name for cookie in summary.cookies}


def _notes(report: AuditReport, scenario: str) -> list[str]:
    return next(s for s in report.scenarios if s.scenario == scenario).notes


@needs_tools
@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(OPEN_SOURCE))
def test_open_source_manager_answered_in_every_scenario(browser, name: str) -> None:
    manager, rule, answer_cookie = OPEN_SOURCE[name]
    report = _audit(browser, name)

    assert [(f.rule.value, f.scenario, f.message) for f in report.findings] == []
    assert report.exit_code == 0
    # Nothing optional before an answer or under GPC (no banner answered there).
    assert _cookies(report, "before-consent") == set()
    assert _cookies(report, "gpc") == set()
    # Accept runs the tracker; Reject stores the answer and nothing else.
    assert _cookies(report, "accept-all") == {answer_cookie} | GA
    assert _cookies(report, "reject-all") == {answer_cookie}
    accepted = f"{manager}: banner answered (accept) by autoconsent's rule '{rule}'"
    rejected = f"{manager}: banner answered (reject) by autoconsent's rule '{rule}'"
    assert accepted in _notes(report, "accept-all")
    assert rejected in _notes(report, "reject-all")
    # Withdrawal: reopened through the manager's own call and answered with an opt-out; the tracker
    # is not written again (no audit-not-withdrawn above).
    assert [accepted, rejected] == [n for n in _notes(report, "accept-then-withdraw") if "banner answered" in n]
    withdraw = next(s for s in report.scenarios if s.scenario == "accept-then-withdraw")
    assert withdraw.pages_visited == 2


@needs_tools
@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(HOSTED))
def test_hosted_manager_named_and_not_exercised_offline(browser, name: str) -> None:
    report = _audit(browser, name)

    assert report.errors == []
    assert report.exit_code == 0  # the site is not at fault for what cannot run offline
    found = {(f.rule.value, f.scenario, f.severity.value) for f in report.findings}
    assert found == {("audit-not-exercised", scenario, "warning") for scenario in ANSWERING}
    for finding in report.findings:
        assert "not exercised offline: run the live audit" in finding.message
        assert f"loads {HOSTED[name]} from " in finding.message
    # Why no banner shows holds for every scenario: learned by the first look (Complianz is recognised by
    # autoconsent on the page, its script is not), the later ones say so without opening the page again.
    assert report.timing["banner_waits"] == 1, report.timing
    not_visited = "not visited: an earlier scenario's look at this page found no banner to answer"
    assert sum(not_visited in s.notes for s in report.scenarios) == len(ANSWERING) - 1


@needs_tools
@pytest.mark.browser
def test_a_recognised_manager_whose_script_loaded_is_waited_for_in_each_scenario(browser, tmp_path: Path) -> None:
    # Complianz's page with its own script served (one that never shows the banner, as a slow server's would
    # look within the wait): no scenario may conclude from another's look that no banner can come.
    import shutil

    pages = tmp_path / "pages"
    shutil.copytree(MANAGERS / "complianz" / "pages", pages)
    script = pages / "wp-content" / "plugins" / "complianz-gdpr" / "cookiebanner" / "js" / "complianz.min.js"
    script.parent.mkdir(parents=True)
    script.write_text("/* loaded, and slow to show its banner */\n", encoding="utf-8")
    report = audit_site(pages, load_policy(MANAGERS / "policy_data"), browser=browser, jobs=1,
                        standins=load_standins(STANDINS), banner=replace(MATERIAL, timeout_ms=1000),
                        timing=Timing(quiet_ms=200, max_ms=3000, page_timeout=10), dark_patterns=False,
                        scenarios=["accept-all", "reject-all"])

    assert report.timing["banner_waits"] == 2, report.timing  # each scenario looked for itself
    assert not [note for s in report.scenarios for note in s.notes if note.startswith("not visited")]
    assert {(f.rule.value, f.scenario) for f in report.findings} == {
        ("audit-not-exercised", "accept-all"), ("audit-not-exercised", "reject-all"),
    }


@needs_tools
@pytest.mark.browser
def test_without_autoconsent_the_audit_says_so_once(browser, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV, str(tmp_path))  # a folder without autoconsent in it
    report = _audit(browser, "cookieconsent3", scenarios=["accept-all", "reject-all"])

    notes = [note for s in report.scenarios for note in s.notes]
    assert notes.count(MISSING) == 1
    # Material's selectors are what is left, and they do not fit this banner.
    assert {(f.rule.value, f.scenario) for f in report.findings} == {
        ("audit-banner", "accept-all"), ("audit-banner", "reject-all"),
    }


def _libraries(tmp_path: Path) -> ConsentLibraries:
    package = tmp_path / "node_modules" / "vanilla-cookieconsent"
    (package / "dist").mkdir(parents=True)
    (package / "package.json").write_text('{"name": "vanilla-cookieconsent", "version": "3.0.1"}')
    (package / "dist" / "cookieconsent.umd.js").write_text("/* the library */")
    (tmp_path / "secret.txt").write_text("not a package file")
    return ConsentLibraries(tmp_path / "node_modules")


@pytest.mark.parametrize("url", [
    "https://cdn.jsdelivr.net/gh/orestbida/cookieconsent@3.0.1/dist/cookieconsent.umd.js",
    "https://cdn.jsdelivr.net/npm/vanilla-cookieconsent@3.0.1/dist/cookieconsent.umd.js",
    "https://unpkg.com/vanilla-cookieconsent@3.0.1/dist/cookieconsent.umd.js",
    "https://cdnjs.cloudflare.com/ajax/libs/vanilla-cookieconsent/3.0.1/cookieconsent.umd.js",
    "https://cdn.jsdelivr.net/npm/vanilla-cookieconsent@3.0.1/dist/cookieconsent.umd.min.js",
])
def test_cdn_urls_answered_from_the_locked_package(tmp_path: Path, url: str) -> None:
    found = _libraries(tmp_path).find(url)
    assert found is not None
    assert found.body == b"/* the library */"
    assert found.content_type.startswith("application/javascript")
    assert found.note is None


def test_another_version_is_served_as_the_locked_one_and_said(tmp_path: Path) -> None:
    libraries = _libraries(tmp_path)
    found = libraries.find("https://cdn.jsdelivr.net/npm/vanilla-cookieconsent@2.9.2/dist/cookieconsent.umd.js")
    assert found is not None
    assert found.note == "the page asked for version 2.9.2 of vanilla-cookieconsent; the audit served the locked 3.0.1"
    ranged = libraries.find("https://cdn.jsdelivr.net/npm/vanilla-cookieconsent@3/dist/cookieconsent.umd.js")
    assert ranged is not None and ranged.note is None  # 3.0.1 is a version 3


def test_cdn_lookup_stays_inside_the_package(tmp_path: Path) -> None:
    libraries = _libraries(tmp_path)
    assert libraries.find("https://unpkg.com/vanilla-cookieconsent@3.0.1/../../secret.txt") is None
    assert libraries.find("https://unpkg.com/vanilla-cookieconsent@3.0.1/%2e%2e/%2e%2e/secret.txt") is None
    assert libraries.find("https://cdn.jsdelivr.net/npm/left-pad@1.3.0/index.js") is None
    assert libraries.find("https://example.com/vanilla-cookieconsent@3.0.1/dist/cookieconsent.umd.js") is None


@needs_tools
@pytest.mark.browser
def test_a_still_page_without_a_manager_ends_the_first_look_at_once(browser, tmp_path: Path) -> None:
    """No manager and a DOM that stopped changing: the look ends on autoconsent's messages, not its timeout.

    With a banner timeout of 60 s, a look that waited for it would alone take 60 s; ending on the page's
    stillness takes about a second (the bound below leaves room for a loaded machine)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><html lang=en><title>Still</title><p>CMT Konsult AB</p>",
                                     encoding="utf-8")
    report = audit_site(
        site, load_policy(MANAGERS / "policy_data"), browser=browser, scenarios=["accept-all", "reject-all"],
        banner=replace(MATERIAL, timeout_ms=60_000), timing=Timing(quiet_ms=200, max_ms=3000, page_timeout=90),
        dark_patterns=False, jobs=1,
    )
    problems = {f.scenario: f.message for f in report.findings}
    assert set(problems) == {"accept-all", "reject-all"}, report.findings
    assert all("autoconsent found no consent manager it knows" in message for message in problems.values())
    assert report.timing["banner_waits"] == 1
    assert report.timing["scenario_seconds"] < 30, report.timing


@needs_tools
@pytest.mark.browser
def test_a_banner_drawn_while_the_page_still_changes_is_waited_for(browser, tmp_path: Path) -> None:
    """The page changes its DOM every 200 ms for 2 s after its load event, then loads its manager: the look
    goes on waiting while the page changes, and the banner is answered (CookieConsent v3, the locked copy)."""
    source = (MANAGERS / "cookieconsent3" / "pages" / "index.html").read_text(encoding="utf-8")
    loader = re.search(r'<script src="(https://[^"]+cookieconsent\.umd\.js)"></script>\s*<script>(.*?)</script>',
                       source, re.S)
    assert loader is not None, "the cookieconsent3 fixture loads the library from a CDN, then runs it"
    late = (
        "<p id=clock></p><script>var n = 0; var tick = setInterval(function () {"
        " document.getElementById('clock').textContent = String(++n); }, 200);"
        " addEventListener('load', function () { setTimeout(function () { clearInterval(tick);"
        f" var s = document.createElement('script'); s.src = {json.dumps(loader.group(1))};"
        f" s.onload = function () {{ {loader.group(2)} }}; document.body.appendChild(s); }}, 2000); }});</script>"
    )
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(source.replace(loader.group(0), late), encoding="utf-8")
    report = audit_site(
        site, load_policy(MANAGERS / "policy_data"), browser=browser, scenarios=["accept-all"],
        standins=load_standins(STANDINS), banner=replace(MATERIAL, timeout_ms=5000),
        timing=Timing(quiet_ms=200, max_ms=3000, page_timeout=15), dark_patterns=False, jobs=1,
    )
    assert [f.message for f in report.findings] == []
    assert any("banner answered (accept)" in note for note in _notes(report, "accept-all")), _notes(report, "accept-all")
    assert _cookies(report, "accept-all") >= GA | {"cc_cookie"}
