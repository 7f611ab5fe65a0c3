"""``policypress lint``: the GDPR Art. 13 completeness check on the command line.

Exit codes, as for the other commands: 0 nothing at or above the ``--fail-on`` threshold,
1 findings at or above it, 2 bad input (an unknown version, invalid policy data).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import UsageError
from ..site import DRAFT
from ..sources import history_source, resolve_side
from .engine import lint_policy
from .findings import LintReport, Severity, lint_summary
from .report import FORMATS, render

EXIT_OK, EXIT_FINDINGS = 0, 1
FAIL_ON = ("error", "warning", "never")


def failed(report: LintReport, fail_on: str) -> bool:
    """Whether ``report`` has a finding at or above the threshold (``never`` never fails)."""
    if fail_on == "never":
        return False
    return bool(report.at_or_above(Severity(fail_on)))


def lint_target(data_dir: Path, target: str) -> LintReport:
    """Lint ``draft`` or a release of the policy data in ``data_dir``."""
    with history_source(data_dir, None) as history:
        policy = resolve_side(history, target)  # raises UsageError for an unknown version
        if target == DRAFT:
            return lint_policy(policy, data_dir, label=DRAFT)
        release = history.get(target)
        assert release is not None  # resolve_side has found it
        return lint_policy(policy, release.path, label=f"release {release.version}")


def _run(args: argparse.Namespace) -> int:
    report = lint_target(Path(args.data), args.target)
    output = render(report, args.format)
    if args.output:
        try:
            Path(args.output).write_text(output, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"-o {args.output}: cannot write the file ({exc.strerror})") from None
        print(f"wrote {args.output} ({args.format}): {lint_summary(report)}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return EXIT_FINDINGS if failed(report, args.fail_on) else EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lint = subparsers.add_parser(
        "lint",
        help="check a version of the policy for completeness against GDPR Art. 13",
        description=(
            "Check that the policy states what GDPR Art. 13 requires (controller contact details, legal bases, "
            "retention per purpose, recipients and transfers, the rights, the supervisory authority, ...) and "
            "that cookies and card data are consistent. Each finding names its rule, its article, the file:line "
            "and what would satisfy it; facts only the company can supply are marked 'needs input from the data owner'."
        ),
    )
    lint.add_argument(
        "target", nargs="?", default=DRAFT, metavar="VERSION|draft", help="a release version or 'draft' (default: draft)"
    )
    lint.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    lint.add_argument("--format", choices=tuple(FORMATS), default="text")
    lint.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    lint.add_argument(
        "--fail-on", choices=FAIL_ON, default="error",
        help="exit 1 when there is a finding of this severity or worse (default: error)",
    )
    lint.set_defaults(run=_run)
