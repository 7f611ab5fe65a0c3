"""The parser's walk over one page: the elements the scan judges, in document order, with their lines.

libxml2's HTML parser (through lxml) builds the tree in C, and one XPath, also in C, picks the few
elements the scan looks at, so Python never visits the page's paragraphs and links. Two things
findings need are not in the tree: libxml2 records for each element the line of its start tag's
closing ``>`` (capped at 65535), while findings name the line of the ``<`` and quote the start tag
as written. Both come from the page's text: the start tags of a tag name are found there in one pass,
only for a name an element of which is reported, and paired with the elements in order.
"""

from __future__ import annotations

import functools
import html
import html.entities
import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..trackers.matching import Matchers, required_literal

# Elements the scan judges whatever their attributes (signature markers add more).
WATCHED = ("script", "iframe", "img", "link", "form", "style", "noscript")
# libxml2 keeps an element's line in 16 bits: from here on, it only says "this line or later".
LINE_CAP = 65535
_WATCHED = frozenset(WATCHED)
_NAME = re.compile(r"[A-Za-z_][\w.-]*\Z")
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
# recover: real pages are malformed; no_network: never fetch a DTD; huge_tree: a text node or depth
# over libxml2's defaults is no reason to stop (reading.py caps the page at 10 MiB already).
_PARSER = etree.HTMLParser(recover=True, no_network=True, huge_tree=True, remove_pis=True, compact=True)
_XPATHS: dict[int, _Selector] = {}
# In a start tag, the first ">" outside quotes ends it; a quote runs to the next of its kind.
_TAG_SPECIAL = re.compile(r"""[>"']""")


class _Selector:
    """The elements that may matter, in document order: watched and marker tags (``iter`` filters
    them in C), and elements of other tags that have an attribute some marker rule is keyed by."""

    def __init__(self, matchers: Matchers) -> None:
        self.matchers = matchers
        self.tags = frozenset(WATCHED) | matchers.marker_tags
        # Material's consent form counts whatever the signatures say (page.py's _markers).
        keys = sorted({*matchers.elements_by_attribute, "data-md-component"})
        self._everything = not all(_NAME.match(key) for key in keys)  # a name XPath cannot spell: every element
        # One XPath per key, run only on a page that may hold a match (``_may_hold``): an XPath walks
        # the whole tree, and most pages have none of these attributes with a value a rule wants.
        self._keyed = [(key.lower(), self._needles(key), etree.XPath(f"//@{key}/..")) for key in keys
                       if not self._everything]

    def _needles(self, key: str) -> tuple[str, ...] | None:
        """Text one of which every value a rule keyed by ``key`` acts on contains; None: any value may."""
        regexes = [rule.attributes[0][1] for rule in self.matchers.elements_by_attribute.get(key, ())]
        if key == "data-md-component":
            regexes.append(re.compile("^consent$"))  # Material's consent form (page.py's _markers)
        needles = [required_literal(regex) for regex in regexes]
        return None if any(needle is None for needle in needles) else tuple(n for n in needles if n)

    @staticmethod
    def _may_hold(text: str, lowered: list[bytes], key: str, needles: tuple[str, ...] | None) -> bool:
        """False only when no element of the page can have ``key`` with a value a rule acts on."""
        if needles is not None and not any(needle in text for needle in needles):
            if "&" not in text:
                return False
            # A value may write a needle's characters as references: numeric ones (&#66;orlabs), or
            # named ones for the few ASCII characters that have a name (&lowbar;, &fjlig;, ...).
            if "&#" not in text and not any(set(needle) & _NAMED_ASCII or "fj" in needle for needle in needles):
                return False
            if "&#" not in text and not any(needle in _unescaped(text) for needle in needles):
                return False
        if key in text:
            return True
        # libxml2 lowers attribute names, in ASCII only (as bytes.lower does), and a name cannot be a reference.
        if not lowered:
            lowered.append(text.encode("utf-8", "surrogatepass").lower())
        return key.encode() in lowered[0]

    def keyed(self, root: Any, text: str) -> list[Any]:
        lowered: list[bytes] = []  # the page's text in lower case, made once if needed
        found: list[Any] = []
        for key, needles, xpath in self._keyed:
            if self._may_hold(text, lowered, key, needles):
                found.extend(xpath(root))
        return found

    def __call__(self, root: Any, text: str) -> list[Any]:
        tags = self.tags
        if self._everything:
            return [node for node in root.iter() if isinstance(node.tag, str)]
        # Only those the judgement acts on (page.py: a marker rule matches, or Material's consent form).
        extra = [node for node in self.keyed(root, text) if node.tag not in tags and self._acts_on(node)]
        if extra:
            # Rare (a WordPress consent box, Material's consent form): one walk keeps the document order.
            chosen = set(extra)  # (a node found under two keys is one node: set, and order by the walk)
            nodes = [node for node in root.iter() if node.tag in tags or node in chosen]
        else:
            nodes = list(root.iter(*tags))
        # A <div>, <input> or <meta> matters only when a marker rule matches it: most do not.
        return [node for node in nodes if node.tag in _WATCHED or node in extra or self._acts_on(node)]

    def _acts_on(self, node: Any) -> bool:
        attrib = node.attrib  # rules look up the names they need (valid names: attrib.get does not raise)
        if attrib.get("data-md-component") == "consent":
            return True
        by_attribute = self.matchers.elements_by_attribute
        return (any(rule.matches(attrib) for rule in self.matchers.elements_by_tag.get(node.tag, ()))
                or any(rule.matches(attrib) for key in by_attribute if attrib.get(key) is not None
                       for rule in by_attribute[key]))


