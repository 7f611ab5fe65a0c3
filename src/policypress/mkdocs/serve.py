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
MKDOCS_POLL_SECONDS = 0.5
# A poll stats every file of its tree each time: up to this many entries every POLL_SECONDS costs a
# few per cent of a core; a larger tree is polled at MkDocs' own pace.
PROMPT_POLL_ENTRIES = 2_000
# How long after the last event a save counts as done (MkDocs' own: 0.1 s). An editor's save is a
# truncate, a write and a close (or a write and a rename) within a millisecond or two.
EVENT_QUIET_SECONDS = 0.02
# File systems whose inotify events include changes made by any process: a local disk, tmpfs, a
# container's overlay. Not so on network and shared folders (NFS, SMB, 9p and drvfs under WSL,
# virtiofs and FUSE under Docker Desktop), where an edit on the other side sends no event: there,
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


def _mounts() -> str:
    if not sys.platform.startswith("linux"):
        return ""  # macOS and Windows: MkDocs' polling
    try:
        return MOUNTINFO.read_text(encoding="utf-8", errors="surrogateescape")
    except OSError:
        return ""


def _tree(path: str) -> tuple[bool, int]:
    """(no symbolic link at or under ``path``, how many entries it holds), looked at once when watched.
    inotify does not follow a link (an edit of its target sends no event to the link's folder)."""
    if os.path.islink(path):
        return False, 1
    plain, entries, pending = True, 0, [path] if os.path.isdir(path) else []
    while pending:
        try:
            with os.scandir(pending.pop()) as found:
                for entry in found:
                    entries += 1
                    if entry.is_symlink():
                        plain = False
                    elif entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
        except OSError:
            continue  # gone or unreadable: as the poll would see it
    return plain, max(entries, 1)


def poll_seconds(entries: int) -> float:
    return POLL_SECONDS if entries <= PROMPT_POLL_ENTRIES else MKDOCS_POLL_SECONDS


def _observer() -> BaseObserver:
    """An inotify observer (Linux only; OSError when the user has no inotify instance left)."""
    from watchdog.events import FileClosedNoWriteEvent, FileOpenedEvent, FileSystemEventHandler
    from watchdog.observers.inotify import InotifyObserver
    from watchdog.observers.polling import PollingObserver

    class Changes(FileSystemEventHandler):
        """Passes on the events of a change, not those of a read."""

        def __init__(self, handler: FileSystemEventHandler) -> None:
            self.handler = handler

        def dispatch(self, event: FileSystemEvent) -> None:
            if not isinstance(event, (FileOpenedEvent, FileClosedNoWriteEvent)):
                self.handler.dispatch(event)

    class KernelObserver(InotifyObserver):
        """inotify for each path on a local file system without links, with the events a rebuild is
        for: MkDocs rebuilds on any event of a file, and inotify also reports a file opened for
        reading (every build, reading policy_data/, would start the next; not schedule's own
        event_filter: two watches of one folder share one inotify watch, and its filter). Any
        other path, and one inotify has no watch left for, gets a stat poll of its own."""

        def __init__(self) -> None:
            super().__init__()
            self.mounts = _mounts()
            self.polls: dict[ObservedWatch, PollingObserver] = {}

        def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *, recursive: bool = False,
                     event_filter: list[type[FileSystemEvent]] | None = None,
                     follow_symlink: bool = False) -> ObservedWatch:
            plain, entries = _tree(str(path))
            if plain and filesystem_type(os.path.realpath(path), self.mounts) in KERNEL_EVENTS:
                try:
                    return super().schedule(Changes(event_handler), path, recursive=recursive,
                                            event_filter=event_filter, follow_symlink=follow_symlink)
                except OSError:  # once running, a watch is added at once: out of inotify watches
                    pass
            poll = PollingObserver(timeout=poll_seconds(entries))
            watch = poll.schedule(event_handler, path, recursive=recursive, event_filter=event_filter,
                                  follow_symlink=follow_symlink)
            self.polls[watch] = poll
            if self.is_alive():
                poll.start()
            return watch

        def unschedule(self, watch: ObservedWatch) -> None:
            poll = self.polls.pop(watch, None)
            if poll is None:
                super().unschedule(watch)
            elif poll.is_alive():
                poll.stop()

        def start(self) -> None:
            if self.is_alive():
                return  # watch_promptly starts it, to see inotify's errors there; MkDocs' serve() again
            super().start()
            for poll in self.polls.values():
                poll.start()

        def stop(self) -> None:
            for poll in self.polls.values():
                if poll.is_alive():
                    poll.stop()
            super().stop()  # also when never started: its inotify thread and descriptor are closed

        def join(self, timeout: float | None = None) -> None:
            for poll in self.polls.values():
                if poll.is_alive():
                    poll.join(timeout)
            if self.is_alive():
                super().join(timeout)

    return KernelObserver()


def watch_promptly(server: LiveReloadServer) -> None:
    """MkDocs looks for changes every 0.5 s and then waits 0.1 s for more: a save waits 0.35 s on
    average before its rebuild starts, most of the 0.5 s a data change may take to show. On Linux,
    the kernel's events (inotify) tell at once where they can be relied on, with nothing done while
    nothing changes; elsewhere a stat of each watched file every POLL_SECONDS (MkDocs' pace for a
    large tree). The watched paths (data, docs, config) are moved over with MkDocs' own
    watch()/unwatch(), and the observer is started here, so that inotify's errors fall back to the
    poll instead of stopping the server; a server of another shape keeps its observer."""
    from watchdog.observers.polling import PollingObserver

    watched = getattr(server, "_watched_paths", None)  # MkDocs' record of watch() calls; no public one
    if not isinstance(watched, dict) or not isinstance(server.observer, PollingObserver) or server.observer.is_alive():
        return
    paths = dict(watched)
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    if sys.platform.startswith("linux"):
        try:
            observer = _observer()
        except OSError:  # no inotify instance left (fs.inotify.max_user_instances)
            observer = None
        if observer is not None:
            server.observer = observer  # type: ignore[assignment]  # MkDocs annotates its own class
            try:
                _watch_all(server, paths)
                observer.start()  # inotify adds its watches now (fs.inotify.max_user_watches)
                polled = bool(getattr(observer, "polls", None))
                server.build_delay = POLL_SECONDS if polled else EVENT_QUIET_SECONDS
                return
            except OSError:
                observer.stop()
                # MkDocs' records of the watches start afresh, for the poll.
                watched.clear()
                refs = getattr(server, "_watch_refs", None)
                if isinstance(refs, dict):
                    refs.clear()
    server.observer = PollingObserver(timeout=poll_seconds(sum(_tree(path)[1] for path in paths)))
    _watch_all(server, paths)
    if server.observer.timeout == POLL_SECONDS:
        server.build_delay = POLL_SECONDS  # a save seen in one poll and finished in the next is one rebuild


def _watch_all(server: LiveReloadServer, paths: dict[str, int]) -> None:
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
