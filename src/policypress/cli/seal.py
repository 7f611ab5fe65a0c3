"""``policypress seal``: seal the releases made before seals existed (a one-off migration)."""

from __future__ import annotations

from pathlib import Path

import click

from ..escape import terminal
from ..loader import display_path
from ..release import seal_releases
from .errors import EXIT_OK
from .options import data_option


@click.command(
    "seal",
    short_help="seal releases made before seals existed (once, after checking them)",
    help="Record the sha256 of each unsealed release's manifest.yaml in policy_data/releases/SEALS. "
    "Run it once, after checking that each unsealed release is the one that was published (e.g. against "
    "its git tag or the live site): a seal vouches for whatever it finds. Releases already sealed are left "
    "as they are; nothing is written when the history has any other problem.",
)
@data_option
def command(data_dir: Path) -> int:
    sealed = seal_releases(data_dir)
    seals = terminal(display_path(data_dir / "releases" / "SEALS"))
    if not sealed:
        print(f"every release is sealed already ({seals})")
    else:
        print(f"sealed {', '.join(terminal(v) for v in sealed)} in {seals}: commit it")
    return EXIT_OK
