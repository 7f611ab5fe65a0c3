"""policypress in real MkDocs Material sites (tests/fixtures/mkdocs-sites/, see its README):
`policypress init .`, then `mkdocs build --strict`. The site stays the site's: its navigation,
consent banner (title, buttons, switches), copyright and mkdocs.yml are kept; the policy pages
are added; a script that runs before consent fails the build with a named finding."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clirun import cli  # noqa: F401  (a fixture)
from conftest import BIN, ROOT, run_mkdocs_build

SITES = Path(__file__).parent / "fixtures" / "mkdocs-sites"
DATE = {"POLICY_DATE": "2026-01-15"}


def init_site(cli, tmp_path: Path, name: str) -> tuple[Path, str]:
    site = tmp_path / name
    shutil.copytree(SITES / name, site)
    before = (site / "mkdocs.yml").read_text(encoding="utf-8")
    result = cli("init", ".", "--effective", "2026-01-15", cwd=site)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return site, result.out


def added_lines(site: Path, before: str) -> list[str]:
    after = (site / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    old = before.splitlines()
    # Every line of the site's file is still there, in its order; only ours are new.
    assert [line for line in after if line in old] == old
    return [line for line in after if line not in old]


def page(site_dir: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / path).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.slow
def test_a_site_with_its_own_consent_and_gated_analytics(cli, tmp_path):
    """es-progress/shell: extra.consent with its own texts and buttons (manage, accept), Google Analytics
    through Material (gated by that consent), a copyright with a cookie-settings link."""
    name = "es-progress-shell"
    before = (SITES / name / "mkdocs.yml").read_text(encoding="utf-8")
    site, out = init_site(cli, tmp_path, name)
    assert added_lines(site, before) == ["  - policypress"]  # the languages are in policy.yaml
    assert "drafted from a scan of the site as it is: cookies _ga, _ga_*; recipients google" in out
    cookies = (site / "policy_data" / "cookies.yaml").read_text(encoding="utf-8")
    assert cookies.count("# TODO(review): drafted from a scan of the site: Google Analytics") == 2

    build = run_mkdocs_build(site, site / "site", env=DATE)

    assert build.returncode == 0, build.stderr
    assert "policypress scan: checked the built site against release 1.0 (policy_data/releases/1.0/cookies.yaml)" in build.stderr
    assert "policypress scan: scanned" in build.stderr and ": 0 errors" in build.stderr
    # Every change to the site's configuration is logged.
    assert "policypress: extra.consent: merged the policy's switches (analytics) into the site's; kept the site's " \
        "title, description, actions" in build.stderr
    assert "policypress: nav: added 2 policy pages to the top level" in build.stderr
    home = page(site / "site", "index.html")
    assert home.html["lang"] == "en"
    # The site's banner: its title, its text, its buttons in its order; the analytics switch off.
    assert home.select_one("#__consent-title").get_text(strip=True) == "Cookie consent"
    assert "We use cookies to enhance your browsing experience" in home.select_one("form[name=consent]").get_text()
    buttons = [b.get_text(strip=True) for b in home.select(".md-consent__controls .md-button")]
    assert buttons == ["Manage settings", "Accept"]
    switch = home.select_one("form[name=consent] input[name=analytics]")
    assert switch is not None and not switch.has_attr("checked")
    # The site's copyright as written, with our link to the banner beside it.
    footer = home.select_one(".md-copyright__highlight").get_text(" ", strip=True)
    assert "Copyright © 2021 Sandor Semsey" in footer and "Change cookie settings" in footer
    # The site's navigation (automatic, with its folders) is kept; the policy pages join it.
    links = {a["href"] for a in home.select("nav.md-nav--primary a.md-nav__link[href]")}
    assert {"install/", "bin/", "lib/analytics/", "lib/ssh/"} <= links, links
    assert "en/privacy-policy/" in links
    policy = page(site / "site", "en/privacy-policy/index.html")
    assert "_ga" in policy.get_text() and policy.html["lang"] == "en"
    assert not (site / "site" / "sv").exists()  # an English site gets English pages only


@pytest.mark.slow
def test_a_site_that_runs_third_party_scripts_before_consent_fails_with_a_named_finding(cli, tmp_path):
    """PDLT-University-of-York/mkdocs-material-example: no consent banner, MathJax from jsDelivr and a
    polyfill from polyfill.io in extra_javascript, loaded on every page before any consent."""
    name = "learning-content-example"
    before = (SITES / name / "mkdocs.yml").read_text(encoding="utf-8")
    site, out = init_site(cli, tmp_path, name)
    assert added_lines(site, before) == ["  - policypress"]  # the languages are in policy.yaml
    assert "recipients google, jsdelivr" in out

    build = run_mkdocs_build(site, site / "site", env=DATE)

    assert build.returncode != 0  # the build fails
    output = build.stdout + build.stderr  # MkDocs prints an Abort's message on stdout
    assert "policypress scan found problems (checked against release 1.0" in output
    assert "error[unknown-third-party]" in output
    assert "A script from polyfill.io, which no tracker signature knows, runs before the visitor consents." in output
    assert "a build checks the release in effect; `mkdocs serve` and previews check the draft" in output
    assert "Traceback" not in output


CONSENT_GATE = 'var consent=__md_get("__consent");consent&&consent.analytics&&__md_analytics()'


@pytest.mark.slow
def test_a_site_that_loads_google_analytics_before_consent(cli, tmp_path):
    """fastapi/asyncer at 7f4859e: Google Analytics 4 through Material (extra.analytics) with no
    extra.consent, so Material calls gtag.js on every page before any consent. As published, the
    scan fails with a named finding; with policypress, the plugin sets extra.consent and the same
    tag waits for the analytics switch, so the build passes and the site stays the site's."""
    name = "asyncer-docs"
    before = (SITES / name / "mkdocs.yml").read_text(encoding="utf-8")
    site = tmp_path / name
    shutil.copytree(SITES / name, site)
    # The site as published: MkDocs without policypress.
    published = run_mkdocs_build(site, tmp_path / "published", env=DATE)
    assert published.returncode == 0, published.stderr
    assert 'e("config","G-T4CRRCXTNY")' in (tmp_path / "published" / "index.html").read_text(encoding="utf-8")
    result = cli("init", ".", "--effective", "2026-01-15", cwd=site)
    assert result.code == 0, result.err
    assert "drafted from a scan of the site as it is: cookies _ga, _ga_*; recipients google" in result.out

    scan = cli("scan", tmp_path / "published", cwd=site)

    assert scan.code == 1, scan.out + scan.err
    assert "Traceback" not in scan.out + scan.err
    finding = next(block for block in scan.out.split("\n\n") if block.startswith("error[before-consent]"))
    assert finding.splitlines()[0].startswith("error[before-consent] ../published/404.html:")
    assert finding.splitlines()[0].endswith("Google Analytics 4 (gtag.js)")
    assert "runs before the visitor consents: called by Material without a consent check (extra.consent is not set)" \
        in " ".join(finding.split())
    assert "index.html" in finding  # every page of the site, not one
    assert "googletagmanager.com/gtag/js?id=G-T4CRRCXTNY" in finding

    # With policypress: the plugin's banner gates Material's tag; nothing else of the site changes.
    assert [line for line in added_lines(site, before) if line.strip() and not line.startswith("#")] == [
        "plugins:", "  - search", "  - policypress",
    ]
    build = run_mkdocs_build(site, site / "site", env=DATE)

    assert build.returncode == 0, build.stdout + build.stderr
    assert "policypress scan: checked the built site against release 1.0 (policy_data/releases/1.0/cookies.yaml)" in build.stderr
    assert ": 0 errors" in build.stderr and "before-consent" not in build.stderr
    assert "policypress: extra.consent: set from the policy (switches: analytics)" in build.stderr
    home = page(site / "site", "index.html")
    scripts = " ".join(script.get_text() for script in home.find_all("script"))
    assert 'e("config","G-T4CRRCXTNY")' in scripts and CONSENT_GATE in scripts
    switch = home.select_one("form[name=consent] input[name=analytics]")
    assert switch is not None and not switch.has_attr("checked")
    links = [a["href"] for a in home.select("nav.md-nav--primary a.md-nav__link[href]") if not a["href"].startswith("#")]
    assert links == [".", "tutorial/", "tutorial/first-steps/", "release-notes/", "en/privacy-policy/",
                     "en/privacy-policy/archive/"]
    assert [a["href"] for a in home.select(".md-social a")] == [
        "https://github.com/tiangolo/asyncer", "https://twitter.com/tiangolo", "https://www.linkedin.com/in/tiangolo",
        "https://dev.to/tiangolo", "https://medium.com/@tiangolo", "https://tiangolo.com",
    ]
    assert home.select_one(".md-select") is None  # no extra.alternate before, none after
    policy = page(site / "site", "en/privacy-policy/index.html")
    assert "_ga" in policy.get_text() and policy.html["lang"] == "en"


