"""``policypress diff``: what changed between two versions (release, draft, or a git revision)."""

from __future__ import annotations

from pathlib import Path

import click

from ..diff import diff_policies, render_diff
from ..errors import UsageError
from ..escape import terminal
from ..i18n import Lang, policy_language
from ..site import DRAFT
from ..sources import history_source, resolve_side
from .errors import EXIT_FINDINGS, EXIT_OK
from .options import data_option, emit, format_option, output_option


@click.command(
    "diff",
    short_help="what changed between two versions (release, draft, or a git revision)",
    help="Compare two versions of the policy. Each side is a release version or 'draft'. "
    "Defaults: the latest release against the draft. With --git REV the old side is read from "
    "policy_data/ at that git revision (the draft there, unless two sides are named).",
)
@click.argument("sides", nargs=-1, metavar="[OLD [NEW]]")
@click.option("--git", "rev", metavar="REV", help="read the old side at this git revision (work tree untouched)")
@format_option(("text", "markdown", "html", "json"), default="text")
@click.option("--lang", default="all", metavar="LANG", help="languages in the report: all (default), or one of the policy's")
@click.option("--exit-code", is_flag=True, help="exit 1 when there are changes, like git diff")
@output_option("write the report to FILE instead of standard output")
@data_option
def command(
    sides: tuple[str, ...], rev: str | None, fmt: str, lang: str, exit_code: bool, output: Path | None, data_dir: Path
) -> int:
    if len(sides) > 2:
        raise UsageError("diff takes at most two sides: OLD NEW")
    with history_source(data_dir, None) as here:
        if rev is not None:
            # With --git the old side is read at that revision: `diff --git main` compares
            # the draft on main with the draft here; `diff --git main 1.1 draft` names both.
            old_spec = sides[0] if len(sides) == 2 else DRAFT
            new_spec = sides[-1] if sides else DRAFT
            with history_source(data_dir, rev) as there:
                old = resolve_side(there, old_spec)
            old_label = f"{old_spec}@{rev}"
        else:
            named = sides[0] if sides else (here.latest.version if here.latest else None)
            if named is None:
                raise UsageError("there is no release to compare the draft with; name both sides")
            old_spec = named
            new_spec = sides[1] if len(sides) == 2 else DRAFT
            old = resolve_side(here, old_spec)
            old_label = old_spec
        new = resolve_side(here, new_spec)
    diff = diff_policies(old, new)
    langs = new.languages if lang == "all" else (policy_language(lang, new.languages),)
    report = render_diff(diff, old_label, new_spec, fmt, langs)
    emit(
        report, output, f": {len(diff.changes)} changes from {terminal(old_label)} to {terminal(new_spec)}",
        newline_on_stdout=True,
    )
    return EXIT_FINDINGS if exit_code and not diff.is_empty else EXIT_OK
