"""`policypress lint`: the gaps of the published 1.0, the JSON and SARIF reports, and the exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from clirun import Cli, CliResult, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT
from test_lint import write_data


@pytest.fixture
def lint(cli: Cli) -> Callable[..., CliResult]:
    return lambda cwd, *args: cli("lint", *args, cwd=cwd)


@pytest.fixture
def release_1_0(lint) -> list[dict[str, Any]]:
    result = lint(ROOT, "1.0", "--format", "json")
    assert result.returncode == 1, result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def where(findings: list[dict[str, Any]], rule: str) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in findings if f["rule"] == rule}


def test_1_0_has_no_legal_basis_for_any_purpose(release_1_0: list[dict[str, Any]]) -> None:
    found = where(release_1_0, "art13-1c-legal-basis")
    assert set(found) == {
        f"activities.{a}.legal_basis"
        for a in ("contact", "newsletter", "user_accounts", "customer_support", "aggregated_data",
                  "website_analytics", "form_protection")
    }
    newsletter = found["activities.newsletter.legal_basis"]
    assert (newsletter["file"], newsletter["line"], newsletter["severity"]) == (
        "policy_data/releases/1.0/activities.yaml", 54, "error")
    assert newsletter["article"] == "GDPR Art. 13(1)(c)"


def test_1_0_has_no_retention_per_purpose(release_1_0: list[dict[str, Any]]) -> None:
    found = where(release_1_0, "art13-2a-retention")
    assert len(found) == 7
    # 1.0 has a general statement, which is not a period per purpose: a warning, not silence.
    assert {f["severity"] for f in found.values()} == {"warning"}
    assert found["activities.contact.retention"]["line"] == 32


def test_1_0_has_no_complaint_to_the_supervisory_authority(release_1_0: list[dict[str, Any]]) -> None:
    found = where(release_1_0, "art13-2d-complaint")
    assert set(found) == {"rights.complaint", "supervisory_authority"}
    assert all(f["file"] == "policy_data/releases/1.0/rights.yaml" for f in found.values())
    assert "IMY" in found["supervisory_authority"]["fix"]


def test_1_0_has_no_safeguard_for_mailchimp(release_1_0: list[dict[str, Any]]) -> None:
    found = where(release_1_0, "art13-1f-transfer-mechanism")
    assert list(found) == ["recipients.mailchimp.transfer"]
    mailchimp = found["recipients.mailchimp.transfer"]
    assert (mailchimp["file"], mailchimp["line"], mailchimp["severity"]) == (
        "policy_data/releases/1.0/recipients.yaml", 24, "error")
    assert "(US)" in mailchimp["message"] and "eu_us_dpf" in mailchimp["fix"]


def test_1_0_has_no_controller_contact_details(release_1_0: list[dict[str, Any]]) -> None:
    found = where(release_1_0, "art13-1a-controller-contact")
    assert set(found) == {"controller.address", "controller.email"}
    assert all(f["needs_input"] and "needs input from the data owner" in f["message"] for f in found.values())
    assert found["controller.email"]["line"] == 10
    assert "controller.organisation_number" in where(release_1_0, "se-ehandel-8-organisation-number")


def test_1_0_collects_card_data_without_a_payment_provider(release_1_0: list[dict[str, Any]]) -> None:
    found = where(release_1_0, "payment-provider-named")
    finding = found["activities.user_accounts.recipients"]
    assert finding["needs_input"] and finding["line"] == 70


def test_1_0_text_report_names_the_articles(lint) -> None:
    result = lint(ROOT, "1.0")
    assert result.returncode == 1
    for article in ("GDPR Art. 13(1)(a)", "GDPR Art. 13(1)(c)", "GDPR Art. 13(1)(f)", "GDPR Art. 13(2)(a)",
                    "GDPR Art. 13(2)(d)"):
        assert article in result.stdout
    assert "policy_data/releases/1.0/recipients.yaml:24:5" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("lint: ")


def test_sarif_report(lint, tmp_path: Path) -> None:
    out = tmp_path / "lint.sarif"
    result = lint(ROOT, "1.0", "--format", "sarif", "-o", str(out), "--fail-on", "never")
    assert result.returncode == 0, result.stderr
    assert "lint: " in result.stderr and result.stdout == ""
    sarif = json.loads(out.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["$schema"].startswith("https://") and "sarif" in sarif["$schema"]
    driver = sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "policypress"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert {"art13-1a-controller-contact", "art13-1c-legal-basis", "art13-1f-transfer-mechanism",
            "art13-2a-retention", "art13-2d-complaint", "payment-provider-named"} <= set(rule_ids)
    assert all(rule["properties"]["article"] and rule["shortDescription"]["text"] for rule in driver["rules"])
    results = sarif["runs"][0]["results"]
    assert results
    for res in results:
        assert res["ruleId"] == rule_ids[res["ruleIndex"]]
        assert res["level"] in {"error", "warning", "note"}
        assert res["message"]["text"]
        physical = res["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"].startswith("policy_data/releases/1.0/")
        assert physical["region"]["startLine"] >= 1 and physical["region"]["startColumn"] >= 1
    mailchimp = next(r for r in results if r["ruleId"] == "art13-1f-transfer-mechanism")
    assert mailchimp["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "policy_data/releases/1.0/recipients.yaml")
    assert mailchimp["locations"][0]["physicalLocation"]["region"]["startLine"] == 24


def test_json_counts_match_findings(lint) -> None:
    report = json.loads(lint(ROOT, "1.0", "--format", "json").stdout)
    severities = [f["severity"] for f in report["findings"]]
    assert report["counts"] == {s: severities.count(s) for s in ("error", "warning", "info")}
    assert report["needs_input"] == sum(f["needs_input"] for f in report["findings"])
    assert report["policy"] == "release 1.0"


def test_fail_on_thresholds(lint, tmp_path: Path) -> None:
    clean = write_data(tmp_path / "clean")
    assert lint(tmp_path, "--data", str(clean)).returncode == 0
    # Only a warning: fails with --fail-on warning, not with the default (error).
    warned = write_data(tmp_path / "warned", {"recipients.yaml": ("      countries: [IE]\n", "      countries: []\n")})
    assert lint(tmp_path, "draft", "--data", str(warned)).returncode == 0
    assert lint(tmp_path, "draft", "--data", str(warned), "--fail-on", "warning").returncode == 1
    failing = write_data(tmp_path / "failing", {"activities.yaml": ("    legal_basis: consent\n", "")})
    assert lint(tmp_path, "--data", str(failing)).returncode == 1
    assert lint(tmp_path, "--data", str(failing), "--fail-on", "never").returncode == 0


def test_bad_input_exits_2(lint, tmp_path: Path) -> None:
    unknown = lint(ROOT, "9.9")
    assert unknown.returncode == 2 and "'9.9' is neither 'draft' nor a release" in unknown.stderr
    assert lint(tmp_path, "--data", str(tmp_path / "missing")).returncode == 2
    broken = write_data(tmp_path / "broken", {"activities.yaml": ("legal_basis: consent", "legal_basis: consnet")})
    assert lint(tmp_path, "--data", str(broken)).returncode == 2
    assert lint(ROOT, "1.0", "--fail-on", "sometimes").returncode == 2
