"""``policypress release``: freeze the draft in policy_data/ as a new version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..escape import terminal
from ..i18n import Text
from ..loader import display_path
from ..release import create_release
from ..versions import ReleaseClass
from .errors import EXIT_OK
from .options import DATE, TEXT, VERSION, data_option


@click.command(
    "release",
    short_help="freeze the draft in policy_data/ as a new version",
    help="Freeze the draft in policy_data/ as a new version, in policy_data/releases/VERSION/. "
    "VERSION: such as 1.1 or 2.0; greater than the latest release.",
)
@click.argument("version", type=VERSION, metavar="VERSION")
@click.option("--effective", type=DATE, required=True, metavar="YYYY-MM-DD", help="the day the version takes effect")
@click.option(
    "--class", "change_class", type=click.Choice([c.value for c in ReleaseClass]), required=True,
    help="editorial (wording only) or material (readers must be told before it applies)",
)
@click.option("--summary-en", type=TEXT, required=True, metavar="TEXT", help="what changed, in English")
@click.option("--summary-sv", type=TEXT, required=True, metavar="TEXT", help="what changed, in Swedish")
@data_option
def command(
    version: str, effective: dt.date, change_class: str, summary_en: str, summary_sv: str, data_dir: Path
) -> int:
    summary = Text(en=summary_en, sv=summary_sv)
    release = create_release(data_dir, version, effective, ReleaseClass(change_class), summary)
    supersedes = f", supersedes {terminal(release.manifest.supersedes)}" if release.manifest.supersedes else ""
    print(
        f"released {terminal(release.version)} ({release.manifest.change_class.value}, "
        f"effective {release.effective}{supersedes})"
    )
    print(f"  frozen in {terminal(display_path(release.path))}: commit it; its files must never change")
    return EXIT_OK
