"""The audit's waits: blocked requests do not hold a visit up, "no banner" is learned once per audit, and
the scenarios in parallel browsers give the report a sequential run gives. No timings are asserted here
(they belong in bench/audit_bench.py): what is counted is what the report's timing says it waited for."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from clirun import cli  # noqa: F401
from conftest import ROOT

from policypress.audit import AuditRule, Timing, audit_site, custom_banner, load_standins
from policypress.audit.browser import lent
from policypress.audit.parallel import run_parallel, warm_helpers
from policypress.audit.report import render_json
from policypress.loader import load_policy

pytestmark = pytest.mark.browser

AUDIT_SITES = ROOT / "tests" / "fixtures" / "audit-sites"
STANDINS = ROOT / "tests" / "fixtures" / "standins"
BANNER = custom_banner("#cookie-accept", "#cookie-reject", "#cookie-settings")
ANSWERING = ("accept-all", "reject-all", "accept-then-withdraw")

# A tracker asked for every 100 ms, for ever: each request is stopped by the route at once.
NAGGING = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Nagging</title></head><body>
<p>CMT Konsult AB</p>
<script>
  setInterval(function () {
    fetch("https://tracker.example.test/beacon?t=" + Date.now(), {mode: "no-cors"}).catch(function () {});
    new Image().src = "https://pixel.example.test/p.gif?t=" + Date.now();
  }, 100);
</script>
</body></html>"""

PLAIN = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>
<p>CMT Konsult AB</p><a href="/other/">Other</a>
</body></html>"""


def _site(folder: Path, pages: dict[str, str]) -> Path:
    for name, html in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
    return folder


def test_requests_the_route_blocks_do_not_hold_the_visit_up(browser: Any, tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"index.html": NAGGING})
    policy = load_policy(AUDIT_SITES / "compliant" / "policy_data")
    # A limit far above the quiet window: before, every blocked request re-armed the window, so the page
    # never became quiet and each settle ran until its limit.
    timing = Timing(quiet_ms=300, max_ms=8000, page_timeout=20)
    report = audit_site(site, policy, scenarios=["before-consent"], banner=BANNER, browser=browser, timing=timing)
    (summary,) = report.scenarios
    assert {"tracker.example.test/beacon (blocked)", "pixel.example.test/p.gif (blocked)"} <= {
        str(request) for request in summary.requests
    }
    assert report.timing["settles"] >= 1
    assert report.timing["unsettled"] == 0, report.timing


def test_no_banner_is_learned_once_and_reported_as_before(browser: Any, tmp_path: Path) -> None:
    """The selectors match nothing: the first scenario that looks waits, the two others check at once,
    and each of the three says what it always said."""
    site = _site(tmp_path / "site", {"index.html": PLAIN.format(title="Home"), "other/index.html": PLAIN.format(
        title="Other")})
    # The compliant fixture declares Google Analytics (optional): a banner is required.
    policy = load_policy(AUDIT_SITES / "compliant" / "policy_data")
    report = audit_site(site, policy, banner=BANNER, browser=browser, jobs=1)
    assert report.timing["banner_waits"] == 1, report.timing
    problems = {f.scenario: f.message for f in report.findings if f.rule is AuditRule.BANNER}
    assert set(problems) == set(ANSWERING), report.findings
    assert "accept: nothing matching #cookie-accept became visible within 5 s" in problems["accept-all"]
    assert "reject: nothing matching #cookie-reject became visible within 5 s" in problems["reject-all"]
    assert "accept: nothing matching #cookie-accept became visible within 5 s" in problems["accept-then-withdraw"]
    # The two after the first do not open the page again: they say what its look found, and that they did not.
    later = {s.scenario: s for s in report.scenarios if s.scenario in ("reject-all", "accept-then-withdraw")}
    not_visited = "not visited: an earlier scenario's look at this page found no banner to answer"
    assert all(s.pages_visited == 0 and not_visited in s.notes for s in later.values()), later
    first = next(s for s in report.scenarios if s.scenario == "accept-all")
    assert not_visited not in first.notes


def test_a_banner_that_is_there_is_waited_for_in_every_scenario(browser: Any) -> None:
    """The first look saw the banner: the others wait for theirs as long as ever and answer it."""
    site = AUDIT_SITES / "compliant"
    report = audit_site(site / "pages", load_policy(site / "policy_data"), banner=BANNER, browser=browser,
                        standins=load_standins(STANDINS), pages=["/"], jobs=1)
    assert report.timing["banner_waits"] == 1
    assert not [f for f in report.findings if f.rule is AuditRule.BANNER], report.findings
    answered = {s.scenario for s in report.scenarios if any("banner answered" in note for note in s.notes)}
    assert answered == set(ANSWERING)


def _without_timings(report: Any) -> dict[str, Any]:
    # Each audit serves the folder on a port of its own.
    data = json.loads(render_json(report).replace(report.base_url, "http://127.0.0.1:PORT/"))
    data.pop("seconds"), data.pop("timing")
    for scenario in data["scenarios"]:
        scenario.pop("seconds")
        for cookie in scenario["cookies"]:
            cookie.pop("expires")  # a point in time: the second run is later
    return data


PARALLEL_SITE = AUDIT_SITES / "not-withdrawn"


def _parallel_options(browser: Any) -> dict[str, Any]:
    return dict(banner=BANNER, standins=load_standins(STANDINS), pages=["/", "/about/"], browser=browser)


@pytest.fixture(scope="module")
def alone(browser: Any) -> Any:
    """The sequential run that the parallel ones are compared with: one browser, one scenario after another."""
    report = audit_site(PARALLEL_SITE / "pages", load_policy(PARALLEL_SITE / "policy_data"), jobs=1,
                        **_parallel_options(browser))
    assert report.timing["jobs"] == 1
    assert report.findings, "a site with findings, so that their order is compared too"
    return report


def test_scenarios_in_parallel_browsers_give_the_same_report(browser: Any, alone: Any) -> None:
    """This thread's browser works the first scenario; the two other workers launch their own Chromium."""
    together = audit_site(PARALLEL_SITE / "pages", load_policy(PARALLEL_SITE / "policy_data"), jobs=3,
                          **_parallel_options(browser))
    assert together.timing["jobs"] == 3
    assert _without_timings(together) == _without_timings(alone)


