"""What a page's inline scripts and URLs come to, remembered per process while the pages are read.

A site's pages share their template: the same analytics snippet, the same consent manager's
call, the same script URLs on every page. What they come to depends only on their text (and
the signatures), not on the page, so each is worked out once per process: the vendors an
inline script reveals, its Consent Mode commands, the verdict on each vendor's code, its
storage writes; a URL's parse and the vendors it matches; the marker rules an element matches. The page's own state (what came
before on the page) is applied to these by page.py, as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..kept import Kept
from ..trackers.matching import CompiledDetector, Matchers, ParsedUrl, parse_url
from ..trackers.signatures import UrlKind
from .consent_apis import ConsentCommand, consent_commands
from .consent_code import Code, CodeGate, judge
from .gating import DEFERRED_URL_ATTRIBUTES, Gate, embed_gate, is_code, script_gate
from .javascript import CodeWrite, storage_writes

if TYPE_CHECKING:
    from .page import PageFindings

ENTRIES = 2048  # scripts and URLs of one site's templates, many times over
_LONGEST = 100_000  # a longer script is a bundle pasted once, not a template's snippet: not kept


def vendor_offsets(matchers: Matchers, vendor_id: str, text: str) -> list[int]:
    """Every place in ``text`` where the vendor's inline patterns match: each must wait for the vendor to wait."""
    return [m.start() for pattern in matchers.inline_needles if pattern.compiled.vendor_id == vendor_id
            and (pattern.needle is None or pattern.needle in text) for m in pattern.regex.finditer(text)]


class InlineScript:
    """The page-independent reading of one inline script's text."""

    def __init__(self, matchers: Matchers, text: str) -> None:
        self.text = text
        self.matched: list[tuple[CompiledDetector, re.Match[str]]] = sorted(
            matchers.match_inline(text), key=lambda found: found[1].start())
        # Only a script that names a vendor or speaks of consent has code worth reading (consent_code.py).
        self.has_code = bool(self.matched) or "consent" in text
        self._code: Code | None = None
        self._matchers = matchers
        self._commands: list[ConsentCommand] | None = None
        self._verdicts: dict[str, CodeGate | None] = {}
        self._writes: list[CodeWrite] | None = None

    @property
    def code(self) -> Code | None:
        """The script's bracket structure, built when first asked for: a held script never needs it."""
        if self._code is None and self.has_code:
            self._code = Code(self.text)
        return self._code

    def commands(self) -> list[ConsentCommand]:
        """A fresh list (the caller consumes it) of the script's Consent Mode commands."""
        if self._commands is None:
            code = self.code
            self._commands = consent_commands(code) if code is not None else []
        return list(self._commands)

    def verdict(self, vendor_id: str) -> CodeGate | None:
        assert self.code is not None
        if vendor_id not in self._verdicts:
            self._verdicts[vendor_id] = judge(self.code, vendor_offsets(self._matchers, vendor_id, self.text))
        return self._verdicts[vendor_id]

    def writes(self) -> list[CodeWrite]:
        if self._writes is None:
            self._writes = storage_writes(self.text)
        return self._writes


# The attribute that holds an element's address, before the deferred ones (data-src, ...).
_URL_ATTRIBUTE = {"script": "src", "iframe": "src", "img": "src", "link": "href"}


class Markup:
    """What an element's tag and attributes come to, whatever page it is on: the marker rules it
    matches, the attribute its address is in, whether a script is code, and its gate."""

    __slots__ = ("markers", "url", "code", "gate")

    def __init__(self, matchers: Matchers, tag: str, attrs: dict[str, str], noscript: bool) -> None:
        self.markers = matchers.match_element(tag, attrs)
        self.url: tuple[str, str] | None = None  # (attribute, value)
        primary = _URL_ATTRIBUTE.get(tag)
        if primary is not None:
            for name in (primary, *DEFERRED_URL_ATTRIBUTES):
                value = attrs.get(name)
                if value and value.strip() and value.strip() != "about:blank":
                    self.url = (name, value)
                    break
        self.code = tag == "script" and is_code(attrs)
        self.gate: Gate | None = None
        if self.url is not None:
            if tag == "script":
                self.gate = script_gate(attrs) if self.url[0] == "src" else embed_gate(attrs, self.url[0], False)
            else:
                self.gate = embed_gate(attrs, self.url[0], noscript)


class Memo:
    def __init__(self, matchers: Matchers) -> None:
        self.matchers = matchers
        self._scripts: Kept[str, InlineScript] = Kept(ENTRIES)
        self._urls: Kept[tuple[str, str], ParsedUrl | None] = Kept(ENTRIES)
        self._matches: Kept[tuple[UrlKind, ParsedUrl], list[CompiledDetector]] = Kept(ENTRIES)
        self._markup: Kept[tuple[object, ...], Markup] = Kept(ENTRIES)
        self._pages: Kept[tuple[str, bytes], PageFindings] = Kept(ENTRIES)

    def page(self, page: str, digest: bytes, make: Callable[[], PageFindings]) -> PageFindings:
        """What a whole page held, by its name and the digest of its bytes (small scans only: `mkdocs serve`
        scans the site after each rebuild, and a dirty rebuild leaves most pages as they were)."""
        return self._pages.recall((page, digest), make)

    def script(self, text: str) -> InlineScript:
        if len(text) > _LONGEST:
            return InlineScript(self.matchers, text)
        return self._scripts.recall(text, lambda: InlineScript(self.matchers, text))

    def url(self, value: str, page_dir: str) -> ParsedUrl | None:
        # An absolute URL is the same from every page: one entry, not one per folder of the site.
        absolute = value.lstrip()[:8].lower().startswith(("http://", "https://", "//"))
        return self._urls.recall((value, "" if absolute else page_dir), lambda: parse_url(value, page_dir))

    def markup(self, tag: str, attrs: dict[str, str], noscript: bool) -> Markup:
        return self._markup.recall((tag, noscript, *attrs.items()), lambda: Markup(self.matchers, tag, attrs, noscript))

    def match_url(self, kind: UrlKind, url: ParsedUrl) -> list[CompiledDetector]:
        return self._matches.recall((kind, url), lambda: self.matchers.match_url(kind, url))


_MEMOS: dict[int, Memo] = {}


def memo_for(matchers: Matchers) -> Memo:
    found = _MEMOS.get(id(matchers))
    if found is None or found.matchers is not matchers:
        if len(_MEMOS) > 8:
            _MEMOS.clear()
        found = _MEMOS[id(matchers)] = Memo(matchers)
    return found
