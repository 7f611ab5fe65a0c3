"""Reading and judging pages, in this process or split over worker processes, in page order.

Each worker compiles the signatures once (in its initializer) and is sent chunks of page paths;
it reads each page itself (through ``reading.read_bytes``, with all its guarantees) and sends
back what the page holds. The parent folds the results as they arrive, a bounded number of
chunks ahead, so memory does not grow with the site; the order is the pages' order, so the
report is the same, byte for byte, whatever the number of processes.

A vendor found is sent as its (vendor, detector) key, not as the detector with its whole
vendor, and the parent puts its own detector back: less to pickle, and sightings hold the
same objects as in a serial scan.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..trackers.matching import CompiledDetector, Matchers, compile_signatures
from ..trackers.signatures import Signatures
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


def _remembered(matchers: Matchers, root: Path, page: str) -> Result:
    """``scan_one``, remembered in the signatures' memo by the page's bytes (large scans keep nothing:
    their memory stays flat)."""
    data = _read(root, page)
    if isinstance(data, str):
        return data
    digest = hashlib.blake2b(data, digest_size=16).digest()
    return memo_for(matchers).page(page, digest, lambda: parse_page(matchers, page, decode_html(data)))


class _KeyPickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, CompiledDetector):
            return (obj.vendor_id, obj.order)
        return None


class _KeyUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, detectors: dict[tuple[str, int], CompiledDetector]) -> None:
        super().__init__(io.BytesIO(data))
        self._detectors = detectors

    def persistent_load(self, pid: Any) -> CompiledDetector:
        return self._detectors[pid]


def _start(signatures: Signatures) -> None:
    global _matchers
    _matchers = compile_signatures(signatures)


def _scan_chunk(root: str, pages: list[str]) -> bytes:
    assert _matchers is not None, "the pool's initializer compiles the signatures"
    results = [scan_one(_matchers, Path(root), page) for page in pages]
    buffer = io.BytesIO()
    _KeyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(results)
    return buffer.getvalue()


def _detectors(matchers: Matchers) -> dict[tuple[str, int], CompiledDetector]:
    found: dict[tuple[str, int], CompiledDetector] = {}
    for _, compiled in matchers.inline:
        found[(compiled.vendor_id, compiled.order)] = compiled
    for rules in [*matchers.elements_by_tag.values(), *matchers.elements_by_attribute.values()]:
        for rule in rules:
            found[(rule.compiled.vendor_id, rule.compiled.order)] = rule.compiled
    # URL detectors sit inside the URL indexes; the same detector, rebuilt, is equal to theirs.
    for rank, (vendor_id, vendor) in enumerate(matchers.signatures.vendors.items()):
        for order, detector in enumerate(vendor.detect):
            found.setdefault((vendor_id, order), CompiledDetector(vendor_id, vendor, detector, order, rank))
    return found


def _context() -> Any:
    # fork starts a worker in milliseconds, but forking a process with other threads (mkdocs serve's
    # server) can deadlock: then spawn, which imports afresh. Both work: the workers share no state.
    import multiprocessing  # here: a build's scan of a small site never starts a worker

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def scan_pages(matchers: Matchers, root: Path, pages: Sequence[str], jobs: int) -> Iterator[tuple[str, Result]]:
    """(page, result) for each page, in order; ``jobs`` processes (1: this one)."""
    if jobs <= 1 or len(pages) < IN_PROCESS_BELOW:
        read = _remembered if len(pages) < IN_PROCESS_BELOW else scan_one
        for page in pages:
            yield page, read(matchers, root, page)
        return
    from concurrent.futures import ProcessPoolExecutor

    detectors = _detectors(matchers)
    chunks = (list(pages[i : i + CHUNK]) for i in range(0, len(pages), CHUNK))
    workers = min(jobs, -(-len(pages) // CHUNK))
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_start,
                             initargs=(matchers.signatures,)) as pool:
        pending: deque[tuple[list[str], Future[bytes]]] = deque()
        for chunk in chunks:
            pending.append((chunk, pool.submit(_scan_chunk, str(root), chunk)))
            if len(pending) >= workers * AHEAD:
                yield from _fold(pending.popleft(), detectors)
        while pending:
            yield from _fold(pending.popleft(), detectors)


def _fold(done: tuple[list[str], Future[bytes]], detectors: dict[tuple[str, int], CompiledDetector]
          ) -> Iterator[tuple[str, Result]]:
    chunk, future = done
    results: list[Result] = _KeyUnpickler(future.result(), detectors).load()
    yield from zip(chunk, results)
