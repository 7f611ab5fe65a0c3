"""The diff engine: one small data set per kind of change, and each report format.

Every test starts from the minimal fixture, copied twice (old and new) and
edited in the test, so the expected values below are read off the YAML the
test writes, not off the program's output.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT
from policypress.diff import (
    Op,
    PolicyDiff,
    Segment,
    describe_change,
    diff_policies,
    fragment_headings,
    render_changes_fragment,
    render_diff,
    segments_html,
    word_diff,
)
from policypress.i18n import Lang
from policypress.loader import load_policy

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"

SR_DEL_EN = '<span class="pp-diff-sr">deleted: </span>'
SR_INS_EN = '<span class="pp-diff-sr">inserted: </span>'


@dataclass
class Versions:
    old: Path
    new: Path

    def edit(self, file: str, change: Callable[[dict[str, Any]], None], *, old: bool = False) -> None:
        """Apply ``change`` to the parsed YAML of ``file`` in the new version (or the old one)."""
        path = (self.old if old else self.new) / file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def both(self, file: str, change: Callable[[dict[str, Any]], None]) -> None:
        self.edit(file, change, old=True)
        self.edit(file, change)

    def diff(self) -> PolicyDiff:
        return diff_policies(load_policy(self.old), load_policy(self.new))


@pytest.fixture
def versions(tmp_path: Path) -> Versions:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINIMAL, old)
    shutil.copytree(MINIMAL, new)
    return Versions(old, new)


def only_change(diff: PolicyDiff):
    assert len(diff.changes) == 1, [change.kind for change in diff.changes]
    return diff.changes[0]


def text(en: str, sv: str) -> dict[str, str]:
    return {"en": en, "sv": sv}


# --- identical ---------------------------------------------------------------


def test_identical_versions_give_an_empty_diff(versions):
    diff = versions.diff()
    assert diff.is_empty
    assert diff.changes == ()
    assert diff.fact_changes == ()
    document = json.loads(render_diff(diff, "1.0", "1.0", "json"))
    assert document["is_empty"] is True
    assert document["changes"] == []
    assert "No changes: the two versions are identical." in render_diff(diff, "1.0", "1.0", "text")
    fragment = render_changes_fragment(diff, Lang.EN)
    assert "No facts changed: only the wording." in fragment
    assert "<ins>" not in fragment and "<del>" not in fragment


# --- recipients --------------------------------------------------------------

SENDGRID = {
    "name": text("SendGrid", "SendGrid"),
    "role": "processor",
    "service": text("Sends e-mail", "Skickar e-post"),
    "storage": {"countries": ["SE"]},
}


def test_processor_added(versions):
    versions.edit("recipients.yaml", lambda d: d["recipients"].update(sendgrid=SENDGRID))
    change = only_change(versions.diff())
    assert change.kind == "recipient.added"
    assert change.path == ("recipients", "sendgrid")
    assert change.display_path == "recipients.sendgrid"
    assert change.entity_id == "sendgrid"
    assert change.old is None
    assert change.new == SENDGRID
    assert change.is_text is False

    diff = versions.diff()
    en = describe_change(change, diff, Lang.EN)
    assert en.subject.plain() == "Processor `sendgrid` (SendGrid)"
    assert en.summary == "Added"
    assert en.before == ""
    assert "Storage countries: Sweden" in en.after
    sv = describe_change(change, diff, Lang.SV)
    assert sv.subject.plain() == "Personuppgiftsbiträde `sendgrid` (SendGrid)"
    assert sv.summary == "Har lagts till"
    assert "Sverige" in sv.after


def test_processor_removed(versions):
    versions.edit("recipients.yaml", lambda d: d["recipients"].update(sendgrid=SENDGRID), old=True)
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "recipient.removed"
    assert change.entity_id == "sendgrid"
    assert change.old == SENDGRID
    assert change.new is None
    assert change.is_text is False
    # A removed recipient is named from the old version, where it still exists.
    assert describe_change(change, diff, Lang.EN).subject.plain() == "Processor `sendgrid` (SendGrid)"
    assert describe_change(change, diff, Lang.SV).summary == "Har tagits bort"


def test_processor_moved_country(versions):
    versions.edit("recipients.yaml", lambda d: d["recipients"]["mailchimp"]["storage"].update(countries=["IE", "SE"]))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "recipient.storage.countries.changed"
    assert change.path == ("recipients", "mailchimp", "storage", "countries")
    assert change.display_path == "recipients.mailchimp.storage.countries"
    assert change.entity_id == "mailchimp"
    assert (change.old, change.new) == (["US"], ["IE", "SE"])
    assert change.is_text is False
    assert diff.fact_changes == (change,)

    en = describe_change(change, diff, Lang.EN)
    assert en.subject.plain() == "Processor `mailchimp` (Mailchimp)"
    assert en.summary == "Storage countries changed"
    assert (en.before, en.after) == ("United States", "Ireland, Sweden")
    sv = describe_change(change, diff, Lang.SV)
    assert sv.subject.plain() == "Personuppgiftsbiträde `mailchimp` (Mailchimp)"
    assert (sv.before, sv.after) == ("USA", "Irland, Sverige")

    report = render_diff(diff, "1.0", "1.1", "text")
    assert "  * Processor `mailchimp` (Mailchimp): Storage countries changed" in report
    assert "      - United States" in report
    assert "      + Ireland, Sweden" in report


def test_transfer_mechanism_added_is_a_fact(versions):
    versions.edit(
        "recipients.yaml",
        lambda d: d["recipients"]["mailchimp"].update(transfer={"mechanism": "eu_us_dpf"}),
    )
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "recipient.transfer.changed"
    assert (change.old, change.new) == (None, {"mechanism": "eu_us_dpf"})
    assert change.is_text is False
    assert describe_change(change, diff, Lang.EN).after == (
        "EU–US Data Privacy Framework (adequacy decision (EU) 2023/1795)"
    )


# --- cookies -----------------------------------------------------------------

GID = {
    "provider": "google",
    "party": "first",
    "type": "cookie",
    "category": "analytics",
    "duration": "P1D",
    "purpose": text("Tells visitors apart", "Skiljer besökare åt"),
    "consent_required": True,
}


def test_cookie_added(versions):
    versions.edit("cookies.yaml", lambda d: d["cookies"].update(_gid=GID))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "cookie.added"
    assert change.path == ("cookies", "_gid")
    assert change.new == GID
    assert change.is_text is False
    en = describe_change(change, diff, Lang.EN)
    assert en.subject.plain() == "Cookie `_gid`"
    assert "Provider: Google Analytics" in en.after
    assert "Category: Analytics" in en.after
    assert "Duration: 1 day" in en.after
    sv = describe_change(change, diff, Lang.SV)
    assert "Kategori: Statistikcookies" in sv.after
    assert "Lagringstid: 1 dag" in sv.after


def test_cookie_removed(versions):
    versions.edit("cookies.yaml", lambda d: d["cookies"].update(_gid=GID), old=True)
    change = only_change(versions.diff())
    assert change.kind == "cookie.removed"
    assert change.entity_id == "_gid"
    assert (change.old, change.new) == (GID, None)
    assert change.is_text is False


def test_cookie_category_changed(versions):
    versions.edit("cookies.yaml", lambda d: d["cookies"]["_ga"].update(category="marketing"))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "cookie.category.changed"
    assert change.display_path == "cookies._ga.category"
    assert (change.old, change.new) == ("analytics", "marketing")
    assert change.is_text is False
    en = describe_change(change, diff, Lang.EN)
    assert (en.summary, en.before, en.after) == ("Category changed", "Analytics", "Marketing")
    sv = describe_change(change, diff, Lang.SV)
    assert (sv.summary, sv.before, sv.after) == ("Kategori har ändrats", "Statistikcookies", "Marknadsföringscookies")


def test_cookie_duration_changed(versions):
    versions.edit("cookies.yaml", lambda d: d["cookies"]["_ga"].update(duration="P13M"))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "cookie.duration.changed"
    assert (change.old, change.new) == ("P2Y", "P13M")
    assert change.is_text is False
    en = describe_change(change, diff, Lang.EN)
    assert (en.before, en.after) == ("2 years", "13 months")
    sv = describe_change(change, diff, Lang.SV)
    assert (sv.summary, sv.before, sv.after) == ("Lagringstid har ändrats", "2 år", "13 månader")


# --- activities --------------------------------------------------------------


def test_purpose_changed_is_a_text_change(versions):
    new_purpose = text("To send you our monthly newsletter.", "För att skicka vårt månatliga nyhetsbrev till dig.")
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(purpose=new_purpose))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "activity.purpose.changed"
    assert change.display_path == "activities.newsletter.purpose"
    assert change.old == text("To send you our newsletter.", "För att skicka vårt nyhetsbrev till dig.")
    assert change.new == new_purpose
    assert change.is_text is True
    assert diff.fact_changes == ()

    fragment = render_changes_fragment(diff, Lang.EN)
    assert "No facts changed: only the wording." in fragment
    assert "monthly " in fragment and "<ins>" in fragment
    assert "Inga sakuppgifter har ändrats: endast formuleringar." in render_changes_fragment(diff, Lang.SV)
    report = render_diff(diff, "1.0", "1.1", "text", langs=(Lang.EN,))
    assert "To send you our {+monthly +}newsletter." in report


def test_legal_basis_changed(versions):
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(legal_basis="consent"), old=True)
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(legal_basis="contract"))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "activity.legal_basis.changed"
    assert change.display_path == "activities.newsletter.legal_basis"
    assert (change.old, change.new) == ("consent", "contract")
    assert change.is_text is False
    en = describe_change(change, diff, Lang.EN)
    assert en.subject.plain() == "Processing activity `newsletter` (Newsletter)"
    assert en.summary == "Legal basis changed"
    assert (en.before, en.after) == (
        "Consent (Art. 6(1)(a) GDPR)",
        "Performance of a contract (Art. 6(1)(b) GDPR)",
    )
    sv = describe_change(change, diff, Lang.SV)
    assert sv.subject.plain() == "Personuppgiftsbehandling `newsletter` (Nyhetsbrev)"
    assert sv.summary == "Rättslig grund har ändrats"
    assert (sv.before, sv.after) == ("Samtycke (artikel 6.1 a GDPR)", "Fullgörande av avtal (artikel 6.1 b GDPR)")


def test_retention_period_changed(versions):
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(retention={"period": "P1Y"}), old=True)
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(retention={"period": "P2Y"}))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "activity.retention.changed"
    assert change.display_path == "activities.newsletter.retention"
    assert (change.old, change.new) == ({"period": "P1Y"}, {"period": "P2Y"})
    assert change.is_text is False
    en = describe_change(change, diff, Lang.EN)
    assert (en.summary, en.before, en.after) == ("Retention period changed", "1 year", "2 years")
    sv = describe_change(change, diff, Lang.SV)
    assert (sv.summary, sv.before, sv.after) == ("Lagringstid har ändrats", "1 år", "2 år")


def test_retention_from_period_to_criteria_is_a_fact_but_criteria_wording_is_text(versions):
    criteria = text("Until you unsubscribe.", "Tills du avregistrerar dig.")
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(retention={"period": "P1Y"}), old=True)
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(retention={"criteria": criteria}))
    change = only_change(versions.diff())
    assert change.kind == "activity.retention.changed"
    assert change.is_text is False

    reworded = text("Until you unsubscribe from the newsletter.", "Tills du avregistrerar dig från nyhetsbrevet.")
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(retention={"criteria": criteria}), old=True)
    versions.edit("activities.yaml", lambda d: d["activities"]["newsletter"].update(retention={"criteria": reworded}))
    change = only_change(versions.diff())
    assert change.kind == "activity.retention.changed"
    assert (change.old, change.new) == ({"criteria": criteria}, {"criteria": reworded})
    assert change.is_text is True


# --- controller and policy ---------------------------------------------------


def test_controller_email_and_policy_title(versions):
    versions.edit("controller.yaml", lambda d: d["controller"].update(email="privacy@acme.example"))
    versions.edit("policy.yaml", lambda d: d.update(title=text("Privacy notice", "Integritetspolicy")))
    diff = versions.diff()
    kinds = [(change.kind, change.display_path, change.is_text) for change in diff.changes]
    assert kinds == [
        ("policy.title.changed", "policy.title", True),
        ("controller.email.changed", "controller.email", False),
    ]
    email = diff.changes[1]
    assert (email.old, email.new) == ("", "privacy@acme.example")
    assert describe_change(email, diff, Lang.SV).summary == "E-postadress har ändrats"


# --- sections ----------------------------------------------------------------


def _scope_body(en: str, sv: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["sections"]["scope"]["body"] = [text(en, sv)]

    return change


def test_section_text_changed_word_by_word(versions):
    versions.edit(
        "sections.yaml",
        _scope_body("We use your data in the manor described here.", "Vi använder dina uppgifter på det sät som beskrivs här."),
        old=True,
    )
    versions.edit(
        "sections.yaml",
        _scope_body("We use your data in the manner described here.", "Vi använder dina uppgifter på det sätt som beskrivs här."),
    )
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "section.body.changed"
    assert change.path == ("sections", "scope", "body", 0)
    assert change.display_path == "sections.scope.body[0]"
    assert change.entity_id == "scope"
    assert change.is_text is True

    html = render_diff(diff, "1.0", "1.1", "html")
    assert (
        "in the <del>" + SR_DEL_EN + "manor</del><ins>" + SR_INS_EN + "manner</ins> described here." in html
    )
    assert (
        'det <del><span class="pp-diff-sr">borttaget: </span>sät</del>'
        '<ins><span class="pp-diff-sr">tillagt: </span>sätt</ins> som' in html
    )
    assert "in the [-manor-]{+manner+} described here." in render_diff(diff, "1.0", "1.1", "text")
    assert "in the <del>manor</del><ins>manner</ins> described here." in render_diff(diff, "1.0", "1.1", "markdown")

    # The site fragment hides the labels with an inline style: the theme has no rule for our class.
    fragment = render_changes_fragment(diff, Lang.EN)
    assert '<del><span class="pp-diff-sr" style="' in fragment
    assert 'deleted: </span>manor</del><ins><span class="pp-diff-sr" style="' in fragment
    assert 'inserted: </span>manner</ins>' in fragment
    assert '<h2 id="scope">Scope</h2>' in fragment


def test_one_word_fix_is_one_deletion_and_one_insertion():
    assert word_diff("in the manor that", "in the manner that") == (
        Segment(Op.EQUAL, "in the "),
        Segment(Op.DELETE, "manor"),
        Segment(Op.INSERT, "manner"),
        Segment(Op.EQUAL, " that"),
    )
    # Words changed side by side read as one replacement, not interleaved pieces.
    assert word_diff("we are using below", "we use") == (
        Segment(Op.EQUAL, "we "),
        Segment(Op.DELETE, "are using below"),
        Segment(Op.INSERT, "use"),
    )
    assert str(segments_html(word_diff("manor", "manner"), Lang.EN)) == (
        "<del>" + SR_DEL_EN + "manor</del><ins>" + SR_INS_EN + "manner</ins>"
    )


def test_paragraph_and_list_item_inserted(versions):
    def add(data: dict[str, Any]) -> None:
        data["sections"]["scope"]["body"] += [
            text("It also covers our app.", "Den gäller även vår app."),
            {"list": [text("Newsletters", "Nyhetsbrev")]},
        ]

    versions.edit("sections.yaml", add)
    diff = versions.diff()
    change = only_change(diff)
    # A different number of blocks: the body changes as a whole.
    assert change.kind == "section.body.changed"
    assert change.display_path == "sections.scope.body"
    fragment = render_changes_fragment(diff, Lang.EN)
    assert '<p class="pp-diff-p pp-diff-p--equal">This policy covers our website.</p>' in fragment
    assert "It also covers our app.</ins></p>" in fragment
    assert '<ul class="pp-diff-list">' in fragment and "Newsletters</ins></li>" in fragment
    report = render_diff(diff, "1.0", "1.1", "text", langs=(Lang.SV,))
    assert "  + Den gäller även vår app." in report
    assert "  + * Nyhetsbrev" in report


def test_section_added(versions):
    cookies_section = {
        "title": text("Cookies", "Cookies"),
        "body": [text("We use one cookie.", "Vi använder en cookie.")],
    }
    versions.edit("sections.yaml", lambda d: d["sections"].update(cookies_info=cookies_section))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "section.added"
    assert change.path == ("sections", "cookies_info")
    # Defaults the YAML left out are part of the value: the new section shows no tables.
    assert change.new == {**cookies_section, "tables": [], "subsections": {}}
    assert change.is_text is False

    fragment = render_changes_fragment(diff, Lang.EN)
    assert '<h2 id="cookies_info">' in fragment
    assert "Added in the new version." in fragment
    assert "We use one cookie.</ins>" in fragment
    # The unchanged section is left out and counted.
    assert '<h2 id="scope">' not in fragment
    assert "1 unchanged section is not shown." in fragment
    headings = fragment_headings(diff, Lang.SV)
    assert [(h.level, h.id, h.title) for h in headings] == [
        (2, "changed-facts", "Ändrade sakuppgifter"),
        (2, "cookies_info", "Cookies"),
    ]
    assert "Avsnitt `cookies_info` (Cookies)" in render_diff(diff, "1.0", "1.1", "text")


def test_subsection_retitled(versions):
    def with_subsection(title_en: str) -> Callable[[dict[str, Any]], None]:
        def change(data: dict[str, Any]) -> None:
            data["sections"]["scope"]["subsections"] = {
                "website": {"title": text(title_en, "Webbplatsen"), "body": [text("Our site.", "Vår webbplats.")]}
            }

        return change

    versions.edit("sections.yaml", with_subsection("The website"), old=True)
    versions.edit("sections.yaml", with_subsection("Our website"))
    diff = versions.diff()
    change = only_change(diff)
    assert change.kind == "subsection.title.changed"
    assert change.display_path == "sections.scope.subsections.website.title"
    assert change.entity_id == "scope.website"
    assert [(h.level, h.id, h.title) for h in fragment_headings(diff, Lang.EN)] == [
        (2, "changed-facts", "Changed facts"),
        (2, "scope", "Scope"),
        (3, "scope--website", "Our website"),
    ]
    # The Swedish title did not change, so for a Swedish reader nothing changed.
    assert [h.id for h in fragment_headings(diff, Lang.SV)] == ["changed-facts"]


# --- formats -----------------------------------------------------------------


def _country_and_purpose(versions: Versions) -> PolicyDiff:
    versions.edit("recipients.yaml", lambda d: d["recipients"]["mailchimp"]["storage"].update(countries=["IE"]))
    versions.edit(
        "cookies.yaml",
        lambda d: d["cookies"]["_ga"].update(purpose=text("Tallies visitors to the site", "Räknar besökare")),
    )
    return versions.diff()


def test_json_lists_every_change(versions):
    diff = _country_and_purpose(versions)
    output = render_diff(diff, "1.0", "draft", "json")
    document = json.loads(output)
    assert document["old"] == "1.0"
    assert document["new"] == "draft"
    assert document["is_empty"] is False
    assert document["counts"] == {"changes": 2, "fact_changes": 1, "text_changes": 1}
    records = [
        {key: record[key] for key in ("kind", "path", "entity_id", "old", "new", "is_text")}
        for record in document["changes"]
    ]
    assert records == [
        {
            "kind": "recipient.storage.countries.changed",
            "path": "recipients.mailchimp.storage.countries",
            "entity_id": "mailchimp",
            "old": ["US"],
            "new": ["IE"],
            "is_text": False,
        },
        {
            "kind": "cookie.purpose.changed",
            "path": "cookies._ga.purpose",
            "entity_id": "_ga",
            "old": {"en": "Counts visitors", "sv": "Räknar besökare"},
            "new": {"en": "Tallies visitors to the site", "sv": "Räknar besökare"},
            "is_text": True,
        },
    ]
    assert document["changes"][0]["path_parts"] == ["recipients", "mailchimp", "storage", "countries"]
    assert document["changes"][0]["description"]["en"] == "Processor `mailchimp` (Mailchimp): Storage countries changed"
    # Same input, same bytes: the file can be committed or compared.
    assert render_diff(_country_and_purpose(versions), "1.0", "draft", "json") == output


class _Resources(HTMLParser):
    """Collects what a browser would fetch: external references of any element."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.fetched: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and not value.startswith("#"):
                self.fetched.append((tag, value))


