"""The MkDocs plugin: `plugins: [policypress]` in a project made by `init`, the hooks binder of
this repository, its options checked by MkDocs, and the engine kept free of MkDocs."""

from __future__ import annotations

import ast
import datetime as dt
import json
import logging
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from conftest import ROOT, run_mkdocs_build
from policypress import build
from policypress.i18n import Lang
from policypress.init import init_project
from policypress.versions import load_history

SRC = ROOT / "src" / "policypress"
EN_PAGE = "en/privacy-policy/index.html"


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_the_hooks_file_only_binds_the_plugin():
    hooks = ROOT / "hooks" / "policypress_hooks.py"
    assert len(hooks.read_text(encoding="utf-8").splitlines()) < 30
    assert imported_modules(hooks) == {"policypress.mkdocs.hooks"}


def test_no_module_outside_policypress_mkdocs_imports_mkdocs():
    offenders = [
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if "mkdocs" not in path.relative_to(SRC).parts[:1]
        and any(module == "mkdocs" or module.startswith("mkdocs.") for module in imported_modules(path))
    ]
    assert offenders == []
    # The check itself sees an import of MkDocs where there is one.
    assert "mkdocs.plugins" in imported_modules(SRC / "mkdocs" / "plugin.py")


def write_yaml(path: Path, change) -> None:
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_EnvLoader)
    change(config)
    path.write_text(yaml.dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


class _EnvLoader(yaml.SafeLoader):
    """Reads mkdocs.yml's `!ENV [NAME, default]` as its default, which is what a build without NAME gets."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "org"
    init_project(target, "Org AB", dt.date(2026, 1, 15))
    return target


def plugin_options(config: dict) -> dict:
    entry = next(p for p in config["plugins"] if isinstance(p, dict) and "policypress" in p)
    return entry["policypress"]


def build_in_process(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.setenv("POLICY_DATE", "2026-01-15")
    monkeypatch.delenv("POLICYPRESS_GA_PROPERTY", raising=False)
    monkeypatch.delenv("POLICYPRESS_PREVIEW", raising=False)
    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(project / "site"), strict=True)
    mkdocs_build(config)
    return project / "site"


@pytest.mark.slow
def test_an_init_project_builds_strict_with_plugins_policypress(project):
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    assert "hooks" not in config and "custom_dir" not in config["theme"]
    assert plugin_options(config)["data_dir"] == "policy_data"

    result = run_mkdocs_build(project, project / "site", env={"POLICY_DATE": "2026-01-15"})

    assert result.returncode == 0, result.stderr
    assert "policypress scan: scanned" in result.stderr
    site = project / "site"
    page = BeautifulSoup((site / EN_PAGE).read_text(encoding="utf-8"), "html.parser")
    assert "Org AB" in page.get_text() and "Version 1.0" in page.get_text()
    # The plugin's partials and stylesheets, from the package: the banner in the page's
    # language with our GPC handling, the feed link, the copyright line with the owner.
    stylesheets = [link["href"] for link in page.select("link[rel=stylesheet]")]
    assert "../../policypress/policypress.css" in stylesheets and "../../policypress/print.css" in stylesheets
    assert (site / "policypress" / "policypress.css").read_text(encoding="utf-8") == (
        SRC / "mkdocs" / "theme" / "policypress" / "policypress.css"
    ).read_text(encoding="utf-8")
    assert "navigator.globalPrivacyControl" in str(page)
    assert page.select_one("link[type='application/atom+xml']")["href"] == "../feed.xml"
    assert "© Org AB" in page.select_one(".md-copyright").get_text()
    swedish = BeautifulSoup((site / "sv/integritetspolicy/index.html").read_text(encoding="utf-8"), "html.parser")
    assert swedish.html["lang"] == "sv"
    assert swedish.select_one("#__consent-title").get_text(strip=True) != page.select_one("#__consent-title").get_text(strip=True)
    # The files beside the pages.
    assert json.loads((site / ".well-known" / "gpc.json").read_text(encoding="utf-8"))["gpc"] is True
    assert json.loads((site / "policy.json").read_text(encoding="utf-8"))["version"] == "1.0"
    assert (site / "releases" / "1.0" / "policy.json").is_file() and (site / "sv" / "feed.xml").is_file()


@pytest.mark.slow
def test_a_site_nav_and_custom_dir_keep_the_upper_hand(project, monkeypatch):
    """A site's own partial wins over ours; with its own nav: our pages join the section named in the options."""
    overrides = project / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "copyright.html").write_text('<div class="md-copyright">Site-made footer</div>\n', encoding="utf-8")

    def change(config: dict) -> None:
        config["theme"]["custom_dir"] = "overrides"
        config["nav"] = [{"Start": "index.md"}, {"English": "en/index.md"}, {"Svenska": "sv/index.md"}]
        plugin_options(config)["nav"] = {"section": "Privacy"}

    write_yaml(project / "mkdocs.yml", change)
    site = build_in_process(project, monkeypatch)

    page = BeautifulSoup((site / EN_PAGE).read_text(encoding="utf-8"), "html.parser")
    assert page.select_one(".md-copyright").get_text(strip=True) == "Site-made footer"
    assert page.select_one("#__consent-title") is not None  # our consent partial still
    primary = page.select_one("nav.md-nav--primary")
    section = next(item for item in primary.select("li.md-nav__item--nested") if "Privacy" in item.label.get_text())
    links = {a["href"] for a in section.select("a.md-nav__link")}
    assert {"./", "archive/", "../../sv/integritetspolicy/"} <= links, links


