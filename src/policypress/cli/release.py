"""``policypress release``: freeze the draft in policy_data/ as a new version."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..escape import terminal
from ..errors import UsageError
from ..i18n import Lang, Text, language_tag, languages_list
from ..loader import display_path, load_policy
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
@click.option("--summary-en", type=TEXT, metavar="TEXT", help="what changed, in English")
@click.option("--summary-sv", type=TEXT, metavar="TEXT", help="what changed, in Swedish")
@click.option(
    "--summary", "summaries", type=(str, TEXT), multiple=True, metavar="LANG TEXT",
    help="what changed, in one of the policy's languages (repeat for each; e.g. --summary de 'Neue Empfänger')",
)
@data_option
def command(
    version: str, effective: dt.date, change_class: str, summary_en: str | None, summary_sv: str | None,
    summaries: tuple[tuple[str, str], ...], data_dir: Path,
) -> int:
    given = {**{code: value for code, value in (("en", summary_en), ("sv", summary_sv)) if value}, **dict(summaries)}
    languages = load_policy(data_dir).languages  # a bad draft is reported here, as by `check`
    tags = {language_tag(code).value: value for code, value in given.items()}
    missing = [lang.value for lang in languages if lang.value not in tags]
    extra = [code for code in tags if Lang(code) not in languages]
    if missing or extra:
        raise UsageError(
            f"the summary needs exactly the policy's languages ({languages_list(languages)}): "
            + "; ".join([*(f"give --summary {code} TEXT" for code in missing), *(f"'{code}' is not one of them" for code in extra)])
        )
    summary = Text(tags)
    release = create_release(data_dir, version, effective, ReleaseClass(change_class), summary)
    supersedes = f", supersedes {terminal(release.manifest.supersedes)}" if release.manifest.supersedes else ""
    print(
        f"released {terminal(release.version)} ({release.manifest.change_class.value}, "
        f"effective {release.effective}{supersedes})"
    )
    print(f"  frozen in {terminal(display_path(release.path))}: commit it; its files must never change")
    return EXIT_OK
