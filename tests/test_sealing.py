"""Sealed releases: the manifest is covered too, release folders hold plain files only,
and ``check --frozen-since`` compares every released file with the base branch."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from clirun import cli  # noqa: F401
from conftest import ROOT
from policypress.errors import DataError
from policypress.i18n import Text
from policypress.release import create_release, seal_releases
from policypress.sources import frozen_changes, history_source
from policypress.versions import ReleaseClass, load_history

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The minimal data released as 1.0, committed on main of a fresh repository."""
    shutil.copytree(MINIMAL, tmp_path / "policy_data")
    monkeypatch.chdir(tmp_path)
    create_release(Path("policy_data"), "1.0", dt.date(2026, 1, 1), ReleaseClass.MATERIAL, Text(en="First", sv="Första"))
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.email=t@example.invalid", "-c", "user.name=T", "add", "-A")
    git(tmp_path, "-c", "user.email=t@example.invalid", "-c", "user.name=T", "commit", "-q", "-m", "1.0")
    return Path("policy_data")


def problems(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_history(data)
    return [str(issue) for issue in caught.value.issues]


def frozen(data: Path) -> list[str]:
    return [str(issue) for issue in frozen_changes(data, "main")]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_release_is_sealed_in_sha256sum_format(data):
    seals = data / "releases" / "SEALS"
    lines = [line for line in seals.read_text().splitlines() if not line.startswith("#")]
    assert lines == [f"{sha(data / 'releases' / '1.0' / 'manifest.yaml')}  1.0/manifest.yaml"]
    checked = subprocess.run(["sha256sum", "-c", "SEALS"], cwd=seals.parent, capture_output=True, text=True)
    assert checked.stdout == "1.0/manifest.yaml: OK\n"
    assert [r.version for r in load_history(data).releases] == ["1.0"]


@pytest.mark.parametrize("old,new", [("en: First", "en: Something else"), ("class: material", "class: editorial")])
def test_a_rewritten_manifest_breaks_its_seal(data, old, new):
    manifest = data / "releases" / "1.0" / "manifest.yaml"
    manifest.write_text(manifest.read_text().replace(old, new))
    assert problems(data) == [
        "policy_data/releases/1.0/manifest.yaml: was edited after release 1.0 (its sha256 no longer matches "
        "policy_data/releases/SEALS); released versions are frozen, their manifests too"
    ]


def test_a_manifest_rewritten_with_its_seal_is_caught_against_the_base(data):
    manifest = data / "releases" / "1.0" / "manifest.yaml"
    seals = data / "releases" / "SEALS"
    old_seal = sha(manifest)
    manifest.write_text(manifest.read_text().replace("class: material", "class: editorial"))
    seals.write_text(seals.read_text().replace(old_seal, sha(manifest)))
    load_history(data)  # consistent again...
    assert frozen(data) == [  # ...but the base branch knows better
        "policy_data/releases/1.0/manifest.yaml: differs from main, where release 1.0 was already published"
    ]


def test_a_frozen_file_replaced_by_a_link_to_an_identical_copy_is_refused(data, tmp_path):
    frozen_file = data / "releases" / "1.0" / "cookies.yaml"
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(frozen_file, outside)
    frozen_file.unlink()
    frozen_file.symlink_to(outside)
    assert problems(data) == [
        "policy_data/releases/1.0/cookies.yaml: is a symlink inside release 1.0; a release holds plain files only"
    ]
    assert frozen(data) == [
        "policy_data/releases/1.0/cookies.yaml: is no longer a plain file (it is a symlink) since main"
    ]


def test_a_symlinked_manifest_or_release_folder_is_refused(data, tmp_path):
    release = data / "releases" / "1.0"
    shutil.copytree(release, tmp_path / "copy")
    (release / "manifest.yaml").unlink()
    (release / "manifest.yaml").symlink_to(tmp_path / "copy" / "manifest.yaml")
    assert problems(data) == ["policy_data/releases/1.0/manifest.yaml: is a symlink; a release holds plain files only"]
    shutil.rmtree(release)
    release.symlink_to(tmp_path / "copy")
    assert problems(data) == [
        "policy_data/releases/1.0: is a symlink; releases/ holds only release folders and SEALS",
        "policy_data/releases/SEALS: release 1.0 is sealed but its folder is missing; released versions are never removed",
    ]


def test_an_extra_folder_or_file_inside_a_release_is_refused(data):
    extra = data / "releases" / "1.0" / "drafts"
    extra.mkdir()
    (extra / "notes.yaml").write_text("x: 1\n")
    (data / "releases" / "1.0" / "README").write_text("hello\n")
    assert problems(data) == [
        "policy_data/releases/1.0/README: file was added to release 1.0 after it was released; released versions are frozen",
        "policy_data/releases/1.0/drafts: is a folder inside release 1.0; a release holds plain files only",
    ]
    assert frozen(data) == [
        "policy_data/releases/1.0/README: added to release 1.0 since main, where it was already published",
        "policy_data/releases/1.0/drafts/notes.yaml: added to release 1.0 since main, where it was already published",
    ]


def test_a_deleted_release_is_reported_by_its_seal_and_against_the_base(data):
    shutil.rmtree(data / "releases" / "1.0")
    assert problems(data) == [
        "policy_data/releases/SEALS: release 1.0 is sealed but its folder is missing; released versions are never removed"
    ]
    assert "policy_data/releases/1.0/manifest.yaml: released in 1.0 at main and deleted since" in frozen(data)


def test_a_bad_seal_line_is_reported_with_its_line(data):
    seals = data / "releases" / "SEALS"
    seals.write_text(seals.read_text() + "not a seal\n")
    assert problems(data) == ["policy_data/releases/SEALS:4:1: not a seal: expected '<sha256>  VERSION/manifest.yaml'"]


def test_releases_from_before_seals_are_sealed_once(data):
    (data / "releases" / "SEALS").unlink()
    assert problems(data) == [
        "policy_data/releases/1.0/manifest.yaml: release 1.0 is not sealed in policy_data/releases/SEALS; "
        "`policypress release` seals every release (a release made before seals existed is sealed once with "
        "`policypress seal`, after checking it)"
    ]
    assert seal_releases(data) == ["1.0"]
    assert [r.version for r in load_history(data).releases] == ["1.0"]
    assert seal_releases(data) == []


def test_the_seal_command_seals_once_and_then_says_so(data, cli):
    (data / "releases" / "SEALS").unlink()
    code, out, err = cli("seal", "--data", str(data))
    assert (code, err) == (0, "")
    assert out == "sealed 1.0 in policy_data/releases/SEALS: commit it\n"
    assert [r.version for r in load_history(data).releases] == ["1.0"]
    code, out, _ = cli("seal", "--data", str(data))
    assert (code, out) == (0, "every release is sealed already (policy_data/releases/SEALS)\n")


def test_sealing_refuses_a_tampered_history_and_writes_nothing(data):
    (data / "releases" / "SEALS").unlink()
    cookies = data / "releases" / "1.0" / "cookies.yaml"
    cookies.write_text(cookies.read_text().replace("P2Y", "P1Y"))
    with pytest.raises(DataError, match="cookies.yaml: file was edited after release 1.0"):
        seal_releases(data)
    assert "1.0/manifest.yaml" not in (data / "releases" / "SEALS").read_text()


def test_a_second_release_adds_its_seal_and_is_not_a_change_to_the_first(data):
    sections = data / "sections.yaml"
    sections.write_text(sections.read_text().replace("covers our website", "covers our web site"))
    create_release(data, "1.1", dt.date(2026, 2, 1), ReleaseClass.EDITORIAL, Text(en="Wording", sv="Formulering"))
    lines = [line.split("  ")[1] for line in (data / "releases" / "SEALS").read_text().splitlines() if not line.startswith("#")]
    assert lines == ["1.0/manifest.yaml", "1.1/manifest.yaml"]
    assert frozen(data) == []
    assert [r.version for r in load_history(data).releases] == ["1.0", "1.1"]


def test_a_git_revision_from_before_seals_still_loads(data, tmp_path):
    (data / "releases" / "SEALS").unlink()
    git(tmp_path, "-c", "user.email=t@example.invalid", "-c", "user.name=T", "commit", "-q", "-am", "no seals yet")
    with history_source(data, "main") as history:
        assert [r.version for r in history.releases] == ["1.0"]
    with pytest.raises(DataError, match="is not sealed"):
        load_history(data)  # the working copy must be sealed, though


def test_the_repository_releases_are_sealed_and_unchanged():
    releases = ROOT / "policy_data" / "releases"
    history = load_history(ROOT / "policy_data")
    assert [r.version for r in history.releases] == ["1.0", "1.1", "1.2"]
    seals = (releases / "SEALS").read_text()
    for release in history.releases:
        assert f"{sha(release.path / 'manifest.yaml')}  {release.version}/manifest.yaml\n" in seals
    # 1.0 stays as published: its manifest is the one written on release.
    assert sha(releases / "1.0" / "manifest.yaml") == "10e93ff37342c2ac375ef765011d209748f7e90b83d9b02eca35c657521e5754"
