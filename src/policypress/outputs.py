"""Safe outputs: every file the CLI writes for the user (``-o``, ``--junit``) goes through here.

A target is written to a temporary file in its own folder, flushed to disk and then
renamed onto the target, so a reader never sees half a report and a failed write
(a full disk, an interrupt) leaves the old file exactly as it was.

Only regular files are ever replaced. An existing target that is anything else (a
folder, a device such as ``/dev/null`` or ``/dev/stdout``, a pipe, a socket) is
refused rather than written into: renaming onto it would swap a device node for a
plain file, and writing into it would give up the all-or-nothing promise. Standard
output is reached by leaving out ``-o``. A symbolic link is followed, so the file it
points at is replaced and the link stays a link.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import UsageError
from .escape import terminal


def _umask() -> int:
    # os.umask can only be read by setting it; the CLI is single-threaded, so the
    # moment in between is harmless.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refuse(option: str, path: Path, reason: str) -> UsageError:
    # The path as the user wrote it: they recognise it, and it is what they would fix.
    return UsageError(f"{option} {terminal(path)}: {reason}")


def check_target(path: Path, *, option: str = "-o", make_folder: bool = False) -> Path:
    """The file a write to ``path`` would replace (symbolic links followed), or ``UsageError`` saying why not.

    Called by ``write_output``, and on its own before slow work (a PDF print) so a bad
    target is refused before anything is done.
    """
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _refuse(option, path, f"cannot write the file ({exc.strerror})") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise _refuse(option, path, "is a folder; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise _refuse(
            option, path,
            "is not a regular file (a device, pipe or socket); it is never replaced: "
            "leave out the option to write to standard output",
        )
    if make_folder and not target.parent.exists():
        try:
            target.parent.mkdir(parents=True)
        except OSError as exc:
            raise _refuse(option, path, f"cannot create its folder ({exc.strerror})") from None
    if not target.parent.is_dir():
        raise _refuse(option, path, f"the folder {terminal(path.parent)} does not exist")
    return target


def write_output(path: Path, content: str | bytes, *, option: str = "-o", make_folder: bool = False) -> None:
    """Write ``content`` (text is UTF-8) to ``path`` atomically, or raise ``UsageError`` saying why not.

    ``option`` names the option the path came from, for the message (``-o``, ``--junit``).
    ``make_folder`` creates missing folders on the way (CI report paths such as reports/scan.xml).
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    target = check_target(path, option=option, make_folder=make_folder)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise _refuse(option, path, f"cannot write the file ({exc.strerror})") from None
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise _refuse(option, path, f"cannot write the file ({exc.strerror or exc})") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
