"""Releases: `policypress release` and `versions`, refusals, frozen files, effective dates."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from clirun import Cli, CliResult, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"


@pytest.fixture
def policypress(cli: Cli) -> Callable[..., CliResult]:
    return lambda cwd, *args: cli(*args, cwd=cwd)


@pytest.fixture
def release(policypress: Callable[..., CliResult]) -> Callable[..., CliResult]:
    def run(cwd: Path, version: str, effective: str, change_class: str = "material") -> CliResult:
        return policypress(
            cwd, "release", version, "--effective", effective, "--class", change_class,
            "--summary-en", f"Version {version}", "--summary-sv", f"Version {version} på svenska",
        )

    return run


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "policy_data")
    return tmp_path / "policy_data"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_release_freezes_the_draft_with_a_manifest(release, data):
    result = release(data.parent, "1.0", "2026-01-15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("released 1.0 (material, effective 2026-01-15)")
    frozen = data / "releases" / "1.0"
    manifest = yaml.safe_load((frozen / "manifest.yaml").read_text(encoding="utf-8"))
    assert manifest["version"] == "1.0"
    assert manifest["effective"] == "2026-01-15"
    assert manifest["supersedes"] is None
    assert manifest["class"] == "material"
    assert manifest["summary"] == {"en": "Version 1.0", "sv": "Version 1.0 på svenska"}
    names = ["policy.yaml", "controller.yaml", "activities.yaml", "recipients.yaml", "cookies.yaml", "rights.yaml", "sections.yaml"]
    assert sorted(manifest["files"]) == sorted(names)
    for name in names:
        assert (frozen / name).read_bytes() == (data / name).read_bytes()
        assert manifest["files"][name] == hashlib.sha256((frozen / name).read_bytes()).hexdigest()


def test_second_release_supersedes_the_first(release, data):
    assert release(data.parent, "1.0", "2026-01-15").returncode == 0
    edit(data / "sections.yaml", "This policy covers our website.", "This policy covers our web site.")
    result = release(data.parent, "1.1", "2026-02-01", "editorial")
    assert result.returncode == 0, result.stderr
    manifest = yaml.safe_load((data / "releases" / "1.1" / "manifest.yaml").read_text(encoding="utf-8"))
    assert manifest["supersedes"] == "1.0"
    assert manifest["class"] == "editorial"


@pytest.mark.parametrize(
    "version,effective,message",
    [
        ("1.0", "2026-03-01", "release 1.0 exists already (effective 2026-01-15)"),
        ("0.9", "2026-03-01", "version 0.9 must be greater than the latest release, 1.0"),
        ("2.0", "2026-01-14", "effective date 2026-01-14 is earlier than that of the previous release 1.0 (2026-01-15)"),
        ("v2", "2026-03-01", "'v2' is not a version: write MAJOR.MINOR such as 1.0 or 2.1"),
        ("2.0.1.4", "2026-03-01", "'2.0.1.4' is not a version"),
        ("2.0", "15/03/2026", "--effective: '15/03/2026' is not a date: write YYYY-MM-DD"),
        ("2.0", "2026-02-30", "--effective: '2026-02-30' is not a date: write YYYY-MM-DD"),
    ],
)
def test_release_refusals(release, data, version, effective, message):
    assert release(data.parent, "1.0", "2026-01-15").returncode == 0
    edit(data / "sections.yaml", "This policy covers our website.", "This policy covers our web site.")
    before = sorted(p.name for p in (data / "releases").iterdir())
    result = release(data.parent, version, effective)
    assert result.returncode == 2
    assert message in result.stderr
    assert sorted(p.name for p in (data / "releases").iterdir()) == before


def test_release_of_an_unchanged_draft_is_refused(release, data):
    assert release(data.parent, "1.0", "2026-01-15").returncode == 0
    result = release(data.parent, "1.1", "2026-02-01")
    assert result.returncode == 2
    assert "is the same as release 1.0: nothing to release" in result.stderr
    assert not (data / "releases" / "1.1").exists()


def test_an_invalid_draft_is_never_frozen(release, data):
    edit(data / "cookies.yaml", "category: analytics", "category: stats")
    result = release(data.parent, "1.0", "2026-01-15")
    assert result.returncode == 2
    assert "policy_data/cookies.yaml:6:5: cookies._ga.category: 'stats' is not one of" in result.stderr
    assert not (data / "releases" / "1.0").exists()


def test_an_edited_release_is_reported_by_file_and_release(release, policypress, data):
    assert release(data.parent, "1.0", "2026-01-15").returncode == 0
    edit(data / "releases" / "1.0" / "cookies.yaml", "P2Y", "P1Y")
    for command in ("versions", "check"):
        result = policypress(data.parent, command)
        assert result.returncode == 2
        assert "policy_data/releases/1.0/cookies.yaml: file was edited after release 1.0" in result.stderr
    result = policypress(data.parent, "versions")
    assert (
        "policy_data/releases/1.0/cookies.yaml: file was edited after release 1.0 "
        "(its sha256 no longer matches the manifest)"
    ) in result.stderr
    # Nor can a new release be made on top of a tampered history.
    edit(data / "sections.yaml", "This policy covers our website.", "This policy covers our web site.")
    assert release(data.parent, "1.1", "2026-02-01").returncode == 2


def test_a_deleted_or_added_release_file_is_reported(release, policypress, data):
    assert release(data.parent, "1.0", "2026-01-15").returncode == 0
    (data / "releases" / "1.0" / "rights.yaml").unlink()
    (data / "releases" / "1.0" / "extra.yaml").write_text("x: 1\n")
    result = policypress(data.parent, "versions")
    assert result.returncode == 2
    assert "policy_data/releases/1.0/rights.yaml: file of release 1.0 is missing" in result.stderr
    assert "policy_data/releases/1.0/extra.yaml: file was added to release 1.0 after it was released" in result.stderr


def test_versions_shows_current_and_upcoming_by_date(release, policypress, data):
    assert release(data.parent, "1.0", "2026-01-15").returncode == 0
    edit(data / "sections.yaml", "This policy covers our website.", "This policy covers our web site.")
    assert release(data.parent, "1.1", "2026-03-01", "editorial").returncode == 0

    def statuses(day: str) -> dict[str, str]:
        result = policypress(data.parent, "versions", "--date", day, "--format", "json")
        assert result.returncode == 0, result.stderr
        return {row["version"]: row["status"] for row in json.loads(result.stdout)["releases"]}

    assert statuses("2026-01-14") == {"1.0": "upcoming", "1.1": "upcoming"}
    assert statuses("2026-01-15") == {"1.0": "current", "1.1": "upcoming"}
    assert statuses("2026-02-28") == {"1.0": "current", "1.1": "upcoming"}
    assert statuses("2026-03-01") == {"1.0": "superseded", "1.1": "current"}


def test_repository_ships_three_releases(policypress):
    result = policypress(ROOT, "versions", "--format", "json", "--date", "2026-11-25")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["releases"]
    assert [(r["version"], r["class"], r["status"]) for r in rows] == [
        ("1.0", "material", "superseded"),
        ("1.1", "editorial", "superseded"),
        ("1.2", "material", "current"),
    ]


def test_frozen_files_point_their_schema_hint_two_folders_up(release, policypress, data):
    cookies = data / "cookies.yaml"
    cookies.write_text("# yaml-language-server: $schema=schema/cookies.schema.json\n" + cookies.read_text())
    assert release(data.parent, "1.0", "2026-01-15").returncode == 0
    frozen = (data / "releases" / "1.0" / "cookies.yaml").read_text()
    assert frozen.startswith("# yaml-language-server: $schema=../../schema/cookies.schema.json\n")
    assert frozen.split("\n", 1)[1] == cookies.read_text().split("\n", 1)[1]
    assert policypress(data.parent, "check").returncode == 0
