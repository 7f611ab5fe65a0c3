"""``policypress init``: a new policy project in a new folder, or a policy for an existing MkDocs site."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from ..errors import DataError, UsageError
from ..escape import terminal
from ..init import DEFAULT_NAME, TODO, check_name, init_project, init_site, is_existing_site
from ..i18n import languages_list
from ..init_site import REVIEW, SKELETON_LANGUAGES, SiteInit
from ..loader import display_path
from ..versions import build_date
from .options import DATE


@click.command(
    "init",
    short_help="start a policy project in a new folder, or add a policy to an existing MkDocs site",
    help="In a new or empty DIR: write a minimal project that builds at once: mkdocs.yml (with the policypress "
    "plugin), docs/ and an example policy_data/ in English and Swedish, released as 1.0. "
    "In a DIR with a mkdocs.yml (an existing site): add policy_data/ (with a cookie table drafted from a scan of "
    "the site as it builds today, each entry marked for review) and `- policypress` under plugins: of mkdocs.yml; "
    "nothing else of the site is changed. The facts to replace are marked "
    f"'{TODO}' and '{REVIEW}'. An existing policy_data/ is never overwritten.",
)
@click.argument("directory", type=click.Path(path_type=Path), metavar="DIR")
@click.option("--name", metavar="NAME", help=f'the organisation\'s legal name (default: "{DEFAULT_NAME}")')
@click.option(
    "--effective", type=DATE, default=None, metavar="YYYY-MM-DD",
    help="the effective date of release 1.0 (default: today, or POLICY_DATE)",
)
def command(directory: Path, name: str | None, effective: dt.date | None) -> int:
    if is_existing_site(directory):
        try:
            done = init_site(directory, name if name is not None else DEFAULT_NAME, effective, named=name is not None)
        except DataError as exc:  # a drafted entry or the name broke the data: a bug to report, plainly
            raise UsageError(f"the drafted policy data did not validate: {exc}") from None
        _report_site(directory, done)
        return 0
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


def _report_site(directory: Path, done: SiteInit) -> None:
    where = terminal(display_path(directory))
    data = terminal(display_path(directory / "policy_data"))
    print(f"added a privacy policy to the MkDocs site in {where}:")
    print(f"  {data}/  the policy as data (release {done.release.version}, effective {done.release.effective})")
    print(f"  {terminal(display_path(directory / 'mkdocs.yml'))}  `- policypress` added under plugins: (nothing else changed)")
    print(f"languages of the policy pages: {', '.join(lang.value for lang in done.languages)}")
    for code in done.unsupported:
        print(
            f"note: the site's language '{terminal(code)}' is not supported yet (init writes policy texts in "
            f"{languages_list(SKELETON_LANGUAGES)} only): its visitors get the English pages"
        )
    if done.scan_note:
        print(f"note: {terminal(done.scan_note)}; the cookie table holds only the theme's own storage,")
        print("      run `policypress scan site` after your next build to see what is missing")
    elif done.drafted or done.recipients:
        listed = ", ".join(terminal(name) for name in done.drafted) or "none"
        print(f"drafted from a scan of the site as it is: cookies {listed}", end="")
        print(f"; recipients {', '.join(done.recipients)}" if done.recipients else "")
    else:
        print("the scan of the site as it is found no tracker or storage to declare")
    steps = [
        (f"cd {where}", ""),
        (f"grep -rn 'TODO(' policy_data/", f"the facts to fill in ({TODO}) and the drafted ones to check ({REVIEW})"),
        ("policypress check", "validate policy_data/"),
        ("mkdocs build --strict", "build the site with its policy pages; the build checks the cookie table"),
    ]
    width = max(len(command) for command, _ in steps)
    print("next:")
    for command, why in steps:
        print(f"  {command.ljust(width)}  # {why}" if why else f"  {command}")
    print(f"Release {done.release.version} holds the drafted text, so that the site builds at once; replace it with")
    print("your reviewed policy before publishing (`policypress release`).")
