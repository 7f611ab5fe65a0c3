"""The ``policypress`` command: subcommands in the style of git and ruff.

Exit codes: 0 ok, 1 findings, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import DataError, PolicyPressError, UsageError
from .consent_export import ConsentFormat, export_consent
from .diff import diff_policies, render_diff
from .i18n import Lang, Text
from .loader import display_path, load_policy
from .release import create_release
from .site import DRAFT
from .sources import frozen_changes, history_source, resolve_side
from .versions import ReleaseClass, build_date, check_date, load_history

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too, but say it like the rest
        self.print_usage(sys.stderr)
        print(f"policypress: error: {message}", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def _check(args: argparse.Namespace) -> int:
    """The draft and every release: schema, cross-references and frozen checksums."""
    data_dir = Path(args.data_dir)
    issues = []
    policy = None
    try:
        policy = load_policy(data_dir)
    except DataError as exc:
        issues.extend(exc.issues)
    releases = 0
    try:
        releases = len(load_history(data_dir).releases)
    except DataError as exc:
        issues.extend(exc.issues)
    if args.frozen_since:
        issues.extend(frozen_changes(data_dir, args.frozen_since))
    if issues:
        if args.format == "json":
            print(json.dumps({"ok": False, "errors": [issue.as_dict() for issue in issues]}, indent=2))
        else:
            for issue in issues:
                print(issue, file=sys.stderr)
            noun = "error" if len(issues) == 1 else "errors"
            print(f"\n{len(issues)} {noun} in {data_dir}", file=sys.stderr)
        return EXIT_BAD_INPUT
    assert policy is not None
    counts = {
        "activities": len(policy.activities.activities),
        "recipients": len(policy.recipients),
        "cookies": len(policy.cookies),
        "rights": len(policy.rights.rights),
        "sections": len(policy.sections),
        "releases": releases,
    }
    if args.format == "json":
        print(json.dumps({"ok": True, "errors": [], "counts": counts}, indent=2))
    else:
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        print(f"{data_dir}: ok ({summary})")
    return EXIT_OK


def _release(args: argparse.Namespace) -> int:
    try:
        effective = dt.date.fromisoformat(check_date(args.effective))
    except ValueError as exc:
        raise UsageError(f"--effective: {exc}") from None
    summary = Text(en=args.summary_en, sv=args.summary_sv)
    release = create_release(Path(args.data), args.version, effective, ReleaseClass(args.change_class), summary)
    supersedes = f", supersedes {release.manifest.supersedes}" if release.manifest.supersedes else ""
    print(f"released {release.version} ({release.manifest.change_class.value}, effective {release.effective}{supersedes})")
    print(f"  frozen in {display_path(release.path)}: commit it; its files must never change")
    return EXIT_OK


def _versions(args: argparse.Namespace) -> int:
    history = load_history(Path(args.data))
    today = build_date(dict(os.environ)) if args.date is None else dt.date.fromisoformat(check_date(args.date))
    current = history.current(today)
    rows = []
    for release in history.releases:
        if current is not None and release.version == current.version:
            status = "current"
        elif release.effective > today:
            status = "upcoming"
        else:
            status = "superseded"
        rows.append(
            {
                "version": release.version,
                "effective": release.effective.isoformat(),
                "class": release.manifest.change_class.value,
                "status": status,
                "summary": release.manifest.summary.en,
            }
        )
    if args.format == "json":
        print(json.dumps({"date": today.isoformat(), "releases": rows}, indent=2, ensure_ascii=False))
    elif not rows:
        print(f"no releases yet in {args.data}; make one with `policypress release VERSION --effective YYYY-MM-DD`")
    else:
        for row in rows:
            print(f"{row['version']:<8} {row['effective']}  {row['class']:<9}  {row['status']:<10}  {row['summary']}")
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    data_dir = Path(args.data)
    sides = list(args.sides)
    if len(sides) > 2:
        raise UsageError("diff takes at most two sides: OLD NEW")
    with history_source(data_dir, None) as here:
        if args.git is not None:
            # With --git the old side is read at that revision: `diff --git main` compares
            # the draft on main with the draft here; `diff --git main 1.1 draft` names both.
            old_spec = sides[0] if len(sides) == 2 else DRAFT
            new_spec = sides[-1] if sides else DRAFT
            with history_source(data_dir, args.git) as there:
                old = resolve_side(there, old_spec)
            old_label = f"{old_spec}@{args.git}"
        else:
            latest = here.latest.version if here.latest else None
            old_spec = sides[0] if sides else latest
            new_spec = sides[1] if len(sides) == 2 else DRAFT
            if old_spec is None:
                raise UsageError("there is no release to compare the draft with; name both sides")
            old = resolve_side(here, old_spec)
            old_label = old_spec
        new = resolve_side(here, new_spec)
    diff = diff_policies(old, new)
    langs = tuple(Lang) if args.lang == "all" else (Lang(args.lang),)
    report = render_diff(diff, old_label, new_spec, args.format, langs)
    if args.output:
        Path(args.output).write_text(report, encoding="utf-8")
        print(f"wrote {args.output}: {len(diff.changes)} changes from {old_label} to {new_spec}", file=sys.stderr)
    else:
        sys.stdout.write(report if report.endswith("\n") else report + "\n")
    return EXIT_FINDINGS if args.exit_code and not diff.is_empty else EXIT_OK


def _export_consent(args: argparse.Namespace) -> int:
    with history_source(Path(args.data), None) as history:
        if args.version:
            policy = resolve_side(history, args.version)
        else:
            current = history.current(build_date(dict(os.environ)))
            policy = current.policy if current is not None else history.draft
    output = export_consent(policy, args.format, policy_url=args.policy_url)
    if args.output:
        Path(args.output).write_text(output, encoding="utf-8")
        print(f"wrote {args.output} ({args.format})", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="policypress", description="A privacy policy kept as data, built into a bilingual site.")
    parser.add_argument("--version", action="version", version=f"policypress {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser(
        "check", help="validate a policy data folder: the draft, and that every release is intact"
    )
    check.add_argument("data_dir", nargs="?", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--frozen-since", metavar="REV",
        help="also fail when a release that exists at git revision REV (e.g. the base branch) was changed",
    )
    check.set_defaults(run=_check)

    release = commands.add_parser("release", help="freeze the draft in policy_data/ as a new version")
    release.add_argument("version", metavar="VERSION", help="such as 1.1 or 2.0; greater than the latest release")
    release.add_argument("--effective", required=True, metavar="YYYY-MM-DD", help="the day the version takes effect")
    release.add_argument(
        "--class", dest="change_class", choices=[c.value for c in ReleaseClass], required=True,
        help="editorial (wording only) or material (readers must be told before it applies)",
    )
    release.add_argument("--summary-en", required=True, metavar="TEXT", help="what changed, in English")
    release.add_argument("--summary-sv", required=True, metavar="TEXT", help="what changed, in Swedish")
    release.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    release.set_defaults(run=_release)

    versions = commands.add_parser("versions", help="list the releases and which one is in effect")
    versions.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    versions.add_argument("--date", metavar="YYYY-MM-DD", help="the day to evaluate (default: POLICY_DATE or today)")
    versions.add_argument("--format", choices=("text", "json"), default="text")
    versions.set_defaults(run=_versions)

    diff = commands.add_parser(
        "diff",
        help="what changed between two versions (release, draft, or a git revision)",
        description="Compare two versions of the policy. Each side is a release version or 'draft'. "
        "Defaults: the latest release against the draft. With --git REV the old side is read from "
        "policy_data/ at that git revision (the draft there, unless two sides are named).",
    )
    diff.add_argument("sides", nargs="*", metavar="OLD NEW", help="release versions or 'draft'")
    diff.add_argument("--git", metavar="REV", help="read the old side at this git revision (work tree untouched)")
    diff.add_argument("--format", choices=("text", "markdown", "html", "json"), default="text")
    diff.add_argument("--lang", choices=("all", "en", "sv"), default="all", help="languages in the report")
    diff.add_argument("--exit-code", action="store_true", help="exit 1 when there are changes, like git diff")
    diff.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of standard output")
    diff.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    diff.set_defaults(run=_diff)

    export = commands.add_parser(
        "export-consent", help="consent manager configuration for other sites, from the same declarations"
    )
    export.add_argument("--format", choices=[f.value for f in ConsentFormat], required=True)
    export.add_argument("--version", metavar="VERSION", help="a release or 'draft' (default: the release in effect)")
    export.add_argument("--policy-url", default="", metavar="URL", help="the published policy, linked from the banner")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--data", default="policy_data", metavar="DATA_DIR", help="default: policy_data")
    export.set_defaults(run=_export_consent)
    from .scan.cli import register as register_scan
    register_scan(commands)
    from .audit.cli import register as register_audit
    register_audit(commands)
    from .schema import register as register_schema
    register_schema(commands)
    from .init import register as register_init
    register_init(commands)
    from .lint.cli import register as register_lint
    register_lint(commands)
    from .export import register as register_export
    register_export(commands)
    from .pdf import register as register_pdf
    register_pdf(commands)
    from .a11y import register as register_a11y
    register_a11y(commands)
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
    except DataError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        noun = "error" if len(exc.issues) == 1 else "errors"
        print(f"\npolicypress: {len(exc.issues)} {noun} in the policy data", file=sys.stderr)
        return exc.exit_code
    except PolicyPressError as exc:
        print(f"policypress: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
