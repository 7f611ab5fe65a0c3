"""The Atom feed of releases: one entry per release, stable ids and dates, escaped text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT
from policypress.feed import atom_feed
from policypress.i18n import Lang, Text
from policypress.versions import History, Release, load_history

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASE = "https://example.org/policy/"
BEFORE = dt.date(2026, 11, 1)  # every release still upcoming
AFTER = dt.date(2027, 1, 1)  # every release in effect


@pytest.fixture(scope="module")
def history() -> History:
    return load_history(ROOT / "policy_data")


def parse(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{A}feed"
    return root


def entries(root: ET.Element) -> dict[str, ET.Element]:
    return {entry.findtext(f"{A}id").rsplit("/", 1)[1]: entry for entry in root.findall(f"{A}entry")}


def test_one_entry_per_release_with_date_class_summary_and_link(history: History):
    root = parse(atom_feed(history, Lang.EN, today=AFTER, base_url=BASE))
    assert root.get(XML_LANG) == "en"
    found = entries(root)
    assert list(found) == [r.version for r in reversed(history.releases)]  # newest first
    for release in history.releases:
        entry = found[release.version]
        day = f"{release.manifest.effective}T00:00:00Z"
        assert entry.findtext(f"{A}updated") == day
        assert entry.findtext(f"{A}published") == day
        assert entry.findtext(f"{A}title").startswith(f"Version {release.version}")
        assert entry.findtext(f"{A}summary") == release.manifest.summary.get("en")
        terms = [c.get("term") for c in entry.findall(f"{A}category")]
        assert release.manifest.change_class.value in terms
        assert "upcoming" not in terms
    assert found["1.1"].findtext(f"{A}title") == "Version 1.1: editorial change"
    assert found["1.0"].find(f"{A}link").get("href") == BASE + "en/privacy-policy/1.0/"
    assert found["1.1"].find(f"{A}link").get("href") == BASE + "en/privacy-policy/changes/1.0-1.1/"
    assert found["1.2"].find(f"{A}link").get("href") == BASE + "en/privacy-policy/changes/1.1-1.2/"
    assert root.findtext(f"{A}updated") == f"{history.latest.manifest.effective}T00:00:00Z"
    assert root.findtext(f"{A}author/{A}name") == "CMT Konsult AB"
    self_link = [link for link in root.findall(f"{A}link") if link.get("rel") == "self"]
    assert self_link[0].get("href") == BASE + "en/feed.xml"


def test_upcoming_releases_are_in_the_feed_before_they_take_effect(history: History):
    found = entries(parse(atom_feed(history, Lang.EN, today=BEFORE, base_url=BASE)))
    assert len(found) == len(history.releases)
    for entry in found.values():
        assert "upcoming" in [c.get("term") for c in entry.findall(f"{A}category")]


def test_ids_and_dates_are_stable_across_builds(history: History):
    first = atom_feed(history, Lang.SV, today=AFTER, base_url=BASE)
    assert first == atom_feed(history, Lang.SV, today=AFTER, base_url=BASE)
    # Another build date changes no id and no date.
    def stamps(text: str) -> list[str | None]:
        root = parse(text)
        return [root.findtext(f"{A}id"), root.findtext(f"{A}updated")] + [
            e.findtext(f"{A}{tag}") for e in root.findall(f"{A}entry") for tag in ("id", "updated", "published")
        ]

    assert stamps(first) == stamps(atom_feed(history, Lang.SV, today=BEFORE, base_url=BASE))
    root = parse(first)
    year = history.releases[0].effective.year
    assert root.findtext(f"{A}id") == f"tag:policypress,{year}:cmt/sv"
    assert all(e.findtext(f"{A}id").startswith(f"tag:policypress,{year}:cmt/sv/") for e in root.findall(f"{A}entry"))


def test_the_swedish_feed_is_in_swedish(history: History):
    root = parse(atom_feed(history, Lang.SV, today=AFTER, base_url=BASE))
    assert root.get(XML_LANG) == "sv"
    assert root.findtext(f"{A}title").startswith("Integritetspolicy")
    found = entries(root)
    for release in history.releases:
        assert found[release.version].findtext(f"{A}summary") == release.manifest.summary.get("sv")
    assert found["1.1"].findtext(f"{A}title") == "Version 1.1: redaktionell ändring"
    assert found["1.1"].find(f"{A}link").get("href") == BASE + "sv/integritetspolicy/andringar/1.0-1.1/"
    # Distinct ids per language: a reader subscribed to both sees two entries.
    english = entries(parse(atom_feed(history, Lang.EN, today=AFTER, base_url=BASE)))
    assert {e.findtext(f"{A}id") for e in found.values()}.isdisjoint(e.findtext(f"{A}id") for e in english.values())


def test_text_is_escaped(history: History):
    tricky = "Adds <b>bold</b> claims & a </summary> tag"
    first = history.releases[0]
    manifest = first.manifest.model_copy(update={"summary": Text(en=tricky, sv="Lägger till <x> & mer")})
    changed = dataclasses.replace(history, releases=(Release(manifest, first.path), *history.releases[1:]))
    text = atom_feed(changed, Lang.EN, today=AFTER, base_url=BASE)
    assert "<b>" not in text and "&lt;b&gt;" in text and "&amp; a &lt;/summary&gt;" in text
    assert entries(parse(text))[first.version].findtext(f"{A}summary") == tricky
    sv = entries(parse(atom_feed(changed, Lang.SV, today=AFTER, base_url=BASE)))
    assert sv[first.version].findtext(f"{A}summary") == "Lägger till <x> & mer"


def test_custom_links(history: History):
    text = atom_feed(
        history, Lang.EN, today=AFTER, base_url=BASE, changes_url=lambda old, new: f"https://x.test/{old or 'first'}/{new}"
    )
    found = entries(parse(text))
    assert found["1.0"].find(f"{A}link").get("href") == "https://x.test/first/1.0"
    assert found["1.2"].find(f"{A}link").get("href") == "https://x.test/1.1/1.2"
