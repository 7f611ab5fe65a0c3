"""Indexes over one script's text for the consent code's questions (consent_code.py), each built once.

The questions come once for every tracker, write, command and call of a script, and each used to be
answered by reading every bracket, guard or character after the place asked about: a script of many
checks or callbacks took time growing with the square of its size (a hostile or minified page, or a
site's bundle of some hundred KB). Each index answers by bisection and a walk up the nesting.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar


class Nested:
    """Nested pairs of offsets (brackets matched by a stack, which nests them), by their opening."""

    def __init__(self, pairs: list[tuple[int, int]]) -> None:
        self.pairs = sorted(pairs)
        self._opens = [opening for opening, _ in self.pairs]
        self._parents: list[int] = []  # the index of the innermost pair around each; -1: none
        around: list[int] = []
        for index, (opening, _) in enumerate(self.pairs):
            while around and self.pairs[around[-1]][1] < opening:
                around.pop()
            self._parents.append(around[-1] if around else -1)
            around.append(index)

    def around(self, pos: int) -> list[tuple[int, int]]:
        """The pairs that hold ``pos`` (opened before it, closed after it), innermost first.

        Every pair around ``pos`` is around the last one opened before it (they nest), so the walk up
        from that one meets them all."""
        found: list[tuple[int, int]] = []
        index = bisect_left(self._opens, pos) - 1
        while index != -1:
            if self.pairs[index][1] > pos:
                found.append(self.pairs[index])
            index = self._parents[index]
        return found

    def opens_between(self, start: int, end: int) -> bool:
        """Whether a pair opens after ``start`` and before ``end``."""
        index = bisect_right(self._opens, start)
        return index < len(self._opens) and self._opens[index] < end


class _Region(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


R = TypeVar("R", bound=_Region)


class Regions(Generic[R]):
    """Regions ``[start, end)`` that may overlap in any way (the guards of a script), in the order given.

    Kept by start, in blocks of ``BLOCK`` with the furthest end in each: the regions around a place are
    read back from the last one that starts at or before it, a block at a time where a block reaches it,
    so one long region (a callback around the whole script) does not make every query read them all."""

    BLOCK = 32

    def __init__(self, regions: Sequence[R]) -> None:
        self.regions = regions
        self._by_start = sorted(range(len(regions)), key=lambda index: regions[index].start)  # ties: as given
        self._starts = [regions[index].start for index in self._by_start]
        self._ends = [regions[index].end for index in self._by_start]
        self._reach: list[int] = []  # the furthest end of the regions up to each, in start order
        furthest = -1
        for end in self._ends:
            furthest = max(furthest, end)
            self._reach.append(furthest)
        self._block_reach = [max(self._ends[i : i + self.BLOCK]) for i in range(0, len(self._ends), self.BLOCK)]

    def around(self, pos: int) -> list[R]:
        """The regions that hold ``pos``, the last to start first (ties as given)."""
        found: list[tuple[int, int]] = []
        at = bisect_right(self._starts, pos) - 1
        while at >= 0 and self._reach[at] > pos:  # some region up to here still reaches pos
            block = at // self.BLOCK
            if self._block_reach[block] <= pos:
                at = block * self.BLOCK - 1  # none in this block does
                continue
            if self._ends[at] > pos:
                index = self._by_start[at]
                found.append((-self.regions[index].start, index))
            at -= 1
        return [self.regions[index] for _, index in sorted(found)]


# consent_apis.NEGATED_AFTER without its run up to the negation, which stops at the first & or |;
# overlapping negations are all found (a lookahead), each as the span of its group.
_NEGATION = re.compile(r"(?=(===?\s*(?:-1|false)|<\s*0|!==?\s*true))")
_AND_OR = re.compile(r"[&|]")


class Negations:
    """Where a script's text says ``=== false``, ``== -1``, ``< 0`` or ``!== true``, and where ``&`` or ``|``."""

    def __init__(self, text: str) -> None:
        self._spans = [found.span(1) for found in _NEGATION.finditer(text)]
        self._and_or = [found.start() for found in _AND_OR.finditer(text)]

    def after(self, start: int, close: int) -> bool:
        """What ``NEGATED_AFTER.match(text[start:close])`` says: a negation before the next ``&`` or ``|``.
        One that begins before that also ends before it (none holds ``&`` or ``|``), unless it runs past
        ``close``, where the slice was cut."""
        stop = bisect_left(self._and_or, start)
        end = min(close, self._and_or[stop]) if stop < len(self._and_or) else close
        spans = self._spans
        for at in range(bisect_left(spans, (start, -1)), len(spans)):
            begin, finish = spans[at]
            if begin >= end:
                return False
            if finish <= close:
                return True
        return False
