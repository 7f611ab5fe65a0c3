"""Versions on the site: the current page, upcoming notices, archive, frozen pages, changes, preview."""

from __future__ import annotations

import json
import subprocess

import pytest
from bs4 import BeautifulSoup

from conftest import BIN, ROOT, run_mkdocs_build

EDITORIAL_PATHS_1_0_TO_1_1 = [
    # Checked by hand against the corrections made for 1.1.
    "activities.general_retention",
    "activities.newsletter.purpose",  # firstname -> first name
    "activities.aggregated_data.purpose",  # "Aggregated data that contains", comma
    "activities.website_analytics.purpose",  # amount -> number of visitors
    "activities.form_protection.purpose",  # It set -> It sets
    "recipients.microsoft.storage.location",  # on Ireland -> in Ireland
    "recipients.mailchimp.storage.location",  # MailChimps -> MailChimp's, the USA
    "recipients.google.service",  # amount -> number
    "rights.how_to_exercise",
    "rights.access.description",
    "rights.erasure.description",
    "sections.scope.body[0]",  # are committed, GDPR act, regulate
    "sections.scope.body[1]",  # uses and discloses
    "sections.use_and_disclosure.body[0]",  # the your, manor
    "sections.use_and_disclosure.subsections.contact_phone_email.body[1]",  # lift the phone
    "sections.use_and_disclosure.subsections.newsletter.body[0]",  # firstname
    "sections.use_and_disclosure.subsections.aggregated_data.body[0]",
    "sections.storage.subsections.contact_form_email.body[1]",  # on Ireland
    "sections.storage.subsections.newsletter.body[0]",  # MailChimps servers in USA
    "sections.storage.subsections.product.body[0]",  # Our product are hosted on
    "sections.services_using_cookies.body[0]",  # we are using below ... found below
    "sections.services_using_cookies.subsections.google_analytics.body[0]",  # amount
    "sections.services_using_cookies.subsections.google_analytics.body[1]",  # addon:https
    "sections.services_using_cookies.subsections.umbraco.body[0]",  # It set
    "sections.deletion_and_retention.body[0]",  # belong, chose
    "sections.deletion_and_retention.body[1]",  # If you wish for your data to:
    "sections.deletion_and_retention.body[2]",  # the list items
    "sections.deletion_and_retention.body[5]",  # to not be relevant to keep them
]


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_diff_of_the_shipped_releases_lists_exactly_the_editorial_corrections():
    result = subprocess.run(
        [str(BIN / "policypress"), "diff", "1.0", "1.1", "--format", "json"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [change["path"] for change in report["changes"]] == EDITORIAL_PATHS_1_0_TO_1_1
    assert all(change["is_text"] for change in report["changes"])
    manor = next(c for c in report["changes"] if c["path"] == "sections.use_and_disclosure.body[0]")
    assert "the your personal information in the manor" in manor["old"]["en"]
    assert "your personal information in the manner" in manor["new"]["en"]
    assert manor["old"]["sv"] == manor["new"]["sv"]


@pytest.fixture
def upcoming_project(project_copy):
    """The repository with one more release, 1.3, effective 2027-01-01."""
    data = project_copy / "policy_data"
    # 1.3 is 1.2 with one change: the draft (2.0) holds proposed facts, which `release` refuses.
    for frozen in (data / "releases" / "1.2").glob("*.yaml"):
        if frozen.name != "manifest.yaml":
            text = frozen.read_text(encoding="utf-8").replace("$schema=../../schema/", "$schema=schema/")
            (data / frozen.name).write_text(text, encoding="utf-8")
    recipients = data / "recipients.yaml"
    recipients.write_text(recipients.read_text(encoding="utf-8").replace("countries: [US]", "countries: [IE]"), encoding="utf-8")
    result = subprocess.run(
        [str(BIN / "policypress"), "release", "1.3", "--effective", "2027-01-01", "--class", "material",
         "--summary-en", "Newsletter data moves to Ireland.", "--summary-sv", "Nyhetsbrevets uppgifter flyttar till Irland."],
        cwd=project_copy, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    return project_copy


def test_current_page_states_version_and_announces_the_upcoming_release(upcoming_project):
    site = upcoming_project / "site"
    assert run_mkdocs_build(upcoming_project, site, env={"POLICY_DATE": "2026-12-15"}).returncode == 0
    en = soup(site / "en/privacy-policy/index.html")
    assert en.select_one(".pp-version__line").get_text(" ", strip=True).startswith(
        "Version 1.2 · in effect from 25 November 2026"
    )
    notice = en.select_one(".pp-upcoming")
    assert "A new version, 1.3, applies from 1 January 2027." in notice.get_text(" ", strip=True)
    assert "Newsletter data moves to Ireland." in notice.get_text(" ", strip=True)
    assert notice.a["href"] == "changes/1.2-1.3/"
    sv = soup(site / "sv/integritetspolicy/index.html")
    notice = sv.select_one(".pp-upcoming")
    assert "En ny version, 1.3, gäller från den 1 januari 2027." in notice.get_text(" ", strip=True)
    assert notice.a["href"] == "andringar/1.2-1.3/"
    assert sv.select_one(".pp-version__line a")["href"] == "arkiv/"
    changes = soup(site / "en/privacy-policy/changes/1.2-1.3/index.html")
    facts = changes.select_one(".pp-diff-facts").get_text(" ", strip=True)
    assert "mailchimp" in facts and "United States" in facts and "Ireland" in facts


def test_after_the_effective_date_the_new_release_is_current(upcoming_project):
    site = upcoming_project / "site"
    assert run_mkdocs_build(upcoming_project, site, env={"POLICY_DATE": "2027-01-01"}).returncode == 0
    en = soup(site / "en/privacy-policy/index.html")
    assert en.select_one(".pp-version__line").get_text(" ", strip=True).startswith(
        "Version 1.3 · in effect from 1 January 2027"
    )
    assert en.select_one(".pp-upcoming") is None
    old = soup(site / "en/privacy-policy/1.2/index.html")
    assert "It was in effect from 25 November 2026 until 31 December 2026, when version 1.3 replaced it." in (
        old.select_one(".pp-release-notice").get_text(" ", strip=True)
    )


@pytest.mark.parametrize(
    "page,rows",
    [
        (
            "en/privacy-policy/archive/index.html",
            [["1.2", "25 November 2026", "In effect"], ["1.1", "25 November 2026", "Replaced"],
             ["1.0", "25 November 2026", "Replaced"]],
        ),
        (
            "sv/integritetspolicy/arkiv/index.html",
            [["1.2", "25 november 2026", "Gäller"], ["1.1", "25 november 2026", "Ersatt"],
             ["1.0", "25 november 2026", "Ersatt"]],
        ),
    ],
)
def test_archive_lists_every_release(built_site, page, rows):
    html = soup(built_site / page)
    found = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])][:3] for tr in html.select("#table-versions tbody tr")]
    assert found == rows
    links = [a["href"] for a in html.select("#table-versions tbody th a")]
    assert links == ["../1.2/", "../1.1/", "../1.0/"]


