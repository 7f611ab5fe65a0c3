"""What the site's own code stores: literal cookie writes and Web Storage keys, found by pattern.

Only names written as string literals can be known without running the code; a name built
at run time (``document.cookie = name + "=" + value``) is beyond a static scan and is left to
the browser audit. The patterns are deliberately narrow so that every hit is a real write.
``mask`` blanks a script's strings, comments and regex literals, for consent_code.py's reading.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
import re
from dataclasses import dataclass

from ..vocabulary import StorageType
from .consent_apis import REGEX_AFTER

_QUOTED = r"""(?P<q>["'`])(?P<name>[^"'`\s]+?)(?P=q)"""
_STORAGE = r"(?P<store>localStorage|sessionStorage)"

_COOKIE_WRITE = re.compile(r"""\bdocument\s*\.\s*cookie\s*=(?!=)\s*(?P<q>["'`])\s*(?P<name>[^=;"'`\s]+)\s*=""")
_SET_ITEM = re.compile(rf"\b{_STORAGE}\s*\.\s*setItem\s*\(\s*{_QUOTED}")
_INDEX_WRITE = re.compile(rf"\b{_STORAGE}\s*\[\s*{_QUOTED}\s*\]\s*=(?!=)")
_PROPERTY_WRITE = re.compile(rf"\b{_STORAGE}\s*\.\s*(?P<name>[A-Za-z_$][\w$]*)\s*=(?!=)")
_STORAGE_METHODS = frozenset({"setItem", "getItem", "removeItem", "clear", "key", "length"})

_CSS_URL = re.compile(r"""@import\s+(?:url\(\s*)?["']?(?P<a>[^"')\s;]+)|url\(\s*["']?(?P<b>[^"')\s]+)""")


@dataclass(frozen=True)
class CodeWrite:
    """One literal write, at ``offset`` in the text it was found in."""

    type: StorageType
    name: str
    offset: int
    code: str


def _excerpt(text: str, start: int) -> str:
    """The statement from ``start`` to the end of its line, shortened for a report."""
    end = text.find("\n", start)
    snippet = " ".join(text[start : end if end != -1 else len(text)].split())
    return snippet if len(snippet) <= 120 else snippet[:117] + "..."


def storage_writes(text: str) -> list[CodeWrite]:
    if "cookie" not in text and "Storage" not in text:
        return []
    found: list[CodeWrite] = []
    for match in _COOKIE_WRITE.finditer(text):
        name = match["name"]
        if "${" not in name:
            found.append(CodeWrite(StorageType.COOKIE, name, match.start(), _excerpt(text, match.start())))
    for regex in (_SET_ITEM, _INDEX_WRITE, _PROPERTY_WRITE):
        for match in regex.finditer(text):
            name = match["name"]
            if "${" in name or (regex is _PROPERTY_WRITE and name in _STORAGE_METHODS):
                continue
            store = StorageType.LOCAL_STORAGE if match["store"] == "localStorage" else StorageType.SESSION_STORAGE
            found.append(CodeWrite(store, name, match.start(), _excerpt(text, match.start())))
    found.sort(key=lambda write: write.offset)
    return found


def css_urls(text: str) -> list[tuple[str, int]]:
    """Absolute URLs a stylesheet fetches (``@import``, ``url()``), with their offsets."""
    if "//" not in text:
        return []
    urls = []
    for match in _CSS_URL.finditer(text):
        url = match["a"] or match["b"]
        if url.startswith(("//", "http://", "https://")):
            urls.append((url, match.start()))
    return urls


def line_at(text: str, offset: int, first_line: int = 1) -> int:
    """The line of ``offset`` in ``text``, whose first line is ``first_line``.

    Callers ask for many offsets of one text (each write, address and command of a script): from the
    second question about a text on, its line ends are found once and looked up, where counting from
    the start each time grew with the square of the text's size."""
    global _last
    asked, ends = _last  # one tuple, read and replaced whole: another thread's text is never mixed in
    if asked is not text:
        _last = (text, None)
        return first_line + text.count("\n", 0, offset)
    if ends is None:
        ends = array("q", [found.start() for found in _NEWLINE.finditer(text)])  # 8 bytes a line, not some 36
        _last = (text, ends)
    return first_line + bisect_left(ends, offset)


_NEWLINE = re.compile("\n")
_last: tuple[str | None, array[int] | None] = (None, None)  # the text asked about last, its line ends once asked again


# Where mask() must look: the characters that may open a string, a comment or a regex literal.
_OPENERS = re.compile(r"""[/'"`]""")
# Inside each kind of literal, the characters that may end it (or escape the next one).
_INSIDE = {"'": re.compile(r"[\\'\n]"), '"': re.compile(r'[\\"\n]'), "`": re.compile(r"[\\`]"),
           "/": re.compile(r"[\\/\[\]\n]")}
BRACKETS = re.compile(r"[(){}\[\]]")


def _blank(piece: str) -> str:
    return " " * len(piece) if "\n" not in piece else re.sub(r"[^\n]", " ", piece)


def mask(text: str) -> str:
    """``text`` with the insides of strings, comments and regex literals blanked, brackets kept.

    The regexes jump from one character that matters to the next; between them, only the last
    character that is not a space counts (after it, a ``/`` opens a regex literal or divides)."""
    out: list[str] = []
    i, n, last, kept = 0, len(text), "", 0  # text[kept:i] is still to be copied as it is

    def blank(start: int, end: int) -> None:
        nonlocal kept
        end = min(end, n)
        out.append(text[kept:start])
        out.append(_blank(text[start:end]))
        kept = end

    while i < n:
        found = _OPENERS.search(text, i)
        if found is None:
            break
        at = found.start()
        between = text[i:at].rstrip()
        if between:
            last = between[-1]
        c = text[at]
        nxt = text[at + 1] if at + 1 < n else ""
        if c == "/" and nxt == "/":
            end = text.find("\n", at)
            end = n if end == -1 else end
            blank(at, end)
            i = end
        elif c == "/" and nxt == "*":
            end = text.find("*/", at + 2)
            end = n if end == -1 else end + 2
            blank(at, end)
            i = end
        elif c in "'\"`" or (c == "/" and (last == "" or last in REGEX_AFTER)):
            j, in_class, inside = at + 1, False, _INSIDE[c]
            while True:
                stop = inside.search(text, j)
                if stop is None:
                    j = n
                    break
                j = stop.start()
                ch = text[j]
                if ch == "\\":
                    j += 2
                    continue
                if ch == "\n":  # only the searches of ' " and / stop at a line end
                    break
                if c == "/" and ch in "[]":
                    in_class = ch == "["
                elif not in_class:  # the closing delimiter
                    break
                j += 1
            blank(at + 1, j)
            last, i = c, j + 1
        else:
            last, i = c, at + 1
    out.append(text[kept:])
    return "".join(out)
