"""The audit cannot hang: a page that busy-loops, never finishes loading or is not served at all
ends the run quickly, with a message that says which, exit code 2, and no browser left running.

The time limit is set to 3 s here, so each case takes a few seconds; the bound asserted is the
limit plus the probe, the watchdog's grace and launching or closing Chromium.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

from policypress.audit import Timing, audit_site, auditor
from policypress.audit.browser import launched as auditor_launched
from policypress.errors import AuditTimeout, PolicyPressError, UsageError
from policypress.loader import load_policy

pytestmark = pytest.mark.browser

AUDIT_SITES = ROOT / "tests" / "fixtures" / "audit-sites"
LIMIT = 3.0
TIMING = Timing(page_timeout=LIMIT)
# The limit, then up to 1 s of probing and 1 s of grace before the watchdog closes the context.
WALL_BOUND = LIMIT + 4.0
# Launching our own Chromium (and closing it) costs a few seconds more on a loaded machine.
LAUNCH_BOUND = WALL_BOUND + 8.0


@pytest.fixture(scope="module")
def policy() -> Any:
    return load_policy(AUDIT_SITES / "compliant" / "policy_data")


class _HoldingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; a request under /hold/ gets its headers and then nothing, until released."""

    release: threading.Event

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        if not self.path.startswith("/hold/"):
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/javascript")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"// ")
        self.wfile.flush()
        self.release.wait(60)  # the rest never comes while the test runs


@contextlib.contextmanager
def holding_server(root: Path) -> Iterator[str]:
    release = threading.Event()
    handler = functools.partial(type("Handler", (_HoldingHandler,), {"release": release}), directory=str(root))
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler) as httpd:
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            release.set()
            httpd.shutdown()


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        thread.join(5)
        for connection in accepted:
            connection.close()
        listener.close()


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid``, read from /proc (children files list direct children)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = list(Path(f"/proc/{parent}/task").iterdir())
        except OSError:
            continue  # it ended while we looked (a renderer of another test's browser closing, say)
        for task in tasks:
            with contextlib.suppress(OSError):
                for child in (task / "children").read_text().split():
                    if int(child) not in found:
                        found.add(int(child))
                        todo.append(int(child))
    return found


def _our_chromiums() -> set[int]:
    result = set()
    for pid in _descendants(os.getpid()):
        with contextlib.suppress(OSError):
            if b"chrom" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]:
                result.add(pid)
    return result


def _timed_out(target: str | Path, policy: Any, browser: Any | None, **options: Any) -> tuple[AuditTimeout, float]:
    started = time.monotonic()
    with pytest.raises(AuditTimeout) as caught:
        audit_site(target, policy, scenarios=["before-consent"], timing=TIMING, browser=browser, **options)
    return caught.value, time.monotonic() - started


def test_a_page_that_busy_loops_while_loading(browser: Any, policy: Any) -> None:
    error, seconds = _timed_out(AUDIT_SITES / "busy-loop" / "pages", policy, browser)
    assert str(error).startswith("http://127.0.0.1:")
    assert str(error).endswith("/ did not respond within 3 s: a script keeps the page's main thread busy")
    assert error.exit_code == 2 and isinstance(error, PolicyPressError)
    assert seconds < WALL_BOUND, seconds
    assert browser.is_connected()  # only the context was closed: the caller's browser still works


def test_a_page_that_busy_loops_after_loading_is_stopped_by_the_watchdog(browser: Any, policy: Any) -> None:
    # Loading ends; reading the page's storage then waits for a script that never returns.
    error, seconds = _timed_out(AUDIT_SITES / "busy-after-load" / "pages", policy, browser)
    assert str(error).endswith("/ did not respond within 3 s: a script keeps the page's main thread busy")
    assert error.exit_code == 2
    assert seconds < WALL_BOUND, seconds
    assert browser.is_connected()


