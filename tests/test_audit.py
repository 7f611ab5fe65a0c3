"""``policypress audit`` on every fixture site and on the real policy site: exact findings and exit codes.

Each case is one run of the command line, in this process (``clirun.run_main``), with the
scenarios of each run in three browsers at once: the session's, lent to the command
(``audit.browser.lent``), and two warm helpers. Starting a Python, Playwright's driver and Chromium
for every case cost about 3 s of CPU each.
"""

from __future__ import annotations

import json
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from clirun import run_main
from conftest import ROOT

from policypress.audit.browser import lent
from policypress.audit.parallel import warm_helpers
from policypress.loader import load_policy
from policypress.vocabulary import CookieCategory

pytestmark = pytest.mark.browser

FIXTURES = ROOT / "tests" / "fixtures"
AUDIT_SITES = FIXTURES / "audit-sites"
SCAN_SITES = FIXTURES / "sites"
STANDINS = FIXTURES / "standins"
# The hand-written banner of the audit fixtures (tests/fixtures/audit-sites/*/pages/banner.js).
FIXTURE_BANNER = (
    "--accept-selector", "#cookie-accept",
    "--reject-selector", "#cookie-reject",
    "--reopen-selector", "#cookie-settings",
)
# Most faults show on the start page; a second page costs a second or two per case.
ONE_PAGE = ("--max-pages", "1")
GTAG = "www.googletagmanager.com/gtag/js"
NO_CONSENT = ("before-consent", "reject-all", "gpc")
JOBS = 3

Expected = frozenset[tuple[str, str, str | None]]  # (rule, scenario, item)


def _each(rule: str, scenarios: tuple[str, ...], items: tuple[str, ...]) -> set[tuple[str, str, str | None]]:
    return {(rule, scenario, item) for scenario in scenarios for item in items}


@dataclass(frozen=True)
class Case:
    site: Path
    data: Path
    args: tuple[str, ...]
    expected: Expected
    exit_code: int


GA_FIXTURE = ("_ga", "_ga_FIXTURE1", GTAG)
GA_SCAN = ("_ga", "_ga_CMT2024XY", GTAG)

CASES: dict[str, Case] = {
    "compliant": Case(
        AUDIT_SITES / "compliant" / "pages", AUDIT_SITES / "compliant" / "policy_data", FIXTURE_BANNER,
        frozenset(), 0,
    ),
    "ga-before-consent": Case(
        AUDIT_SITES / "ga-before-consent" / "pages", AUDIT_SITES / "ga-before-consent" / "policy_data", FIXTURE_BANNER,
        frozenset(_each("audit-before-consent", NO_CONSENT, GA_FIXTURE)
                  | _each("audit-not-withdrawn", ("accept-then-withdraw",), GA_FIXTURE)),
        1,
    ),
    "necessary-analytics": Case(
        AUDIT_SITES / "necessary-analytics" / "pages", AUDIT_SITES / "necessary-analytics" / "policy_data",
        (*FIXTURE_BANNER, *ONE_PAGE), frozenset({("audit-wrong-category", "accept-all", "_ga")}), 1,
    ),
    "undeclared-storage": Case(
        AUDIT_SITES / "undeclared-storage" / "pages", AUDIT_SITES / "undeclared-storage" / "policy_data",
        (*FIXTURE_BANNER, *ONE_PAGE), frozenset({("audit-undeclared", "before-consent", "recentlyViewed")}), 1,
    ),
    "lifetime": Case(
        AUDIT_SITES / "lifetime" / "pages", AUDIT_SITES / "lifetime" / "policy_data", (*FIXTURE_BANNER, *ONE_PAGE),
        frozenset({("audit-lifetime", "before-consent", "cmt_lang")}), 1,
    ),
    "not-withdrawn": Case(
        AUDIT_SITES / "not-withdrawn" / "pages", AUDIT_SITES / "not-withdrawn" / "policy_data",
        (*FIXTURE_BANNER, *ONE_PAGE),
        frozenset(_each("audit-not-withdrawn", ("accept-then-withdraw",), GA_FIXTURE)), 1,
    ),
    "ignores-gpc": Case(
        AUDIT_SITES / "ignores-gpc" / "pages", AUDIT_SITES / "ignores-gpc" / "policy_data", (*FIXTURE_BANNER, *ONE_PAGE),
        frozenset(_each("audit-before-consent", ("before-consent", "gpc"), GA_FIXTURE)), 1,
    ),
    # The static scan's fixtures, where a scenario applies to them. Material's banner (the default):
    # accepting loads Google Analytics through Material's own integration; the fixture's bundle is a
    # stub, so "#__consent" cannot reopen the banner and the withdrawal cannot be done.
    "scan/material": Case(
        SCAN_SITES / "material" / "pages", SCAN_SITES / "material" / "policy_data", (),
        frozenset({("audit-banner", "accept-then-withdraw", None)}), 1,
    ),
    # Their consent managers load from CDNs, which the audit never reaches: only the scenarios
    # without an answer to a banner apply.
    "scan/ga-before-consent": Case(
        SCAN_SITES / "ga-before-consent" / "pages", SCAN_SITES / "ga-before-consent" / "policy_data",
        ("--scenario", "before-consent", "--scenario", "gpc", *ONE_PAGE),
        frozenset(_each("audit-before-consent", ("before-consent", "gpc"), GA_SCAN)), 1,
    ),
    "scan/wrong-category": Case(
        SCAN_SITES / "wrong-category" / "pages", SCAN_SITES / "wrong-category" / "policy_data",
        ("--scenario", "before-consent"), frozenset(), 0,
    ),
    # The player (a stand-in) runs in its own frame: its request and its frame's localStorage key.
    # (Chromium keeps no third-party cookie from a frame, so YSC and VISITOR_INFO1_LIVE are not seen.)
    "scan/youtube-without-consent": Case(
        SCAN_SITES / "youtube-without-consent" / "pages", SCAN_SITES / "youtube-without-consent" / "policy_data",
        ("--scenario", "before-consent"),
        frozenset({
            ("audit-before-consent", "before-consent", "www.youtube.com/embed/M7lc1UVf-VE"),
            # No source we may use confirms this key as YouTube's, so it is an undeclared key of
            # the player's frame (www.youtube.com), not a YouTube key before consent.
            ("audit-undeclared", "before-consent", "yt-remote-device-id"),
            # Klaro's own default banner (served from the locked copy) says "That's ok" on accept.
            ("audit-dark-misleading-wording", "before-consent", None),
        }),
        1,
    ),
}


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    junit: Path

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout)