def test_a_bad_option_is_mkdocs_own_config_error(project, caplog):
    write_yaml(project / "mkdocs.yml", lambda config: plugin_options(config).update(lint={"fail_on": "sometimes"}))
    with caplog.at_level(logging.ERROR), pytest.raises(Abort, match="Aborted with a configuration error"):
        load_config(config_file=str(project / "mkdocs.yml"))
    assert (
        "Config value 'plugins': Plugin 'policypress' option 'lint': Sub-option 'fail_on': "
        "Expected one of: ('never', 'warning', 'error') but received: 'sometimes'"
    ) in caplog.text


def test_a_bad_option_under_extra_policypress_fails_the_hooks_build(project_copy, monkeypatch):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("fail_on: never", "fail_on: sometimes"), encoding="utf-8")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    with pytest.raises(ConfigurationError) as caught:
        mkdocs_build(load_config(config_file=str(config), site_dir=str(project_copy / "site")))
    assert str(caught.value) == (
        "Config value 'extra.policypress.lint': Sub-option 'fail_on': "
        "Expected one of: ('never', 'warning', 'error') but received: 'sometimes'"
    )
    assert not (project_copy / "site").exists()


@pytest.fixture(scope="module")
def history():
    return load_history(ROOT / "policy_data")


def test_the_consent_keeps_the_sites_own_switches_and_its_texts_when_asked(history):
    current = history.current(dt.date(2026, 11, 25))
    own = {"title": "Cookies here", "description": "Ours.", "cookies": {"github": {"name": "GitHub", "checked": True},
                                                                      "analytics": {"name": "x", "checked": True}}}
    options = build.Options(data_dir=ROOT / "policy_data")
    merged = build.consent_for(current, Lang.SV, policy_url="../", site_consent=own, options=options)
    assert merged["cookies"]["github"] == {"name": "GitHub", "checked": True}
    # The policy's switches start off, under the site's name for them.
    assert merged["cookies"]["analytics"] == {"name": "x", "checked": False}
    assert list(merged["cookies"]) == ["github", "analytics"]  # the site's order
    assert (merged["title"], merged["description"]) == ("Cookies here", "Ours.")  # the site's texts win
    policy_texts = build.Options(data_dir=ROOT / "policy_data", consent_merge=False, consent_texts="policy")
    replaced = build.consent_for(current, Lang.SV, policy_url="../", site_consent=own, options=policy_texts)
    assert replaced["title"] != "Cookies here" and "Ours." not in replaced["description"]
    assert "github" not in replaced["cookies"]


def test_the_plan_holds_only_the_chosen_languages(history):
    plan = build.plan(history, dt.date(2026, 11, 25), preview=False, languages=(Lang.SV,))
    assert {page.lang for page in plan.pages} == {Lang.SV}
    files = build.artifacts(plan, plan.current, site_url=None, languages=(Lang.SV,))
    assert "sv/feed.xml" in files and "en/feed.xml" not in files


@pytest.mark.parametrize(("option", "env", "expected"), [(False, "", False), (False, "0", False), (False, "1", True), (True, "", True)])
def test_preview_by_option_or_environment(option, env, expected):
    assert build.is_preview(option, {"POLICYPRESS_PREVIEW": env}) is expected


@pytest.mark.slow
def test_a_german_site_keeps_its_nav_alternate_language_and_copyright(tmp_path, monkeypatch):
    """A `language: de` site with an `en/` folder, its own nav:, extra.alternate en/de and a copyright:
    after init all of it is the site's still; the policy pages join the nav."""
    site = tmp_path / "de-site"
    (site / "docs" / "en").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Start\n", encoding="utf-8")
    (site / "docs" / "en" / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        "site_name: Seite\ncopyright: Copyright &copy; 2024 Beispiel\ntheme:\n  name: material\n  language: de\n"
        "nav:\n  - Start: index.md\n  - English: en/index.md\nextra:\n  alternate:\n"
        "    - {name: Deutsch, link: /, lang: de}\n    - {name: English, link: /en/, lang: en}\n",
        encoding="utf-8",
    )
    from policypress.init import init_site

    init_site(site, "Org AB", dt.date(2026, 1, 15))
    built = build_in_process(site, monkeypatch)

    home = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert home.html["lang"] == "de"  # the site's own page keeps the theme's language
    assert [a.get_text(strip=True) for a in home.select(".md-select__link")] == ["Deutsch", "English"]
    assert "Copyright © 2024 Beispiel" in home.select_one(".md-copyright__highlight").get_text()
    titles = [a.get_text(strip=True) for a in home.select("nav.md-nav--primary > ul > li > a.md-nav__link")]
    assert titles[:2] == ["Start", "English"] and "Privacy policy" in titles, titles
    policy = BeautifulSoup((built / EN_PAGE).read_text(encoding="utf-8"), "html.parser")
    assert policy.html["lang"] == "en"
    # On the policy page the switcher keeps the site's German link.
    assert "Deutsch" in [a.get_text(strip=True) for a in policy.select(".md-select__link")]
