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
from conftest import BIN, ROOT, run_mkdocs_build
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


# --- init in an existing MkDocs site -------------------------------------------------------------

SMALL_SITE = """\
# The site's own comment, kept byte for byte.
site_name: Small site   # trailing comment
theme:
  name: material
  language: {language}
extra:
  alternate:
    - {{name: English, link: /, lang: en}}
    - {{name: Deutsch, link: /de/, lang: de}}
{plugins}"""


def small_site(root: Path, *, language: str = "en", plugins: str = "") -> Path:
    site = root / "site-src"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(SMALL_SITE.format(language=language, plugins=plugins), encoding="utf-8")
    return site


def test_init_in_an_existing_site_adds_data_and_one_plugin_line(policypress, tmp_path):
    site = small_site(tmp_path, plugins="plugins:\n  - search:\n      lang: en\n# a comment after the list\n")
    before = (site / "mkdocs.yml").read_text(encoding="utf-8")
    result = policypress(site, "init", ".", "--effective", "2026-01-15")
    assert result.returncode == 0, result.stderr
    after = (site / "mkdocs.yml").read_text(encoding="utf-8")
    # Exactly the plugin's line is added, after the site's own plugins; nothing else moves.
    # The languages are the data's (policy.yaml), so the plugin needs no option.
    assert after == before.replace("      lang: en\n", "      lang: en\n  - policypress\n")
    assert (site / "policy_data" / "releases" / "1.0").is_dir()
    assert [p.name for p in (site / "docs").iterdir()] == ["index.md"]  # the site's pages are untouched
    assert "not supported yet" not in result.stdout  # the site's German alternate gets German pages
    assert "languages of the policy pages: en, de" in result.stdout
    assert "TODO(review)" in result.stdout and "mkdocs build --strict" in result.stdout
    check = policypress(site, "check")
    assert check.returncode == 0, check.stderr


def test_init_refuses_an_existing_policy_data_and_changes_nothing(policypress, tmp_path):
    site = small_site(tmp_path)
    (site / "policy_data").mkdir()
    (site / "policy_data" / "mine.yaml").write_text("mine: true\n", encoding="utf-8")
    before = (site / "mkdocs.yml").read_bytes()
    result = policypress(site, "init", ".")
    assert result.returncode == 2
    assert "policy_data exists already" in result.stderr and "nothing was changed" in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / "mkdocs.yml").read_bytes() == before
    assert [p.name for p in (site / "policy_data").iterdir()] == ["mine.yaml"]


def test_a_swedish_site_gets_swedish_and_english_policy_data(policypress, tmp_path):
    site = small_site(tmp_path, language="sv")
    result = policypress(site, "init", ".", "--effective", "2026-01-15")
    assert result.returncode == 0, result.stderr
    # The site's order, its theme's language first: the policy's default language.
    assert "languages of the policy pages: sv, en, de" in result.stdout
    assert "languages: [sv, en, de]" in (site / "policy_data" / "policy.yaml").read_text(encoding="utf-8")
    # Without plugins: MkDocs' default search must stay, so it is written beside ours.
    assert (site / "mkdocs.yml").read_text(encoding="utf-8").endswith("plugins:\n  - search\n  - policypress\n")


def test_a_german_site_gets_german_pages(policypress, tmp_path):
    site = tmp_path / "site-src"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Start\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text("site_name: Kleine Website\ntheme:\n  name: material\n  language: de\n"
                                     "  font: false\n", encoding="utf-8")
    result = policypress(site, "init", ".", "--effective", "2026-01-15")
    assert result.returncode == 0, result.stderr
    assert "languages of the policy pages: de" in result.stdout
    assert "not supported yet" not in result.stdout
    data = site / "policy_data"
    assert (data / "policy.yaml").read_text(encoding="utf-8").count("languages: [de]") == 1
    assert "Integritetspolicy" not in (data / "policy.yaml").read_text(encoding="utf-8")  # only the site's language
    manifest = (data / "releases" / "1.0" / "manifest.yaml").read_text(encoding="utf-8")
    assert "Die erste Version der Datenschutzerklärung." in manifest
    built = run_mkdocs_build(site, tmp_path / "built", {"POLICY_DATE": "2026-02-01"})
    assert built.returncode == 0, built.stdout + built.stderr
    page = (tmp_path / "built" / "de" / "datenschutzerklaerung" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in page
    assert "Recht auf Auskunft (Art. 15 DSGVO)" in page and "Über diese Erklärung" in page
    assert not (tmp_path / "built" / "en").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("site_name: x\n", "site_name: x\n# Added by `policypress init`: MkDocs uses `search` by default only while "
         "`plugins:` is absent.\nplugins:\n  - search\n  - policypress\n"),
        ("plugins:\n- search\nextra: {}\n", "plugins:\n- search\n- policypress\nextra: {}\n"),
        ("plugins: [search, tags]  # ours\n", "plugins: [search, tags, policypress]  # ours\n"),
        ("plugins:\n  search: {}\n  tags:\n    x: 1\n\nnav: []\n",
         "plugins:\n  search: {}\n  tags:\n    x: 1\n  policypress: {}\n\nnav: []\n"),
        ("x: !ENV [A, 1]\nmd: !!python/name:a.b\nplugins:\n  - search", "x: !ENV [A, 1]\nmd: !!python/name:a.b\n"
         "plugins:\n  - search\n  - policypress\n"),
        ("plugins:\n  - policypress\n", "plugins:\n  - policypress\n"),
    ],
)
def test_the_plugin_is_added_as_a_text_edit(text, expected):
    from policypress.siteconfig import add_plugin

    assert add_plugin(text) == expected


def test_a_plugins_value_the_edit_does_not_understand_is_refused():
    from policypress.siteconfig import SiteConfigError, add_plugin

    with pytest.raises(SiteConfigError, match="add `- policypress` by hand"):
        add_plugin("plugins: !ENV PLUGINS\n")
