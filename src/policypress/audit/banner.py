"""How the audit answers a consent banner: the controls to click, and how to bring the banner back."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class BannerConfig:
    """CSS selectors of a banner's controls.

    ``reopen`` is the control a visitor uses to change their mind (a "Cookie settings" link);
    a banner that is reopened through the address instead (Material's ``#__consent``) gives
    ``reopen_hash``. The first visible match of a selector is clicked.
    """

    name: str
    accept: str
    reject: str
    reopen: str | None = None
    reopen_hash: str | None = None
    # Material shows its banner 250 ms after the page loads; slower banners get this long.
    timeout_ms: int = 5000

    @property
    def can_reopen(self) -> bool:
        return self.reopen is not None or self.reopen_hash is not None

    def describe_reopen(self) -> str:
        if self.reopen is not None:
            return f"clicking {self.reopen}"
        if self.reopen_hash is not None:
            return f"going to #{self.reopen_hash}"
        return "(no way to reopen it is configured)"


# Material for MkDocs' banner (extra.consent, with our partials/consent.html): Accept without opening
# the settings accepts every category; Reject is the form's reset button; the footer link
# "Change cookie settings" is href="#__consent", which Material's bundle answers by showing the banner.
MATERIAL = BannerConfig(
    name="material",
    accept="form[name=consent] button:not([type=reset])",
    reject="form[name=consent] button[type=reset]",
    reopen_hash="__consent",
)


def custom_banner(accept: str | None, reject: str | None, reopen: str | None,
                  base: BannerConfig = MATERIAL) -> BannerConfig:
    """``base`` with the selectors given replaced; a reopen selector replaces the reopen hash."""
    if accept is None and reject is None and reopen is None:
        return base
    changed = replace(base, name="custom", accept=accept or base.accept, reject=reject or base.reject)
    if reopen is not None:
        changed = replace(changed, reopen=reopen, reopen_hash=None)
    return changed


@dataclass(frozen=True)
class Verdict:
    """Why the first look saw no banner, so that a later scenario can say so without visiting the page again.

    ``hosted``: (the manager, its script's URL) when a hosted manager's script could not run here; else
    ``selector`` (the selectors matched nothing: the problem names each scenario's own) or the words
    ``said`` (autoconsent's)."""

    hosted: tuple[Any, str] | None = None
    selector: bool = False
    said: str | None = None

    @property
    def tells(self) -> bool:
        """Whether it says enough for a later scenario to report without a look of its own."""
        return self.hosted is not None or self.selector or bool(self.said)


class Look:
    """One scenario's look for the banner: wait ``wait_ms`` for it, then say whether one was ``seen``."""

    def __init__(self, wait_ms: float, first: bool, learned: str | None = None) -> None:
        self.wait_ms = wait_ms
        self.first = first  # this look waits the whole time and teaches the others
        self.learned = learned  # what the first look said when it found no banner (later looks say the same)
        self.seen: bool | None = None
        self.said: str | None = None
        self.verdict: Verdict | None = None

    def saw(self, seen: bool, said: str | None = None) -> None:
        """Whether a banner showed; ``said``: the problem reported when none did."""
        self.seen, self.said = seen, None if seen else said

    def found_none(self, verdict: Verdict) -> None:
        """The look ended with no banner, for this reason (kept when it is the first look)."""
        self.verdict = verdict


class BannerWatch:
    """Whether the site shows a banner, learned once per audit by the first scenario that looks.

    The first look waits until it knows, at most ``timeout_ms`` (autoconsent ends it early on a still page
    without a manager: ``autoconsent.QUIET_DOM_S``); looks that come while it waits (other
    scenarios in parallel) wait for its answer instead of the page. When it saw a banner, each later look
    waits for its own as long as ever (it will come); when it saw none, a later look checks the page once,
    at once. Thread-safe: scenarios run in parallel. ``waits`` counts the full waits (the report's timing).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._state: bool | None = None  # None: not known yet
        self._said: str | None = None
        self._verdict: Verdict | None = None
        self._looking = False
        self.waits = 0

    @property
    def known(self) -> bool | None:
        return self._state

    @property
    def verdict(self) -> Verdict | None:
        """Why the site shows no banner, once the first look found none and said why; else None."""
        with self._changed:
            told = self._verdict is not None and self._verdict.tells
            return self._verdict if told and self._state is False and not self._looking else None

    @contextlib.contextmanager
    def look(self, timeout_ms: float) -> Iterator[Look]:
        with self._changed:
            while self._looking:  # another scenario is looking now: its answer is ours
                self._changed.wait()
            first = self._state is None
            if first:
                self._looking = True
                self.waits += 1
            none = self._state is False
            look = Look(0 if none else timeout_ms, first, self._said if none else None)
        try:
            yield look
        finally:
            if first:
                with self._changed:
                    # A look that ended without an answer (a timeout, an error) teaches nothing: the next one looks.
                    self._state, self._said, self._looking = look.seen, look.said, False
                    self._verdict = look.verdict if look.seen is False else None
                    self._changed.notify_all()
