"""``policypress check``: the draft and every release: schema, cross-references and frozen checksums."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import DataError, DataIssue, UsageError
from ..escape import terminal
from ..loader import load_policy
from ..sources import frozen_changes
from ..versions import load_history
from .errors import EXIT_BAD_INPUT, EXIT_OK
from .options import data_option, format_option


def _data_dir(data_dir: Path, legacy: Path | None) -> Path:
    """``--data``, or the old positional folder (deprecated: kept so existing scripts still run)."""
    if legacy is None:
        return data_dir
    ctx = click.get_current_context()
    if ctx.get_parameter_source("data_dir") is click.core.ParameterSource.COMMANDLINE and legacy != data_dir:
        raise UsageError(f"check: give the data folder once, as --data (not both --data {data_dir} and {legacy})")
    return legacy


@click.command(
    "check",
    short_help="validate a policy data folder: the draft, and that every release is intact",
    help="Validate a policy data folder: the draft, and that every release is intact. "
    "Every problem of every file is listed, with file:line:column. Exit 0 ok, 2 invalid data. "
    "DATA_DIR as an argument is deprecated (old scripts keep working): use --data DATA_DIR.",
)
@click.argument("legacy_data_dir", required=False, type=click.Path(path_type=Path), metavar="[DATA_DIR]")
@data_option
@format_option(("text", "json"), default="text")
@click.option(
    "--frozen-since", metavar="REV",
    help="also fail when a release that exists at git revision REV (e.g. the base branch) was changed",
)
def command(legacy_data_dir: Path | None, data_dir: Path, fmt: str, frozen_since: str | None) -> int:
    data_dir = _data_dir(data_dir, legacy_data_dir)
    issues: list[DataIssue] = []
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
    if frozen_since:
        issues.extend(frozen_changes(data_dir, frozen_since))
    if issues:
        if fmt == "json":
            print(json.dumps({"ok": False, "errors": [issue.as_dict() for issue in issues]}, indent=2))
        else:
            for issue in issues:
                print(issue, file=sys.stderr)
            noun = "error" if len(issues) == 1 else "errors"
            print(f"\n{len(issues)} {noun} in {terminal(data_dir)}", file=sys.stderr)
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
    if fmt == "json":
        print(json.dumps({"ok": True, "errors": [], "counts": counts}, indent=2))
    else:
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        print(f"{terminal(data_dir)}: ok ({summary})")
    return EXIT_OK
