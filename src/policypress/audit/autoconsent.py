"""DuckDuckGo's autoconsent (MPL-2.0) in the audit's browser: it finds a consent manager's banner and answers it.

``tools/autoconsent/`` holds the locked npm package (``make tools``); ``POLICYPRESS_AUTOCONSENT``
names another copy (the package's folder, or its ``dist/autoconsent.playwright.js``). Nothing is
fetched: the script and its rules are read from disk and injected into every frame.

The Playwright build talks through two functions: the page calls ``autoconsentSendMessage(msg)``
(exposed here), and we answer with ``autoconsentReceiveMessage(msg)`` in the frame that asked.
Its rules are given with ``autoAction: null``: it only detects, and the audit says when to opt in or
out, so that Material's rule and the ``--accept/--reject`` selectors always come first.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

ENV = "POLICYPRESS_AUTOCONSENT"
REPOSITORY = Path(__file__).resolve().parents[3]
PACKAGE = Path("tools", "autoconsent", "node_modules", "@duckduckgo", "autoconsent")
SCRIPT = Path("dist", "autoconsent.playwright.js")
RULES = Path("rules", "rules.json")
# autoconsent looks for a manager again every 500 ms (lib/web.ts, findCmp).
RETRY_MS = 500
MISSING = (
    "autoconsent is not installed (run `make tools`, or set POLICYPRESS_AUTOCONSENT): only Material's banner "
    "and the --accept/--reject selectors are answered"
)


def tool_folder(env: str, relative: Path) -> Path:
    """``$env`` when it is set, else ``relative`` inside this repository (tools/…)."""
    given = os.environ.get(env)
    return Path(given) if given else REPOSITORY / relative


@dataclass(frozen=True)
class Autoconsent:
    """The content script and the declarative rules that apply on this machine's pages."""

    script: str
    rules: tuple[dict[str, Any], ...]
    version: str
    # Every frame of every visit asks for its rules: they are chosen once per URL (the frames of one
    # audit share a few), as picking them means matching hundreds of patterns.
    _chosen: dict[str, list[dict[str, Any]]] = field(default_factory=dict, compare=False, repr=False)
    _as_json: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def rules_json_for(self, url: str) -> str:
        """``rules_for(url)`` as JSON text, made once per URL (each frame of each visit is sent it)."""
        known = self._as_json.get(url)
        if known is None:
            if len(self._as_json) >= 4096:
                self._as_json.clear()
            known = self._as_json[url] = json.dumps(self.rules_for(url), separators=(",", ":"))
        return known

    def rules_for(self, url: str) -> list[dict[str, Any]]:
        known = self._chosen.get(url)
        if known is not None:
            return known
        chosen = []
        for rule in self.rules:
            pattern = (rule.get("runContext") or {}).get("urlPattern")
            if pattern:
                compiled = _pattern(pattern)
                if compiled is None or not compiled.search(url):
                    continue  # None: a JavaScript-only regex, which names a site of its own, never ours
            chosen.append(rule)
        if len(self._chosen) >= 4096:  # a whole estate's pages: keep the memory bounded
            self._chosen.clear()
        self._chosen[url] = chosen
        return chosen


@lru_cache(maxsize=8192)
def _pattern(text: str) -> re.Pattern[str] | None:
    # More patterns than re's own cache holds: compiled once, not at every frame of every visit.
    try:
        return re.compile(text)
    except re.error:
        return None


@lru_cache(maxsize=4)
def _load(folder: Path) -> Autoconsent | None:
    if folder.is_file():  # the script itself was named
        folder = folder.parent.parent
    script, rules = folder / SCRIPT, folder / RULES
    if not script.is_file() or not rules.is_file():
        return None
    try:
        version = str(json.loads((folder / "package.json").read_text(encoding="utf-8")).get("version", "?"))
        bundle = json.loads(rules.read_text(encoding="utf-8"))
        text = script.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    return Autoconsent(text, tuple(bundle.get("autoconsent") or ()), version)