def test_a_page_that_never_finishes_loading(browser: Any, policy: Any) -> None:
    with holding_server(AUDIT_SITES / "never-loads" / "pages") as url:
        error, seconds = _timed_out(url, policy, browser, pages=["/"])
    assert str(error) == (
        f"{url} did not finish loading within 3 s: the request for {url}hold/forever.js was still unanswered"
    )
    assert error.exit_code == 2
    assert seconds < WALL_BOUND, seconds


def test_a_server_that_accepts_and_never_answers(browser: Any, policy: Any) -> None:
    with silent_server() as url:
        error, seconds = _timed_out(url, policy, browser, pages=["/"])
    assert str(error) == f"{url} did not answer within 3 s: the server accepted the connection but sent no answer"
    assert seconds < WALL_BOUND, seconds


def test_nothing_served_there_is_told_apart_from_a_timeout(browser: Any, policy: Any) -> None:
    with socket.socket() as probe:  # a port nothing listens on: bound, never listening
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/"
        started = time.monotonic()
        with pytest.raises(UsageError) as caught:
            audit_site(url, policy, scenarios=["before-consent"], pages=["/"], timing=TIMING, browser=browser)
        seconds = time.monotonic() - started
    message = str(caught.value)
    assert message.startswith(f"{url}: no page could be loaded (/: nothing is served there (")
    assert "ERR_CONNECTION_REFUSED" in message and message.endswith("is the site served there?")
    assert "within" not in message and caught.value.exit_code == 2
    assert seconds < LIMIT, seconds


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_our_own_browser_is_closed_after_a_timeout(policy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _our_chromiums()
    launched: set[int] = set()

    @contextlib.contextmanager
    def recording(existing: Any | None = None) -> Iterator[Any]:
        with auditor_launched(existing) as chromium:
            launched.update(_our_chromiums() - before)  # the browser's processes, while it runs
            yield chromium

    monkeypatch.setattr(auditor, "launched", recording)
    # In a thread of its own: the suite's browser keeps Playwright's loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        error, seconds = pool.submit(_timed_out, AUDIT_SITES / "busy-after-load" / "pages", policy, None).result()
    assert "a script keeps the page's main thread busy" in str(error)
    assert seconds < LAUNCH_BOUND, seconds
    assert launched, "no Chromium process of ours was seen while the audit ran"
    # Orphans would no longer be our descendants: look them up by pid.
    assert [pid for pid in launched if _alive(pid)] == []


def test_the_time_limit_must_be_positive(policy: Any) -> None:
    with pytest.raises(UsageError, match=r"--page-timeout\) must be more than 0 seconds, not 0"):
        audit_site(AUDIT_SITES / "compliant" / "pages", policy, timing=Timing(page_timeout=0))


def test_a_normal_site_passes_within_the_low_limit(browser: Any) -> None:
    # The limit bounds each page, not the run: a compliant site is unaffected by a low one.
    site = AUDIT_SITES / "compliant"
    report = audit_site(site / "pages", load_policy(site / "policy_data"), scenarios=["before-consent", "gpc"],
                        timing=TIMING, browser=browser)
    assert report.exit_code == 0 and report.pages == ["/", "/about/"]


def test_the_command_line_ends_with_exit_2_and_one_line(capsys: Any) -> None:
    from policypress.cli import main

    site = AUDIT_SITES / "busy-loop"
    argv = ["audit", str(site / "pages"), "--data", str(AUDIT_SITES / "compliant" / "policy_data"),
            "--scenario", "before-consent", "--format", "json", "--page-timeout", str(LIMIT)]
    started = time.monotonic()
    with ThreadPoolExecutor(1) as pool:  # its own Chromium, away from the suite's Playwright loop
        code = pool.submit(main, argv).result()
    seconds = time.monotonic() - started
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policypress: http://127.0.0.1:"), captured.err
    assert lines[0].endswith("did not respond within 3 s: a script keeps the page's main thread busy")
    assert "Traceback" not in captured.err and captured.out == ""
    assert seconds < LAUNCH_BOUND, seconds
