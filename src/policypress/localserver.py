"""Serving a built site on 127.0.0.1, for link checks and browser tests.

Cookies are not kept for file:// pages, and directory URLs need a server, so a
site is checked the way a visitor sees it, but never beyond this machine.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # LinkChecker's mark of a server that may be checked at the configured rate (linkcheck.py).
        self.send_header("LinkChecker", "full-rate")
        super().end_headers()


class _QuietServer(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that moves on before a download ends breaks the pipe; that is no error.
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) for the duration of the block; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    with _QuietServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()
