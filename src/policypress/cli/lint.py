"""``policypress lint``: the GDPR Art. 13 completeness check on the command line.

Exit codes, as for the other commands: 0 nothing at or above the ``--fail-on`` threshold,
1 findings at or above it, 2 bad input (an unknown version, invalid policy data).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..lint.findings import lint_summary
from ..lint.report import FORMATS, render
from ..lint.targets import FAIL_ON, failed, lint_target
from ..site import DRAFT
from .errors import EXIT_FINDINGS, EXIT_OK
from .options import data_option, emit, format_option, output_option


@click.command(
    "lint",
    short_help="check a version of the policy for completeness against GDPR Art. 13",
    help=(
        "Check that the policy states what GDPR Art. 13 requires (controller contact details, legal bases, "
        "retention per purpose, recipients and transfers, the rights, the supervisory authority, ...) and "
        "that cookies and card data are consistent. Each finding names its rule, its article, the file:line "
        "and what would satisfy it; facts only the company can supply are marked 'needs input from the data owner'. "
        "VERSION|draft: a release version or 'draft' (default: draft)."
    ),
)
@click.argument("target", required=False, default=DRAFT, metavar="[VERSION|draft]")
@data_option
@format_option(tuple(FORMATS), default="text")
@output_option("write the report to FILE instead of standard output")
@click.option(
    "--fail-on", type=click.Choice(list(FAIL_ON)), default="error",
    help="exit 1 when there is a finding of this severity or worse (default: error)",
)
def command(target: str, data_dir: Path, fmt: str, output: Path | None, fail_on: str) -> int:
    report = lint_target(data_dir, target)
    text = render(report, fmt)
    emit(text, output, f" ({fmt}): {lint_summary(report)}")
    return EXIT_FINDINGS if failed(report, fail_on) else EXIT_OK
