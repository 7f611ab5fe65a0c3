"""`policypress export-consent`: configurations for other sites from the same declarations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
import yaml

from clirun import Cli, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT


@pytest.fixture
def export(cli: Cli) -> Callable[..., str]:
    def run(fmt: str, *extra: str) -> str:
        result = cli("export-consent", "--format", fmt, "--version", "1.0", *extra, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        return result.stdout

    return run


def js_object(source: str, prefix: str) -> dict:
    """The object literal after ``prefix``, with /regex/ literals turned into {"regex": ...} for checking."""
    body = source[source.index(prefix) + len(prefix):].rstrip().removesuffix(";")
    return json.loads(re.sub(r": /(.*?)/(?=[,\n])|(?<=\n)(\s*)/(.*?)/(?=[,\n])", _regex_to_json, body))


def _regex_to_json(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return ": " + json.dumps({"regex": match.group(1)})
    return match.group(2) + json.dumps({"regex": match.group(3)})


def test_cookieconsent_v3_config_has_categories_cookies_and_both_languages(export):
    config = js_object(export("cookieconsent-v3", "--policy-url", "https://example.org/policy/"), "export default ")
    assert config["categories"]["necessary"] == {"enabled": True, "readOnly": True}
    assert config["categories"]["analytics"]["autoClear"]["cookies"] == [
        {"name": "_ga"},
        {"name": {"regex": "^_ga_.*$"}},
    ]
    assert set(config["language"]["translations"]) == {"en", "sv"}
    sv = config["language"]["translations"]["sv"]
    assert sv["consentModal"]["title"] == "Samtycke till cookies"
    tables = {s["linkedCategory"]: [row["name"] for row in s["cookieTable"]["body"]] for s in sv["preferencesModal"]["sections"]}
    assert tables == {"necessary": ["__RequestVerificationToken", ".AspNetCore.Antiforgery.*"], "analytics": ["_ga", "_ga_*"]}
    assert 'href="https://example.org/policy/"' in sv["consentModal"]["footer"]


def test_klaro_config_groups_cookies_by_provider(export):
    config = js_object(export("klaro"), "var klaroConfig = ")
    services = {s["name"]: s for s in config["services"]}
    assert services["google"]["purposes"] == ["analytics"]
    assert services["google"]["required"] is False
    assert services["google"]["cookies"] == ["_ga", {"regex": "^_ga_.*$"}]
    assert services["cmt"]["required"] is True
    assert services["cmt"]["cookies"] == ["__RequestVerificationToken", {"regex": "^\\.AspNetCore\\.Antiforgery\\..*$"}]
    assert config["translations"]["sv"]["purposes"] == {"necessary": "Nödvändiga cookies", "analytics": "Statistikcookies"}


def test_material_config_is_a_pasteable_extra_block(export):
    text = export("material")
    config = yaml.safe_load(text)
    consent = config["extra"]["consent"]
    assert consent["title"] == "Cookie consent"
    assert consent["cookies"] == {"analytics": {"name": "Analytics", "checked": False}}
    assert consent["actions"] == ["accept", "reject", "manage"]
    assert "#   title: Samtycke till cookies" in text


def test_unknown_format_is_a_usage_error(cli):
    result = cli("export-consent", "--format", "onetrust", cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "policypress: error: --format: 'onetrust' is not one of 'material', 'cookieconsent-v3', 'klaro'."
    )
