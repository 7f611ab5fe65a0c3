"""``audit_site`` through the API with the test suite's browser: URLs, the network wall, banners, reports."""

from __future__ import annotations

import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, serve_directory

from policypress.audit import AuditRule, Scenario, audit_site, custom_banner, load_standins
from policypress.audit.report import TextProgress, render_json, render_junit, render_text
from policypress.errors import UsageError
from policypress.loader import load_policy

pytestmark = pytest.mark.browser

AUDIT_SITES = ROOT / "tests" / "fixtures" / "audit-sites"
STANDINS = ROOT / "tests" / "fixtures" / "standins"
BANNER = custom_banner("#cookie-accept", "#cookie-reject", "#cookie-settings")


def test_a_url_on_this_machine_and_the_pages_it_links_to(browser: Any) -> None:
    site = AUDIT_SITES / "compliant"
    with serve_directory(site / "pages") as url:
        report = audit_site(url, load_policy(site / "policy_data"), scenarios=["before-consent"], banner=BANNER,
                            browser=browser)
    assert report.base_url == url
    assert report.pages == ["/", "/about/"]
    assert report.findings == [] and report.exit_code == 0


def test_a_site_that_is_not_served_is_bad_input(browser: Any) -> None:
    policy = load_policy(AUDIT_SITES / "compliant" / "policy_data")
    with pytest.raises(UsageError, match="no page could be loaded"):
        audit_site("http://127.0.0.1:9/", policy, scenarios=["before-consent"], pages=["/"], browser=browser)


def test_every_request_to_another_host_is_stopped_in_the_browser(browser: Any, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        """<!doctype html><html><head><meta charset="utf-8"><title>Leaky</title></head><body>
<img src="https://pixel.example.test/p.gif" alt="">
<iframe src="https://www.youtube.com/embed/abc"></iframe>
<script>
  fetch("https://api.example.test/collect?x=1").catch(function () {});
  try { new WebSocket("wss://socket.example.test/live"); } catch (e) {}
</script>
</body></html>""",
        encoding="utf-8",
    )
    policy = load_policy(AUDIT_SITES / "compliant" / "policy_data")
    standins = {"www.youtube.com/embed": STANDINS / "www.youtube.com" / "embed"}
    report = audit_site(site, policy, scenarios=[Scenario.BEFORE_CONSENT], banner=BANNER, standins=standins,
                        browser=browser)
    (summary,) = report.scenarios
    requests = {str(request) for request in summary.requests}
    assert {
        "pixel.example.test/p.gif (blocked)",
        "api.example.test/collect (blocked)",
        "socket.example.test/live (blocked)",
        "www.youtube.com/embed/abc (stand-in)",
    } <= requests
    found = {(f.rule, f.item) for f in report.findings}
    assert (AuditRule.BEFORE_CONSENT, "www.youtube.com/embed/abc") in found
    assert {item for rule, item in found if rule is AuditRule.UNKNOWN_HOST} == {
        "pixel.example.test/p.gif", "api.example.test/collect", "socket.example.test/live",
    }
    assert all(f.severity.value == "warning" for f in report.findings if f.rule is AuditRule.UNKNOWN_HOST)
    # The suite's browser starts as the audit's does (policypress.chromium): as in a visitor's ordinary
    # window, the player's frame may use its storage, and its key is seen under the frame's origin.
    assert not any("refused access to its storage" in note for note in summary.notes), summary.notes
    assert {(s.type, s.name, s.origin) for s in summary.storage} == {("localStorage", "yt-remote-device-id", "www.youtube.com")}


def test_a_policy_with_optional_cookies_needs_a_banner_one_without_does_not(browser: Any, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>No banner</title><p>Hello</p>", encoding="utf-8")
    policy = load_policy(AUDIT_SITES / "compliant" / "policy_data")
    fast = dataclasses.replace(BANNER, timeout_ms=500)
    report = audit_site(site, policy, scenarios=["accept-all"], banner=fast, browser=browser)
    assert [(f.rule, f.scenario) for f in report.findings] == [(AuditRule.BANNER, "accept-all")]
    assert "#cookie-accept" in report.findings[0].message
    necessary_only = dataclasses.replace(policy, cookies={"cmt-consent": policy.cookies["cmt-consent"]})
    report = audit_site(site, necessary_only, scenarios=["accept-all"], banner=fast, browser=browser)
    assert report.findings == []
    assert any("none is needed" in note for note in report.scenarios[0].notes)


def test_progress_and_the_three_reports(browser: Any) -> None:
    site = AUDIT_SITES / "ga-before-consent"
    calls: list[tuple[str, str, int, int]] = []
    report = audit_site(
        site / "pages", load_policy(site / "policy_data"), scenarios=["gpc", "accept-then-withdraw"], pages=["/"],
        banner=BANNER, standins=load_standins(STANDINS), browser=browser,
        progress=lambda *args: calls.append(args),
    )
    # Scenarios run in their fixed order; withdrawal visits each page twice.
    assert [s.scenario for s in report.scenarios] == ["accept-then-withdraw", "gpc"]
    assert [(c[0], c[2], c[3]) for c in calls] == [
        ("accept-then-withdraw", 1, 3), ("accept-then-withdraw", 2, 3), ("gpc", 3, 3),
    ]
    text = render_text(report)
    assert "error[audit-not-withdrawn] accept-then-withdraw /  Google Analytics 4 (gtag.js) cookie '_ga'" in text
    assert "error[audit-before-consent] gpc /  Google Analytics 4 (gtag.js) request to www.googletagmanager.com" in text
    assert "  fix: " in text and "audited 1 page of" in text
    data = json.loads(render_json(report))
    assert data["errors"] == len(report.findings) == 6 and data["ok"] is False
    assert {f["scenario"] for f in data["findings"]} == {"accept-then-withdraw", "gpc"}
    suites = ET.fromstring(render_junit(report).split("\n", 1)[1]).findall("testsuite")
    assert [int(s.get("failures", "0")) for s in suites] == [3, 3]


def test_text_progress_off_a_terminal() -> None:
    stream = io.StringIO()
    progress = TextProgress(stream)
    for done, scenario in enumerate(["before-consent", "before-consent", "gpc"], start=1):
        progress(scenario, "/", done, 3)
    assert stream.getvalue().splitlines() == [
        "audit: before-consent (before the visitor answers the banner) from visit 1/3",
        "audit: gpc (with Global Privacy Control on (Sec-GPC: 1, navigator.globalPrivacyControl)) from visit 3/3",
    ]
