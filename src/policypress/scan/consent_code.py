"""Which code in a script runs only after the visitor consents, read without running it.

A tracker injected inside a consent manager's callback, behind a check of the category the
visitor accepted, waits for consent; the managers' checks and callbacks are listed, with their
sources, in consent_apis.py (vanilla-cookieconsent v2/v3, Cookiebot, OneTrust, Klaro,
Usercentrics, Didomi). A callback documented to run on every page load (OptanonWrapper,
didomiOnReady, UC_UI_INITIALIZED) holds nothing unless the code checks a category inside it.
Code inside a callback that checks no category, inside a function this script never calls, or
behind a condition about consent that the scan cannot read, is *undecided*: a browser audit tells.
The reading is lexical (strings, comments and brackets), deliberately: no JavaScript engine.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import IntEnum


class Verdict(IntEnum):
    """Ordered: the worst occurrence of a tracker in a script decides."""

    HELD = 0
    UNDECIDED = 1
    RUNS = 2


@dataclass(frozen=True)
class CodeGate:
    verdict: Verdict
    how: str
    category: str | None = None  # the manager's category (or service) the code checks


from .consent_apis import (
    ARROW_BEFORE,
    BLOCK_RETURN,
    CALLBACKS,
    CHECKS,
    CONSENTISH,
    FUNCTION_BEFORE,
    HOLDING_KEYS,
    IF_BEFORE,
    IF_PAREN,
    NOT_FUNCTIONS,
    ONETRUST_GROUPS,
)
from .javascript import BRACKETS, mask
from .lookup import Negations, Nested, Regions


@dataclass(frozen=True)
class _Guard:
    """A region of code that runs only in a manager's callback, or only after a check."""

    start: int
    end: int
    manager: str
    category: str | None = None  # the category (or service) checked; None for a bare callback
    callback: str | None = None  # the callback's name, for a bare callback
    on_load: bool = False  # the callback runs on every page load, whatever the visitor chose
    holds: bool = False  # a callback the manager calls only after consent to its service


MAX_DEPTH = 4


