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
from .autoconsent import Autoconsent, AutoconsentDriver
from .cdn import ConsentLibraries
from .observations import PhaseRecord, StoredItem, ThirdPartyRequest
from .standins import StandIns
from .target import LOCAL_HOSTS, SitePages
from .watchdog import BUSY, Watchdog, probe_busy

# Everything but http(s) to this machine; matched inside the browser, so local requests cost nothing.
NOT_LOCAL = re.compile(r"^(?!https?://(?:127\.0\.0\.1|localhost)(?:[:/?#]|$))")
NOT_LOCAL_SOCKET = re.compile(r"^(?!wss?://(?:127\.0\.0\.1|localhost)(?:[:/?#]|$))")

# Consent managers keep their banner from bots, and navigator.webdriver (true under Playwright) says "bot"
# to them (CookieConsent v3's hideFromBots, on by default): the audit visits as a person would.
NOT_A_BOT_SCRIPT = (
    "Object.defineProperty(Navigator.prototype, 'webdriver', {get: () => false, configurable: true});"
)

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


# Chromium's words when nothing listens on the port: the site is not served there at all.
CONNECTION_FAILED = ("ERR_CONNECTION_REFUSED", "ERR_CONNECTION_RESET", "ERR_ADDRESS_UNREACHABLE", "ERR_EMPTY_RESPONSE")


@dataclass(frozen=True)
class Timing:
    """How long to wait for a page to settle: no request for ``quiet_ms``, at most ``max_ms``.

    ``page_timeout`` (seconds) bounds each visit of a page in a scenario (loading, settling,
    looking) and each click on the banner; a page that overruns it ends the audit (``AuditTimeout``).
    """

    quiet_ms: int = 300
    max_ms: int = 5000
    page_timeout: float = 20.0


def not_shown(selector: str, timeout_ms: float) -> str:
    """The problem of a banner control that never showed: the same words whether this visit waited or the
    site's first look did (``BannerWatch``), so that a report does not depend on which scenario looked first."""
    return f"nothing matching {selector} became visible within {timeout_ms / 1000:g} s"


def _is_timeout(exc: Exception) -> bool:
    return "Timeout" in type(exc).__name__ or "Timeout" in str(exc)