def _unescaped(text: str) -> str:
    return html.unescape(text)


# The ASCII characters HTML has a named reference for (&lowbar; is "_"); "fj" is &fjlig;.
_NAMED_ASCII = frozenset(value for value in html.entities.html5.values() if len(value) == 1 and value.isascii())


def _selector(matchers: Matchers) -> _Selector:
    cached = _XPATHS.get(id(matchers))
    if cached is not None and cached.matchers is matchers:
        return cached
    selector = _XPATHS[id(matchers)] = _Selector(matchers)
    return selector


class _Tags:
    """The start tags of one name in the page's text, in order: ``<name`` followed by a space, ``/`` or
    ``>``, up to the first ``>`` outside quotes (a quote runs to the next of its kind; a tag with a
    quote that never closes, or with no ``>`` after it, is none). Found in one pass, with the lines of
    their ``>`` each counted from the previous tag's, when an element of that name is first reported."""

    __slots__ = ("ends", "lines", "matches", "_attributes")

    def __init__(self, text: str, tag: str, any_case: bool, ends: _TagEnds) -> None:
        self.ends: list[int] = []  # offset of each tag's ">"
        self.lines: list[int] = []  # its line
        self.matches: list[tuple[int, str]] = []  # (offset of "<", the tag as written)
        self._attributes: dict[int, dict[str, str]] = {}  # by index, read when first compared
        line, counted, at = 1, 0, 0
        count, search = text.count, _opening(tag, any_case).search
        while (found := search(text, at)) is not None:
            start = found.start()
            close = ends.end(found.end())
            if close == -1:
                at = start + 1
                continue
            line += count("\n", counted, close)
            counted = close
            self.ends.append(close)
            self.lines.append(line)
            self.matches.append((start, text[start : close + 1]))
            at = close + 1

    def attributes(self, index: int) -> dict[str, str]:
        """The attributes of the ``index``-th start tag as written, read once (a line of a minified page
        is compared with each of its elements in turn)."""
        found = self._attributes.get(index)
        if found is None:
            found = self._attributes[index] = _attributes_of(self.matches[index][1])
        return found


class _TagEnds:
    """Where each start tag of a page's text ends: the first ``>`` outside quotes (a quote runs to the
    next of its kind); -1 when a quote never closes or no ``>`` comes.

    Each question is answered from what earlier ones found, so that a page of many start tags with a
    quote that never closes, or with no ``>`` after them (a hostile or cut-off page), is read once: the
    scan from each of them to the end of the page took time growing with the square of their number.
    From a place outside quotes the outcome is the same whichever tag's scan got there (``outcomes``);
    the next ``>`` or quote after a place is the one found for an earlier place before it, when that
    one is not before it (``_searched``); a quote's closing one is looked for once (``_closing``)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._outcomes: dict[int, int] = {}
        self._searched: tuple[int, int] = (len(text) + 1, -1)  # (from, the next special there; -1: none)
        self._closing: dict[int, int] = {}

    def _next_special(self, at: int) -> int:
        since, found = self._searched
        if since <= at and (found == -1 or at <= found):
            return found
        special = _TAG_SPECIAL.search(self._text, at)
        found = -1 if special is None else special.start()
        self._searched = (at, found)
        return found

    def end(self, at: int) -> int:
        """The offset of the ``>`` that ends a start tag whose name ends at ``at``; -1 when there is none."""
        text, outcomes = self._text, self._outcomes
        path: list[int] = []
        end = -1
        while True:
            known = outcomes.get(at)
            if known is not None:
                end = known
                break
            path.append(at)
            where = self._next_special(at)
            if where == -1:
                break
            if text[where] == ">":
                end = where
                break
            closing = self._closing.get(where)
            if closing is None:
                closing = self._closing[where] = text.find(text[where], where + 1)
            if closing == -1:
                break
            at = closing + 1
        for place in path:
            outcomes[place] = end
        return end


class Source:
    """The page's text, for the lines and the start tags as written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._any_case: set[str] = set()  # tags looked for in any case (after a miss in lower case)
        self._consumed: dict[str, int] = {}  # tag: where the last start tag paired with an element ends
        self._tags: dict[str, _Tags] = {}
        self._cursor: dict[str, int] = {}
        self._ends: _TagEnds | None = None  # shared by every tag name

    def _start_tags(self, tag: str) -> _Tags:
        found = self._tags.get(tag)
        if found is None:
            if self._ends is None:
                self._ends = _TagEnds(self.text)
            found = self._tags[tag] = _Tags(self.text, tag, tag in self._any_case, self._ends)
        return found

    def start_tag(self, tag: str, end_line: int, attrs: dict[str, str]) -> tuple[int, str]:
        """The line and text of the element's start tag, which ends on ``end_line``.

        Start tags inside comments or script strings are also in the list; they are passed over
        by their line, and on a line with several, by their attributes. Tags are looked for in
        lower case first, which the regex finds fast; on a miss, in any case (``<SCRIPT>``)."""
        found = self._find(tag, end_line, attrs)
        if found is None and tag not in self._any_case:
            self._any_case.add(tag)
            del self._tags[tag]
            tags = self._start_tags(tag)
            self._cursor[tag] = bisect_left(tags.ends, self._consumed.get(tag, -1) + 1)
            found = self._find(tag, end_line, attrs)
        if found is None:
            written = "".join(f' {name}="{value}"' for name, value in attrs.items())
            return end_line, f"<{tag}{written}>"  # not found as written (a tag libxml2 repaired): as parsed
        return found

    def _find(self, tag: str, end_line: int, attrs: dict[str, str]) -> tuple[int, str] | None:
        tags = self._start_tags(tag)
        i = self._cursor.get(tag, 0)
        capped = end_line >= LINE_CAP
        if not capped:
            lines = tags.lines
            i = bisect_left(lines, end_line, i)
            last = bisect_left(lines, end_line + 1, i)
        else:
            last = i + 1  # past the cap only the order is known
        if i >= min(last, len(tags.matches)):
            return None
        if last - i > 1:  # several on the line (a minified page): the one with these attributes
            i = next((j for j in range(i, last) if tags.attributes(j) == attrs), i)
        self._cursor[tag] = i + 1
        self._consumed[tag] = tags.ends[i]
        raw = tags.matches[i][1]
        return (tags.lines[i] - raw.count("\n") if capped else end_line - raw.count("\n")), raw


