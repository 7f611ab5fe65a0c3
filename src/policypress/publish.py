"""Publish a built site atomically: at every instant the target folder is a whole site, old or new.

``publish_build(target, build)`` lets ``build`` write into a fresh staging folder beside
``target`` (same filesystem, so a rename can swap them), then swaps the two folders with one
``renameat2(RENAME_EXCHANGE)`` system call, and removes the old tree, which the swap left at
the staging name. ``target`` stays a real directory: GitHub's ``upload-pages-artifact``
publishes files, not a symlink to them.

- Each build has its own staging folder (``.<target>-build-XXXXXXXX``), so two builds at once
  never share one; both finish with a whole site, and the last swap wins.
- A build that fails (or a disk that fills up) leaves the target untouched and its staging
  folder removed. A build that was killed leaves its staging folder; the next build removes it
  once it is older than ``STALE_AFTER`` seconds and no running build holds its lock (every
  build holds a shared ``flock`` on its folders while it runs).
- Where ``renameat2`` is missing (not Linux, an old kernel, or a filesystem without
  ``RENAME_EXCHANGE`` support: ENOSYS/EINVAL), the swap falls back to two renames: the target
  is moved aside, then the new tree moved in. Between those two renames there is no target
  folder; that window is microseconds, but it is not atomic.

The command line runner, used by the Makefile (no argparse: the CLI is moving to click)::

    python -m policypress.publish --site-dir site -- mkdocs build --strict --site-dir {}

runs the command with ``{}`` replaced by the staging folder and publishes what it built.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .errors import PolicyPressError, UsageError
from .escape import terminal

# A staging folder untouched for this long, and locked by no build, is left over from a crash.
STALE_AFTER = 3600.0
PLACEHOLDER = "{}"

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


class _NoRenameat2(Exception):
    """renameat2 (or the flag asked for) is not available here: use the fallback."""


def staging_prefix(target: Path) -> str:
    return f".{target.name}-build-"


def _renameat2_function() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):  # not glibc, or glibc older than 2.28
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_renameat2 = _renameat2_function()


def renameat2(source: Path, destination: Path, flags: int) -> None:
    """``renameat2(AT_FDCWD, source, AT_FDCWD, destination, flags)``; raises ``_NoRenameat2`` where unsupported."""
    if _renameat2 is None:
        raise _NoRenameat2
    if _renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(destination), flags) == 0:
        return
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL):
        raise _NoRenameat2
    raise OSError(code, os.strerror(code), str(source), None, str(destination))


def _swap_in(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``; the previous target, if any, ends up at ``staging``."""
    while True:
        try:
            renameat2(staging, target, _RENAME_EXCHANGE)
            return
        except FileNotFoundError:
            pass  # no target yet: a plain rename, but never over a target another build just made
        except _NoRenameat2:
            _swap_in_fallback(staging, target)
            return
        try:
            renameat2(staging, target, _RENAME_NOREPLACE)
            return
        except FileExistsError:
            continue  # another build published in between: exchange with its site
        except _NoRenameat2:
            _swap_in_fallback(staging, target)
            return


def _swap_in_fallback(staging: Path, target: Path) -> None:
    """Best effort without renameat2: move the target aside, move the new tree in, put the old one at ``staging``."""
    aside = Path(tempfile.mkdtemp(prefix=staging_prefix(target), dir=target.parent))
    old = aside / "old"
    try:
        os.rename(target, old)
    except FileNotFoundError:
        os.rmdir(aside)
        os.rename(staging, target)
        return
    os.rename(staging, target)  # here, for a moment, there is no target folder
    os.rename(old, staging)
    os.rmdir(aside)


def _umask() -> int:
    # os.umask() can only be read by setting it, which would race with other threads creating files.
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


