"""The scan's shortcuts must never lose a finding: the needles that rule inline patterns out, the
keyed elements looked for only on pages that may hold them, the start tags read with ``str.find``
and the code masked by jumps from one string or comment to the next."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT

from policypress.scan.consent_code import Code, mask
from policypress.scan.page import parse_page
from policypress.trackers.matching import compile_signatures, required_literal
from policypress.trackers.signatures import load_signatures

MATCHERS = compile_signatures(load_signatures())


def test_needles_are_the_literal_text_every_match_holds() -> None:
    assert required_literal(re.compile(r"\bttq\.load\(\s*['\"]")) == "ttq.load("
    assert required_literal(re.compile(r"gtag\(\s*['\"]config['\"]")) == "config"
    # No text every match must hold: the pattern is tried on every script.
    assert required_literal(re.compile(r"(?i)hotjar")) is None
    assert required_literal(re.compile(r"matomo|piwik")) is None


def test_no_shipped_inline_pattern_matches_a_text_without_its_needle() -> None:
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in (ROOT / "tests" / "fixtures").rglob("*")
             if path.suffix in (".html", ".htm", ".js")]
    assert len(texts) > 100
    matched = 0
    for pattern in MATCHERS.inline_needles:
        for text in texts:
            if pattern.regex.search(text):
                matched += 1
                assert pattern.needle is None or pattern.needle in text, pattern.regex.pattern
    assert matched > 50  # the corpus exercises the patterns


def _vendors(html: str) -> set[str]:
    return {hit.compiled.vendor_id for hit in parse_page(MATCHERS, "index.html", html).hits}


def test_a_keyed_element_is_found_however_its_attribute_is_written() -> None:
    page = '<!doctype html><html><body><p>Text &amp; more</p>\n<div {attribute}></div></body></html>'
    assert "borlabs" in _vendors(page.format(attribute='id="BorlabsCookieBox"'))
    assert "borlabs" in _vendors(page.format(attribute='ID="BorlabsCookieBox"'))  # libxml2 lowers the name
    assert "borlabs" in _vendors(page.format(attribute='id="&#66;orlabsCookieBox"'))  # a character reference
    assert "borlabs" not in _vendors(page.format(attribute='id="BorlabsCookieBoxes"'))
    material = '<html><body><form data-md-component="consent"></form></body></html>'
    assert parse_page(MATCHERS, "index.html", material).material_consent
    assert parse_page(MATCHERS, "index.html", material.replace("data-md", "DATA-MD")).material_consent


def test_a_start_tag_with_a_quoted_angle_bracket_is_quoted_as_written() -> None:
    page = ('<html><head>\n<!-- <script src="https://static.hotjar.com/c/hotjar-0.js"></script> -->\n'
            '<script data-note="a > b" src="https://static.hotjar.com/c/hotjar-1.js"></script>'
            '<script src="https://www.googletagmanager.com/gtag/js?id=G-1"></script>\n</head></html>')
    hits = {hit.compiled.vendor_id: (hit.line, hit.element) for hit in parse_page(MATCHERS, "index.html", page).hits}
    assert hits["hotjar"] == (3, '<script data-note="a > b" src="https://static.hotjar.com/c/hotjar-1.js">')
    assert hits["google_analytics"] == (3, '<script src="https://www.googletagmanager.com/gtag/js?id=G-1">')


def test_mask_blanks_strings_comments_and_regex_literals_only() -> None:
    code = 'a = "x(y" + \'p\\\'{\' ; // c(\nb = /[/(]/g; c = d / e / f; `t\n(${u}` /* (\n) */ g(1)'
    masked = mask(code)
    assert len(masked) == len(code) and masked.count("\n") == code.count("\n")
    # (the same as the character-by-character loop it replaced gave)
    assert masked == 'a = "   " + \'    \' ;      \nb = /    /g; c = d / e / f; ` \n     `     \n     g(1)'
    assert mask('s = "never closed\nf(1)') == 's = "            \nf(1)'
    brackets = Code("if (x) { f('}'); }")
    assert brackets.braces == [(7, 17)]


def test_a_minified_head_quotes_the_start_tag_of_the_element_reported() -> None:
    # One line: 70 start tags of the same name that nothing reports, then the one that is reported.
    links = "".join(f'<link rel="alternate" hreflang="l{i}" href="/l{i}/">' for i in range(70))
    page = f'<html><head>{links}<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto"></head></html>'
    hits = [(hit.line, hit.element) for hit in parse_page(MATCHERS, "index.html", page).hits]
    assert hits == [(1, '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">')]


def test_a_doubled_attribute_is_read_as_libxml2_reads_it_the_first_one() -> None:
    page = ('<html><body><img src="/logo.png" alt="">'
            '<img src="https://www.facebook.com/tr?id=2" SRC="/x.png" alt=""></body></html>')
    hits = [hit.element for hit in parse_page(MATCHERS, "index.html", page).hits]
    assert hits == ['<img src="https://www.facebook.com/tr?id=2" SRC="/x.png" alt="">']
