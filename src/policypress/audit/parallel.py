"""Work items in parallel browser contexts, with results in the order of the items whatever the parallelism.

Playwright's sync API belongs to the thread that started it: its objects must not be used from
another thread. So each worker has its own thread, its own Playwright and its own Chromium; the
calling thread is the first worker and uses the browser it was given. Items are handed out in
their order, one at a time, to whichever worker is free; each result lands in its item's place.

Used for the scenarios of an audit (``ScenarioRunner.run_all``) and meant for pages as well:
``run_parallel(items, work, jobs=N, browser=b)`` with ``work(browser, item)``.
"""

from __future__ import annotations

import contextlib
import os
import queue as queues
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast

from ..errors import UsageError
from .browser import held, launched, lent_browser

Item = TypeVar("Item")
Result = TypeVar("Result")

# The five scenarios of an audit are its widest parallelism.
MAX_SCENARIO_JOBS = 5


def default_jobs(limit: int = MAX_SCENARIO_JOBS) -> int:
    """The number of CPUs, at most ``limit``: each worker is a Chromium of its own."""
    return max(1, min(os.cpu_count() or 1, limit))


def check_jobs(jobs: int | None, limit: int = MAX_SCENARIO_JOBS) -> int:
    """``jobs`` as given (None: ``default_jobs``), or a usage error (exit 2) when it is not at least 1."""
    if jobs is None:
        return default_jobs(limit)
    if jobs < 1:
        raise UsageError(f"the number of parallel browsers (--jobs) must be at least 1, not {jobs}")
    return jobs


def jobs_with(jobs: int | None, browser: Any | None) -> int:
    """``check_jobs(jobs)``, where a browser given (or ``lent`` to this thread) makes the default 1: the others
    would be launched beside it, which whoever handed it over set out to avoid."""
    if jobs is None and (browser is not None or lent_browser() is not None):
        return 1
    return check_jobs(jobs)


class _Queue(Generic[Item, Result]):
    """The items left, the results so far and the first failure; shared by the workers under one lock."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items = list(items)
        self.results: list[Result | None] = [None] * len(self.items)
        self.errors: dict[int, BaseException] = {}
        self._next = 0
        self._lock = threading.Lock()

    def take(self) -> int | None:
        with self._lock:
            if self.errors or self._next >= len(self.items):
                return None  # after a failure no new item starts: the run ends as a sequential one would
            index, self._next = self._next, self._next + 1
            return index

    def fail(self, index: int, exc: BaseException) -> None:
        with self._lock:
            self.errors[index] = exc


def _work_through(queue: _Queue[Item, Result], work: Callable[[Any, Item], Result], browser: Any) -> None:
    while (index := queue.take()) is not None:
        try:
            queue.results[index] = work(browser, queue.items[index])
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread, which raises it
            queue.fail(index, exc)
            return


class _Helper:
    """A thread that owns a Playwright and a Chromium for as long as it lives, and runs what it is handed."""

    def __init__(self, number: int) -> None:
        self._tasks: queues.Queue[Callable[[Any], None] | None] = queues.Queue()
        self._ready = threading.Event()
        self._failed = False
        self._thread = threading.Thread(target=self._live, name=f"policypress-audit-warm-{number}", daemon=True)
        self._thread.start()

    def _live(self) -> None:
        try:
            with launched(None) as own:
                self._ready.set()
                while (task := self._tasks.get()) is not None:
                    task(own)
        except Exception:  # noqa: BLE001 - a helper that cannot start only leaves its share to the others
            self._failed = True
        finally:
            self._ready.set()

    def usable(self) -> bool:
        self._ready.wait()
        return not self._failed and self._thread.is_alive()

    def hand(self, task: Callable[[Any], None]) -> threading.Event:
        done = threading.Event()

        def run(own: Any) -> None:
            try:
                task(own)
            finally:
                done.set()
        self._tasks.put(run)
        return done

    def close(self) -> None:
        self._tasks.put(None)
        self._thread.join()


_warm = threading.local()  # the calling thread's warm helpers (``warm_helpers``), used by run_parallel


@contextlib.contextmanager
def warm_helpers(count: int) -> Iterator[None]:
    """Launch ``count`` helper browsers once, for every ``run_parallel`` of this thread inside the block.

    Without it each run launches its helpers' Chromium anew (0.5 s or more each); many audits in one
    process (a bench, the tests) keep theirs. They are launched side by side, and the block begins once
    they have started (a helper that could not start is left out), so no audit inside pays for a launch.
    """
    helpers = [_Helper(n) for n in range(1, count + 1)]
    for helper in helpers:
        helper.usable()
    try:
        with held(_warm, "helpers", helpers):
            yield
    finally:
        for helper in helpers:
            helper.close()


def run_parallel(items: Sequence[Item], work: Callable[[Any, Item], Result], *, jobs: int,
                 browser: Any) -> list[Result]:
    """``work(browser, item)`` for every item, on at most ``jobs`` workers; the results in the order of ``items``.

    The calling thread works with ``browser``; every other worker is a warm helper (``warm_helpers``) or
    launches Debian's Chromium with the audit's switches (``browser.launched``) in a thread of its own. When an item fails, no new item
    starts, the workers finish the ones under way, and the failure of the earliest item is raised.
    """
    queue: _Queue[Item, Result] = _Queue(items)
    workers = max(1, min(jobs, len(queue.items)))

    def helper() -> None:
        try:
            with launched(None) as own:
                _work_through(queue, work, own)
        except Exception:  # noqa: BLE001 - its items' failures are in the queue already
            # Only starting or closing its own browser can fail here: the other workers take the items.
            return

    warm = [h for h in (getattr(_warm, "helpers", None) or ())[: workers - 1] if h.usable()]
    handed = [h.hand(lambda own: _work_through(queue, work, own)) for h in warm]
    threads = [threading.Thread(target=helper, name=f"policypress-audit-{n}", daemon=True)
               for n in range(1 + len(warm), workers)]
    for thread in threads:
        thread.start()
    try:
        _work_through(queue, work, browser)
    finally:
        for thread in threads:
            thread.join()
        for done in handed:
            done.wait()
    if queue.errors:
        raise queue.errors[min(queue.errors)]
    return [cast(Result, result) for result in queue.results]  # every item has its result when none failed