def readme_commands() -> list[str]:
    """The commands of the README's "Add a privacy policy to your MkDocs site", without their comments."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Add a privacy policy to your MkDocs site", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "the section has no sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_shows_three_commands_for_an_existing_site() -> None:
    assert readme_commands() == ['pip install "policypress[mkdocs]"', "policypress init .", "mkdocs build"]


@pytest.mark.slow
def test_the_readme_commands_work_on_a_real_site(tmp_path):
    """The README's three commands, in order, on a copy of a real site. The first (pip install) is
    what this suite's .venv already holds (policypress with the mkdocs extra, editable), so it is
    checked to be that, not run; the other two run as written, from the venv, in the site's folder."""
    site = tmp_path / "asyncer-docs"
    shutil.copytree(SITES / "asyncer-docs", site)
    install, *commands = readme_commands()
    assert shlex.split(install) == ["pip", "install", "policypress[mkdocs]"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICY_DATE": "2026-01-15"}
    env.pop("POLICYPRESS_GA_PROPERTY", None)
    for command in commands:
        program, *args = shlex.split(command)
        done = subprocess.run(
            [str(BIN / program), *args], cwd=site, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr
    assert (site / "site" / "en" / "privacy-policy" / "index.html").is_file()
    assert "policypress scan: checked the built site against release 1.0" in done.stderr
    assert "Google Analytics" in (site / "site" / "en" / "privacy-policy" / "index.html").read_text(encoding="utf-8")
