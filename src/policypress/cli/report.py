"""``policypress report``: what to do with audit reports: merge shards, propose the declarations they ask for."""

from __future__ import annotations

from pathlib import Path

import click

from .errors import EXIT_FINDINGS, EXIT_OK
from .options import data_option, emit, format_option, output_option


@click.group("report", short_help="merge the shard reports of an audit; propose the declarations they ask for")
def command() -> None:
    pass


@command.command(
    "merge",
    short_help="merge shard reports (audit --shard K/N --format json) into the one report of a single run",
    help="Merge the JSON reports of the shards of one audit (`policypress audit --shard K/N --format json`) "
    "into the report a single run of all the pages gives: each finding once, on all its pages. "
    "Exit 1 when the merged report has errors.",
)
@click.argument("reports", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="REPORT.json...")
@format_option(("text", "json", "junit"), default="text")
@output_option("write the merged report to FILE instead of standard output")
def merge(reports: tuple[Path, ...], fmt: str, output: Path | None) -> int:
    from ..audit.report import render
    from ..audit.shards import merge_reports, read_report

    names = [f"{path} (report {i + 1})" for i, path in enumerate(reports)]  # the same file twice is two reports
    merged = merge_reports([read_report(path) for path in reports], names=names)
    emit(render(merged, fmt), output, f": {len(merged.pages)} pages, {len(merged.errors)} errors")
    return merged.exit_code


@command.command(
    "propose",
    short_help="draft the cookies.yaml entries an audit report asks for, and the issue for the site's fixes",
    help="Read an audit report (JSON) and add to the draft in DATA_DIR an entry for each undeclared cookie or "
    "storage key that a tracker signature knows (id, provider and category from the signature, duration from "
    "the lifetime observed), its facts marked proposed for the data owner; then print the legal diff (Markdown) "
    "for the pull request. Findings that need a fix on the site go to --issue FILE. Exit 1 when anything "
    "was proposed or must be fixed, 0 when the report asks for nothing.",
)
@click.argument("report", type=click.Path(path_type=Path), metavar="REPORT.json")
@data_option
@output_option("write the pull request's body (proposals and legal diff) to FILE instead of standard output")
@click.option("--issue", "issue", type=click.Path(path_type=Path), metavar="FILE",
              help="write the issue's body (Markdown) for the findings that need a fix on the site")
def propose(report: Path, data_dir: Path, output: Path | None, issue: Path | None) -> int:
    from ..audit.propose import apply_to_draft, issue_body, legal_diff, plan, pr_body
    from ..audit.shards import read_report
    from ..outputs import write_output

    audited = read_report(report)
    wanted = plan(audited)
    apply_to_draft(data_dir, wanted.proposals)
    if issue is not None:
        write_output(issue, issue_body(audited, wanted.site_fixes), option="--issue")
    body = pr_body(wanted, legal_diff(data_dir)) if wanted.proposals or wanted.undecided else ""
    emit(body, output, f": {len(wanted.proposals)} proposed declarations")
    asked = wanted.proposals or wanted.undecided or wanted.site_fixes
    return EXIT_FINDINGS if asked else EXIT_OK
