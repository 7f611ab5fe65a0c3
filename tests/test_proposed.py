"""Facts that need confirmation are data: marked in previews, never stated on published pages,
counted by the lint, and refused by `release` and by a build that is not a preview."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from clirun import cli  # noqa: F401

from conftest import ROOT, run_mkdocs_build
from policypress import build
from policypress import release as release_module
from policypress.i18n import DEFAULT_LANGUAGES, Lang, Text
from policypress.lint import lint_policy
from policypress.loader import load_policy
from policypress.proposed import PROPOSED, REVIEW, open_facts
from policypress.release import create_release
from policypress.render import render_policy_page
from policypress.versions import ReleaseClass, load_history

DATA = ROOT / "policy_data"
MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"
MARK_EN = "Proposed, not confirmed by the data owner"
MARK_SV = "Föreslaget, inte bekräftat av den personuppgiftsansvarige"
DPF = "Data Privacy Framework"


def cell_text(html: str, row_id: str) -> list[str]:
    row = BeautifulSoup(html, "html.parser").find(id=row_id)
    assert row is not None, row_id
    return [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]


@pytest.fixture(scope="module")
def draft():
    return load_policy(DATA)


def test_the_draft_marks_what_it_could_not_confirm(draft):
    facts = {(fact.kind, fact.what) for fact in open_facts(draft)}
    # Checked by hand against issue 14: the vendor transfers, the legal bases the seed never stated,
    # the texts pointing at contact details that are not there, the seed sentences for the lawyer.
    for expected in [
        "recipients.mailchimp.transfer",
        "recipients.google.storage",
        "recipients.google.transfer",
        "recipients.professional_advisers.role",
        "activities.contact.legal_basis",
        "activities.user_accounts.legal_basis",
        "how_to_exercise",
        "sections.storage.subsections.newsletter.body[1]",
        "sections.deletion_and_retention.body[3]",
    ]:
        assert (PROPOSED, expected) in facts
    assert {what for kind, what in facts if kind == REVIEW} == {
        "sections.cookies.body[0]",
        "sections.disclosure_to_third_parties.body[0]",
        "sections.disclosure_to_third_parties.body[1]",
    }
    # Stated by the published policy ("opting in", "until you indicate your acceptance"): confirmed.
    assert (PROPOSED, "activities.newsletter.legal_basis") not in facts
    assert (PROPOSED, "activities.bookkeeping.legal_basis") not in facts


@pytest.mark.parametrize("lang, mark", [(Lang.EN, MARK_EN), (Lang.SV, MARK_SV)])
def test_preview_shows_each_proposed_fact_marked(draft, lang, mark):
    html = render_policy_page(draft, lang, preview=True).html
    safeguard = cell_text(html, "recipient-mailchimp")[4]
    assert DPF in safeguard and mark in safeguard
    google = cell_text(html, "recipient-google")
    assert "USA" in google[3] and mark in google[3]
    assert DPF in google[4] and mark in google[4]
    assert mark in cell_text(html, "activity-contact")[5]  # legal basis
    assert mark in cell_text(html, "retention-customer_support")[1]
    assert mark in cell_text(html, "recipient-professional_advisers")[1]  # role
    # Confirmed facts carry no mark.
    assert mark not in cell_text(html, "activity-newsletter")[5]
    assert mark not in cell_text(html, "recipient-microsoft")[4]
    # Every proposed paragraph is followed by its mark; the count of marks is the count of proposed
    # table cells and paragraphs (the rights note carries it in its text).
    soup = BeautifulSoup(html, "html.parser")
    paragraphs = soup.select(".pp-proposed")
    assert len(paragraphs) == 5
    assert all(mark in block.get_text() for block in paragraphs)
    assert len(soup.select(".pp-mark--proposed")) == 25
    assert mark in soup.find(id="table-rights").find_next("p", class_="pp-table-note").get_text()


@pytest.mark.parametrize("lang", list(DEFAULT_LANGUAGES))
def test_a_published_page_states_no_proposed_fact(draft, lang):
    html = render_policy_page(draft, lang, preview=False).html
    not_stated = {Lang.EN: "Not stated", Lang.SV: "Anges inte"}[lang]
    assert MARK_EN not in html and MARK_SV not in html
    assert cell_text(html, "recipient-mailchimp")[4] == not_stated
    assert cell_text(html, "recipient-google")[3:5] == [not_stated, not_stated]
    assert cell_text(html, "activity-contact")[5] == not_stated
    assert cell_text(html, "recipient-professional_advisers")[1] == not_stated
    # Not even in the prose: the DPF paragraphs are proposed too, so the page never claims it.
    assert DPF not in html
    # The review notes are for the lawyer, in previews only.
    assert "pp-review" not in html


def test_review_notes_show_in_previews_only(draft):
    preview = BeautifulSoup(render_policy_page(draft, Lang.EN, preview=True).html, "html.parser")
    notes = [note.get_text(" ", strip=True) for note in preview.select(".pp-review")]
    assert len(notes) == 3
    assert any("A cookie does not identify you personally" in note for note in notes)
    assert any("not the processor agreement Art. 28(3)" in note for note in notes)


def test_lint_counts_each_open_fact_as_a_warning(draft):
    report = lint_policy(draft, DATA, label="draft")
    proposed = report.by_rule("needs-confirmation")
    review = report.by_rule("legal-review-note")
    assert len(proposed) == len([f for f in open_facts(draft) if f.kind == PROPOSED]) == 29
    assert len(review) == 3
    assert {finding.severity.value for finding in proposed + review} == {"warning"}
    mailchimp = next(f for f in proposed if "recipients.mailchimp.transfer" in f.message)
    assert "is proposed, not confirmed (needs input from the data owner)" in mailchimp.message
    line = (DATA / "recipients.yaml").read_text(encoding="utf-8").splitlines()[mailchimp.location.line - 1]
    assert "status: {transfer: proposed}" in line


def test_lint_of_a_release_has_no_open_facts():
    history = load_history(DATA)
    release = history.latest
    assert release is not None
    report = lint_policy(release.policy, release.path)
    assert not report.by_rule("needs-confirmation") and not report.by_rule("legal-review-note")


def _propose(data: Path) -> None:
    text = (data / "recipients.yaml").read_text(encoding="utf-8")
    # The first recipient's storage: mailchimp in the minimal data, microsoft in the shipped 1.2.
    text = text.replace("    role: processor\n", "    role: processor\n    status: {storage: proposed}\n", 1)
    (data / "recipients.yaml").write_text(text, encoding="utf-8")


def test_release_refuses_a_draft_with_proposed_facts(cli, tmp_path):  # noqa: F811
    data = tmp_path / "policy_data"
    shutil.copytree(MINIMAL, data)
    _propose(data)
    code, out, err = cli(
        "release", "1.0", "--effective", "2027-01-01", "--class", "material", "--summary-en", "First", "--summary-sv", "Första", cwd=tmp_path
    )
    assert code == 2
    assert "release 1.0 refused" in err and "1 fact needs the data owner's confirmation" in err
    assert re.search(r"policy_data/recipients\.yaml:\d+:\d+: recipients\.mailchimp\.storage: proposed", err)
    assert "Traceback" not in err
    assert not (data / "releases" / "1.0").exists()


def _release_with_a_proposed_fact(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A release holding a proposed fact, as one made before the refusal existed would."""
    data = project / "policy_data"
    _propose(data)
    monkeypatch.setattr(release_module, "refuse_unconfirmed", lambda *args: None)
    create_release(data, "3.0", dt.date(2027, 1, 1), ReleaseClass.MATERIAL, Text(en="Three", sv="Tre"))
    return data