def test_html_report_is_standalone_and_bilingual(versions):
    html = render_diff(_country_and_purpose(versions), "1.0", "1.1", "html")
    parser = _Resources()
    parser.feed(html)
    assert parser.fetched == []
    assert not {"link", "script", "img", "iframe", "object"} & set(parser.tags)
    assert "http://" not in html and "https://" not in html
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html
    assert "<title>Privacy policy: changes from 1.0 to 1.1</title>" in html
    assert "@media print" in html
    assert '<section class="pp-diff pp-diff-lang" id="lang-en" lang="en"' in html
    assert '<section class="pp-diff pp-diff-lang" id="lang-sv" lang="sv"' in html
    assert "<ins><span" in html and "<del><span" in html
    # Readable without colour: struck through, underlined, and labelled for screen readers.
    assert "del { text-decoration: line-through;" in html
    assert "ins { text-decoration: underline;" in html
    assert "<del>" + SR_DEL_EN + "Counts</del><ins>" + SR_INS_EN + "Tallies</ins> visitors<ins>" in html
    # The structured table in both languages.
    assert "<td class=\"pp-diff-before\">United States</td>" in html
    assert "<td class=\"pp-diff-after\">Ireland</td>" in html
    assert "<td class=\"pp-diff-before\">USA</td>" in html
    assert "<td class=\"pp-diff-after\">Irland</td>" in html