def test_jobs_must_be_at_least_one(tmp_path: Path) -> None:
    from policypress.errors import UsageError

    with pytest.raises(UsageError, match="--jobs"):
        audit_site(AUDIT_SITES / "compliant" / "pages", load_policy(AUDIT_SITES / "compliant" / "policy_data"),
                   jobs=0)


def test_warm_helpers_are_launched_once_for_many_runs(browser: Any) -> None:
    """Inside ``warm_helpers`` the helpers' Chromium is launched once, and each run works on it."""
    seen: dict[int, tuple[str, int]] = {}
    # The first two items of each run wait for each other: each worker takes one, so the helper works in both.
    both = threading.Barrier(2, timeout=60)

    def work(own: Any, item: int) -> int:
        seen[item] = (threading.current_thread().name, id(own))
        if item in (1, 2, 5, 6):
            both.wait()
        return item * 10

    with warm_helpers(1):
        first = run_parallel([1, 2, 3, 4], work, jobs=2, browser=browser)
        second = run_parallel([5, 6, 7, 8], work, jobs=2, browser=browser)
    assert first == [10, 20, 30, 40] and second == [50, 60, 70, 80]
    caller = threading.current_thread().name
    helper = {seen[item] for item in (1, 2, 5, 6) if seen[item][0] != caller}
    assert [name for name, _ in helper] == ["policypress-audit-warm-1"], seen  # one helper, one browser, both runs
    assert {seen[item] for item in (1, 2, 5, 6) if seen[item][0] == caller} == {(caller, id(browser))}


def test_an_audit_with_warm_helpers_gives_the_report_of_one_without(browser: Any, alone: Any) -> None:
    with warm_helpers(1):
        warm = audit_site(PARALLEL_SITE / "pages", load_policy(PARALLEL_SITE / "policy_data"), jobs=2,
                          **_parallel_options(browser))
    assert warm.timing["jobs"] == 2
    assert _without_timings(warm) == _without_timings(alone)


def test_the_command_line_audits_in_a_lent_browser_alone_and_leaves_it_open(browser: Any, cli: Any) -> None:  # noqa: F811
    site = AUDIT_SITES / "compliant"
    contexts = len(browser.contexts)
    with lent(browser):
        code, out, err = cli("audit", site / "pages", "--data", site / "policy_data", "--scenario", "before-consent",
                             "--scenario", "gpc", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["timing"]["jobs"] == 1  # no --jobs: as with a browser given to the API
    assert browser.is_connected() and len(browser.contexts) == contexts  # its contexts closed, it is not
