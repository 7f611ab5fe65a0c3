"""The GDPR lint in the build and on the shipped data: 1.0's gaps, the 2.0 draft's remaining inputs."""

from __future__ import annotations

import json
import subprocess

from conftest import BIN, ROOT, run_mkdocs_build


def lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "policypress"), "lint", *args], cwd=ROOT, capture_output=True, text=True)


def test_the_draft_only_lacks_facts_the_data_owner_must_supply():
    result = lint("draft", "--format", "json")
    report = json.loads(result.stdout)
    findings = report["findings"]
    assert findings, "the draft still needs the controller's contact details"
    assert all(finding["needs_input"] for finding in findings), [f["rule"] for f in findings if not f["needs_input"]]
    rules = {finding["rule"]["id"] if isinstance(finding["rule"], dict) else finding["rule"] for finding in findings}
    assert "art13-1a-controller-contact" in rules
    # What 2.0 fixes is gone: legal bases, retention, rights, the complaint to IMY, the transfer to the USA.
    assert not rules & {
        "art13-1c-legal-basis", "art13-2a-retention", "art13-2b-rights", "art13-2d-complaint",
        "art13-1f-transfer-mechanism", "art13-2f-automated-decisions",
    }


def test_build_prints_the_lint_summary_and_can_fail_on_it(project_copy):
    result = run_mkdocs_build(project_copy, project_copy / "site")
    assert result.returncode == 0, result.stderr
    assert "policypress lint: 19 errors" in result.stderr
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("fail_on: never", "fail_on: error"))
    failed = run_mkdocs_build(project_copy, project_copy / "site2")
    assert failed.returncode != 0
    output = failed.stdout + failed.stderr
    assert "the lint of release 1.2 fails the build (fail_on: error)" in output
    assert "art13-1c-legal-basis" in output
