"""`policypress schema`: JSON Schemas for editors, committed in policy_data/schema/ and never stale."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from clirun import Cli, CliResult, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT
from policypress.loader import DATA_FILES
from policypress.schema import SCHEMA_FILES, modeline, render_schemas, schema_file_name

DATA = ROOT / "policy_data"
COMMITTED = DATA / "schema"
RELEASE_FILES = sorted(p for p in (DATA / "releases").glob("*/*.yaml"))
DRAFT_FILES = [DATA / spec.name for spec in DATA_FILES]


@pytest.fixture
def policypress(cli: Cli) -> Callable[..., CliResult]:
    return lambda cwd, *args: cli(*args, cwd=cwd)


def validator(data_file: str) -> Draft202012Validator:
    schema = json.loads((COMMITTED / schema_file_name(data_file)).read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def problems(data_file: str, instance: Any) -> list[str]:
    return [error.message for error in validator(data_file).iter_errors(instance)]


def test_committed_schemas_are_the_generated_ones():
    fresh = render_schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in COMMITTED.glob("*.schema.json")}
    assert sorted(committed) == sorted(fresh), "run `.venv/bin/policypress schema` and commit policy_data/schema/"
    for name, text in fresh.items():
        assert committed[name] == text, f"{name} is out of date: run `.venv/bin/policypress schema` and commit it"


def test_output_is_deterministic_with_sorted_keys_and_a_final_newline():
    first, second = render_schemas(), render_schemas()
    assert first == second
    assert len(first) == len(SCHEMA_FILES) == 8
    for text in first.values():
        assert text.endswith("}\n") and not text.endswith("\n\n")
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("name", sorted(render_schemas()))
def test_each_schema_is_a_valid_2020_12_schema_with_descriptions(name):
    schema = json.loads((COMMITTED / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"].endswith(".yaml") and schema["description"]
    for prop in schema["properties"].values():
        assert prop.get("description"), f"{name}: a top-level key has no description"


@pytest.mark.parametrize("path", DRAFT_FILES, ids=lambda p: p.name)
def test_each_draft_file_names_its_schema_on_the_first_line(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == modeline(path.name)


@pytest.mark.parametrize(
    "path", DRAFT_FILES + RELEASE_FILES, ids=lambda p: p.relative_to(DATA).as_posix()
)
def test_every_draft_and_release_file_is_valid_against_its_schema(path):
    assert problems(path.name, yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_releases_are_covered():
    assert {p.name for p in RELEASE_FILES} == {spec.name for spec in DATA_FILES} | {"manifest.yaml"}


def test_the_schema_folder_does_not_upset_check(policypress):
    result = policypress(ROOT, "check", "--data", "policy_data")
    assert result.returncode == 0, result.stderr


COOKIE = {
    "provider": "google", "party": "first", "type": "cookie", "category": "analytics",
    "duration": "P2Y", "purpose": {"en": "Counts visitors", "sv": "Räknar besökare"}, "consent_required": True,
}
ACTIVITY = {"name": {"en": "News", "sv": "Nyheter"}, "purpose": {"en": "To send news", "sv": "För nyheter"},
            "source": "data_subject"}
RECIPIENT = {"name": {"en": "M", "sv": "M"}, "role": "processor", "service": {"en": "Mail", "sv": "E-post"}}


@pytest.mark.parametrize(
    ("data_file", "instance"),
    [
        pytest.param("cookies.yaml", {"cookies": {"_ga": {**COOKIE, "category": "analytic"}}}, id="enum"),
        pytest.param("cookies.yaml", {"cookies": {"_ga": {**COOKIE, "duration": "2 years"}}}, id="duration"),
        pytest.param("cookies.yaml", {"cookies": {"_ga": {**COOKIE, "consent_required": "yes"}}}, id="boolean"),
        pytest.param("cookies.yaml", {"cookies": {"my cookie": COOKIE}}, id="cookie-name"),
        pytest.param("activities.yaml", {"activities": {"News Letter": ACTIVITY}}, id="id-key"),
        pytest.param("activities.yaml", {"activities": {"news": {**ACTIVITY, "purpos": {}}}}, id="unknown-key"),
        pytest.param(
            "activities.yaml",
            {"activities": {"news": {**ACTIVITY, "retention": {"period": "P1Y", "criteria": {"en": "a", "sv": "b"}}}}},
            id="retention-both",
        ),
        pytest.param("activities.yaml", {"activities": {"news": {**ACTIVITY, "retention": {}}}}, id="retention-none"),
        pytest.param(
            "recipients.yaml", {"recipients": {"m": {**RECIPIENT, "storage": {"countries": ["UK"]}}}}, id="country"
        ),
        pytest.param("policy.yaml", {"title": {"en": "Privacy policy", "sv": "  "}}, id="blank-text"),
        # A text lacking one of the policy's languages is for `check` (test_languages.py): which
        # languages a text needs is in policy.yaml, which the schema of another file cannot see.
        pytest.param("policy.yaml", {"title": {"EN": "Privacy policy"}}, id="not-a-language-tag"),
        pytest.param("policy.yaml", {"title": {"en": "Privacy policy"}, "languages": []}, id="no-languages"),
        pytest.param("rights.yaml", {"rights": {"acces": {"description": {"en": "a", "sv": "b"}}}}, id="right"),
        pytest.param(
            "sections.yaml",
            {"sections": {"a": {"title": {"en": "A", "sv": "A"}, "body": [{"en": "x", "sv": "y", "list": []}]}}},
            id="block-both",
        ),
        pytest.param(
            "sections.yaml", {"sections": {"a": {"title": {"en": "A", "sv": "A"}, "tables": ["cookie"]}}}, id="table"
        ),
        pytest.param("manifest.yaml", {"version": "1", "effective": "2026-01-01", "class": "material",
                                       "summary": {"en": "a", "sv": "b"}, "files": {}}, id="version"),
        pytest.param("manifest.yaml", {"version": "1.0", "effective": "1 May", "class": "material",
                                       "summary": {"en": "a", "sv": "b"}, "files": {}}, id="date"),
    ],
)
def test_the_editor_flags_what_check_rejects(data_file, instance):
    assert problems(data_file, instance)


def test_what_check_accepts_passes_the_schema():
    durations = ["session", "Session", "persistent", "P2Y", "P13M", "PT30M", "P1Y2M3DT4H"]
    for duration in durations:
        assert problems("cookies.yaml", {"cookies": {"_ga_*": {**COOKIE, "duration": duration}}}) == [], duration
    listed = {"sections": {"a": {"title": {"en": "A", "sv": "A"}, "body": [{"list": [{"en": "x", "sv": "y"}]}]}}}
    assert problems("sections.yaml", listed) == []
    assert problems("recipients.yaml", {"recipients": {"m": {**RECIPIENT, "storage": {"countries": ["NO", "SE"]}}}}) == []


def test_enums_carry_labels_for_the_editor():
    schema = json.loads((COMMITTED / "activities.schema.json").read_text(encoding="utf-8"))
    legal_basis = schema["$defs"]["LegalBasis"]
    assert legal_basis["enum"][0] == "consent"
    assert legal_basis["enumDescriptions"][0] == (
        "Consent (Art. 6(1)(a) GDPR) · Einwilligung (Art. 6 Abs. 1 lit. a DSGVO) · Samtycke (artikel 6.1 a GDPR)"
    )
    assert schema["properties"]["activities"]["propertyNames"] == {"pattern": "^[a-z][a-z0-9_]*$"}


def test_cli_writes_checks_and_reports_stale_schemas(policypress, tmp_path):
    out = tmp_path / "schema"
    result = policypress(tmp_path, "schema", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert "8 schemas, 8 written" in result.stdout
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == render_schemas()
    assert policypress(tmp_path, "schema", "--output", str(out), "--check").returncode == 0

    (out / "cookies.schema.json").write_text("{}\n", encoding="utf-8")
    stale = policypress(tmp_path, "schema", "--output", str(out), "--check")
    assert stale.returncode == 1
    assert "cookies.schema.json: out of date" in stale.stderr

    again = policypress(tmp_path, "schema", "--output", str(out))
    assert "8 schemas, 1 written" in again.stdout


def test_cli_outside_a_project_asks_for_the_folder(policypress, tmp_path):
    result = policypress(tmp_path, "schema")
    assert result.returncode == 2
    assert "no policy_data/ here" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_a_file_as_output(policypress, tmp_path):
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = policypress(tmp_path, "schema", "--output", "file")
    assert result.returncode == 2
    assert "not a folder" in result.stderr
