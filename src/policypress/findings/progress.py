"""Progress on stderr while a checker runs: rewritten in place on a terminal, a few plain lines otherwise
(a CI log must not fill with carriage returns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..escape import terminal

# Below this many pages a scan takes a blink; no progress is shown.
PROGRESS_FROM_PAGES = 200


class _Progress:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


class PagesProgress(_Progress):
    """``scanned 1200/10000 pages``: on a terminal every 50 pages, otherwise every tenth of the way."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._last_tenth = 0

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM_PAGES:
            return
        if self._tty:
            if done % 50 == 0 or done == total:
                self._write(f"\rscanned {done}/{total} pages" + ("\n" if done == total else ""))
            return
        tenth = done * 10 // total
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            self._write(f"scanned {done}/{total} pages\n")


class ScenarioProgress(_Progress):
    """``accept-all  12/40  /en/privacy-policy/``: in place on a terminal, a line per scenario otherwise."""

    def __init__(self, stream: TextIO, describe: Callable[[str], str]) -> None:
        super().__init__(stream)
        self._describe = describe  # a scenario's description (the audit's vocabulary, not this module's)
        self._scenario = ""

    def __call__(self, scenario: str, page: str, done: int, total: int) -> None:
        if self._tty:
            end = "\n" if done == total else ""
            # The page is a path of the audited site: escaped, so it cannot move the cursor.
            self._write(f"\r\x1b[2K{scenario:<21} {done:>4}/{total}  {terminal(page)}{end}")
            return
        if scenario != self._scenario:
            self._scenario = scenario
            self._write(f"audit: {scenario} ({self._describe(scenario)}) from visit {done}/{total}\n")
