"""policypress in real MkDocs Material sites (tests/fixtures/mkdocs-sites/, see its README):
`policypress init .`, then `mkdocs build --strict`. The site stays the site's: its navigation,
consent banner (title, buttons, switches), copyright and mkdocs.yml are kept; the policy pages
are added; a script that runs before consent fails the build with a named finding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from clirun import cli  # noqa: F401  (a fixture)
from conftest import run_mkdocs_build

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
    assert added_lines(site, before) == ["  - policypress:", "      languages: [en]"]
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
    assert added_lines(site, before) == ["  - policypress:", "      languages: [en]"]
    assert "recipients google, jsdelivr" in out

    build = run_mkdocs_build(site, site / "site", env=DATE)

    assert build.returncode != 0  # the build fails
    output = build.stdout + build.stderr  # MkDocs prints an Abort's message on stdout
    assert "policypress scan found problems (checked against release 1.0" in output
    assert "error[unknown-third-party]" in output
    assert "A script from polyfill.io, which no tracker signature knows, runs before the visitor consents." in output
    assert "a build checks the release in effect; `mkdocs serve` and previews check the draft" in output
    assert "Traceback" not in output
