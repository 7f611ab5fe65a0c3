"""``policypress scan``: the static scan on the command line.

Exit codes, as for the other commands: 0 no errors (warnings allowed), 1 findings that are
errors, 2 bad input (a missing folder, invalid policy data or signatures).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..findings.render import FORMATS
from .options import data_option, emit, format_option, output_option

DEFAULT_SITE = "site"


@click.command(
    "scan",
    short_help="check the built site's pages and scripts against the declared cookies",
    help="Read every HTML page of the built site (and of other folders of pages, such as a wget mirror of "
    "another site) and report trackers and storage that are undeclared, declared with the wrong "
    f"category, loaded before consent, or declared but never seen. SITE_DIR: the built site "
    f"(default: {DEFAULT_SITE}, unless --pages is given).",
)
@click.argument("site_dir", required=False, type=click.Path(path_type=Path), metavar="[SITE_DIR]")
@click.option(
    "--pages", multiple=True, type=click.Path(path_type=Path), metavar="DIR",
    help="another folder of HTML pages to check against the same declarations (repeatable)",
)
@data_option
@format_option(FORMATS, default="text")
@output_option("write the report to FILE instead of standard output")
@click.option("--strict", is_flag=True, help="a declaration that nothing sets is an error")
@click.option("--junit", type=click.Path(path_type=Path), metavar="FILE", help="also write the findings as JUnit XML")
@click.option(
    "--signatures", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
    help="a tracker signatures file of your own, added to the shipped ones (same id: yours wins)",
)
@click.option(
    "--site-host", "site_hosts", multiple=True, metavar="HOST",
    help="a host name of the scanned site itself (e.g. www.example.com; repeatable): its absolute links "
    "and those of its subdomains are the site's own, not a third party",
)
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="read and parse pages in N processes (default: the number of CPUs; 1: in this process); "
              "the report is the same whatever N")
def command(
    site_dir: Path | None, pages: tuple[Path, ...], data_dir: Path, fmt: str, output: Path | None, strict: bool,
    junit: Path | None, signatures: tuple[Path, ...], site_hosts: tuple[str, ...], jobs: int | None,
) -> int:
    from ..loader import load_policy
    from ..outputs import write_output
    from ..scan.report import TextProgress, render, render_junit, summary
    from ..scan.scanner import scan_site
    from ..trackers.signatures import load_signatures

    # Without SITE_DIR, scan the built site, unless the user asked for other folders only.
    if site_dir is None and not pages:
        site_dir = Path(DEFAULT_SITE)
    policy = load_policy(data_dir)
    loaded = load_signatures(list(signatures))
    progress = TextProgress(sys.stderr) if fmt == "text" else None
    report = scan_site(
        site_dir,
        policy,
        extra_pages=list(pages),
        strict=strict,
        progress=progress,
        signatures=loaded,
        data_dir=data_dir,
        site_hosts=site_hosts,
        jobs=jobs,
    )
    if junit is not None:
        write_output(junit, render_junit(report), option="--junit", make_folder=True)
    emit(render(report, fmt), output, f" ({fmt}): {summary(report).splitlines()[0]}")
    return report.exit_code