def _audit(site: Path, data: Path, args: tuple[str, ...], out: Path) -> Run:
    junit = out / "junit.xml"
    out.mkdir(parents=True, exist_ok=True)
    try:
        code, out, err = run_main("audit", site, "--data", data, "--standins", STANDINS, "--format", "json",
                                  "--junit", junit, "--jobs", str(JOBS), *args)
    except Exception:  # noqa: BLE001 - what would have been a traceback fails this case alone, not the module
        code, out, err = -1, "", traceback.format_exc()
    return Run(code, out, err, junit)


@pytest.fixture(scope="module")
def runs(browser: Any, ga_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """Every case, and the real policy site (built with a GA property)."""
    work = tmp_path_factory.mktemp("audit")
    site = ga_site
    jobs: dict[str, tuple[Path, Path, tuple[str, ...], Path]] = {
        "policy-site": (site, ROOT / "policy_data", ("--page", "en/", "--page", "sv/"), work / "policy-site-audit"),
    }
    for name, case in CASES.items():
        jobs[name] = (case.site, case.data, case.args, work / name.replace("/", "-"))
    with lent(browser), warm_helpers(JOBS - 1):
        results = {name: _audit(*job) for name, job in jobs.items()}
    yield results


def _found(report: dict[str, Any]) -> set[tuple[str, str, str | None]]:
    return {(f["rule"], f["scenario"], f["item"]) for f in report["findings"]}


@pytest.mark.parametrize("name", list(CASES))
def test_fixture_gives_exactly_the_expected_findings(runs: dict[str, Run], name: str) -> None:
    run, case = runs[name], CASES[name]
    assert run.returncode == case.exit_code, run.stderr or run.stdout
    report = run.report
    assert _found(report) == set(case.expected), json.dumps(report["findings"], indent=2)
    assert report["ok"] is (case.exit_code == 0)
    for finding in report["findings"]:
        assert finding["message"] and finding["fix"], finding
        assert finding["page"], finding
        if finding["item"] == GTAG or str(finding["item"]).startswith("_ga"):
            assert finding["vendor"] == "google_analytics"


@pytest.mark.parametrize("name", list(CASES))
def test_junit_lists_each_finding_as_a_failed_case(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    report = run.report
    root = ET.parse(run.junit).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f"policypress audit {s['scenario']}" for s in report["scenarios"]]
    failures = [case for suite in suites for case in suite.findall("testcase") if case.find("failure") is not None]
    assert len(failures) == len(report["findings"])
    assert sum(int(s.get("failures", "0")) for s in suites) == len(report["findings"])
    for suite in suites:
        assert suite.findall("testcase"), "a clean scenario is one passing case"
    for case in failures:
        rule = case.get("classname", "").rsplit(".", 1)[-1]
        assert rule.startswith("audit-")
        assert "fix:" in (case.find("failure").text or "")  # type: ignore[union-attr]


def _cookies(scenario: dict[str, Any]) -> set[str]:
    return {cookie["name"] for cookie in scenario["cookies"]}


def _requests(scenario: dict[str, Any]) -> set[str]:
    return {request["host_path"] for request in scenario["requests"]}


def test_compliant_fixture_exercises_every_path(runs: dict[str, Run]) -> None:
    scenarios = {s["scenario"]: s for s in runs["compliant"].report["scenarios"]}
    assert list(scenarios) == ["before-consent", "accept-all", "reject-all", "accept-then-withdraw", "gpc"]
    accepted = scenarios["accept-all"]
    assert _cookies(accepted) == {"_ga", "_ga_FIXTURE1"}
    ga = next(cookie for cookie in accepted["cookies"] if cookie["name"] == "_ga")
    # Two years asked for; Chromium keeps a cookie at most 400 days.
    assert ga["domain"] == "127.0.0.1" and 399 <= ga["lifetime_days"] <= 400 and ga["expires"] > 0
    assert {(s["type"], s["name"]) for s in accepted["storage"]} == {("localStorage", "cmt-consent")}
    requests = [(r["host_path"], r["answered"], r["phase"]) for r in accepted["requests"]]
    assert requests == [(GTAG, "stand-in", "accepted")]
    for name in NO_CONSENT:
        assert scenarios[name]["cookies"] == [] and scenarios[name]["requests"] == []
    withdrawn = scenarios["accept-then-withdraw"]
    assert {c["phase"] for c in withdrawn["cookies"]} == {"accepted"}  # nothing came back after withdrawing
    # The banner deletes Google's cookies on a Reject, so nothing is left behind by the withdrawal.
    assert withdrawn["left_behind"] == []
    assert withdrawn["pages_visited"] == 4


def test_no_request_left_the_machine(runs: dict[str, Run]) -> None:
    for name, run in runs.items():
        for scenario in run.report["scenarios"]:
            for request in scenario["requests"]:
                assert request["answered"] in ("stand-in", "blocked", "local copy"), (name, request)
                assert not request["url"].startswith(("http://127.0.0.1", "http://localhost")), (name, request)


def test_real_policy_site_passes_all_five_scenarios(runs: dict[str, Run]) -> None:
    run = runs["policy-site"]
    report = run.report
    scenarios = {s["scenario"]: s for s in report["scenarios"]}
    assert list(scenarios) == ["before-consent", "accept-all", "reject-all", "accept-then-withdraw", "gpc"]
    for name in NO_CONSENT:
        assert not {c for c in _cookies(scenarios[name]) if c.startswith("_ga")}, scenarios[name]
        assert not {r for r in _requests(scenarios[name]) if "googletagmanager" in r}, scenarios[name]
    accepted = scenarios["accept-all"]
    assert {"_ga", "_ga_TEST123"} <= _cookies(accepted)
    assert GTAG in _requests(accepted)
    assert load_policy(ROOT / "policy_data").cookies["_ga"].category is CookieCategory.ANALYTICS
    # Material leaves Google's cookies in place when the visitor withdraws; they are not written again.
    withdrawn = scenarios["accept-then-withdraw"]
    assert "cookie _ga (127.0.0.1)" in withdrawn["left_behind"]
    assert not [c for c in withdrawn["cookies"] if c["phase"] == "withdrawn" and c["name"].startswith("_ga")]
    assert not [f for f in report["findings"] if f["rule"] == "audit-not-withdrawn"]
    # Material keeps the visitor's answer in localStorage under "/.__consent", declared in policy_data/
    # (as "*.__consent"); with it, every finding would be a real fault of the site.
    assert {(s["name"], s["phase"]) for s in accepted["storage"]} == {("/.__consent", "accepted")}
    assert report["findings"] == [], json.dumps(report["findings"], indent=2)
    assert run.returncode == 0
