"""``policypress scan``: the static scan on the command line.

Exit codes, as for the other commands: 0 no errors (warnings allowed), 1 findings that are
errors, 2 bad input (a missing folder, invalid policy data or signatures).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..loader import load_policy
from .report import TextProgress, render_json, render_text, write_junit
from .scanner import scan_site
from .signatures import load_signatures

DEFAULT_SITE = "site"


def _run(args: argparse.Namespace) -> int:
    # Without SITE_DIR, scan the built site, unless the user asked for other folders only.
    site_arg = args.site_dir if args.site_dir is not None else (None if args.pages else DEFAULT_SITE)
    site_dir = Path(site_arg) if site_arg is not None else None
    data_dir = Path(args.data)
    policy = load_policy(data_dir)
    signatures = load_signatures([Path(f) for f in args.signatures])
    progress = TextProgress(sys.stderr) if args.format == "text" else None
    report = scan_site(
        site_dir,
        policy,
        extra_pages=[Path(p) for p in args.pages],
        strict=args.strict,
        progress=progress,
        signatures=signatures,
        data_dir=data_dir,
    )
    if args.junit:
        try:
            write_junit(report, Path(args.junit))
        except OSError as exc:
            raise UsageError(f"--junit {args.junit}: cannot write the file ({exc.strerror})") from None
    sys.stdout.write(render_json(report) if args.format == "json" else render_text(report))
    return report.exit_code


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    scan = subparsers.add_parser(
        "scan",
        help="check the built site's pages and scripts against the declared cookies",
        description=(
            "Read every HTML page of the built site (and of other folders of pages, such as a wget mirror of "
            "another site) and report trackers and storage that are undeclared, declared with the wrong "
            "category, loaded before consent, or declared but never seen."
        ),
    )
    scan.add_argument(
        "site_dir", nargs="?", metavar="SITE_DIR",
        help=f"the built site (default: {DEFAULT_SITE}, unless --pages is given)",
    )
    scan.add_argument(
        "--pages", action="extend", nargs="+", default=[], metavar="DIR",
        help="more folders of HTML pages to check against the same declarations",
    )
    scan.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    scan.add_argument("--format", choices=("text", "json"), default="text")
    scan.add_argument("--strict", action="store_true", help="a declaration that nothing sets is an error")
    scan.add_argument("--junit", metavar="FILE", help="also write the findings as JUnit XML")
    scan.add_argument(
        "--signatures", action="append", default=[], metavar="FILE",
        help="a tracker signatures file of your own, added to the shipped ones (same id: yours wins)",
    )
    scan.set_defaults(run=_run)
