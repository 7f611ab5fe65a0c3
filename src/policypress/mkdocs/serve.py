"""`mkdocs serve` as `make serve` runs it: prompt polling, and what the last build wrote.

MkDocs' serve plumbing has no public hook for polling: the polling observer is replaced through
MkDocs' own watch()/unwatch(). (A dirty build's ``is_modified()`` of our pages: generated.py.)
"""

from __future__ import annotations

from dataclasses import dataclass

from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver

# How often `mkdocs serve` looks for a saved change (MkDocs' own: 0.5 s).
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Written:
    """What the last finished build wrote: its site folder and the digest of each generated page."""

    site_dir: str
    digests: dict[str, str]


def poll_promptly(server: LiveReloadServer) -> None:
    """MkDocs looks for changes every 0.5 s and then waits 0.1 s for more: a save waits 0.35 s on
    average before its rebuild starts, most of the 0.5 s a data change may take to show. Polling
    every POLL_SECONDS (a stat of each watched file: data, docs, config) cuts that to tens of ms,
    with no system limit to run into (as inotify watches would). The watched paths are moved over
    with MkDocs' own watch()/unwatch(); a server of another shape keeps its observer."""
    watched = getattr(server, "_watched_paths", None)  # MkDocs' record of watch() calls; no public one
    if not isinstance(watched, dict) or not isinstance(server.observer, PollingObserver) or server.observer.is_alive():
        return
    paths = dict(watched)
    for path, count in paths.items():
        for _ in range(count):
            server.unwatch(path)
    server.observer = PollingObserver(timeout=POLL_SECONDS)
    for path, count in paths.items():
        for _ in range(count):
            server.watch(path)
    # A save seen in one poll and finished in the next is still one rebuild.
    server.build_delay = POLL_SECONDS
