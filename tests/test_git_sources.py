"""Reading policy_data/ at a git revision: `diff --git REV` and `check --frozen-since REV`."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from clirun import Cli, CliResult, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture
def policypress(cli: Cli) -> Callable[..., CliResult]:
    return lambda cwd, *args: cli(*args, cwd=cwd)


@pytest.fixture
def repo(tmp_path: Path, policypress: Callable[..., CliResult]) -> Path:
    """A git repository with the minimal data, released as 1.0 and committed on main."""
    shutil.copytree(MINIMAL, tmp_path / "policy_data")
    assert run(tmp_path, "git", "init", "-q", "-b", "main").returncode == 0
    run(tmp_path, "git", "config", "user.email", "test@example.invalid")
    run(tmp_path, "git", "config", "user.name", "Test")
    released = policypress(
        tmp_path, "release", "1.0", "--effective", "2026-01-01", "--class", "material",
        "--summary-en", "First", "--summary-sv", "Första",
    )
    assert released.returncode == 0, released.stderr
    run(tmp_path, "git", "add", "-A")
    assert run(tmp_path, "git", "commit", "-q", "-m", "1.0").returncode == 0
    return tmp_path


def test_diff_against_a_git_revision_reads_the_draft_there(policypress, repo):
    recipients = repo / "policy_data" / "recipients.yaml"
    recipients.write_text(recipients.read_text().replace("countries: [US]", "countries: [IE]"))
    result = policypress(repo, "diff", "--git", "main", "--format", "json", "--exit-code")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["old"] == "draft@main"
    assert [(c["kind"], c["old"], c["new"]) for c in report["changes"]] == [
        ("recipient.storage.countries.changed", ["US"], ["IE"])
    ]
    assert run(repo, "git", "status", "--porcelain").stdout.strip() == "M policy_data/recipients.yaml"


def test_diff_exit_code_is_zero_without_changes(policypress, repo):
    result = policypress(repo, "diff", "--git", "main", "--exit-code")
    assert result.returncode == 0, result.stderr


def test_unknown_revision_is_a_usage_error(policypress, repo):
    result = policypress(repo, "diff", "--git", "no-such-branch")
    assert result.returncode == 2
    assert "no-such-branch" in result.stderr


def test_a_release_edited_together_with_its_checksum_is_caught_against_the_base(policypress, repo):
    frozen = repo / "policy_data" / "releases" / "1.0"
    cookies = frozen / "cookies.yaml"
    cookies.write_text(cookies.read_text().replace("P2Y", "P1Y"))
    manifest = frozen / "manifest.yaml"
    digest = hashlib.sha256(cookies.read_bytes()).hexdigest()
    text = manifest.read_text()
    old_digest = next(line.split(": ")[1] for line in text.splitlines() if line.strip().startswith("cookies.yaml:"))
    manifest.write_text(text.replace(old_digest, digest))
    seals = repo / "policy_data" / "releases" / "SEALS"  # and the manifest's seal, too
    old_seal = hashlib.sha256(text.encode()).hexdigest()
    seals.write_text(seals.read_text().replace(old_seal, hashlib.sha256(manifest.read_bytes()).hexdigest()))

    plain = policypress(repo, "check")
    assert plain.returncode == 0, plain.stderr  # the checksums and the seal agree again...
    against_base = policypress(repo, "check", "--frozen-since", "main")
    assert against_base.returncode == 2  # ...but the base branch knows better
    assert "policy_data/releases/1.0/cookies.yaml: differs from main, where release 1.0 was already published" in against_base.stderr
    assert "policy_data/releases/1.0/manifest.yaml: files: checksums differ from main" in against_base.stderr


def test_a_new_release_is_not_a_change_to_a_frozen_one(policypress, repo):
    sections = repo / "policy_data" / "sections.yaml"
    sections.write_text(sections.read_text().replace("covers our website", "covers our web site"))
    released = policypress(
        repo, "release", "1.1", "--effective", "2026-02-01", "--class", "editorial",
        "--summary-en", "Wording", "--summary-sv", "Formulering",
    )
    assert released.returncode == 0, released.stderr
    result = policypress(repo, "check", "--frozen-since", "main")
    assert result.returncode == 0, result.stderr
