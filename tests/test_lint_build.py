"""The GDPR lint in the build and on the shipped data: 1.0's gaps, the 2.0 draft's remaining inputs."""

from __future__ import annotations

from conftest import ROOT, run_mkdocs_build
from policypress.lint import lint_policy
from policypress.loader import load_policy


def test_the_draft_lacks_facts_the_data_owner_must_supply_and_one_vague_rule():
    # In process: the library on policy_data/, as `policypress lint draft` runs it.
    data_dir = ROOT / "policy_data"
    findings = lint_policy(load_policy(data_dir), data_dir, label="draft").findings
    assert findings, "the draft still needs the controller's contact details"
    # The one finding the data itself can fix: the general rule "long enough", now that every activity has its own.
    # (Proposed facts need the data owner; the three review notes need the lawyer.)
    fixable = [(f.rule.id, f.location.path) for f in findings if not f.needs_input and f.rule.id != "legal-review-note"]
    assert fixable == [("art13-2a-vague-retention", "general_retention")]
    assert sum(f.rule.id == "legal-review-note" for f in findings) == 3
    assert sum(f.rule.id == "needs-confirmation" for f in findings) == 29
    rules = {finding.rule.id for finding in findings}
    assert "art13-1a-controller-contact" in rules
    # What 2.0 fixes is gone: legal bases, retention, rights, the complaint to IMY, the transfer to the USA.
    assert not rules & {
        "art13-1c-legal-basis", "art13-2a-retention", "art13-2b-rights", "art13-2d-complaint",
        "art13-1f-transfer-mechanism", "art13-2f-automated-decisions",
    }


def test_build_prints_the_lint_summary_and_can_fail_on_it(project_copy):
    result = run_mkdocs_build(project_copy, project_copy / "site")
    assert result.returncode == 0, result.stderr
    assert "policypress lint: 23 errors, 12 warnings" in result.stderr  # release 1.2, counted by hand
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("fail_on: never", "fail_on: error"))
    failed = run_mkdocs_build(project_copy, project_copy / "site2")
    assert failed.returncode != 0
    output = failed.stdout + failed.stderr
    assert "the lint of release 1.2 fails the build (fail_on: error)" in output
    assert "art13-1c-legal-basis" in output
