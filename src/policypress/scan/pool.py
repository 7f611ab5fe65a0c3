"""Reading and judging pages, in this process or split over worker processes, in page order.

Each worker compiles the signatures once (in its initializer) and is sent chunks of page paths;
it reads each page itself (through ``reading.read_bytes``, with all its guarantees) and sends
back what the page holds. The parent folds the results as they arrive, a bounded number of
chunks ahead, so memory does not grow with the site; the order is the pages' order, so the
report is the same, byte for byte, whatever the number of processes.

A vendor found is sent as its (vendor, detector) key, not as the detector with its whole
vendor, and the parent puts its own detector back: less to pickle, and sightings hold the
same objects as in a serial scan. A build's scan also has a ledger (ledger.py): pages whose
bytes it knows from an earlier build are not read again, in this process or in a worker.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..trackers.matching import CompiledDetector, Matchers, compile_signatures
from ..trackers.signatures import Signatures
from .ledger import Ledger, detectors_of, digest_of, dump, load
from .memo import memo_for
from .page import PageFindings, parse_page
from .reading import MAX_PAGE_BYTES, SkippedFile, decode_html, read_bytes

if TYPE_CHECKING:
    from concurrent.futures import Future

# Below this many pages, starting processes costs more than it saves: the 206 pages of a site with 50
# releases took 0.45 s in one process and 0.40 s with two, which cost 0.68 s of CPU against 0.45 s.
IN_PROCESS_BELOW = 300
CHUNK = 50  # pages per task: big enough that pickling is cheap, small enough to keep both cores busy
AHEAD = 4  # chunks in flight per process: enough to hide the fold, bounded so memory stays flat

# A page's result: what it holds, or why it was not read.
Result = PageFindings | str

_matchers: Matchers | None = None  # a worker's own, compiled once by _start


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _read(root: Path, page: str) -> bytes | str:
    """The page's bytes, or why it is not read."""
    try:
        return read_bytes(root / page, root, MAX_PAGE_BYTES)
    except SkippedFile as exc:
        return str(exc)


def scan_one(matchers: Matchers, root: Path, page: str) -> Result:
    data = _read(root, page)
    return data if isinstance(data, str) else parse_page(matchers, page, decode_html(data))


def _remembered(matchers: Matchers, root: Path, page: str, ledger: Ledger | None, in_memory: bool) -> Result:
    """``scan_one``, remembered by the page's bytes in the ``ledger`` and, ``in_memory``, in the
    signatures' memo (a large scan keeps nothing in memory: its memory stays flat)."""
    data = _read(root, page)
    if isinstance(data, str):
        return data
    digest = digest_of(data)
    if not in_memory:
        return _ledgered(matchers, page, data, digest, ledger)
    return memo_for(matchers).page(page, digest, lambda: _ledgered(matchers, page, data, digest, ledger))


def _ledgered(matchers: Matchers, page: str, data: bytes, digest: bytes, ledger: Ledger | None) -> PageFindings:
    found = ledger.get(page, digest) if ledger is not None else None
    if found is None:
        found = parse_page(matchers, page, decode_html(data))
        if ledger is not None:
            ledger.put(page, digest, dump(found))
    return found


def _start(signatures: Signatures) -> None:
    global _matchers
    _matchers = compile_signatures(signatures)


def _scan_chunk(root: str, pages: list[str]) -> list[bytes | str]:
    """Each page's ``dump`` (what the ledger keeps), or why it was not read."""
    assert _matchers is not None, "the pool's initializer compiles the signatures"
    results = [scan_one(_matchers, Path(root), page) for page in pages]
    return [found if isinstance(found, str) else dump(found) for found in results]


def _context() -> Any:
    # fork starts a worker in milliseconds, but forking a process with other threads (mkdocs serve's
    # server) can deadlock: then spawn, which imports afresh. Both work: the workers share no state.
    import multiprocessing  # here: a build's scan of a small site never starts a worker

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def scan_pages(matchers: Matchers, root: Path, pages: Sequence[str], jobs: int,
               ledger: Ledger | None = None) -> Iterator[tuple[str, Result]]:
    """(page, result) for each page, in order; ``jobs`` processes (1: this one). ``ledger``: the
    results of earlier scans, by the pages' bytes (see ledger.py); this scan's are put in it."""
    small = len(pages) < IN_PROCESS_BELOW
    if jobs <= 1 or small:
        for page in pages:
            yield page, (_remembered(matchers, root, page, ledger, small) if small or ledger is not None
                         else scan_one(matchers, root, page))
        return
    from concurrent.futures import ProcessPoolExecutor

    detectors = ledger.detectors if ledger is not None else detectors_of(matchers)
    workers = min(jobs, -(-len(pages) // CHUNK))
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start,
                             initargs=(matchers.signatures,)) as pool:
        pending: deque[_Chunk] = deque()
        for chunk in _chunks(root, pages, ledger):
            if chunk.misses:
                chunk.future = pool.submit(_scan_chunk, str(root), chunk.misses)
            pending.append(chunk)
            if len(pending) >= workers * AHEAD:
                yield from pending.popleft().results(detectors, ledger)
        while pending:
            yield from pending.popleft().results(detectors, ledger)


class _Chunk:
    """Up to ``CHUNK`` pages in order: those the ledger knows, and the misses a worker reads."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, PageFindings | bytes | None]] = []  # (page, known findings or its digest)
        self.misses: list[str] = []
        self.future: Future[list[bytes | str]] | None = None

    def results(self, detectors: dict[tuple[str, int], CompiledDetector], ledger: Ledger | None
                ) -> Iterator[tuple[str, Result]]:
        read = iter(self.future.result() if self.future is not None else ())
        for page, known in self.pages:
            if isinstance(known, PageFindings):
                yield page, known
                continue
            data = next(read)
            if isinstance(data, str):
                yield page, data
                continue
            if ledger is not None and known is not None:
                ledger.put(page, known, data)
            yield page, load(data, detectors)


def _chunks(root: Path, pages: Sequence[str], ledger: Ledger | None) -> Iterator[_Chunk]:
    """The pages in chunks of ``CHUNK`` misses; with a ledger, this process reads each page's bytes for
    its digest, and a page the ledger knows is not sent to a worker."""
    chunk = _Chunk()
    for page in pages:
        known: PageFindings | bytes | None = None
        if ledger is not None:
            data = _read(root, page)
            if not isinstance(data, str):
                digest = digest_of(data)
                found = ledger.get(page, digest)
                known = digest if found is None else found
        chunk.pages.append((page, known))
        if not isinstance(known, PageFindings):
            chunk.misses.append(page)
        if len(chunk.misses) >= CHUNK:
            yield chunk
            chunk = _Chunk()
    if chunk.pages:
        yield chunk
