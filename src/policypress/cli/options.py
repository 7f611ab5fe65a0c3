"""The options every command shares, defined once, as decorators (the sqlite-utils style).

``--data DATA_DIR``, ``--format`` (each command names its own choices) and
``-o/--output FILE``; plus the value types for dates, versions and texts, so each
is checked, and worded, the same way wherever it is asked for.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from ..escape import terminal
from ..outputs import write_output
from ..versions import check_date, check_version

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DATA = "policy_data"


def data_option(f: F) -> F:
    """``--data DATA_DIR``, passed as ``data_dir: Path``."""
    return click.option(
        "--data", "data_dir", type=click.Path(path_type=Path), default=DEFAULT_DATA, show_default=False,
        metavar="DATA_DIR", help=f"the policy data folder (default: {DEFAULT_DATA})",
    )(f)


def format_option(choices: Sequence[str], *, default: str | None = None, required: bool = False) -> Callable[[F], F]:
    """``--format`` with this command's choices, passed as ``fmt: str``."""
    def decorate(f: F) -> F:
        return click.option(
            "--format", "fmt", type=click.Choice(list(choices)), default=default, required=required,
            help=f"default: {default}" if default is not None else None,
        )(f)
    return decorate


DEFAULT_PAGE_TIMEOUT = 20.0


def page_timeout_option(f: F) -> F:
    """``--page-timeout SECONDS`` for the browser commands, passed as ``page_timeout: float``."""
    return click.option(
        "--page-timeout", "page_timeout", type=click.FloatRange(min=0.1), default=DEFAULT_PAGE_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a page that takes longer than this to load or answer (default: {DEFAULT_PAGE_TIMEOUT:g})",
    )(f)


def output_option(
    help: str = "write to FILE instead of standard output", *, required: bool = False
) -> Callable[[F], F]:
    """``-o/--output FILE``, passed as ``output: Path | None``; written with ``outputs.write_output``."""
    def decorate(f: F) -> F:
        return click.option(
            "-o", "--output", type=click.Path(path_type=Path), default=None, required=required,
            metavar="FILE", help=help,
        )(f)
    return decorate


class DateType(click.ParamType):
    """A calendar date written YYYY-MM-DD; an impossible one (2026-02-30) is a usage error."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(check_date(str(value)))
        except ValueError as exc:
            self.fail(terminal(exc), param, ctx)


class VersionType(click.ParamType):
    """A release version, MAJOR.MINOR[.PATCH], each part at most nine digits."""

    name = "VERSION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return check_version(str(value))
        except ValueError as exc:
            self.fail(terminal(exc), param, ctx)


class TextType(click.ParamType):
    """A text a reader will see: empty or only white space is refused."""

    name = "TEXT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if not text.strip():
            self.fail("must not be empty: say what changed", param, ctx)
        return text


DATE = DateType()
VERSION = VersionType()
TEXT = TextType()


def emit(text: str, output: Path | None, written: str, *, newline_on_stdout: bool = False) -> None:
    """The command's result: into ``-o FILE`` (written safely, then ``wrote FILE<written>`` on
    standard error), or else onto standard output (with a final line break if asked)."""
    if output is not None:
        write_output(output, text)
        print(f"wrote {terminal(output)}{written}", file=sys.stderr)
    elif newline_on_stdout and not text.endswith("\n"):
        sys.stdout.write(text + "\n")
    else:
        sys.stdout.write(text)
