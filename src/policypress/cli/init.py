"""``policypress init``: a new policy project in a new folder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from ..errors import DataError, UsageError
from ..escape import terminal
from ..init import DEFAULT_NAME, TODO, check_name, init_project
from ..loader import display_path
from ..versions import build_date
from .options import DATE


@click.command(
    "init",
    short_help="start a new policy project in a new folder: mkdocs.yml, docs/ and an example policy",
    help="Write a minimal project that builds at once: mkdocs.yml (with the policypress plugin), docs/ and an example "
    "policy_data/ in English and Swedish, released as 1.0. The facts to replace are marked "
    f"'{TODO}'. DIR (the new project's folder) must not exist or be empty.",
)
@click.argument("directory", type=click.Path(path_type=Path), metavar="DIR")
@click.option("--name", metavar="NAME", help=f'the organisation\'s legal name (default: "{DEFAULT_NAME}")')
@click.option(
    "--effective", type=DATE, default=None, metavar="YYYY-MM-DD",
    help="the effective date of release 1.0 (default: today, or POLICY_DATE)",
)
def command(directory: Path, name: str | None, effective: dt.date | None) -> int:
    try:
        release = init_project(directory, name if name is not None else DEFAULT_NAME, effective, named=name is not None)
    except DataError as exc:  # only a name that breaks the example could cause this
        raise UsageError(f"the example policy did not validate with this name: {exc}") from None
    where = display_path(directory)
    release_dir = display_path(release.path)
    shown = terminal(check_name(name if name is not None else DEFAULT_NAME))
    print(f"created a privacy policy project for {shown} in {terminal(where)}", end=" ")
    print(f"(release {release.version}, effective {release.effective})")
    today = build_date(dict(os.environ))
    if release.effective > today:
        print(f"note: until {release.effective} no release is in effect; build with POLICY_DATE={release.effective}")
    steps = [
        (f"cd {terminal(where)}", ""),
        (f"grep -rn '{TODO}' policy_data/", "the facts to replace with your own, in both languages"),
        ("policypress check", "validate policy_data/"),
        ("mkdocs build --strict", "build the site into site/ (needs mkdocs-material)"),
    ]
    width = max(len(command) for command, _ in steps)
    print("next:")
    for command, why in steps:
        print(f"  {command.ljust(width)}  # {why}" if why else f"  {command}")
    # Release 1.0 was never published, so replacing it is no breach of the frozen-release rule.
    print("Release 1.0 holds the example text, so that the site builds at once. Before publishing,")
    print(f"delete {terminal(release_dir)} and release your own policy as 1.0 with")
    print("`policypress release 1.0 --effective YYYY-MM-DD --class material --summary-en ... --summary-sv ...`.")
    return 0
