"""The printable record: ``policypress pdf`` and the print stylesheet of the site."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from clirun import Cli, cli  # noqa: F401  (cli is a fixture)
from conftest import BIN, ROOT

from policypress.i18n import DEFAULT_LANGUAGES, Lang
from policypress.pages import format_day
from policypress.pdf import footer_template, print_record, render_print_html
from policypress.versions import load_history

PRINT_CSS = ROOT / "src" / "policypress" / "mkdocs" / "theme" / "policypress" / "print.css"
RELEASE = "1.1"
MANIFEST_11 = ROOT / "policy_data" / "releases" / RELEASE / "manifest.yaml"
# Sentences of release 1.1 (policy_data/releases/1.1/sections.yaml), one per language.
SENTENCE_SV = "Denna integritetspolicy förklarar hur vi samlar in, använder och lämnar ut dina personuppgifter."
SENTENCE_EN = "This Privacy Policy explains how we collect, use and disclose your information."
# The effective date as the pages print it ("25 november 2026"), from the manifest: the data
# owner may still correct the date before publication.
_EFFECTIVE = load_history(ROOT / "policy_data").get(RELEASE).effective  # type: ignore[union-attr]
DATE_SV, DATE_EN = format_day(_EFFECTIVE, Lang.SV), format_day(_EFFECTIVE, Lang.EN)


@dataclass
class Printed:
    returncode: int
    stderr: str
    pdf: Path

    @property
    def reader(self) -> PdfReader:
        return PdfReader(self.pdf)

    @property
    def text(self) -> str:
        return "\n".join(page.extract_text() for page in self.reader.pages)


def _policypress(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in the real repository (its default --data is policy_data/)."""
    return subprocess.run(
        [str(BIN / "policypress"), *args],
        cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=300,
    )


def _print(version: str, lang: str, out: Path) -> Printed:
    proc = _policypress("pdf", version, "--lang", lang, "-o", str(out))
    return Printed(proc.returncode, proc.stderr, out)