@pytest.fixture
def proposed_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for part in ("mkdocs.yml", "docs", "hooks"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    shutil.copytree(DATA, project / "policy_data")
    shutil.copy2(DATA / "releases" / "1.2" / "recipients.yaml", project / "policy_data" / "recipients.yaml")
    data = project / "policy_data"
    text = (data / "recipients.yaml").read_text(encoding="utf-8").replace("$schema=../../schema/", "$schema=schema/")
    (data / "recipients.yaml").write_text(text, encoding="utf-8")
    _release_with_a_proposed_fact(project, monkeypatch)
    return project


def test_a_build_that_is_not_a_preview_refuses_a_release_with_proposed_facts(proposed_project):
    history = load_history(proposed_project / "policy_data")
    current = history.latest
    assert current is not None and current.version == "3.0"
    with pytest.raises(build.BuildStopped) as stopped:
        build.lint_phase(history, current, preview=False, fail_on="never")
    message = str(stopped.value)
    # The release froze the whole draft: its other open facts are listed too, each with file:line.
    assert "cannot publish the site: release 3.0 has" in message
    assert "facts need the data owner's confirmation or the legal review" in message
    assert "release 1.2" not in message
    assert re.search(r"releases/3\.0/recipients\.yaml:\d+:\d+: recipients\.microsoft\.storage: proposed", message)
    # A preview shows it, marked, instead.
    build.lint_phase(history, current, preview=True, fail_on="never")


def test_mkdocs_build_stops_and_preview_builds(proposed_project, tmp_path):
    env = {"POLICY_DATE": "2027-01-02"}
    result = run_mkdocs_build(proposed_project, tmp_path / "site", env)
    assert result.returncode != 0
    shown = result.stdout + result.stderr  # MkDocs prints the abort message on stdout
    assert re.search(r"releases/3\.0/recipients\.yaml:\d+:\d+: recipients\.microsoft\.storage", shown)
    assert "Traceback" not in shown
    preview = run_mkdocs_build(proposed_project, tmp_path / "preview", {**env, "POLICYPRESS_PREVIEW": "1"})
    assert preview.returncode == 0, preview.stderr
    page = (tmp_path / "preview" / "en" / "privacy-policy" / "index.html").read_text(encoding="utf-8")
    assert MARK_EN in cell_text(page, "recipient-microsoft")[3]