def find_autoconsent() -> Autoconsent | None:
    """The installed autoconsent, or None (the audit then says ``MISSING`` once and goes on without it)."""
    return _load(tool_folder(ENV, PACKAGE).resolve())


@dataclass
class Outcome:
    """What autoconsent did on a page: the rule (manager) it found, and how the answer went."""

    rule: str | None = None
    popup: bool = False
    result: bool | None = None  # the opt-in or opt-out's result; None while none ran
    problem: str | None = None


@dataclass
class _FrameState:
    frame: Any
    detected: list[str] = field(default_factory=list)
    popup: str | None = None
    lifecycle: str = ""
    attempts: int = 0  # autoconsent's looks for a manager so far (findCmpAttempts)
    heard_at: float = 0.0  # when the frame last said anything (a look begins with a report, goes on with evals)
    results: list[tuple[str, str, bool]] = field(default_factory=list)  # (optIn|optOut, rule, result)


def _config(action: str | None, retries: int) -> dict[str, Any]:
    return {
        "enabled": True, "autoAction": action, "disabledCmps": [], "enablePrehide": False,
        "enableCosmeticRules": False,  # hiding a banner is no answer to it
        "enableHeuristicDetection": False, "detectRetries": retries, "visualTest": False,
        "logs": {k: False for k in ("lifecycle", "rulesteps", "detectionsteps", "evals", "errors", "messages", "waits")},
    }


# After its second look, autoconsent looks again only once the page's DOM has changed (findCmp waits for 500 ms
# after a look, and for a mutation): a frame that looked twice, found nothing and has said nothing for longer than
# that (a look begins with a report and asks for its evals as it goes) has a DOM that stopped changing, and a
# banner is a change. So "no manager" is known then, not after every retry. The margin beyond the 500 ms covers
# a look that takes long on a loaded machine (it ran 200 rules): with 150 ms, a page still changing was taken
# for a still one under a load of four processes per core.
QUIET_DOM_S = (RETRY_MS + 500) / 1000


def _waits_for_change(state: _FrameState) -> bool:
    return (not state.detected and state.lifecycle == "started" and state.attempts >= 2
            and time.monotonic() - state.heard_at >= QUIET_DOM_S)


