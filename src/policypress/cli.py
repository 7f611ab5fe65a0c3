"""The ``policypress`` command: subcommands in the style of git and ruff.

Exit codes: 0 ok, 1 findings, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import DataError, PolicyPressError
from .loader import load_policy

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too, but say it like the rest
        self.print_usage(sys.stderr)
        print(f"policypress: error: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _check(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir)
    try:
        policy = load_policy(data_dir)
    except DataError as exc:
        if args.format == "json":
            print(json.dumps({"ok": False, "errors": [issue.as_dict() for issue in exc.issues]}, indent=2))
        else:
            for issue in exc.issues:
                print(issue, file=sys.stderr)
            noun = "error" if len(exc.issues) == 1 else "errors"
            print(f"\n{len(exc.issues)} {noun} in {data_dir}", file=sys.stderr)
        return EXIT_BAD_INPUT
    counts = {
        "activities": len(policy.activities.activities),
        "recipients": len(policy.recipients),
        "cookies": len(policy.cookies),
        "rights": len(policy.rights.rights),
        "sections": len(policy.sections),
    }
    if args.format == "json":
        print(json.dumps({"ok": True, "errors": [], "counts": counts}, indent=2))
    else:
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        print(f"{data_dir}: ok ({summary})")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policypress", description="A privacy policy kept as data, built into a bilingual site.")
    parser.add_argument("--version", action="version", version=f"policypress {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="validate a policy data folder (schema and cross-references)")
    check.add_argument("data_dir", nargs="?", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return run(args)
    except PolicyPressError as exc:
        print(f"policypress: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