class Code:
    """One script's text, with its bracket structure."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = mask(text)
        self.close_of: dict[int, int] = {}
        self.open_of: dict[int, int] = {}
        stack: list[int] = []
        for found in BRACKETS.finditer(self.masked):
            i, ch = found.start(), found.group()
            if ch in "({[":
                stack.append(i)
            elif stack:
                start = stack.pop()
                self.close_of[start], self.open_of[i] = i, start
        for start in stack:  # a script cut off: its open brackets run to the end
            self.close_of[start] = len(text)
        self.braces = sorted((o, c) for o, c in self.close_of.items() if self.masked[o] == "{")
        self._guards: Regions[_Guard] | None = None
        # A script's verdicts and the uses of its functions, each worked out once: functions calling
        # functions are judged through each call, and the same calls came up again at every depth.
        self._verdicts: dict[tuple[int, int], CodeGate | None] = {}
        self._uses: dict[str, list[int]] = {}
        self._called: dict[tuple[str, int, int, int], CodeGate | None] = {}
        self._negations: Negations | None = None

    # The stack above nests every pair: lookup.py finds those around a place from the nesting, built
    # when first asked for (most scripts are only asked for their commands and writes).
    @functools.cached_property
    def _braces(self) -> Nested:
        return Nested(self.braces)

    @functools.cached_property
    def _pairs(self) -> Nested:
        return Nested(list(self.close_of.items()))

    def live(self, pos: int) -> bool:
        """True when ``pos`` is code, not inside a string or comment."""
        return pos < len(self.text) and self.masked[pos] == self.text[pos]

    def _skip_space(self, i: int) -> int:
        while i < len(self.masked) and self.masked[i].isspace():
            i += 1
        return i

    def _before(self, i: int) -> int:
        """The position of the last non-space character before ``i`` (-1 when none)."""
        i -= 1
        while i >= 0 and self.masked[i].isspace():
            i -= 1
        return i

    def statement_end(self, i: int, lines: bool = True) -> int:
        """Where the expression starting at ``i`` ends: at , ; a line end (when ``lines``) or an unmatched closer."""
        depth = 0
        while i < len(self.masked):
            ch = self.masked[i]
            if ch in "({[":
                depth += 1
            elif ch in ")}]":
                if depth == 0:
                    return i
                depth -= 1
            elif depth == 0 and (ch in ",;" or (lines and ch == "\n")):
                return i
            i += 1
        return i

    def body_after(self, i: int, limit: int = 400) -> tuple[int, int] | None:
        """The body of the function written at ``i`` (``: function (a) {``, ``(a) => {``, ``(a) {``)."""
        stop = min(len(self.masked), i + limit)
        while i < stop:
            ch = self.masked[i]
            if ch == "{":
                return i, self.close_of.get(i, len(self.text))
            if ch == "(":
                i = self.close_of.get(i, len(self.text)) + 1
            elif self.masked.startswith("=>", i):
                j = self._skip_space(i + 2)
                if j < len(self.masked) and self.masked[j] == "{":
                    return j, self.close_of.get(j, len(self.text))
                return j, self.statement_end(j)
            elif ch.isalnum() or ch in "_$:" or ch.isspace():
                i += 1
            else:
                return None
        return None

    def enclosing_braces(self, pos: int) -> list[tuple[int, int]]:
        """The ``{…}`` blocks around ``pos``, innermost first."""
        return self._braces.around(pos)

    def _condition_of(self, block_open: int, braceless: bool = False) -> tuple[int, int] | None:
        """For a block ``if (…) {`` (or a statement ``if (…) call();``): the condition's parentheses."""
        if braceless:
            match = IF_PAREN.match(self.masked, block_open)
            if match is None:
                return None
            start = match.end() - 1
            return start, self.close_of.get(start, len(self.text))
        close = self._before(block_open)
        if close < 0 or self.masked[close] != ")":
            return None
        opening = self.open_of.get(close)
        if opening is None or not re.search(r"\bif\s*$", self.masked[max(0, opening - 8) : opening]):
            return None
        return opening, close

    # --- guards: code that runs only after a category is accepted -----------------------------

    def guards(self) -> Regions[_Guard]:
        """The script's guards, in the order found, indexed by the places they hold."""
        if self._guards is None:
            self._guards = Regions(self._find_guards())
        return self._guards

    def _find_guards(self) -> list[_Guard]:
        found: list[_Guard] = []
        for check in CHECKS:
            for match in check.regex.finditer(self.text):
                if not self.live(match.start()):
                    continue
                region = self._guarded_by(match, check.chain)
                if region is not None:
                    category = match.groupdict().get("cat") or None
                    found.append(_Guard(region[0], region[1], check.manager, category or "consent"))
        for callback in CALLBACKS:
            for match in callback.regex.finditer(self.text):
                if not self.live(match.start()):
                    continue
                key = match.groupdict().get("key") or match.groupdict().get("k2") or ""
                if callback.keys is None:
                    # From the parameters' "(" when the pattern ends in it (function Name( … ) { … }).
                    body = self.body_after(match.end() - (self.masked[match.end() - 1] == "("))
                    if body is not None:
                        name = callback.name.format(key=key)
                        found.append(_Guard(body[0], body[1], callback.manager, None, name, callback.on_load))
                    continue
                # A configuration call or object: its callbacks are keys inside it.
                start = self.masked.find("(" if self.masked[match.end() - 1] == "(" else "{", match.end() - 1)
                end = self.close_of.get(start, len(self.text))
                for key_match in callback.keys.finditer(self.text, start, end):
                    if not self.live(key_match.start()):
                        continue
                    body = self.body_after(key_match.end())
                    if body is None:
                        continue
                    name = callback.name.format(key=key_match["key"])
                    holds = key_match["key"] in HOLDING_KEYS
                    found.append(_Guard(body[0], body[1], callback.manager, None, name, callback.on_load, holds))
        return found

    def _guarded_by(self, match: re.Match[str], chain: bool) -> tuple[int, int] | None:
        """The code that runs only when the check at ``match`` is true."""
        if chain:
            return match.start(), self.statement_end(match.start(), lines=False)
        after = self._skip_space(match.end())
        # The check's own call may continue: acceptedCategory('x') ) …
        paren = self._enclosing_paren(match.start())
        if paren is not None:
            start, close = paren
            condition = self.text[start:close]
            negated = self.text[start + 1 : match.start()].rstrip().endswith("!") or self._negated_after(match.end(), close)
            body = self._skip_space(close + 1)
            if negated:
                if self.masked.startswith("return", body) or BLOCK_RETURN.match(self.masked, body):
                    outer = next(iter(self.enclosing_braces(start)), (0, len(self.text)))
                    return close, outer[1]
                return None
            if condition and body < len(self.masked) and self.masked[body] == "{":
                return body, self.close_of.get(body, len(self.text))
            return body, self.statement_end(body)
        if self.masked.startswith("&&", after):
            return after, self.statement_end(after + 2)
        return None

    def _negated_after(self, start: int, close: int) -> bool:
        """Whether ``consent_apis.NEGATED_AFTER`` matches ``text[start:close]`` (lookup.Negations)."""
        if self._negations is None:
            self._negations = Negations(self.text)
        return self._negations.after(start, close)

    def _enclosing_paren(self, pos: int) -> tuple[int, int] | None:
        """The parentheses of the ``if (…)`` whose condition holds ``pos``."""
        # The innermost such pair: the pairs around pos come innermost first.
        best = next((pair for pair in self._pairs.around(pos)
                     if self.masked[pair[0]] == "(" and IF_BEFORE.search(self.masked[max(0, pair[0] - 8) : pair[0]])),
                    None)
        if best is None:
            return None
        # Only when no block opens between the condition and the check (the check is in the condition).
        if self._braces.opens_between(best[0], pos):
            return None
        return best

    # --- the verdict for one place in the code -----------------------------------------------

    def verdict_at(self, pos: int, depth: int = 0) -> CodeGate | None:
        """How the code at ``pos`` is held back; None when nothing in the code holds it."""
        key = (pos, depth)
        if key not in self._verdicts:
            self._verdicts[key] = self._verdict_at(pos, depth)
        return self._verdicts[key]

    def _verdict_at(self, pos: int, depth: int) -> CodeGate | None:
        inside = self.guards().around(pos)  # the last to start first (ties in the order found)
        for guard in inside:
            if guard.holds:
                return CodeGate(Verdict.HELD, f"inside {guard.callback}, which {guard.manager} runs only once the "
                                "visitor accepted that service")
            if guard.category is not None and _category(guard.manager, guard.category) != "necessary":
                return CodeGate(Verdict.HELD, _held_how(guard.manager, guard.category),
                                _category(guard.manager, guard.category))
        for guard in inside:
            if guard.callback is None:
                continue
            if guard.on_load:
                return CodeGate(Verdict.RUNS, f"inside {guard.callback}, which {guard.manager} runs on every page "
                                "load, before any choice, and the code checks no consent category there")
            return CodeGate(Verdict.UNDECIDED, f"inside {guard.callback}, which runs after the visitor's choice, "
                            "whatever it was; the code checks no category the scan can read")
        braceless = self._condition_of(self._statement_start(pos), braceless=True)
        if braceless is not None and _unread(self.text[braceless[0] : braceless[1]]):
            return _unreadable(self.text[braceless[0] : braceless[1] + 1])
        for block_open, block_close in self.enclosing_braces(pos):
            condition = self._condition_of(block_open)
            if condition is not None and _unread(self.text[condition[0] : condition[1]]):
                return _unreadable(self.text[condition[0] : condition[1] + 1])
            name = self._function_name(block_open)
            if name is not None:
                return self._calls(name, block_open, block_close, depth)
        return None

    def _statement_start(self, pos: int) -> int:
        """Where the statement holding ``pos`` starts (after the previous ; { } or line end)."""
        i = pos - 1
        while i >= 0 and self.masked[i] not in ";{}\n":
            if self.masked[i] == ")" and i in self.open_of:
                i = self.open_of[i]
            i -= 1
        return self._skip_space(i + 1)

    def _function_name(self, block_open: int) -> str | None:
        """The name of the function whose body opens at ``block_open``; None for other blocks and anonymous ones."""
        j = self._before(block_open)
        if j >= 1 and self.masked[j - 1 : j + 1] == "=>":
            k = self._before(j - 1)
            if k >= 0 and self.masked[k] == ")":
                k = self.open_of.get(k, k)
            else:
                while k >= 0 and (self.masked[k].isalnum() or self.masked[k] in "_$"):
                    k -= 1
                k += 1
            found = ARROW_BEFORE.search(self.masked[max(0, k - 80) : k])
            return found["n"] if found else None
        if j < 0 or self.masked[j] != ")":
            return None
        start = self.open_of.get(j)
        if start is None:
            return None
        head = self.masked[max(0, start - 80) : start]
        found = FUNCTION_BEFORE.search(head)
        if found:
            return found["a"] or found["b"]
        word = re.search(r"([\w$]+)\s*$", head)
        if word and word[1] not in NOT_FUNCTIONS and not re.search(r"[.\w$]\s*$", head[: word.start()]):
            return word[1]  # method shorthand: name(args) { … }
        return None

    def _calls(self, name: str, body_open: int, body_close: int, depth: int) -> CodeGate | None:
        """The code inside function ``name``: held as its calls are (worked out once for each function)."""
        key = (name, body_open, body_close, depth)
        if key not in self._called:
            self._called[key] = self._judge_calls(name, body_open, body_close, depth)
        return self._called[key]

    def _judge_calls(self, name: str, body_open: int, body_close: int, depth: int) -> CodeGate | None:
        if depth >= MAX_DEPTH:
            return CodeGate(Verdict.UNDECIDED, f"inside {name}(), called through more functions than the scan follows")
        if name not in self._uses:
            self._uses[name] = [m.start() for m in re.finditer(rf"(?<![\w$]){re.escape(name)}(?![\w$])", self.masked)]
        uses = [use for use in self._uses[name] if not (body_open - 120 < use <= body_open or body_open < use < body_close)]
        if not uses:
            return CodeGate(Verdict.UNDECIDED, f"inside {name}(), which this script never calls; where it is called "
                            "is beyond a static scan")
        worst: CodeGate | None = None
        for use in uses:
            verdict = self.verdict_at(use, depth + 1)
            if verdict is None:
                return None  # one call runs it unheld
            if worst is None or verdict.verdict > worst.verdict:
                worst = verdict  # the first of the worst, as max() gave
        return worst


def _unread(condition: str) -> bool:
    """A condition about consent that is none of the managers' checks (those the scan has read)."""
    return bool(CONSENTISH.search(condition)) and not any(check.regex.search(condition) for check in CHECKS)


def _unreadable(condition: str) -> CodeGate:
    text = " ".join(condition.split())
    return CodeGate(Verdict.UNDECIDED, f"behind the condition if {text[:80]}, which the scan cannot read")


def _category(manager: str, checked: str) -> str:
    if manager == "OneTrust":
        return ONETRUST_GROUPS.get(checked, checked)
    return checked


def _held_how(manager: str, checked: str) -> str:
    if checked == "consent":
        return f"run only after {manager}'s consent check"
    if manager == "OneTrust":
        return f"run only when OneTrust's group C000{checked} ({_category(manager, checked)}) is active"
    if manager in ("Klaro", "Usercentrics", "Didomi"):
        return f"run only after {manager}'s consent to '{checked}'"
    return f"run only after {manager}'s '{checked}' consent"


def judge(code: Code, positions: list[int]) -> CodeGate | None:
    """The verdict for a tracker found at ``positions``: the worst of them; None when one runs unheld."""
    worst: CodeGate | None = None
    for pos in sorted(set(positions)):
        verdict = code.verdict_at(pos)
        if verdict is None:
            return None
        if worst is None or verdict.verdict > worst.verdict:
            worst = verdict
    return worst