@functools.lru_cache(maxsize=256)
def _opening(tag: str, any_case: bool) -> re.Pattern[str]:
    # In lower case the regex begins with a literal ("<script"), which the search skips to at C speed.
    name = re.escape(tag)
    return re.compile(rf"<(?i:{name})(?=[\s/>])" if any_case else rf"<{name}(?=[\s/>])")


def _attributes_of(start_tag: str) -> dict[str, str]:
    body = start_tag[1:-1].split(None, 1)
    parsed: dict[str, str] = {}
    for m in _ATTRIBUTE.finditer(body[1] if len(body) > 1 else ""):
        # A name given twice: libxml2 (as the HTML spec) keeps the first.
        parsed.setdefault(m.group(1).lower(), html.unescape(m.group(2) or m.group(3) or m.group(4) or ""))
    parsed.pop("/", None)
    return parsed


class Element:
    """One element the scan judges: its tag, attributes, text (for script and style) and place."""

    __slots__ = ("tag", "attrs", "text", "noscript", "end_line", "_source", "_where")

    def __init__(self, tag: str, attrs: dict[str, str], text: str, noscript: bool, end_line: int,
                 source: Source) -> None:
        self.tag = tag
        self.attrs = attrs
        self.text = text
        self.noscript = noscript  # inside a <noscript>
        self.end_line = end_line  # the line of the start tag's ">", where an inline script's code begins
        self._source = source
        self._where: tuple[int, str] | None = None

    def where(self) -> tuple[int, str]:
        """(line of the start tag's "<", the start tag as written), looked up only when reported."""
        if self._where is None:
            self._where = self._source.start_tag(self.tag, self.end_line, self.attrs)
        return self._where


def tree(text: str) -> Any:
    """The page's tree (its root element), or None for a page with nothing libxml2 makes a document of."""
    if not text.strip():
        return None
    try:
        return etree.fromstring(text, _PARSER)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError):
        return None  # only a doctype, or only a comment


def elements(matchers: Matchers, text: str) -> Iterator[Element]:
    """The page's elements that may matter to the scan, in document order."""
    root = tree(text)
    if root is None:
        return
    selector = _selector(matchers)
    source = Source(text)
    noscripts = False
    for node in selector(root, text):
        tag = node.tag
        if not isinstance(tag, str):
            continue
        if tag == "noscript":
            noscripts = True
        inside = noscripts and next(node.iterancestors("noscript"), None) is not None
        inner = (node.text or "") if tag in ("script", "style") else ""
        if inner and text.endswith(inner):
            # Cut off before its end tag: a browser never runs such a script (the HTML spec marks it
            # "already started"), and the scan has always read nothing of it.
            inner = ""
        # items(), not attrib: a name such as "{{x}}" (a template left in the page) makes attrib[...] raise.
        yield Element(tag, dict(node.items()), inner, inside, node.sourceline or 1, source)
