"""A time limit on each step in the browser that a page cannot stall.

Playwright's sync calls that run in the page (``evaluate``, axe) have no timeout of their own,
and a script that busy-loops keeps the renderer from ever answering them: the call would wait
forever. The explicit waits (navigation, load, clicks) are given the time left of the budget;
behind them, a timer thread closes the browser context when a step overruns, which makes the
blocked call fail at once (the browser process, not the busy renderer, disposes of the context).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

from ..errors import AuditTimeout

BUSY = "a script keeps the page's main thread busy"
NOT_LOADED = "the page never finished loading"
# The explicit waits end this long before the budget, so that their clearer message wins the race
# with the watchdog; the watchdog fires this long after it, as a backstop.
HEADROOM_S = 0.5
GRACE_S = 1.0
# How long a page's main thread may take to run a trivial script before we call it busy.
PROBE_MS = 1000


def close_from_another_thread(context: Any, reason: str) -> None:
    """Close a Playwright (sync API) ``BrowserContext`` from a thread other than its own.

    The sync objects are not thread-safe, but while the owning thread waits in a call, Playwright's
    event loop runs: the close is scheduled on that loop. (``_impl_obj`` and ``_loop`` are
    Playwright's internals; there is no public way to cancel a pending call.)
    """
    impl = getattr(context, "_impl_obj", None)
    loop = getattr(impl, "_loop", None)
    if impl is None or loop is None:
        return
    try:
        loop.call_soon_threadsafe(lambda: loop.create_task(impl.close(reason)))
    except RuntimeError:
        pass  # the loop is closed: so is the context


class Watchdog:
    """One step at a time (``with watchdog.step(url):``), each within ``seconds``."""

    def __init__(self, context: Any, seconds: float) -> None:
        self.context = context
        self.seconds = seconds
        self.fired = False
        self._lock = threading.Lock()
        self._active = False
        self._deadline = 0.0
        self._url = ""

    def remaining_ms(self) -> float:
        """What an explicit wait may take of the current step's budget (at least 1 ms)."""
        if not self._active:
            return self.seconds * 1000
        return max(1.0, (self._deadline - time.monotonic() - HEADROOM_S) * 1000)

    def timeout(self, url: str, reason: str, verb: str = "did not respond") -> AuditTimeout:
        return AuditTimeout(url, self.seconds, reason, verb=verb)

    @contextlib.contextmanager
    def step(self, url: str) -> Iterator[None]:
        if self._active:  # a step inside a step shares its budget
            yield
            return
        with self._lock:
            self._active, self._url = True, url
            self._deadline = time.monotonic() + self.seconds
        timer = threading.Timer(self.seconds + GRACE_S, self._fire)
        timer.daemon = True
        timer.start()
        try:
            yield
        except AuditTimeout:
            raise
        except Exception:
            if self.fired:  # the call that was blocked failed because we closed the context
                raise self.timeout(url, BUSY) from None
            raise
        finally:
            timer.cancel()
            with self._lock:
                self._active = False
        if self.fired:  # an error swallowed on the way (a frame we could not read): still a timeout
            raise self.timeout(url, BUSY)

    def _fire(self) -> None:
        with self._lock:
            if not self._active or self.fired:
                return  # the step ended as the timer went off
            self.fired = True
        close_from_another_thread(
            self.context, f"policypress: {self._url} did not respond within {self.seconds:g} s"
        )


def probe_busy(page: Any) -> bool:
    """Whether the page's main thread is too busy to run a trivial script within ``PROBE_MS``."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        # wait_for_function's timeout is kept by Playwright's driver, not the page: it fires even
        # when the renderer never answers (evaluate would wait forever).
        page.wait_for_function("() => true", timeout=PROBE_MS)
    except PlaywrightError:
        return True
    return False