def test_fragment_table_is_accessible(versions):
    fragment = render_changes_fragment(_country_and_purpose(versions), Lang.SV)
    assert "<html" not in fragment and "<head" not in fragment
    assert "<caption>Sakuppgifter som har ändrats" in fragment
    assert '<th scope="col">Före</th>' in fragment
    assert '<th scope="row">Personuppgiftsbiträde <code>mailchimp</code> (Mailchimp)</th>' in fragment
    assert "Inga sakuppgifter har ändrats" not in fragment
    # The purpose changed in English only: nothing to show a Swedish reader.
    assert 'data-kind="cookie.purpose.changed"' not in fragment
    english = render_changes_fragment(_country_and_purpose(versions), Lang.EN)
    assert 'data-kind="cookie.purpose.changed"' in english
    for heading in fragment_headings(_country_and_purpose(versions), Lang.EN):
        assert f'id="{heading.id}"' in english


def test_markdown_has_a_fact_table(versions):
    markdown = render_diff(_country_and_purpose(versions), "1.0", "1.1", "markdown")
    assert "| What | Change | Before | After |" in markdown
    assert "| Processor `mailchimp` (Mailchimp) | Storage countries changed | United States | Ireland |" in markdown
    # Added at the end of the text: the space before the new words is part of the insertion.
    assert "<del>Counts</del><ins>Tallies</ins> visitors<ins> to the site</ins>" in markdown
    assert "| Personuppgiftsbiträde `mailchimp` (Mailchimp) | Länder där uppgifterna lagras har ändrats | USA | Irland |" in markdown


