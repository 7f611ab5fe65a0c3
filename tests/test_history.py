"""Honest history: a release replaced on its own day says so, and facts the data owner added to
the published 1.0 text are marked on the 1.0 page and listed on its "what changed" page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT
from policypress import build
from policypress.errors import DataError
from policypress.i18n import Lang
from policypress.provenance import load_provenance
from policypress.site import PageKind
from policypress.versions import load_history

DATA = ROOT / "policy_data"
ENV = {"POLICY_DATE": "2026-12-01"}


@pytest.fixture(scope="module")
def site_build():
    history, today, _ = build.load_edition(DATA, ENV)
    return build.plan(history, today, preview=False)


def page_html(site_build, kind: PageKind, lang: Lang, version: str) -> BeautifulSoup:
    page = site_build.find(kind, lang, version)
    assert page is not None
    return BeautifulSoup(build.render_page(page, site_build).html, "html.parser")


@pytest.mark.parametrize(
    "lang, text, wrong",
    [
        (Lang.EN, "This is version 1.0. It was superseded on its publication day, 25 November 2026, by version 1.1.",
         "from 25 November 2026 until 25 November 2026"),
        (Lang.SV, "Detta är version 1.0. Den ersattes samma dag som den publicerades, den 25 november 2026, av version 1.1.",
         "till den 25 november 2026"),
    ],
)
def test_a_release_replaced_on_its_own_day_says_so(site_build, lang, text, wrong):
    notice = page_html(site_build, PageKind.RELEASE, lang, "1.0").select_one(".pp-release-notice").get_text(" ", strip=True)
    assert text in notice
    assert wrong not in notice


def test_the_current_release_says_since_the_day_in_swedish(site_build):
    notice = page_html(site_build, PageKind.RELEASE, Lang.SV, "1.2").select_one(".pp-release-notice").get_text(" ", strip=True)
    assert "den version som gäller sedan den 25 november 2026" in notice


@pytest.mark.parametrize(
    "lang, mark",
    [(Lang.EN, "Added by the data owner, not in the published text"),
     (Lang.SV, "Tillagt av den personuppgiftsansvarige, finns inte i den publicerade texten")],
)
def test_cookie_names_and_durations_of_1_0_are_marked_as_added(site_build, lang, mark):
    soup = page_html(site_build, PageKind.RELEASE, lang, "1.0")
    for index in range(1, 5):  # the four cookies of 1.0; the published text names none
        cells = [cell.get_text(" ", strip=True) for cell in soup.find(id=f"cookie-{index}").find_all(["th", "td"])]
        assert mark in cells[0] and mark in cells[4], cells
        assert mark not in cells[5]  # the purpose: not listed in provenance.yaml
    assert len(soup.select(".pp-mark--added")) == 8
    # 1.1 restates the same cookies, but provenance.yaml records the history of 1.0 only.
    assert not page_html(site_build, PageKind.RELEASE, lang, "1.1").select(".pp-mark--added")


def test_the_changes_page_lists_what_the_data_owner_added(site_build):
    page = site_build.find(PageKind.CHANGES, Lang.EN, "1.1")
    assert page is not None and page.old_version == "1.0"
    soup = BeautifulSoup(build.render_page(page, site_build).html, "html.parser")
    note = soup.select_one(".pp-provenance")
    assert note is not None
    assert "these facts of version 1.0 are not in the text published on the website" in note.get_text()
    assert "cookies._ga.duration" in [code.get_text() for code in note.find_all("code")]


def _data_copy(tmp_path: Path) -> Path:
    shutil.copytree(DATA, tmp_path / "policy_data")
    return tmp_path / "policy_data"


def test_a_provenance_path_that_is_not_in_the_release_is_an_error(tmp_path):
    data = _data_copy(tmp_path)
    path = data / "provenance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- cookies._ga.duration", "- cookies._gid.duration"), encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_provenance(load_history(data))
    line = next(i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "_gid" in text)
    assert f"provenance.yaml:{line}:" in str(error.value)
    assert "'cookies._gid.duration' is not a path in the data of release 1.0" in str(error.value)
    with pytest.raises(build.BuildStopped):
        build.load_edition(data, ENV)


def test_provenance_of_an_unknown_release_is_an_error(tmp_path):
    data = _data_copy(tmp_path)
    path = data / "provenance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('  "1.0":', '  "0.9":'), encoding="utf-8")
    with pytest.raises(DataError, match="there is no release 0.9"):
        load_provenance(load_history(data))


def test_no_provenance_file_marks_nothing(tmp_path):
    data = _data_copy(tmp_path)
    (data / "provenance.yaml").unlink()
    assert load_provenance(load_history(data)).paths("1.0") == frozenset()
