"""`mkdocs serve` as `make serve` runs it: prompt change events, and what the last build wrote.

MkDocs' serve plumbing has no public hook for its observer: it is replaced through MkDocs' own
watch()/unwatch(). (A dirty build's ``is_modified()`` of our pages: generated.py.)
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a build imports this module; only `mkdocs serve` needs MkDocs' server and watchdog (50 ms)
    from mkdocs.livereload import LiveReloadServer
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers.api import BaseObserver, ObservedWatch

# How often `mkdocs serve` looks for a saved change where the kernel cannot tell (MkDocs' own: 0.5 s).
POLL_SECONDS = 0.05
# How long after the last event a save counts as done (MkDocs' own: 0.1 s). An editor's save is a
# truncate, a write and a close (or a write and a rename) within a millisecond or two.
EVENT_QUIET_SECONDS = 0.02
# File systems whose inotify events include changes made by any process: a local disk, tmpfs, a
# container's overlay. Not so on network and shared folders (NFS, SMB, 9p and drvfs under WSL,
# virtiofs and FUSE under Docker Desktop), where an edit on the host side sends no event: there,
# the stat poll stays.
KERNEL_EVENTS = frozenset({"ext2", "ext3", "ext4", "xfs", "btrfs", "bcachefs", "f2fs", "jfs", "reiserfs",
                           "zfs", "tmpfs", "overlay"})
MOUNTINFO = Path("/proc/self/mountinfo")


@dataclass(frozen=True)
class Written:
    """What the last finished build wrote: its site folder and the digest of each generated page."""

    site_dir: str
    digests: dict[str, str]


def filesystem_type(path: str, mountinfo: str) -> str | None:
    """The type of the file system ``path`` (absolute, symlinks resolved) is on, from the text of
    /proc/self/mountinfo: its longest mount point that holds the path."""
    best: tuple[int, str] | None = None
    for line in mountinfo.splitlines():
        fields, _, rest = line.partition(" - ")
        parts = fields.split()
        if len(parts) < 5 or not rest:
            continue
        # Mount points write space, tab, newline and backslash as octal escapes (\040).
        point = parts[4].encode("latin-1", "backslashreplace").decode("unicode_escape")
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), rest.split()[0])
    return best[1] if best else None


def kernel_tells(paths: list[str], mountinfo: Path | None = None) -> bool:
    """True when every watched path is on a file system whose inotify events can be relied on."""
    if not sys.platform.startswith("linux"):
        return False  # macOS and Windows: MkDocs' polling, as it chose
    try:
        text = (mountinfo or MOUNTINFO).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return False
    return all(filesystem_type(os.path.realpath(path), text) in KERNEL_EVENTS for path in paths)


def _changes_only() -> BaseObserver:
    from watchdog.events import FileClosedNoWriteEvent, FileOpenedEvent, FileSystemEventHandler
    from watchdog.observers.inotify import InotifyObserver  # Linux only

    class Changes(FileSystemEventHandler):
        """Passes on the events of a change, not those of a read."""

        def __init__(self, handler: FileSystemEventHandler) -> None:
            self.handler = handler

        def dispatch(self, event: FileSystemEvent) -> None:
            if not isinstance(event, (FileOpenedEvent, FileClosedNoWriteEvent)):
                self.handler.dispatch(event)

    class ChangesObserver(InotifyObserver):
        """inotify, with the events a rebuild is for. MkDocs rebuilds on any event of a file, and
        inotify also reports a file opened for reading: every build, reading policy_data/, would
        start the next. (Not schedule's own event_filter: two watches of one folder share one
        inotify watch, and its filter.)"""

        def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False,
                     event_filter: list[type[FileSystemEvent]] | None = None,
                     follow_symlink: bool = False) -> ObservedWatch:
            return super().schedule(Changes(event_handler), path, recursive=recursive, event_filter=event_filter,
                                    follow_symlink=follow_symlink)

    return ChangesObserver()


def watch_promptly(server: LiveReloadServer) -> None:
    """MkDocs looks for changes every 0.5 s and then waits 0.1 s for more: a save waits 0.35 s on
    average before its rebuild starts, most of the 0.5 s a data change may take to show. On a
    local disk the kernel's events (inotify) tell at once, with nothing done while nothing
    changes; elsewhere a stat of each watched file every POLL_SECONDS. The watched paths (data,
    docs, config) are moved over with MkDocs' own watch()/unwatch(); a server of another shape
    keeps its observer."""
    from watchdog.observers.polling import PollingObserver

    watched = getattr(server, "_watched_paths", None)  # MkDocs' record of watch() calls; no public one
    if not isinstance(watched, dict) or not isinstance(server.observer, PollingObserver) or server.observer.is_alive():
        return
    paths = dict(watched)
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    if kernel_tells(list(paths)):
        try:
            server.observer = _changes_only()  # type: ignore[assignment]  # MkDocs annotates its own class
            _watch_all(server, paths)
            server.build_delay = EVENT_QUIET_SECONDS
            return
        except OSError:  # out of inotify watches or instances (fs.inotify.max_user_*), a path gone: poll
            # MkDocs counted the path that failed without keeping its watch: its records start afresh.
            server.observer.unschedule_all()
            watched.clear()
            refs = getattr(server, "_watch_refs", None)
            if isinstance(refs, dict):
                refs.clear()
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    _watch_all(server, paths)
    server.build_delay = POLL_SECONDS  # a save seen in one poll and finished in the next is one rebuild


def _watch_all(server: LiveReloadServer, paths: dict[str, int]) -> None:
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
