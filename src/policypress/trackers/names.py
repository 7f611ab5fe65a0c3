"""Cookie and storage names that may contain a variable part, and whether two of them can meet.

A declaration writes ``_ga_*``; a signature writes ``_ga_<measurement-id>``; a script writes
``_ga_ABC123``. Each is a pattern whose ``*`` or ``<placeholder>`` stands for a variable part
(an id, a site's path). Two names "match" when one real name fits both:

- a concrete name and a pattern: the name must fit the pattern (``_ga_ABC123`` fits ``_ga_*``);
- two patterns: a name made from one of them, its variable parts left empty or filled with a
  plain character, must fit the other. ``_ga_*`` and ``_ga_<measurement-id>`` meet (``_ga_0``
  fits both); ``*.__consent`` and ``_hjSessionUser_<site-id>`` do not. Plain intersection of
  the two languages would say they do (``_hjSessionUser_.__consent`` fits both), but only
  because each wildcard swallows the other's literal part: no real cookie is named like that,
  and treating them as one made the scan report a Hotjar cookie as a wrongly typed Material key.
  The check is sound (every overlap it reports has a name fitting both) and conservative.

The comparison is symmetric, so a declared pattern covers an observed name and a declared
name satisfies an observed pattern alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_PLACEHOLDER = re.compile(r"<[^<>]*>")
# What a variable part is filled with when a pattern is turned into a name to test against another.
_FILLERS = ("", "0")


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
def parts_regex(parts: tuple[str, ...]) -> re.Pattern[str]:
    """Literal parts joined by "any run of characters": the whole pattern, for ``fullmatch``."""
    return re.compile(".*".join(re.escape(part) for part in parts), re.DOTALL)


def _some_instance_fits(parts: tuple[str, ...], other: tuple[str, ...]) -> bool:
    regex = parts_regex(other)
    return any(regex.fullmatch(filler.join(parts)) is not None for filler in _FILLERS)


@lru_cache(maxsize=16384)
def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) == 1 and len(b) == 1:
        return a == b
    # Cheap rejections first: the fixed starts and ends must agree.
    if not (a[0].startswith(b[0]) or b[0].startswith(a[0])):
        return False
    if not (a[-1].endswith(b[-1]) or b[-1].endswith(a[-1])):
        return False
    # For a literal, its only instance is itself.
    return _some_instance_fits(a, b) or _some_instance_fits(b, a)


def names_overlap(a: NamePattern, b: NamePattern) -> bool:
    """True when a name fits both: see the module's docstring for what "fits" means for two patterns."""
    return _overlap(a.parts, b.parts)


@lru_cache(maxsize=8192)
def globs_intersect(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether any text fits both globs (given as literal parts between wildcards): the full intersection.

    For URLs, where a template placeholder really can stand for anything, including text a
    signature expects (``id={{ site.gtag }}`` against ``id=G-*``). ``meet[i][j]``: whether the
    rest of ``a`` from character i and the rest of ``b`` from j can spell the same text, either
    wildcard absorbing characters of the other side; filled from the ends, without recursion.
    """
    wild = "\x00"
    left, right = wild.join(a), wild.join(b)
    n, m = len(left), len(right)
    below = [False] * (m + 1)  # row i + 1
    for i in range(n, -1, -1):
        row = [False] * (m + 1)
        for j in range(m, -1, -1):
            if i == n and j == m:
                row[j] = True
            elif i < n and left[i] == wild:
                row[j] = below[j] or (j < m and row[j + 1])
            elif j < m and right[j] == wild:
                row[j] = row[j + 1] or (i < n and below[j])
            else:
                row[j] = i < n and j < m and left[i] == right[j] and below[j + 1]
        below = row
    return below[0]
