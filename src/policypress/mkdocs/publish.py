"""``python -m policypress.mkdocs.publish --site-dir DIR [-- OPTION...]``: ``mkdocs build OPTION...``
in this process, into a staging folder, published atomically (``policypress.publish``).

``policypress.publish`` runs any build command as a process of its own; for ``make site`` that was a
Python for the runner and a second one for MkDocs, about 50 ms of a half-second build. Here MkDocs'
own command line runs in the runner's process instead, with the staging folder as its
``--site-dir``; its messages and exit code are MkDocs' own, and a build that fails (or fills the
disk) leaves the published folder as it was.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import PolicyPressError, UsageError
from ..publish import NO_SPACE_MARKERS, Build, command_line

USAGE = "usage: python -m policypress.mkdocs.publish --site-dir DIR [-- MKDOCS-BUILD-OPTION...]"


class _NoSpaceWatch(logging.Handler):
    """Notes a full disk in what MkDocs logs when it reports an error itself (the runner of any command
    watches its messages for the same words)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a message that cannot be formatted is not ours to judge
            return
        self.seen = self.seen or any(marker in text for marker in NO_SPACE_MARKERS)


def _no_space_in(exc: BaseException | None) -> bool:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def mkdocs_build(options: Sequence[str], site_dir: Path) -> None:
    """``mkdocs build OPTION... --site-dir site_dir`` in this process; raises when it fails or built nothing.
    A full disk, however MkDocs reports it, is an ``OSError`` ENOSPC (``publish_build`` words it)."""
    from mkdocs.__main__ import cli  # noqa: PLC0415 - after the arguments are checked

    watch = _NoSpaceWatch()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(watch)
    ended: BaseException | None = None  # how the command line ended, when it raised
    try:
        cli.main(args=["build", *options, "--site-dir", str(site_dir)], prog_name="mkdocs")
        code = 0
    except SystemExit as exc:  # click ends its command line with sys.exit, on success too
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)  # what Python would have printed for the process
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        ended = exc
    except Exception as exc:  # noqa: BLE001 - a full disk may come wrapped in any error; the rest is raised as it was
        if not _no_space_in(exc):
            raise
        code, ended = 1, exc
    finally:
        logger.removeHandler(watch)
    if watch.seen or _no_space_in(ended):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)) from None
    if code:
        error = PolicyPressError(f"the build failed (mkdocs build exited with {code}): the previous site is unchanged")
        error.exit_code = code if code > 0 else 2
        raise error
    if not any(site_dir.iterdir()):
        # MkDocs said it succeeded and wrote nothing (its shell completion, say): not a site to publish.
        raise PolicyPressError("mkdocs build wrote nothing into the build folder: the previous site is unchanged")


def _names_site_dir(option: str) -> bool:
    return option in ("-d", "--site-dir") or option.startswith("--site-dir=") or (
        option.startswith("-d") and not option.startswith("--")
    )


def _parse(args: list[str]) -> tuple[Path, Build]:
    if len(args) < 2 or args[0] != "--site-dir" or (len(args) > 2 and args[2] != "--"):
        raise UsageError(USAGE)
    options = args[3:]
    if any(option in ("-h", "--help") for option in options):
        raise UsageError(f"{USAGE}; for the options, see `mkdocs build --help`")
    if any(_names_site_dir(option) for option in options):
        raise UsageError(f"the build folder is a staging folder chosen here: give --site-dir once, before --; {USAGE}")
    return Path(args[1]), lambda staging: mkdocs_build(options, staging)


def main(argv: Sequence[str] | None = None) -> int:
    return command_line(_parse, argv)


if __name__ == "__main__":
    sys.exit(main())
