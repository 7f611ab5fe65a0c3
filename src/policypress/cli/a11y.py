"""``policypress a11y``: axe-core (WCAG 2.2 AA) on every page of a built site, in headless Chromium."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..a11y import DEFAULT_MAX_PAGES, DEFAULT_SITE, WCAG_TAGS
from ..findings.render import FORMATS
from .options import emit, format_option, output_option, page_timeout_option


def _progress(path: str, found: int, seconds: float) -> None:
    print(f"  /{path}: {found or 'no'} violation{'s' if found != 1 else ''} ({seconds:.2f} s)", file=sys.stderr)


@click.command(
    "a11y",
    short_help="check every page of a built site with axe-core (WCAG 2.2 AA) in headless Chromium",
    help=(
        "Serve the built site on 127.0.0.1, open each HTML page in headless Chromium and run axe-core's "
        f"WCAG 2.2 AA rules ({', '.join(WCAG_TAGS)}); the consent banner is checked open on the first page. "
        "Violations of impact serious or critical are reported by page, rule and element. "
        "No request leaves the machine. Exit 0 clean, 1 findings, 2 bad input. "
        "Needs Debian's chromium (`make browser`) or POLICYPRESS_CHROMIUM. "
        f"SITE_DIR: the built site (default: {DEFAULT_SITE})."
    ),
)
@click.argument("site_dir", required=False, default=DEFAULT_SITE, type=click.Path(path_type=Path), metavar="[SITE_DIR]")
@format_option(FORMATS, default="text")
@output_option("write the report to FILE instead of standard output")
@click.option(
    "--max-pages", type=int, default=DEFAULT_MAX_PAGES, metavar="N",
    help=f"check at most N pages, the start page first, then the shallowest (default: {DEFAULT_MAX_PAGES})",
)
@page_timeout_option
def command(site_dir: Path, fmt: str, output: Path | None, max_pages: int, page_timeout: float) -> int:
    from ..a11y import check_site, render

    report = check_site(
        site_dir, max_pages=max_pages, page_timeout=page_timeout, progress=_progress if fmt == "text" else None
    )
    found = len(report.violations)
    emit(render(report, fmt), output, f" ({fmt}): {found} violation{'s' if found != 1 else ''}")
    return report.exit_code
