"""``policypress audit``: the browser audit on the command line.

Exit codes, as for the other commands: 0 no errors (warnings allowed), 1 findings that are
errors, 2 bad input (a missing folder, a URL off this machine, invalid policy data, no Chromium).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..loader import load_policy
from ..scan.signatures import load_signatures
from .auditor import audit_site
from .banner import custom_banner
from .report import TextProgress, render_json, render_text, write_junit
from .scenarios import ALL, Scenario
from .standins import StandIns, load_standins
from .target import DEFAULT_MAX_PAGES, is_url

DEFAULT_SITE = "site"


def _run(args: argparse.Namespace) -> int:
    target: str | Path = args.target if is_url(args.target) else Path(args.target)
    policy = load_policy(Path(args.data))
    signatures = load_signatures([Path(f) for f in args.signatures])
    standins = load_standins(Path(args.standins)) if args.standins else StandIns()
    banner = custom_banner(args.accept_selector, args.reject_selector, args.reopen_selector)
    progress = TextProgress(sys.stderr) if args.format == "text" else None
    report = audit_site(
        target,
        policy,
        scenarios=args.scenario or ALL,
        pages=args.page or None,
        banner=banner,
        standins=standins,
        progress=progress,
        signatures=signatures,
        max_pages=args.max_pages,
    )
    if args.junit:
        try:
            write_junit(report, Path(args.junit))
        except OSError as exc:
            raise UsageError(f"--junit {args.junit}: cannot write the file ({exc.strerror})") from None
    sys.stdout.write(render_json(report) if args.format == "json" else render_text(report))
    return report.exit_code


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = subparsers.add_parser(
        "audit",
        help="visit the site in headless Chromium in five consent scenarios and check what it stores",
        description=(
            "Serve the built site on 127.0.0.1 (or visit one already served on this machine) and, in a fresh "
            "headless Chromium for each scenario (before consent, accept all, reject all, accept then withdraw, "
            "Global Privacy Control), record cookies, storage keys and requests to other hosts, then check them "
            "against the declarations. No request leaves the machine: requests to other hosts are answered by "
            "stand-ins (--standins) or aborted. Needs Debian's chromium (`make browser`) or POLICYPRESS_CHROMIUM."
        ),
        epilog=(
            "Stand-ins folder layout: a file DIR/HOST/PATH answers requests for that path and the paths below it "
            "(any query), e.g. DIR/www.googletagmanager.com/gtag/js; a file DIR/HOST answers every request to the "
            "host. A file starting with <!doctype html> is served as HTML (it answers a frame, such as a video "
            "player), others by their extension, and files without one as JavaScript. The controls of a banner other "
            "than Material's are given as CSS selectors; the first visible match is clicked."
        ),
    )
    audit.add_argument(
        "target", nargs="?", default=DEFAULT_SITE, metavar="SITE_DIR | URL",
        help=f"the built site's folder, or http://127.0.0.1:PORT/… (default: {DEFAULT_SITE})",
    )
    audit.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    audit.add_argument(
        "--scenario", action="extend", nargs="+", choices=[s.value for s in Scenario], metavar="NAME",
        help=f"run only these scenarios: {', '.join(s.value for s in Scenario)} (default: all five)",
    )
    audit.add_argument(
        "--page", action="append", metavar="PATH",
        help="visit only this page, a path relative to the site's root such as en/ (repeatable)",
    )
    audit.add_argument("--format", choices=("text", "json"), default="text")
    audit.add_argument("--junit", metavar="FILE", help="also write the findings as JUnit XML")
    audit.add_argument("--standins", metavar="DIR", help="local answers to requests for vendors' code (see below)")
    audit.add_argument("--accept-selector", metavar="CSS", help="the banner's accept-all control (default: Material's)")
    audit.add_argument("--reject-selector", metavar="CSS", help="the banner's reject-all control (default: Material's)")
    audit.add_argument(
        "--reopen-selector", metavar="CSS",
        help="the control that reopens the banner to withdraw (default: Material's #__consent)",
    )
    audit.add_argument(
        "--max-pages", type=int, default=DEFAULT_MAX_PAGES, metavar="N",
        help=f"visit at most N pages (default: {DEFAULT_MAX_PAGES})",
    )
    audit.add_argument(
        "--signatures", action="append", default=[], metavar="FILE",
        help="a tracker signatures file of your own, added to the shipped ones (same id: yours wins)",
    )
    audit.set_defaults(run=_run)
