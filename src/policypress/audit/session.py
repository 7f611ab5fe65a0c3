"""One browser context, as one visitor: it keeps every request on this machine, visits pages and looks.

Every request to a host other than 127.0.0.1 or localhost is stopped in the browser (by the
context's route) and answered by a stand-in or aborted; it is recorded either way.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..vocabulary import StorageType
from .observations import PhaseRecord, StoredItem, ThirdPartyRequest
from .standins import StandIns
from .target import LOCAL_HOSTS, SitePages

# Everything but http(s) to this machine; matched inside the browser, so local requests cost nothing.
NOT_LOCAL = re.compile(r"^(?!https?://(?:127\.0\.0\.1|localhost)(?:[:/?#]|$))")
NOT_LOCAL_SOCKET = re.compile(r"^(?!wss?://(?:127\.0\.0\.1|localhost)(?:[:/?#]|$))")

GPC_SCRIPT = (
    "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', "
    "{get: () => true, configurable: true, enumerable: true});"
)

# Read keys one by one: Object.keys() misses nothing today, but key(i) is what the standard promises.
STORAGE_KEYS = """() => {
  const read = (store) => {
    const keys = [];
    for (let i = 0; i < store.length; i++) keys.push(store.key(i));
    return keys;
  };
  const out = {host: location.hostname, local: [], session: [], error: null};
  try { out.local = read(window.localStorage); } catch (e) { out.error = (e && e.name) || String(e); }
  try { out.session = read(window.sessionStorage); } catch (e) { out.error = out.error || (e && e.name) || String(e); }
  return out;
}"""

REMOVE_KEYS = """([local, session]) => {
  try { for (const key of local) window.localStorage.removeItem(key); } catch (e) {}
  try { for (const key of session) window.sessionStorage.removeItem(key); } catch (e) {}
}"""


@dataclass(frozen=True)
class Timing:
    """How long to wait for a page to settle: no request for ``quiet_ms``, at most ``max_ms``."""

    quiet_ms: int = 300
    max_ms: int = 5000
    navigation_timeout_ms: int = 15000


class Visitor:
    """A fresh context and its one tab; ``close()`` ends it."""

    def __init__(self, browser: Any, site: SitePages, standins: StandIns, timing: Timing, *, gpc: bool = False) -> None:
        options: dict[str, Any] = {"service_workers": "block"}  # a service worker's fetches would bypass the route
        if gpc:
            options["extra_http_headers"] = {"Sec-GPC": "1"}
        self.context = browser.new_context(**options)
        if gpc:
            self.context.add_init_script(GPC_SCRIPT)
        self.site = site
        self.standins = standins
        self.timing = timing
        self.record: PhaseRecord | None = None
        self.label = ""
        self._inflight = 0
        self._last_activity = time.monotonic()
        self.context.route(NOT_LOCAL, self._route)
        self.context.route_web_socket(NOT_LOCAL_SOCKET, self._socket)
        self.context.set_default_navigation_timeout(timing.navigation_timeout_ms)
        self.page = self.context.new_page()
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._ended)
        self.page.on("requestfailed", self._ended)
        self.page.on("framenavigated", lambda _frame: self._touch())

    def close(self) -> None:
        self.context.close()

    # --- the network ----------------------------------------------------------------------------

    def use(self, record: PhaseRecord, page: str) -> None:
        """Where what happens from now on is recorded, and on which page."""
        self.record, self.label = record, page

    def _route(self, route: Any) -> None:
        from playwright.sync_api import Error as PlaywrightError

        request = route.request
        host = (urlsplit(request.url).hostname or "").lower()
        try:
            if host in LOCAL_HOSTS:  # https to this machine, say: it stays here
                route.continue_()
                return
            standin = self.standins.find(request.url)
            answered = "stand-in" if standin is not None else "blocked"
            if self.record is not None:
                self.record.add_request(ThirdPartyRequest(request.url, request.resource_type, answered), self.label)
            if standin is not None:
                route.fulfill(status=200, body=standin.body,
                              headers={"content-type": standin.content_type, "access-control-allow-origin": "*"})
            else:
                route.abort("blockedbyclient")
        except PlaywrightError:
            pass  # the page went away while the request waited: nothing left to answer

    def _socket(self, socket: Any) -> None:
        # Not connecting it to the server keeps the socket inside the browser, open and silent.
        if self.record is not None:
            self.record.add_request(ThirdPartyRequest(socket.url, "websocket", "blocked"), self.label)

    def _started(self, _request: Any) -> None:
        self._inflight += 1
        self._touch()

    def _ended(self, _request: Any) -> None:
        self._inflight = max(0, self._inflight - 1)
        self._touch()

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def settle(self) -> None:
        """Wait until nothing has been requested or navigated for a while (trackers load late)."""
        quiet = self.timing.quiet_ms / 1000
        deadline = time.monotonic() + self.timing.max_ms / 1000
        step = max(10, min(50, self.timing.quiet_ms // 3))
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(step)
            if self._inflight == 0 and time.monotonic() - self._last_activity >= quiet:
                return

    # --- pages --------------------------------------------------------------------------------

    def goto(self, page: str) -> str | None:
        """Load ``page`` and let it settle; what went wrong, or None."""
        from playwright.sync_api import Error as PlaywrightError

        url = self.site.url(page)
        problem: str | None = None
        for _attempt in range(2):
            try:
                response = self.page.goto(url, wait_until="load")
            except PlaywrightError as exc:
                # A reload the banner started may still be under way; one more try.
                problem = str(exc).strip().splitlines()[0]
                self.settle()
                continue
            problem = f"HTTP {response.status}" if response is not None and response.status >= 400 else None
            break
        self.settle()
        return problem

    def look(self, record: PhaseRecord, page: str) -> list[StoredItem]:
        """Record every cookie of the context and every storage key of every frame of the tab."""
        from playwright.sync_api import Error as PlaywrightError

        now = time.time()
        items: list[StoredItem] = []
        for cookie in self.context.cookies():
            items.append(StoredItem(StorageType.COOKIE, cookie["name"], cookie["domain"].lstrip("."),
                                    cookie.get("path", "/"), float(cookie.get("expires", -1))))
        for frame in self.page.frames:
            if frame.url.startswith("chrome-error:") or frame.is_detached():
                continue  # a frame whose document was blocked holds nothing
            try:
                found = frame.evaluate(STORAGE_KEYS)
            except PlaywrightError as exc:
                record.note(f"could not read the storage of the frame {frame.url}: {str(exc).strip().splitlines()[0]}")
                continue
            if found.get("error"):
                record.note(f"the frame {frame.url} refused access to its storage ({found['error']})")
            host = found.get("host") or urlsplit(frame.url).hostname or ""
            for name in found.get("local") or ():
                items.append(StoredItem(StorageType.LOCAL_STORAGE, name, host))
            for name in found.get("session") or ():
                items.append(StoredItem(StorageType.SESSION_STORAGE, name, host))
        for item in items:
            record.add_item(item, page, now)
        return items

    # --- the banner ---------------------------------------------------------------------------

    def click(self, selector: str, timeout_ms: int) -> str | None:
        """Click the first visible match of ``selector``; what went wrong, or None."""
        from playwright.sync_api import Error as PlaywrightError

        locator = self.page.locator(selector).filter(visible=True).first
        try:
            locator.wait_for(state="visible", timeout=timeout_ms)
            locator.click(timeout=timeout_ms)
        except PlaywrightError as exc:
            if "Timeout" in type(exc).__name__ or "Timeout" in str(exc):
                return f"nothing matching {selector} became visible within {timeout_ms / 1000:g} s"
            return f"could not click {selector}: {str(exc).strip().splitlines()[0]}"
        self.settle()
        return None

    def go_to_hash(self, fragment: str) -> None:
        self.page.evaluate("(fragment) => { location.hash = fragment; }", fragment)

    def remove(self, items: Iterable[StoredItem]) -> None:
        """Delete these cookies and storage keys, as a visitor clearing them would (the marker check)."""
        from playwright.sync_api import Error as PlaywrightError

        storage: dict[str, tuple[list[str], list[str]]] = {}
        for item in items:
            if item.type is StorageType.COOKIE:
                self.context.clear_cookies(name=item.name, domain=item.domain, path=item.path)
                # A cookie set for a domain (".example.com") is listed without its dot; clear both spellings.
                self.context.clear_cookies(name=item.name, domain="." + item.domain, path=item.path)
            else:
                local, session = storage.setdefault(item.domain, ([], []))
                (local if item.type is StorageType.LOCAL_STORAGE else session).append(item.name)
        if not storage:
            return
        for frame in self.page.frames:
            host = (urlsplit(frame.url).hostname or "").lower()
            if host in storage and not frame.is_detached():
                try:
                    frame.evaluate(REMOVE_KEYS, list(storage[host]))
                except PlaywrightError:
                    pass  # a frame that refuses its storage to us refuses it to the check as well