def test_unknown_format_is_refused(versions):
    with pytest.raises(ValueError, match="unknown diff format 'pdf'"):
        render_diff(versions.diff(), "1.0", "1.1", "pdf")


def test_script_in_changed_text_is_escaped(versions):
    evil = "Counts visitors <script>alert(1)</script>"
    versions.edit("cookies.yaml", lambda d: d["cookies"]["_ga"].update(purpose=text(evil, evil)))
    versions.edit("sections.yaml", _scope_body(evil, evil))
    diff = versions.diff()
    for output in (
        render_diff(diff, "1.0", "<b>1.1</b>", "html"),
        render_diff(diff, "1.0", "1.1", "markdown"),
        render_changes_fragment(diff, Lang.EN),
        render_changes_fragment(diff, Lang.SV),
    ):
        assert "<script" not in output
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in output
    assert "<b>1.1</b>" not in render_diff(diff, "1.0", "<b>1.1</b>", "html")


def test_control_characters_do_not_reach_the_terminal(versions):
    # The loader refuses control characters in the data; the report must hold even for a
    # policy built some other way, so the value is put into the loaded model.
    old, new = load_policy(versions.old), load_policy(versions.new)
    cookie = new.cookies["_ga"]
    hostile = type(cookie.purpose)(en="Counts\x1b[2J visitors\n::error title=X::owned \u202e", sv="Räknar")
    new.cookies["_ga"] = cookie.model_copy(update={"purpose": hostile})
    for fmt in ("text", "markdown"):
        report = render_diff(diff_policies(old, new), "1.0", "1.1", fmt)
        assert "\x1b" not in report and "\u202e" not in report and "x1b" in report
        assert not [line for line in report.splitlines() if line.lstrip().startswith("::")]


def test_a_change_in_one_language_only_is_named_in_the_other(versions):
    versions.edit("sections.yaml", _scope_body("This policy covers our websites.", "Policyn gäller vår webbplats."))
    diff = versions.diff()
    assert only_change(diff).kind == "section.body.changed"
    swedish = render_changes_fragment(diff, Lang.SV)
    assert "Inget har ändrats i den svenska texten: ändringarna i denna version gäller endast den engelska texten." in swedish
    assert "<ins>" not in swedish
    english = render_changes_fragment(diff, Lang.EN)
    assert "deleted: </span>website</del>" in english
    assert "inserted: </span>websites</ins>." in english
    assert "Nothing changed in the English text" not in english


RELEASES = ROOT / "policy_data" / "releases"


@pytest.mark.skipif(not (RELEASES / "1.1").is_dir(), reason="the shipped releases are not there")
def test_the_shipped_editorial_release_changes_wording_only():
    diff = diff_policies(load_policy(RELEASES / "1.0"), load_policy(RELEASES / "1.1"))
    assert not diff.is_empty
    assert diff.fact_changes == ()
    assert "in the [-manor-]{+manner+} that" in render_diff(diff, "1.0", "1.1", "text")
