"""``policypress schema``: JSON Schemas of the data files, for editors that validate YAML as you type."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import UsageError
from ..escape import terminal
from ..loader import display_path
from ..schema import DEFAULT_OUTPUT, SCHEMA_FILES, stale_schemas, write_schemas


@click.command(
    "schema",
    short_help="write JSON Schemas of the data files, for editors that validate YAML as you type",
    help="Write a JSON Schema for each data file and for a release's manifest.yaml, generated "
    "from the same models as `policypress check`. A data file whose first line is "
    "`# yaml-language-server: $schema=schema/NAME.schema.json` is then checked by the editor.",
)
@click.option(
    "--output", "directory", type=click.Path(path_type=Path), default=None, metavar="DIR",
    help=f"default: {DEFAULT_OUTPUT.as_posix()}",
)
@click.option("--check", is_flag=True, help="write nothing; exit 1 when a schema in DIR is missing or out of date")
def command(directory: Path | None, check: bool) -> int:
    if directory is None:
        directory = DEFAULT_OUTPUT
        if not directory.parent.is_dir():
            # Not in a project folder: do not leave a stray policy_data/ behind.
            raise UsageError(f"no {directory.parent}/ here: run in the project folder, or give --output DIR")
    where = terminal(display_path(directory))
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"{where}: not a folder")
    if check:
        stale = stale_schemas(directory)
        for name in stale:
            print(f"{terminal(display_path(directory / name))}: out of date; run `policypress schema`", file=sys.stderr)
        return 1 if stale else 0
    written = write_schemas(directory)
    print(f"{where}: {len(SCHEMA_FILES)} schemas, {len(written)} written")
    return 0
