"""``policypress audit``: the browser audit on the command line.

Exit codes, as for the other commands: 0 no errors (warnings allowed), 1 findings that are
errors, 2 bad input (a missing folder, a URL off this machine, invalid policy data, no Chromium).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..audit.scenarios import Scenario
from ..audit.target import DEFAULT_MAX_PAGES
from ..findings.render import FORMATS
from .options import data_option, format_option, page_timeout_option

DEFAULT_SITE = "site"


@click.command(
    "audit",
    short_help="visit the site in headless Chromium in five consent scenarios and check what it stores",
    help=(
        "Serve the built site on 127.0.0.1 (or visit one already served on this machine) and, in a fresh "
        "headless Chromium for each scenario (before consent, accept all, reject all, accept then withdraw, "
        "Global Privacy Control), record cookies, storage keys and requests to other hosts, then check them "
        "against the declarations. No request leaves the machine: requests to other hosts are answered by "
        "stand-ins (--standins) or aborted. Needs Debian's chromium (`make browser`) or POLICYPRESS_CHROMIUM.\n\n"
        f"SITE_DIR | URL: the built site's folder, or http://127.0.0.1:PORT/… (default: {DEFAULT_SITE})."
    ),
    epilog=(
        "Stand-ins folder layout: a file DIR/HOST/PATH answers requests for that path and the paths below it "
        "(any query), e.g. DIR/www.googletagmanager.com/gtag/js; a file DIR/HOST answers every request to the "
        "host. A file starting with <!doctype html> is served as HTML (it answers a frame, such as a video "
        "player), others by their extension, and files without one as JavaScript. The controls of a banner other "
        "than Material's are given as CSS selectors; the first visible match is clicked."
    ),
)
@click.argument("target", required=False, default=DEFAULT_SITE, metavar="[SITE_DIR | URL]")
@data_option
@click.option(
    "--scenario", "scenarios", multiple=True, type=click.Choice([s.value for s in Scenario]), metavar="NAME",
    help=f"run only this scenario (repeatable): {', '.join(s.value for s in Scenario)} (default: all five)",
)
@click.option(
    "--page", "page_paths", multiple=True, metavar="PATH",
    help="visit only this page, a path relative to the site's root such as en/ (repeatable)",
)
@format_option(FORMATS, default="text")
@click.option("--junit", type=click.Path(path_type=Path), metavar="FILE", help="also write the findings as JUnit XML")
@click.option(
    "--standins", multiple=True, type=click.Path(path_type=Path), metavar="DIR",
    help="local answers to requests for vendors' code (see below; repeatable, a later folder wins)",
)
@click.option("--accept-selector", metavar="CSS", help="the banner's accept-all control (default: Material's)")
@click.option("--reject-selector", metavar="CSS", help="the banner's reject-all control (default: Material's)")
@click.option(
    "--reopen-selector", metavar="CSS",
    help="the control that reopens the banner to withdraw (default: Material's #__consent)",
)
@click.option(
    "--max-pages", type=int, default=DEFAULT_MAX_PAGES, metavar="N",
    help=f"visit at most N pages (default: {DEFAULT_MAX_PAGES})",
)
@click.option(
    "--signatures", multiple=True, type=click.Path(path_type=Path), metavar="FILE",
    help="a tracker signatures file of your own, added to the shipped ones (same id: yours wins)",
)
@click.option("--urls", "urls", type=click.Path(path_type=Path), metavar="FILE",
              help="visit the pages listed in FILE: one URL or site path a line, # starts a comment")
@click.option("--sitemap", metavar="URL|FILE",
              help="visit the pages of this sitemap.xml or sitemap index (a file, or a URL on this machine)")
@click.option("--jobs", type=click.IntRange(min=1), metavar="N",
              help="run N browsers at once: the scenarios, or with --urls, --sitemap, --shard or --state the pages "
              "(default: the number of CPUs, at most 5)")
@click.option("--shard", metavar="K/N", help="audit only shard K of N of the pages (merge with `policypress report merge`)")
@click.option("--state", type=click.Path(path_type=Path), metavar="FILE",
              help="record each page's results in FILE as they finish; run again with it to resume")
@click.option(
    "--evidence", "evidence_dir", type=click.Path(path_type=Path), metavar="DIR",
    help="file the run's evidence in DIR, a new or empty folder: screenshots, cookies, storage, stopped requests, "
    "findings, run details and MANIFEST.sha256 (check it with sha256sum -c)",
)
@click.option(
    "--no-dark-patterns", is_flag=True,
    help="skip the check of the banner's design (reject on the first layer, pre-ticked boxes, prominence, wording)",
)
@page_timeout_option
def command(
    target: str, data_dir: Path, scenarios: tuple[str, ...], page_paths: tuple[str, ...], fmt: str,
    junit: Path | None, standins: tuple[Path, ...], accept_selector: str | None, reject_selector: str | None,
    reopen_selector: str | None, max_pages: int, signatures: tuple[Path, ...], urls: Path | None,
    sitemap: str | None, jobs: int | None, shard: str | None, state: Path | None, page_timeout: float,
    evidence_dir: Path | None = None, no_dark_patterns: bool = False,
) -> int:
    from ..audit.auditor import audit_site
    from ..audit.banner import custom_banner
    from ..audit.report import TextProgress, render, render_junit
    from ..audit.scenarios import ALL
    from ..audit.session import Timing
    from ..audit.standins import StandIns, load_standins
    from ..audit.target import is_url
    from ..loader import load_policy
    from ..outputs import write_output
    from ..trackers.signatures import load_signatures

    where: str | Path = target if is_url(target) else Path(target)
    policy = load_policy(data_dir)
    loaded = load_signatures(list(signatures))
    answers = load_standins(*standins) if standins else StandIns()
    banner = custom_banner(accept_selector, reject_selector, reopen_selector)
    progress = TextProgress(sys.stderr) if fmt == "text" else None
    evidence = None
    if evidence_dir is not None:
        from ..audit.evidence import Evidence
        from ..errors import UsageError

        if any(option is not None for option in (urls, sitemap, shard, state)):
            raise UsageError("--evidence files one site's run: leave out --urls, --sitemap, --shard and --state")
        evidence = Evidence.create(evidence_dir, banner_selector=banner.accept)
    if any(option is not None for option in (urls, sitemap, shard, state)):
        from ..audit.estate import PageSources, audit_estate
        from ..audit.shards import parse_shard

        report = audit_estate(
            where, policy, sources=PageSources(page_paths, urls, sitemap),
            scenarios=[Scenario(s) for s in scenarios] if scenarios else ALL, banner=banner, standins=answers,
            progress=progress, signatures=loaded, max_pages=max_pages, timing=Timing(page_timeout=page_timeout),
            jobs=jobs, shard=parse_shard(shard) if shard is not None else None, state=state,
            dark_patterns=not no_dark_patterns,
        )
    else:
        report = audit_site(
            where, policy, scenarios=[Scenario(s) for s in scenarios] if scenarios else ALL,
            pages=list(page_paths) or None, banner=banner, standins=answers, progress=progress, signatures=loaded,
            max_pages=max_pages, timing=Timing(page_timeout=page_timeout), jobs=jobs, evidence=evidence,
            dark_patterns=not no_dark_patterns,
        )
    if junit is not None:
        write_output(junit, render_junit(report), option="--junit", make_folder=True)
    if evidence is not None:
        evidence.finish(report, render(report, "json"), {
            "data": str(data_dir), "pages": list(page_paths), "max_pages": max_pages, "standins": [str(folder) for folder in standins],
            "accept_selector": banner.accept, "reject_selector": banner.reject, "reopen_selector": reopen_selector,
            "signatures": [str(s) for s in signatures], "page_timeout": page_timeout, "jobs": jobs,
        })
    sys.stdout.write(render(report, fmt))
    return report.exit_code