class Visitor:
    """A fresh context and its one tab; ``close()`` ends it."""

    def __init__(self, browser: Any, site: SitePages, standins: StandIns, timing: Timing, *, gpc: bool = False,
                 libraries: ConsentLibraries | None = None, autoconsent: Autoconsent | None = None,
                 detect_ms: int = 5000) -> None:
        options: dict[str, Any] = {
            "service_workers": "block",  # a service worker's fetches would bypass the route
            # Banners fade in; with reduced motion (and the wait for animations) nothing is half-drawn.
            "reduced_motion": "reduce",
        }
        if gpc:
            options["extra_http_headers"] = {"Sec-GPC": "1"}
        self.context = browser.new_context(**options)
        self.context.add_init_script(NOT_A_BOT_SCRIPT)
        if gpc:
            self.context.add_init_script(GPC_SCRIPT)
        self.site = site
        self.standins = standins
        self.libraries = libraries
        self.timing = timing
        self.record: PhaseRecord | None = None
        self.label = ""
        self._pending: dict[Any, str] = {}  # request → its URL, until it finishes or fails
        self._last_activity = time.monotonic()
        # What settling cost: the calls, and the seconds spent in quiet windows (the bench reports them).
        self.settles = 0
        self.unsettled = 0  # settles that ran out of time before the page was quiet
        self.quiet_seconds = 0.0
        self.watchdog = Watchdog(self.context, timing.page_timeout)
        self.context.route(NOT_LOCAL, self._route)
        self.context.route_web_socket(NOT_LOCAL_SOCKET, self._socket)
        # A backstop for any call not given the budget's remainder explicitly.
        self.context.set_default_timeout(timing.page_timeout * 1000)
        # Before the page: autoconsent's script runs in every frame of every document from the start.
        self.autoconsent = AutoconsentDriver(self.context, autoconsent, detect_ms) if autoconsent else None
        self.page = self.context.new_page()
        self.page.on("request", self._started)
        self.page.on("requestfinished", self._ended)
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._responded)
        self.page.on("framenavigated", self._navigated)
        # URLs this tab asked for and did not get (failed, blocked, or answered 400 and above): a manager
        # whose script is among them cannot show a banner in any scenario.
        self.unloaded: set[str] = set()

    def close(self) -> None:
        self.context.close()

    # --- the network ----------------------------------------------------------------------------

    def use(self, record: PhaseRecord, page: str) -> None:
        """Where what happens from now on is recorded, and on which page."""
        self.record, self.label = record, page

    def _answer_for(self, url: str) -> tuple[str, Any]:
        """How the route answers ``url``: ("local", None), ("library", file), ("stand-in", it) or ("blocked", None).

        One decision for the route and for the request events, so that the quiet window knows which
        requests the route ends at once (blocked) without waiting for the route to have seen them.
        """
        if not NOT_LOCAL.match(url) or (urlsplit(url).hostname or "").lower() in LOCAL_HOSTS:
            return "local", None  # https to this machine, say: it stays here
        library = self.libraries.find(url) if self.libraries else None
        if library is not None:
            return "library", library
        standin = self.standins.find(url)
        return ("stand-in", standin) if standin is not None else ("blocked", None)

    def _route(self, route: Any) -> None:
        from playwright.sync_api import Error as PlaywrightError

        request = route.request
        try:
            how, answer = self._answer_for(request.url)
            if how == "local":
                route.continue_()
                return
            if how == "library":  # the real open-source consent manager, from the locked copy
                library = answer
                if self.record is not None:
                    self.record.add_request(ThirdPartyRequest(request.url, request.resource_type, "local copy"),
                                            self.label)
                    if library.note:
                        self.record.note(library.note)
                route.fulfill(status=200, body=library.body,
                              headers={"content-type": library.content_type, "access-control-allow-origin": "*"})
                return
            standin = answer
            if self.record is not None:
                self.record.add_request(ThirdPartyRequest(request.url, request.resource_type, how), self.label)
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

    def _started(self, request: Any) -> None:
        url = request.url
        if not url.startswith(("http:", "https:")) or self._answer_for(url)[0] == "blocked":
            # Ended by the route at once (or answered inside the browser): nothing to wait for, and a page
            # that keeps asking for blocked trackers must still settle.
            return
        self._pending[request] = url
        self._touch()

    def _ended(self, request: Any) -> None:
        if self._pending.pop(request, None) is not None:
            self._touch()

    def _failed(self, request: Any) -> None:
        self.unloaded.add(request.url)
        self._ended(request)

    def _responded(self, response: Any) -> None:
        if response.status >= 400:
            self.unloaded.add(response.url)

    def _navigated(self, frame: Any) -> None:
        if not frame.url.startswith("chrome-error:"):  # a frame whose document was blocked: nothing comes of it
            self._touch()

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def settle(self) -> None:
        """Wait until no request is in flight and none has started or ended for ``quiet_ms`` (trackers load late).

        Only requests that really travel count: to this machine, or answered by a stand-in or a
        local copy; those the route blocks end at once and are not waited for. A quiet period is
        no event Playwright can await, so each wait lasts until the window could next close (the
        request events arrive during it and push it back); while requests are in flight, a short
        wait lets their end arrive. Half the budget's remainder at most, so looking still fits.
        """
        started = time.monotonic()
        quiet = self.timing.quiet_ms / 1000
        longest = min(self.timing.max_ms, self.watchdog.remaining_ms() / 2) / 1000
        deadline = started + longest
        self.settles += 1
        try:
            while True:
                now = time.monotonic()
                if now >= deadline:
                    self.unsettled += 1
                    return
                if self._pending:
                    wait = min(0.05, quiet)
                else:
                    wait = self._last_activity + quiet - now
                    if wait <= 0:
                        return
                self.page.wait_for_timeout(max(1.0, min(wait, deadline - now) * 1000))
        finally:
            self.quiet_seconds += time.monotonic() - started

    def step(self, page: str) -> Any:
        """``with visitor.step(page):`` the calls inside share one budget of ``page_timeout``."""
        return self.watchdog.step(self.site.url(page))

    # --- pages --------------------------------------------------------------------------------

    def goto(self, page: str) -> str | None:
        """Load ``page`` and let it settle; what went wrong, or None.

        Raises ``AuditTimeout`` when the page does not load within the budget: its main thread
        busy, a request it waits for never answered, or a server that accepts and never answers.
        """
        from playwright.sync_api import Error as PlaywrightError

        url = self.site.url(page)
        with self.watchdog.step(url):
            problem: str | None = None
            for _attempt in range(2):
                try:
                    # "commit": the answer has begun. Loading is awaited apart, to tell why it never ends.
                    response = self.page.goto(url, wait_until="commit", timeout=self.watchdog.remaining_ms())
                except PlaywrightError as exc:
                    if _is_timeout(exc):
                        raise self.watchdog.timeout(
                            url, "the server accepted the connection but sent no answer", verb="did not answer"
                        ) from None
                    problem = str(exc).strip().splitlines()[0]
                    if any(code in problem for code in CONNECTION_FAILED):
                        return f"nothing is served there ({problem})"
                    # A reload the banner started may still be under way; one more try.
                    self.settle()
                    continue
                problem = f"HTTP {response.status}" if response is not None and response.status >= 400 else None
                self._wait_loaded(url)
                break
            self.settle()
        return problem

    def _wait_loaded(self, url: str) -> None:
        from playwright.sync_api import Error as PlaywrightError

        try:
            self.page.wait_for_load_state("load", timeout=self.watchdog.remaining_ms())
        except PlaywrightError as exc:
            if not _is_timeout(exc):
                raise
            if probe_busy(self.page):
                raise self.watchdog.timeout(url, BUSY) from None
            waiting = [u for u in self._pending.values() if u != url]
            reason = (
                f"the request for {waiting[0]} was still unanswered" if waiting
                else "its load event never came"
            )
            raise self.watchdog.timeout(url, reason, verb="did not finish loading") from None

    def look(self, record: PhaseRecord, page: str) -> list[StoredItem]:
        """Record every cookie of the context and every storage key of every frame of the tab."""
        with self.watchdog.step(self.page.url):  # frame.evaluate waits for as long as a script runs
            return self._look(record, page)

    def links(self, script: str) -> list[str]:
        """The hrefs ``script`` finds in the page."""
        with self.watchdog.step(self.page.url):
            return [h for h in self.page.evaluate(script) if isinstance(h, str)]

    def _look(self, record: PhaseRecord, page: str) -> list[StoredItem]:
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

    def click(self, selector: str, timeout_ms: int, *, wait_ms: float | None = None) -> str | None:
        """Click the first visible match of ``selector``; what went wrong, or None (``not_shown`` when none showed).

        ``wait_ms`` (default ``timeout_ms``) is how long to wait for it: 0 when the site's first look
        already waited ``timeout_ms`` in vain (``BannerWatch``), so only a banner already drawn is clicked.
        """
        from playwright.sync_api import Error as PlaywrightError

        locator = self.page.locator(selector).filter(visible=True).first
        wait = timeout_ms if wait_ms is None else wait_ms
        with self.watchdog.step(self.page.url):
            try:
                if wait <= 0 and not locator.count():
                    return not_shown(selector, timeout_ms)
                locator.wait_for(state="visible", timeout=max(1.0, min(wait, self.watchdog.remaining_ms())))
                locator.click(timeout=self.watchdog.remaining_ms())
            except PlaywrightError as exc:
                if not _is_timeout(exc):
                    return f"could not click {selector}: {str(exc).strip().splitlines()[0]}"
                if probe_busy(self.page):
                    raise self.watchdog.timeout(self.page.url, BUSY) from None
                return not_shown(selector, timeout_ms)
            self.settle()
        return None

    def exists(self, selector: str) -> bool:
        """Whether the page holds ``selector`` at all, shown or not (Material's form is there before its banner)."""
        with self.watchdog.step(self.page.url):
            return bool(self.page.locator(selector).count())

    def evaluate(self, script: str) -> Any:
        with self.watchdog.step(self.page.url):
            return self.page.evaluate(script)

    def go_to_hash(self, fragment: str) -> None:
        with self.watchdog.step(self.page.url):
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
        with self.watchdog.step(self.page.url):
            for frame in self.page.frames:
                host = (urlsplit(frame.url).hostname or "").lower()
                if host in storage and not frame.is_detached():
                    try:
                        frame.evaluate(REMOVE_KEYS, list(storage[host]))
                    except PlaywrightError:
                        pass  # a frame that refuses its storage to us refuses it to the check as well
