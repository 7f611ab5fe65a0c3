"""Cookie and storage names that may contain a variable part, and whether two of them can meet.

A declaration writes ``_ga_*``; a signature writes ``_ga_<measurement-id>``; a script writes
``_ga_ABC123``. Each is a pattern whose ``*`` or ``<placeholder>`` stands for any run of
characters, and two names "match" when some real name fits both. That makes the comparison
symmetric, so a declared pattern covers an observed name and a declared name satisfies an
observed pattern alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_PLACEHOLDER = re.compile(r"<[^<>]*>")


@dataclass(frozen=True)
class NamePattern:
    """A name as written, split into its literal parts: ``a*b`` is ``("a", "b")``."""

    text: str
    parts: tuple[str, ...] = field(compare=False)

    @property
    def is_literal(self) -> bool:
        return len(self.parts) == 1

    @property
    def glob(self) -> str:
        """The name with every variable part written as ``*``, as cookies.yaml spells patterns."""
        return "*".join(self.parts)

    def __str__(self) -> str:
        return self.text


@lru_cache(maxsize=4096)
def parse_name(text: str) -> NamePattern:
    unified = _PLACEHOLDER.sub("*", text)
    # Consecutive wildcards mean the same as one.
    unified = re.sub(r"\*+", "*", unified)
    return NamePattern(text=text, parts=tuple(unified.split("*")))


@lru_cache(maxsize=4096)
def _regex(pattern: NamePattern) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.parts), re.DOTALL)


def names_overlap(a: NamePattern, b: NamePattern) -> bool:
    """True when at least one concrete name fits both patterns."""
    if a.is_literal and b.is_literal:
        return a.parts[0] == b.parts[0]
    if a.is_literal:
        return _regex(b).fullmatch(a.parts[0]) is not None
    if b.is_literal:
        return _regex(a).fullmatch(b.parts[0]) is not None
    # Cheap rejections first: the fixed starts and ends must agree.
    head_a, head_b = a.parts[0], b.parts[0]
    if not (head_a.startswith(head_b) or head_b.startswith(head_a)):
        return False
    tail_a, tail_b = a.parts[-1], b.parts[-1]
    if not (tail_a.endswith(tail_b) or tail_b.endswith(tail_a)):
        return False
    return _patterns_intersect(a.glob, b.glob)


@lru_cache(maxsize=8192)
def _patterns_intersect(a: str, b: str) -> bool:
    """Two glob patterns (only ``*``) share a word: walk both, letting either star absorb the other side."""
    memo: dict[tuple[int, int], bool] = {}

    def meet(i: int, j: int) -> bool:
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(a) and j == len(b):
            result = True
        elif i < len(a) and a[i] == "*":
            result = meet(i + 1, j) or (j < len(b) and meet(i, j + 1))
        elif j < len(b) and b[j] == "*":
            result = meet(i, j + 1) or (i < len(a) and meet(i + 1, j))
        else:
            result = i < len(a) and j < len(b) and a[i] == b[j] and meet(i + 1, j + 1)
        memo[key] = result
        return result

    return meet(0, 0)
