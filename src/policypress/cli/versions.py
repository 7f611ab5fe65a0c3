"""``policypress versions``: the releases and which one is in effect on a day."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import click

from ..escape import terminal
from ..versions import build_date, load_history
from .errors import EXIT_OK
from .options import DATE, data_option, format_option


@click.command(
    "versions",
    short_help="list the releases and which one is in effect",
    help="List the releases and which one is in effect: current, upcoming or superseded.",
)
@data_option
@click.option(
    "--date", "day", type=DATE, default=None, metavar="YYYY-MM-DD",
    help="the day to evaluate (default: POLICY_DATE or today)",
)
@format_option(("text", "json"), default="text")
def command(data_dir: Path, day: dt.date | None, fmt: str) -> int:
    history = load_history(data_dir)
    today = build_date(dict(os.environ)) if day is None else day
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
                "summary": release.manifest.summary.get(release.manifest.summary.languages[0]),
            }
        )
    if fmt == "json":
        print(json.dumps({"date": today.isoformat(), "releases": rows}, indent=2, ensure_ascii=False))
    elif not rows:
        print(
            f"no releases yet in {terminal(data_dir)}; "
            "make one with `policypress release VERSION --effective YYYY-MM-DD`"
        )
    else:
        for row in rows:
            print(
                f"{terminal(row['version']):<8} {row['effective']}  {row['class']:<9}  {row['status']:<10}  "
                f"{terminal(row['summary'])}"
            )
    return EXIT_OK