@contextmanager
def _shared_lock(path: Path) -> Iterator[None]:
    """A shared flock on a folder: tells the stale-folder cleaner of other builds that it is in use."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def _locked_by_a_build(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return True  # gone already, or not ours to judge
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the lock taken just to test it
    return False


def remove_stale_staging(target: Path, *, older_than: float = STALE_AFTER) -> list[Path]:
    """Remove staging folders of ``target`` left by killed builds; returns those removed."""
    removed: list[Path] = []
    now = time.time()
    for entry in target.parent.glob(staging_prefix(target) + "*"):
        try:
            if not entry.is_dir() or entry.is_symlink() or now - entry.lstat().st_mtime < older_than:
                continue
        except OSError:
            continue
        if not _locked_by_a_build(entry):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _no_space(target: Path) -> PolicyPressError:
    return PolicyPressError(
        f"no space left on device while building {terminal(_shown(target))}/: the previous site is unchanged"
    )


def _shown(target: Path) -> str:
    try:
        return str(target.relative_to(Path.cwd()))
    except ValueError:
        return str(target)


def publish_build(target: Path, build: Callable[[Path], None]) -> None:
    """Run ``build(staging)`` and, when it returns, make ``staging`` the new ``target`` in one swap.

    When ``build`` raises, ``target`` is left as it was and the staging folder is removed; an
    ``OSError`` ENOSPC (disk full) becomes a ``PolicyPressError`` saying the previous site is
    unchanged (exit code 2).
    """
    target = Path(os.path.abspath(target))
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise UsageError(f"{terminal(_shown(target))}: exists and is not a folder; publishing needs a real folder there")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(target)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(target), dir=target.parent))
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise _no_space(target) from None
        raise
    try:
        with _shared_lock(staging):
            # mkdtemp makes a private (0700) folder; a published site must be readable like any new folder.
            os.chmod(staging, 0o777 & ~_umask())
            build(staging)
            if target.is_dir():
                with _shared_lock(target):  # the old tree, once swapped to the staging name, is ours
                    _swap_in(staging, target)
            else:
                _swap_in(staging, target)
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise _no_space(target) from None
        raise
    finally:
        # After a swap this is the old site; after a failure, the half-built one.
        shutil.rmtree(staging, ignore_errors=True)


# --- the command line runner --------------------------------------------------------------

NO_SPACE_MARKERS = ("No space left on device", "[Errno 28]", "ENOSPC")


def run_command(command: Sequence[str], staging: Path) -> None:
    """Run ``command`` with ``{}`` replaced by ``staging``; a failure raises, ENOSPC named as such."""
    argv = [str(staging) if arg == PLACEHOLDER else arg for arg in command]
    try:
        process = subprocess.Popen(argv, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise UsageError(f"{terminal(argv[0])}: command not found") from None
    assert process.stderr is not None
    no_space = False

    # The command's messages pass through as they come; the runner only watches for a full disk.
    def relay() -> None:
        nonlocal no_space
        assert process.stderr is not None
        for line in iter(process.stderr.readline, b""):
            no_space = no_space or any(marker.encode() in line for marker in NO_SPACE_MARKERS)
            sys.stderr.buffer.write(line)
            sys.stderr.buffer.flush()

    relay_thread = threading.Thread(target=relay, daemon=True)
    relay_thread.start()
    code = process.wait()
    relay_thread.join()
    process.stderr.close()
    if no_space:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if code != 0:
        error = PolicyPressError(f"the build failed ({terminal(argv[0])} exited with {code}): the previous site is unchanged")
        error.exit_code = code if code > 0 else 2
        raise error


USAGE = "usage: python -m policypress.publish --site-dir DIR -- COMMAND... (with {} for the build folder)"


Build = Callable[[Path], None]


def command_line(parse: Callable[[list[str]], tuple[Path, Build]], argv: Sequence[str] | None = None) -> int:
    """A publishing runner's command line: ``parse`` the arguments into the target folder and the build,
    publish; an error is one line on stderr and its exit code (2 for bad arguments)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        target, build = parse(args)
        publish_build(target, build)
    except PolicyPressError as exc:
        print(f"policypress: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


def _parse(args: list[str]) -> tuple[Path, Build]:
    if len(args) < 4 or args[0] != "--site-dir" or args[2] != "--":
        raise UsageError(USAGE)
    target, command = Path(args[1]), args[3:]
    if PLACEHOLDER not in command:
        raise UsageError(f"the command must contain {PLACEHOLDER} where the build folder goes; {USAGE}")
    return target, lambda staging: run_command(command, staging)


def main(argv: Sequence[str] | None = None) -> int:
    return command_line(_parse, argv)


if __name__ == "__main__":
    sys.exit(main())
