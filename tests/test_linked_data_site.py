"""The built site publishes the policy as data: JSON beside the pages, JSON-LD in them, Atom feeds."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import jsonschema
from bs4 import BeautifulSoup

ATOM = "{http://www.w3.org/2005/Atom}"


def test_policy_json_of_the_current_policy_and_each_release_is_valid(built_site):
    schema = json.loads((built_site / "policy.schema.json").read_text())
    current = json.loads((built_site / "policy.json").read_text())
    jsonschema.validate(current, schema)
    assert current["version"] == "1.2"
    for version in ("1.0", "1.1", "1.2"):
        document = json.loads((built_site / "releases" / version / "policy.json").read_text())
        jsonschema.validate(document, schema)
        assert document["version"] == version
    assert "mailchimp" in current["recipients"]


def test_policy_pages_embed_json_ld_with_dpv(built_site):
    html = BeautifulSoup((built_site / "en/privacy-policy/index.html").read_text(), "html.parser")
    scripts = html.select('script[type="application/ld+json"]')
    assert len(scripts) == 1
    document = json.loads(scripts[0].string)
    assert document["@context"]["dpv"] == "https://w3id.org/dpv#"
    assert any("dpv:Process" == node.get("@type") for node in document["@graph"])


def test_each_language_has_an_atom_feed_with_one_entry_per_release(built_site):
    for lang, title_word in (("en", "Version"), ("sv", "Version")):
        feed = ET.parse(built_site / lang / "feed.xml").getroot()
        entries = feed.findall(f"{ATOM}entry")
        assert [e.find(f"{ATOM}id").text.rsplit("/", 1)[1] for e in entries] == ["1.2", "1.1", "1.0"]
        assert all(e.find(f"{ATOM}updated").text == "2026-11-25T00:00:00Z" for e in entries)
        assert entries[0].find(f"{ATOM}title").text.startswith(title_word)
    page = BeautifulSoup((built_site / "sv/integritetspolicy/index.html").read_text(), "html.parser")
    link = page.select_one('link[rel=alternate][type="application/atom+xml"]')
    assert link["href"] == "../feed.xml"
    assert link["title"] == "Integritetspolicy: nya versioner"
