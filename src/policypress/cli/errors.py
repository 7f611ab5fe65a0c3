"""The one error path of the command line: every failure becomes a short message and an exit code.

Exit codes: 0 ok, 1 findings, 2 bad input or usage, 130 interrupted (Ctrl-C), 141 when
the reader of standard output went away (``policypress check --format json | head -1``),
the code git has in that case (128 + SIGPIPE).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

from ..errors import DataError, PolicyPressError
from ..escape import terminal

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

PROG = "policypress"


class BrokenPipe(Exception):
    """Standard output was closed by its reader.

    Raised in place of ``BrokenPipeError`` because click turns an EPIPE ``OSError``
    into ``sys.exit(1)`` itself, even with ``standalone_mode=False``.
    """


class Interrupted(Exception):
    """Ctrl-C, carried past click (which would print "Aborted!" in its own words)."""


def error(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def _usage_message(exc: click.UsageError) -> str:
    # A bad value is worded "--effective: '2026-13-01' is not a date" (the option, then why);
    # a missing one keeps click's "Missing option '--format'".
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter) and exc.param is not None:
        param = exc.param
        hint = param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
        return f"{hint}: {exc.message}"
    return exc.format_message()


def _usage_error(exc: click.UsageError) -> int:
    error(" ".join(_usage_message(exc).split()))  # one line, whatever click wrote
    ctx = exc.ctx
    if ctx is not None:
        print(f"{ctx.get_usage()}\nTry '{ctx.command_path} --help' for help.", file=sys.stderr)
    return EXIT_BAD_INPUT


def _quiet_stdout() -> None:
    """After EPIPE, point stdout at devnull so the flush at exit cannot fail again (Python docs)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # a captured or already closed stdout has no descriptor to replace


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{terminal(exc.filename)}: {reason}" if exc.filename is not None else reason


def run(invoke: Callable[[], int | None]) -> int:
    """Run ``invoke`` (click, with ``standalone_mode=False``) and map what it raises to an exit code."""
    try:
        code = invoke()
        sys.stdout.flush()  # inside the handlers: a closed pipe is reported here, not at exit
        return EXIT_OK if code is None else code
    except click.exceptions.NoArgsIsHelpError as exc:
        if exc.ctx is not None:
            print(exc.ctx.get_help(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except click.UsageError as exc:
        return _usage_error(exc)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except DataError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        noun = "error" if len(exc.issues) == 1 else "errors"
        print(f"\n{PROG}: {len(exc.issues)} {noun} in the policy data", file=sys.stderr)
        return exc.exit_code
    except PolicyPressError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return exc.exit_code
    except (BrokenPipe, BrokenPipeError):
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except (Interrupted, KeyboardInterrupt, click.Abort):
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:
        error(" ".join(exc.format_message().split()))
        return exc.exit_code
    except OSError as exc:
        print(f"{PROG}: {_os_error(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
