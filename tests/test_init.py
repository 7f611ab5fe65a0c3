"""`policypress init`: a new project that passes check, a strict build and the scan at once."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import policypress.init as init_module
from clirun import Cli, CliResult, cli  # noqa: F401  (cli is a fixture)
from conftest import BIN, ROOT
from policypress.init import TODO, controller_id, init_project, skeleton
from policypress.schema import modeline, render_schemas

SKELETON = Path(str(skeleton()))


def run(cwd: Path, *command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "POLICYPRESS_GA_PROPERTY"}
    return subprocess.run(
        list(command), cwd=cwd, capture_output=True, text=True, timeout=300,
        env={**base, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


@pytest.fixture
def policypress(cli: Cli) -> Callable[..., CliResult]:
    return lambda cwd, *args: cli(*args, cwd=cwd)


@pytest.mark.slow
def test_init_then_check_build_and_scan_all_pass(policypress, tmp_path):
    project = tmp_path / "org-ab"
    result = policypress(tmp_path, "init", str(project), "--name", "Org AB")
    assert result.returncode == 0, result.stderr
    assert "created a privacy policy project for Org AB" in result.stdout

    check = policypress(project, "check")
    assert check.returncode == 0, check.stderr
    assert "1 releases" in check.stdout

    build = run(project, str(BIN / "mkdocs"), "build", "--strict")
    assert build.returncode == 0, build.stderr
    page = (project / "site" / "en" / "privacy-policy" / "index.html").read_text(encoding="utf-8")
    assert "Org AB" in page and "Version 1.0" in page
    assert (project / "site" / "sv" / "integritetspolicy" / "index.html").is_file()

    scan = policypress(project, "scan", "site")
    assert scan.returncode == 0, scan.stdout + scan.stderr
    assert "0 errors, 0 warnings" in scan.stdout


def test_the_project_has_every_part(tmp_path):
    project = tmp_path / "p"
    init_project(project, "Org AB", dt.date(2026, 1, 15))
    for part in ["mkdocs.yml", "docs/index.md", "docs/en/index.md", "docs/sv/index.md"]:
        assert (project / part).is_file(), part
    # Configuration and data only: the engine, partials and stylesheets stay in the package.
    written = {p.relative_to(project).parts[0] for p in project.rglob("*") if p.is_file()}
    assert written == {"mkdocs.yml", "docs", "policy_data"}
    assert {p.name for p in (project / "docs").rglob("*") if p.is_file()} == {"index.md"}
    data = project / "policy_data"
    for name in ["policy.yaml", "controller.yaml", "activities.yaml", "recipients.yaml", "cookies.yaml",
                 "rights.yaml", "sections.yaml"]:
        text = (data / name).read_text(encoding="utf-8")
        assert text.splitlines()[0] == modeline(name)
        assert "@@" not in text
    assert {p.name: p.read_text(encoding="utf-8") for p in (data / "schema").iterdir()} == render_schemas()
    manifest = yaml.safe_load((data / "releases" / "1.0" / "manifest.yaml").read_text(encoding="utf-8"))
    assert manifest["effective"] == "2026-01-15" and manifest["supersedes"] is None
    assert "site_name: \"Org AB\"" in (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert "# Privacy at Org AB" in (project / "docs" / "en" / "index.md").read_text(encoding="utf-8")


def test_the_facts_to_fill_in_are_marked(tmp_path):
    project = tmp_path / "p"
    init_project(project, "Org AB", named=True)
    data = project / "policy_data"
    marked = {p.name for p in data.glob("*.yaml") if f"# {TODO}:" in p.read_text(encoding="utf-8")}
    assert marked == {"controller.yaml", "activities.yaml", "recipients.yaml", "cookies.yaml", "rights.yaml",
                      "sections.yaml"}
    controller = (data / "controller.yaml").read_text(encoding="utf-8")
    assert 'legal_name: "Org AB"\n' in controller  # a name given on the command line is not a TODO
    assert "organisation_number: \"\"   # TODO(fill in): organisationsnummer" in controller


def test_without_a_name_the_example_name_is_marked(policypress, tmp_path):
    result = policypress(tmp_path, "init", "p", "--effective", "2026-01-15")
    assert result.returncode == 0, result.stderr
    controller = (tmp_path / "p" / "policy_data" / "controller.yaml").read_text(encoding="utf-8")
    assert f'legal_name: "Example Organisation AB"  # {TODO}: the registered name' in controller


@pytest.mark.parametrize(
    ("name", "expected_id"),
    [
        ("Org AB", "org_ab"),
        ("Åkesson & Söner: \"Bygg\" #1 AB", "akesson_soner_bygg_1_ab"),
        ("123 Data AB", "org_123_data_ab"),
        ("Email Provider", "email_provider_org"),
        ("株式会社", "org"),
    ],
)
def test_any_name_gives_a_valid_project(policypress, tmp_path, name, expected_id):
    assert controller_id(name) == expected_id
    project = tmp_path / "p"
    init_project(project, name, dt.date(2026, 1, 15))
    check = policypress(project, "check")
    assert check.returncode == 0, check.stderr
    assert yaml.safe_load((project / "policy_data" / "controller.yaml").read_text(encoding="utf-8"))[
        "controller"
    ]["legal_name"] == name
    assert yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))[
        "site_name"
    ] == name


def test_an_existing_empty_folder_is_fine(policypress, tmp_path):
    (tmp_path / "empty").mkdir()
    result = policypress(tmp_path, "init", "empty", "--effective", "2026-01-15")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "empty" / "mkdocs.yml").is_file()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("non-empty", "is not empty"),
        ("file", "is not a folder"),
    ],
)
def test_a_used_target_is_refused_and_left_alone(policypress, tmp_path, setup, message):
    target = tmp_path / "target"
    if setup == "file":
        target.write_text("mine", encoding="utf-8")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = policypress(tmp_path, "init", "target")
    assert result.returncode == 2
    assert message in result.stderr
    if setup == "file":
        assert target.read_text(encoding="utf-8") == "mine"
    else:
        assert [p.name for p in target.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--effective", "25/11/2026"], "--effective: '25/11/2026' is not a date"),
        (["--name", "   "], "--name: the organisation's name is empty"),
        (["--name", "Two\nLines AB"], "--name: write the name on one line"),
    ],
)
def test_bad_options_are_refused(policypress, tmp_path, args, message):
    result = policypress(tmp_path, "init", "p", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "p").exists()


def test_a_failure_halfway_leaves_nothing_behind(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(init_module, "create_release", broken)
    with pytest.raises(OSError):
        init_project(tmp_path / "new", "Org AB")
    assert not (tmp_path / "new").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(OSError):
        init_project(tmp_path / "empty", "Org AB")
    assert list((tmp_path / "empty").iterdir()) == []
