"""Hosted consent managers answered in all five scenarios, through stand-ins for their scripts.

Cookiebot, OneTrust, Usercentrics, Didomi and Osano draw their banners with scripts from their own
servers, and Complianz with a script the WordPress site serves itself; none of them can run offline
(tests/test_audit_managers.py holds the audit to saying so). Given a stand-in for that script
(tests/fixtures/managers/hosted-standins/: the vendor's banner markup and the part of its documented
JavaScript API a consent check uses), the audit answers the banner with autoconsent's real rule for
that manager, in every scenario, and checks what each answer leaves in the browser.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import ROOT

from policypress.audit import MATERIAL, Timing, audit_site
from policypress.audit.autoconsent import find_autoconsent
from policypress.audit.findings import AuditReport
from policypress.audit.standins import load_standins
from policypress.loader import load_policy

MANAGERS = ROOT / "tests" / "fixtures" / "managers"
COMPLIANZ_SCRIPT = "wp-content/plugins/complianz-gdpr/cookiebanner/js/complianz.min.js"
GA = {"_ga", "_ga_FIXTURE1"}
CMPLZ = {"cmplz_functional", "cmplz_preferences", "cmplz_statistics", "cmplz_marketing", "cmplz_banner-status"}
# fixture: (the manager as the report names it, autoconsent's rule, what its answer keeps, whether GA waits on it,
#           how the withdrawal is made)
HOSTED = {
    "cookiebot": ("Cookiebot", "Cybotcookiebot", {"CookieConsent"}, True, "withdrawn"),
    "onetrust": ("OneTrust", "Onetrust", {"OptanonConsent", "OptanonAlertBoxClosed"}, True, "reopened"),
    "usercentrics": ("Usercentrics", "usercentrics-api", {"uc_settings", "uc_user_interaction"}, True, "reopened"),
    "didomi": ("Didomi", "didomi", {"didomi_token"}, False, "reopened"),
    "osano": ("Osano (hosted)", "osano", {"osano_consentmanager", "osano_consentmanager_uuid"}, False, "reopened"),
    "complianz": ("Complianz (WordPress plugin)", "Complianz banner", CMPLZ, True, "reopened"),
}
needs_autoconsent = pytest.mark.skipif(find_autoconsent() is None, reason="run `make tools` (autoconsent)")


def _site(name: str, tmp_path: Path) -> Path:
    pages = tmp_path / "pages"
    shutil.copytree(MANAGERS / name / "pages", pages)
    if name == "complianz":  # the plugin's script is the site's own file
        (pages / COMPLIANZ_SCRIPT).parent.mkdir(parents=True)
        shutil.copy(MANAGERS / "complianz-site-script" / "complianz.min.js", pages / COMPLIANZ_SCRIPT)
    return pages


def _audit(browser, name: str, tmp_path: Path) -> AuditReport:
    # Two folders of stand-ins, as `--standins A --standins B` gives them: Google Analytics, then the managers.
    standins = load_standins(ROOT / "tests" / "fixtures" / "standins", MANAGERS / "hosted-standins")
    return audit_site(
        _site(name, tmp_path), load_policy(MANAGERS / "policy_data"), browser=browser, standins=standins,
        banner=replace(MATERIAL, timeout_ms=3000), timing=Timing(quiet_ms=200, max_ms=3000, page_timeout=10),
    )


def _scenario(report: AuditReport, scenario: str):
    return next(s for s in report.scenarios if s.scenario == scenario)


def _stored(report: AuditReport, scenario: str) -> set[str]:
    summary = _scenario(report, scenario)
    return {c.name for c in summary.cookies} | {s.name for s in summary.storage}


@needs_autoconsent
@pytest.mark.browser
@pytest.mark.parametrize("name", sorted(HOSTED))
def test_hosted_manager_answered_in_every_scenario_through_a_standin(browser, name: str, tmp_path: Path) -> None:
    manager, rule, answer, gates_ga, withdrawal = HOSTED[name]
    report = _audit(browser, name, tmp_path)

    assert [(f.rule.value, f.scenario, f.message) for f in report.findings] == []
    assert report.exit_code == 0
    assert _stored(report, "before-consent") == set()
    assert _stored(report, "gpc") == set()
    assert _stored(report, "accept-all") == answer | (GA if gates_ga else set())
    assert _stored(report, "reject-all") == answer
    accepted = f"{manager}: banner answered (accept) by autoconsent's rule '{rule}'"
    rejected = f"{manager}: banner answered (reject) by autoconsent's rule '{rule}'"
    assert accepted in _scenario(report, "accept-all").notes
    assert rejected in _scenario(report, "reject-all").notes
    withdraw_notes = _scenario(report, "accept-then-withdraw").notes
    assert accepted in withdraw_notes
    if withdrawal == "reopened":
        assert rejected in withdraw_notes
    else:
        assert f"{manager}: consent withdrawn through the manager's own call" in withdraw_notes
    assert _scenario(report, "accept-then-withdraw").pages_visited == 2