def _flat(text: str) -> str:
    """The PDF's text with line breaks as spaces: a sentence may wrap."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def swedish(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    del browser  # requested for its rule: under CI=true a missing Chromium fails instead of skipping
    return _print(RELEASE, "sv", tmp_path_factory.mktemp("pdf-sv") / "policy.pdf")


@pytest.fixture(scope="module")
def english(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Printed:
    del browser
    return _print(RELEASE, "en", tmp_path_factory.mktemp("pdf-en") / "policy.pdf")


# --- the PDF -----------------------------------------------------------------------------


@pytest.mark.browser
def test_swedish_pdf_of_1_1_is_a_traceable_record(swedish: Printed) -> None:
    assert swedish.returncode == 0, swedish.stderr
    assert swedish.pdf.read_bytes().startswith(b"%PDF-")
    reader = swedish.reader
    pages = len(reader.pages)
    assert pages >= 2, pages
    text = swedish.text
    assert "1.1" in text
    # The effective date as the page prints it, in Swedish.
    assert f"Version 1.1 · gäller från den {DATE_SV}" in text
    assert SENTENCE_SV in _flat(text)
    manifest_sha = hashlib.sha256(MANIFEST_11.read_bytes()).hexdigest()
    assert f"sha256 of manifest.yaml: {manifest_sha}" in text
    # The footer is on every page: the version, the date, the checksum and the page number.
    for number, page in enumerate(reader.pages, start=1):
        page_text = page.extract_text()
        assert f"gäller från den {DATE_SV}" in page_text, number
        assert manifest_sha in page_text, number
        assert f"Sida {number} av {pages}" in page_text, number
    assert manifest_sha in swedish.stderr  # the command says what it printed


@pytest.mark.browser
def test_english_pdf_has_the_english_text(english: Printed) -> None:
    assert english.returncode == 0, english.stderr
    text = english.text
    assert len(english.reader.pages) >= 2
    assert f"Version 1.1 · in effect from {DATE_EN}" in text
    assert SENTENCE_EN in _flat(text)
    assert SENTENCE_SV not in _flat(text)
    assert f"sha256 of manifest.yaml: {hashlib.sha256(MANIFEST_11.read_bytes()).hexdigest()}" in text
    assert "Page 1 of" in text
    # Searchable: no ligature glyphs in place of "ff" or "fi".
    assert not set("\ufb00\ufb01\ufb02\ufb03\ufb04") & set(text)


def test_unknown_version_exits_2_and_writes_nothing(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "policy.pdf"
    proc = cli("pdf", "9.9", "-o", str(out), cwd=ROOT)
    assert proc.returncode == 2, proc.stderr
    assert "'9.9' is neither 'draft' nor a release" in proc.stderr
    assert not out.exists()


def test_missing_chromium_exits_2_with_a_clear_message(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "policy.pdf"
    proc = cli("pdf", RELEASE, "-o", str(out), cwd=ROOT, env={"POLICYPRESS_CHROMIUM": str(tmp_path / "no-chromium")})
    assert proc.returncode == 2, proc.stderr
    assert "Chromium not found" in proc.stderr and "make browser" in proc.stderr
    assert not out.exists()


def test_a_device_as_output_is_refused_before_printing_and_left_a_device(cli: Cli) -> None:
    proc = cli("pdf", RELEASE, "-o", "/dev/null", cwd=ROOT, env={"POLICYPRESS_CHROMIUM": "/nonexistent/chromium"})
    assert proc.returncode == 2
    # Refused for what it is, before Chromium is looked for (so not "Chromium not found").
    assert proc.stderr.strip().splitlines() == [
        "policypress: -o /dev/null: is not a regular file (a device, pipe or socket); it is never replaced: "
        "leave out the option to write to standard output"
    ]
    assert Path("/dev/null").is_char_device()


def test_the_printed_document_is_standalone() -> None:
    """No stylesheet, script, image or font from anywhere: the HTML holds everything it shows."""
    for lang in DEFAULT_LANGUAGES:
        record = print_record(ROOT / "policy_data", RELEASE, lang)
        html = render_print_html(record)
        assert f'<html lang="{lang.value}">' in html
        assert not re.search(r"<(link|script|img|iframe|object|embed)\b", html, re.IGNORECASE)
        assert not re.search(r"\bsrc\s*=|@import|url\(", html, re.IGNORECASE)
        footer = footer_template(record)
        assert 'class="pageNumber"' in footer and 'class="totalPages"' in footer
        assert not re.search(r"\bsrc\s*=|url\(|<link\b", footer, re.IGNORECASE)


def test_the_draft_is_marked_and_has_no_checksum() -> None:
    record = print_record(ROOT / "policy_data", "draft", Lang.EN)
    assert record.draft and record.checksum is None
    html = render_print_html(record)
    assert "Draft: not in effect" in html
    assert "sha256 of manifest.yaml" not in html
    assert "not a release" in footer_template(record)


# --- the print stylesheet of the site ------------------------------------------------------


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path", ["en/privacy-policy/", "sv/integritetspolicy/"])
def test_print_stylesheet_leaves_only_the_policy(local_context: Any, site_url: str, path: str) -> None:
    page = local_context.context.new_page()
    page.goto(site_url + path)
    # A first visit: Material opens the consent banner, and the site has its header and navigation.
    # (.md-consent itself has no box of its own: its banner is fixed-positioned inside it.)
    page.locator(".md-consent form[name=consent]").wait_for(state="visible")
    assert page.locator(".md-header").is_visible()
    assert page.locator(".md-sidebar--primary").is_visible()
    # mkdocs.yml does not list print.css yet: inject it as extra_css will.
    page.add_style_tag(path=str(PRINT_CSS))
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert not page.locator(".md-sidebar--secondary").is_visible()
    assert page.locator(".md-consent").is_hidden()
    assert page.locator(".md-consent").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator(".md-consent form[name=consent]").is_hidden()
    assert not page.locator(".md-footer__inner").is_visible()
    assert not page.locator(".md-select").is_visible()
    assert page.locator(".pp-policy").is_visible()
    # The version line is printed first, above the title.
    version = page.locator(".pp-version__line").bounding_box()
    title = page.locator(".md-content__inner h1").bounding_box()
    assert version is not None and title is not None
    assert version["y"] < title["y"], (version, title)
    # Links to other sites print their address.
    after = page.evaluate(
        "() => { const a = document.querySelector('.md-typeset a[href^=\"http\"]');"
        " return a ? [a.getAttribute('href'), getComputedStyle(a, '::after').content] : null }"
    )
    if after is not None:
        href, content = after
        assert href in content, after
    # On screen again, nothing is hidden: the stylesheet only acts in print.
    page.emulate_media(media="screen")
    assert page.locator(".md-header").is_visible()
    assert local_context.blocked == [], local_context.blocked
    page.close()