class AutoconsentDriver:
    """autoconsent in every frame of ``context``: detecting always, answering when told."""

    def __init__(self, context: Any, autoconsent: Autoconsent, detect_ms: int) -> None:
        self.autoconsent = autoconsent
        self.retries = max(1, detect_ms // RETRY_MS)
        self._frames: dict[Any, _FrameState] = {}
        context.expose_binding("autoconsentSendMessage", self._message)
        context.add_init_script(autoconsent.script)

    def _send(self, frame: Any, message: dict[str, Any], rules: str | None = None) -> None:
        """Hand ``message`` to autoconsent in ``frame``; ``rules``: JSON text put in as its ``rules.autoconsent``.

        The message goes as JSON text: Playwright passes a structured argument value by value, which for the
        rules (hundreds of nested objects) took 0.3-0.5 s per frame; JSON.parse takes a few milliseconds.
        """
        from playwright.sync_api import Error as PlaywrightError

        text = json.dumps(message, separators=(",", ":"))
        if rules is not None:
            text = text[:-1] + ',"rules":{"autoconsent":' + rules + "}}"
        try:
            # Not awaited: an answer runs for seconds, and it reports back through messages.
            frame.evaluate("(m) => { window.autoconsentReceiveMessage(JSON.parse(m)); }", text)
        except PlaywrightError:
            pass  # the frame went away: nothing left to answer

    def _message(self, source: dict[str, Any], message: Any) -> None:
        from playwright.sync_api import Error as PlaywrightError

        frame = source.get("frame")
        if frame is None or not isinstance(message, dict):
            return
        kind = message.get("type")
        if kind == "init":
            self._frames[frame] = _FrameState(frame)
            url = str(message.get("url", ""))
            # A new tab's first document (about:blank, before the page is asked for) holds no banner: parsing the
            # rules there cost each fresh context 0.2 s.
            blank = url == "about:blank" and frame.parent_frame is None
            rules = "[]" if blank else self.autoconsent.rules_json_for(url)
            self._send(frame, {"type": "initResp", "config": _config(None, self.retries)}, rules)
            return
        state = self._frames.setdefault(frame, _FrameState(frame))
        state.heard_at = time.monotonic()
        if kind == "eval":
            try:
                result = frame.evaluate(str(message.get("code", "")))
            except PlaywrightError:
                result = False
            self._send(frame, {"type": "evalResp", "id": message.get("id"), "result": bool(result)})
        elif kind == "cmpDetected":
            state.detected.append(str(message.get("cmp")))
        elif kind == "popupFound":
            state.popup = str(message.get("cmp"))
        elif kind in ("optInResult", "optOutResult"):
            state.results.append((kind[:-6], str(message.get("cmp")), bool(message.get("result"))))
        elif kind == "report":
            reported = message.get("state") or {}
            state.lifecycle = str(reported.get("lifecycle", ""))
            attempts = reported.get("findCmpAttempts")
            if isinstance(attempts, int):
                state.attempts = attempts

    def _live(self) -> list[_FrameState]:
        return [s for s in self._frames.values() if not s.frame.is_detached()]

    def forget(self) -> None:
        """A new page is loaded: what the frames of the last one said no longer counts."""
        self._frames.clear()

    def _wait(self, page: Any, done: Any, deadline: float) -> None:
        # The state awaited lives in the page's messages, delivered only while Playwright runs: short waits,
        # and at least one (the messages already sent are delivered then) even when no time is given.
        page.wait_for_timeout(1)
        while time.monotonic() < deadline and not done():
            page.wait_for_timeout(50)

    def found(self) -> str | None:
        for state in self._live():
            if state.detected:
                return state.detected[0]
        return None

    def answer(self, page: Any, action: str, timeout_ms: float, *, again: bool = False,
               wait_ms: float | None = None) -> Outcome:
        """Wait for a banner autoconsent knows, then opt in (``optIn``) or out (``optOut``).

        ``again``: the banner was reopened after detection had ended, so detection runs once more.
        ``wait_ms`` (default ``timeout_ms``): how long to wait for detection; 0 when the site's first look
        found no banner (``BannerWatch``): what autoconsent has said by now is all.
        """
        detecting = timeout_ms if wait_ms is None else wait_ms
        deadline = time.monotonic() + detecting / 1000
        if again:
            for state in self._live():
                state.popup, state.lifecycle = None, ""
                # Rules are parsed already: only the start of detection is asked for.
                self._send(state.frame, {"type": "initResp", "config": _config(None, self.retries), "rules": None})
        # Not "cmpDetected": autoconsent reports it when it recognises a manager and then looks for its banner for
        # seconds (a slow page draws it late); the state stays so when none comes, so only the deadline ends it.
        idle = ("nothingDetected", "done", "optOutSucceeded", "optInSucceeded", "optOutFailed", "optInFailed")

        def settled() -> bool:
            states = self._live()
            return any(s.popup for s in states) or bool(states) and all(
                s.lifecycle in idle or not again and _waits_for_change(s) for s in states
            )

        self._wait(page, settled, deadline)
        with_popup = next((s for s in self._live() if s.popup), None)
        if with_popup is None:
            rule = self.found()
            if rule is None:
                return Outcome(problem="autoconsent found no consent manager it knows")
            return Outcome(rule, problem=f"autoconsent recognised {rule}, but its banner did not show")
        before = len(with_popup.results)
        self._send(with_popup.frame, {"type": action})
        self._wait(page, lambda: len(with_popup.results) > before, max(deadline, time.monotonic()) + timeout_ms / 1000)
        rule = with_popup.popup
        if len(with_popup.results) == before:
            return Outcome(rule, True, problem=f"autoconsent's rule {rule} did not finish the {action}")
        _kind, rule, result = with_popup.results[-1]
        return Outcome(rule, True, result, None if result else f"autoconsent's rule {rule} failed to {action}")
