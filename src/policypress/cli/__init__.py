"""The ``policypress`` command: one click group, one module per subcommand.

Nothing below this package parses arguments or prints: the commands here turn
options into typed calls of the library and its results into lines and files.
Exit codes: 0 ok, 1 findings, 2 bad input or usage (see ``errors``).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from .errors import PROG, BrokenPipe, Interrupted, run

__all__ = ["main", "cli"]


# Every subcommand and the module (in this package) that defines it, in the order of the README.
# A module is imported when its command is run or listed, not before: importing them all took about
# 0.5 s (the browser audit, the accessibility check and the diff pull in most of the library), which
# every `policypress check` in a pre-commit hook or a CI step paid.
COMMANDS = {
    "check": "check", "release": "release", "seal": "seal", "versions": "versions", "diff": "diff",
    "export-consent": "export_consent", "scan": "scan", "audit": "audit", "report": "report", "schema": "schema",
    "init": "init", "lint": "lint", "export": "export", "pdf": "pdf", "a11y": "a11y",
}


class _Group(click.Group):
    """Commands listed in the order of ``COMMANDS`` (the README's), not sorted, each loaded when it is needed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(f"{__name__}.{COMMANDS[cmd_name]}")
            self.add_command(module.command, cmd_name)
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        # Shield these from click's own handling (see errors.BrokenPipe), so main maps them.
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise BrokenPipe() from None
        except KeyboardInterrupt:
            raise Interrupted() from None


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="A privacy policy kept as data, built into a bilingual site.",
)
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=lambda ctx, _p, v: _version(ctx, v),
              help="Show the version and exit.")
def cli() -> None:
    pass


def _version(ctx: click.Context, asked: bool) -> None:
    # Not click.version_option(__version__): that reads the package metadata (~0.1 s) on every command.
    if asked and not ctx.resilient_parsing:
        from .. import __version__

        click.echo(f"{PROG} {__version__}")
        ctx.exit()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    return run(lambda: cli.main(args, prog_name=PROG, standalone_mode=False))
