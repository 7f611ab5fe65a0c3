"""``policypress pdf``: a release (or the draft) printed to PDF, for the legal archive."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..escape import terminal
from ..i18n import Lang, language_tag
from ..outputs import check_target, write_output
from .errors import EXIT_OK
from .options import data_option, output_option


@click.command(
    "pdf",
    short_help="print a release (or the draft) to PDF through headless Chromium, for the legal archive",
    help="Print a release of the policy to an A4 PDF. The footer of every page shows the "
    "version, the effective date, the sha256 of the release's manifest.yaml (which lists the "
    "sha256 of every frozen data file) and the page number. Needs Debian's chromium "
    "(/usr/bin/chromium, or POLICYPRESS_CHROMIUM); nothing is fetched from the network. "
    "VERSION: a release such as 1.1, or 'draft'.",
)
@click.argument("version", metavar="VERSION")
@click.option("--lang", default=Lang.EN.value, metavar="LANG", help="one of the policy's languages (default: en)")
@output_option("the PDF to write", required=True)
@data_option
def command(version: str, lang: str, output: Path, data_dir: Path) -> int:
    from ..chromium import chromium_path
    from ..pdf import footer_template, print_pdf, print_record, render_print_html

    language = language_tag(lang)
    record = print_record(data_dir, version, language)
    check_target(output)  # a bad target is refused before Chromium starts
    executable = chromium_path()  # after the version check: an unknown version says so first
    data = print_pdf(render_print_html(record), footer_template(record), executable)
    write_output(output, data)
    what = "the draft" if record.draft else f"version {terminal(record.version)}"
    suffix = f"; {record.checksum_line}" if record.checksum else ""
    print(f"wrote {terminal(output)}: {what} in {language.english_name}, {len(data)} bytes{suffix}", file=sys.stderr)
    return EXIT_OK
