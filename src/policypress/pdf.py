"""``policypress pdf``: a release printed to PDF, the record filed with the legal archive.

The release is rendered as one standalone HTML document (``templates/print.html.j2``:
inline styles, no external resource), opened in headless Chromium with every request
refused, and printed on A4. The footer of every page carries the version, the effective
date and the sha256 of the release's ``manifest.yaml`` (the file's bytes), which in turn
holds the sha256 of every frozen data file: the paper traces back to the frozen data.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from .chromium import CHROMIUM_ARGS
from .errors import UsageError
from .i18n import Lang
from .locales import message
from .model import Policy
from .pages import format_day
from .render import render_policy_page, render_template
from .site import DRAFT
from .ui import ui
from .versions import MANIFEST, Release, load_history, sha256_file

EXIT_OK = 0
# A second wall behind the request routing: no host name resolves.
OFFLINE_ARGS = ("--host-resolver-rules=MAP * ~NOTFOUND", "--dns-prefetch-disable")
CHECKSUM_LABEL = "sha256 of manifest.yaml"
# The footer's words are in locales/<lang>.yaml: pdf.page, pdf.of, pdf.draft_footer.


@dataclass(frozen=True)
class PrintRecord:
    """What is printed: the policy, its version line and what the footer says."""

    policy: Policy
    lang: Lang
    version: str
    version_line: str
    checksum: str | None  # sha256 of manifest.yaml; None for the draft
    draft: bool

    @property
    def checksum_line(self) -> str:
        return f"{CHECKSUM_LABEL}: {self.checksum}" if self.checksum else ""


def manifest_sha256(release: Release) -> str:
    """The release's identity on paper: the sha256 of its manifest.yaml, byte for byte."""
    return sha256_file(release.path / MANIFEST)


def print_record(data_dir: Path, version: str, lang: Lang) -> PrintRecord:
    history = load_history(data_dir)
    if version == DRAFT:
        return PrintRecord(history.draft, lang, DRAFT, ui("version.draft.title", lang), None, draft=True)
    release = history.get(version)
    if release is None:
        known = ", ".join(r.version for r in history.releases) or "none yet"
        raise UsageError(f"'{version}' is neither 'draft' nor a release (releases: {known})")
    line = ui("version.line", lang).format(version=release.version, effective=format_day(release.effective, lang))
    return PrintRecord(release.policy, lang, release.version, line, manifest_sha256(release), draft=False)


def render_print_html(record: PrintRecord) -> str:
    """The standalone HTML document that is printed."""
    lang = record.lang
    page = render_policy_page(record.policy, lang)
    return render_template(
        "print.html.j2",
        lang=lang.value,
        title=page.title,
        version_label=record.version_line,
        version_line=record.version_line,
        draft_notice=ui("version.draft", lang) if record.draft else "",
        checksum=record.checksum_line,
        body=Markup(page.html),
    )


def footer_template(record: PrintRecord) -> str:
    """Chromium's footer: its own tiny document, styled inline (it inherits nothing)."""
    lang = record.lang
    second = escape(record.checksum_line) if record.checksum else escape(message("pdf.draft_footer", lang))
    pages = Markup('{} <span class="pageNumber"></span> {} <span class="totalPages"></span>').format(
        message("pdf.page", lang), message("pdf.of", lang)
    )
    return str(
        Markup(
            '<div style="box-sizing:border-box;width:100%;padding:0 16mm;font-family:\'DejaVu Sans\',Arial,sans-serif;'
            'font-size:7pt;line-height:1.35;color:#000;font-variant-ligatures:none;">'
            '<div style="display:flex;justify-content:space-between;gap:2em;">'
            "<span>{title} · {line}</span><span>{pages}</span></div>"
            '<div style="font-family:\'DejaVu Sans Mono\',monospace;">{second}</div>'
            "</div>"
        ).format(title=record.policy.meta.title.get(lang), line=record.version_line, pages=pages, second=second)
    )


def print_pdf(html: str, footer: str, executable: Path) -> bytes:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise UsageError("policypress pdf needs Playwright for Python: install policypress's pinned requirements") from None
    blocked: list[str] = []

    def offline(route: Any) -> None:
        url = route.request.url
        if url.startswith(("about:", "data:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(executable), args=[*CHROMIUM_ARGS, *OFFLINE_ARGS], headless=True
            )
        except PlaywrightError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown error"
            raise UsageError(f"Chromium at {executable} did not start: {first_line}; run `make browser`") from None
        try:
            context = browser.new_context(java_script_enabled=False)
            context.route("**/*", offline)
            page = context.new_page()
            page.set_content(html, wait_until="load")
            pdf = page.pdf(
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer,
                margin={"top": "18mm", "bottom": "24mm", "left": "16mm", "right": "16mm"},
                prefer_css_page_size=False,
            )
            context.close()
        finally:
            browser.close()
    if blocked:  # the document is standalone: a request means something leaked into it
        print(f"policypress pdf: refused {len(blocked)} request(s), first {blocked[0]}", file=sys.stderr)
    return pdf