def test_each_release_has_a_frozen_page_in_both_languages(built_site):
    en = soup(built_site / "en/privacy-policy/1.0/index.html")
    sv = soup(built_site / "sv/integritetspolicy/1.0/index.html")
    assert en.h1.get_text(strip=True) == "Privacy policy, version 1.0"
    assert sv.h1.get_text(strip=True) == "Integritetspolicy, version 1.0"
    assert "in the manor that is deemed necessary" in en.get_text(" ")
    assert "in the manner that is deemed necessary" in soup(built_site / "en/privacy-policy/1.1/index.html").get_text(" ")
    # Switching language on a frozen page stays on the same version.
    assert en.select_one("a.md-select__link[hreflang=sv]")["href"] == "../../../sv/integritetspolicy/1.0/"


def test_changes_page_shows_word_level_corrections_in_both_languages(built_site):
    en = soup(built_site / "en/privacy-policy/changes/1.0-1.1/index.html")
    assert en.h1.get_text(strip=True) == "Changes from 1.0 to 1.1"
    deleted = [d.get_text("", strip=True) for d in en.select(".pp-policy del, .pp-changes del")]
    inserted = [i.get_text("", strip=True) for i in en.select(".pp-changes ins")]
    assert any(d.endswith("manor") for d in deleted)
    assert any(i.endswith("manner") for i in inserted)
    assert "No facts changed" in en.get_text(" ")
    sv = soup(built_site / "sv/integritetspolicy/andringar/1.0-1.1/index.html")
    assert sv.h1.get_text(strip=True) == "Ändringar från 1.0 till 1.1"
    assert sv.html["lang"] == "sv"


def test_public_build_never_shows_the_draft(built_site):
    assert not (built_site / "en/privacy-policy/draft").exists()
    assert "draft" not in {p.name for p in (built_site / "en/privacy-policy/changes").iterdir()}


def test_preview_build_shows_the_draft_marked_as_such(project_copy):
    sections = project_copy / "policy_data" / "sections.yaml"
    sections.write_text(
        sections.read_text(encoding="utf-8").replace("Our product is hosted in", "Our product is now hosted in"),
        encoding="utf-8",
    )
    site = project_copy / "site"
    result = run_mkdocs_build(project_copy, site, env={"POLICY_DATE": "2026-12-01", "POLICYPRESS_PREVIEW": "1"})
    assert result.returncode == 0, result.stderr
    for page, marker in (
        ("en/privacy-policy/draft/index.html", "Draft: not in effect."),
        ("sv/integritetspolicy/draft/index.html", "Utkast: gäller inte."),
    ):
        html = soup(site / page)
        assert marker in html.select_one(".pp-draft").get_text(" ", strip=True)
        assert "Our product is now hosted in" in soup(site / "en/privacy-policy/draft/index.html").get_text(" ")
    current = soup(site / "en/privacy-policy/index.html")
    assert "Version 1.2" in current.select_one(".pp-version__line").get_text()
    assert "now hosted" not in current.get_text(" ")
    changes = soup(site / "en/privacy-policy/changes/1.2-draft/index.html")
    inserted = [i.get_text("", strip=True).removeprefix("inserted:").strip() for i in changes.select("ins")]
    assert "now" in inserted


def test_an_edited_release_fails_the_build_naming_file_and_release(project_copy):
    frozen = project_copy / "policy_data" / "releases" / "1.0" / "recipients.yaml"
    frozen.write_text(frozen.read_text(encoding="utf-8").replace("[US]", "[IE]"), encoding="utf-8")
    site = project_copy / "site"
    result = run_mkdocs_build(project_copy, site)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "policy_data/releases/1.0/recipients.yaml: file was edited after release 1.0" in output
    assert not site.exists()
