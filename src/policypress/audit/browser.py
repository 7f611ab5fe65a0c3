"""Headless Chromium through Playwright: Debian's chromium, never a downloaded browser."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..chromium import CHROMIUM_ARGS, chromium_path
from ..errors import AuditTimeout, UsageError

AUDIT_ARGS = (
    # A second wall behind the in-browser interception: host names other than this machine's do not
    # resolve, so even a connection that no route sees (a <link rel=preconnect>) cannot leave.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
    "--dns-prefetch-disable",
)


# Every context we open: a banner that fades in is measured (contrast, axe) once it is drawn, not halfway.
CONTEXT_OPTIONS: dict[str, Any] = {"reduced_motion": "reduce"}
# Every animation and transition that can end has ended. Material's banner keeps its CSS animations
# (0.25 s and 0.5 s) under reduced motion, so the wait is what makes a measurement exact; one that
# never ends (a spinner, iterations: Infinity) is left out. Paused ones do not change either.
ANIMATIONS_DONE = """() => document.getAnimations().every((a) => {
  if (a.playState !== "running" && !a.pending) return true;
  const t = a.effect && a.effect.getComputedTiming ? a.effect.getComputedTiming() : null;
  return !!t && t.iterations === Infinity && a.playState === "running";
})"""
STILL_TIMEOUT_MS = 10_000


def wait_until_still(page: Any, timeout_ms: float = STILL_TIMEOUT_MS) -> None:
    """Return once the page's finite animations and transitions have finished; ``AuditTimeout`` if they
    have not within ``timeout_ms`` (the timeout is kept by Playwright's driver, so a busy page cannot stall it)."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.wait_for_function(ANIMATIONS_DONE, timeout=timeout_ms)
    except PlaywrightError:
        raise AuditTimeout(page.url, timeout_ms / 1000, "its animations were still running", verb="did not settle") from None


_lent = threading.local()  # the browser ``lent`` to this thread, if any


@contextlib.contextmanager
def held(local: threading.local, name: str, value: Any) -> Iterator[None]:
    """``local.name`` is ``value`` inside the block, and what it was before after it (blocks may nest)."""
    outer = getattr(local, name, None)
    setattr(local, name, value)
    try:
        yield
    finally:
        setattr(local, name, outer)


@contextlib.contextmanager
def lent(browser: Any) -> Iterator[None]:
    """Inside the block, every ``launched()`` of this thread uses ``browser`` instead of starting Chromium.

    For many audits in one process through the command line (``policypress.cli.main``): a bench, a test
    suite, a notebook. Launching costs about 2 s of CPU (Playwright's driver and Chromium starting); a
    lent browser is not closed by the audits, each of which still opens a fresh context per scenario.
    A lent browser counts as one given to the API: without ``--jobs`` an audit then runs its scenarios one
    after another in it. Playwright's sync objects belong to the thread that made them, so the loan holds
    for this thread only: the other browsers of ``--jobs N`` are launched (or warm, ``parallel.warm_helpers``).
    """
    with held(_lent, "browser", browser):
        yield


def lent_browser() -> Any | None:
    """The browser ``lent`` to this thread, or None."""
    return getattr(_lent, "browser", None)


@contextlib.contextmanager
def launched(existing: Any | None = None) -> Iterator[Any]:
    """A Playwright ``Browser``: ``existing`` when given, else the one ``lent`` to this thread (the caller
    closes either), else one launched for the block."""
    existing = existing if existing is not None else lent_browser()
    if existing is not None:
        yield existing
        return
    executable = chromium_path()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise UsageError("the audit needs Playwright for Python: install policypress's pinned requirements") from None
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(executable), args=[*CHROMIUM_ARGS, *AUDIT_ARGS], headless=True
            )
        except PlaywrightError as exc:
            first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown error"
            raise UsageError(f"Chromium at {executable} did not start: {first_line}; run `make browser`") from None
        try:
            yield browser
        finally:
            browser.close()
