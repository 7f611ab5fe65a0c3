"""The signatures compiled for speed: URL lookups by host, inline regexes, element markers.

A site of ten thousand pages has hundreds of thousands of URLs and tags; each must be
checked against every vendor's patterns without trying them one by one.

Pages read from a site's repository rather than its build still hold template placeholders
(``gtag/js?id={{ site.gtag }}``, ``<?php echo $id ?>``). Each placeholder becomes a ``*``
that may stand for anything, so the host and path still name the vendor.
"""

from __future__ import annotations

import posixpath
import re
import re._constants as _sre  # type: ignore[import-not-found]
import re._parser as _sre_parse  # type: ignore[import-not-found]
from collections import defaultdict
from dataclasses import dataclass, field

from .memo import memoized_on_identity
from .names import globs_intersect
from ..vocabulary import CookieCategory
from .signatures import Detector, Signatures, UrlKind, Vendor

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_FETCHED = ("#", "data:", "javascript:", "mailto:", "tel:", "blob:", "about:")
# Jinja/Liquid/Nunjucks/Twig ({{ }}, {% %}), PHP (<?php ?>, <?= ?>), ERB/EJS/ASP (<%= %>), JS template literals (${ }).
# Each opener with its closer; ``${`` closes at the first "}" before any other brace (_wildcards).
_CLOSERS = {"{{": "}}", "{%": "%}", "<?": "?>", "<%": "%>"}
_OPENER = re.compile(r"\{\{|\{%|<\?|<%|\$\{")
WILDCARD = "*"
_CATEGORY_ORDER = list(CookieCategory)
# Browsers drop every tab and line break from a URL (WHATWG URL, "remove all ASCII tab or newline").
_DROPPED = str.maketrans("", "", "\t\n\r\x00")


@dataclass(frozen=True)
class ParsedUrl:
    """A URL reduced to what the patterns look at. ``host`` is None for the scanned site itself."""

    host: str | None  # a template placeholder in it shows as *
    rest: str  # the path, with ``?query`` when there is one; always starts with /; placeholders as *

    @property
    def host_templated(self) -> bool:
        """The host is chosen by a template (``https://{{ cdn }}/x.js``): only host-less patterns can match."""
        return self.host is not None and WILDCARD in self.host

    @property
    def templated(self) -> bool:
        return self.host_templated or WILDCARD in self.rest

    @property
    def local_path(self) -> str:
        """For a URL on the site itself: the path without the query, as a file path inside the folder."""
        return self.rest.split("?", 1)[0]


def _wildcards(value: str) -> str:
    """``value`` with each template placeholder as ``*``: the first closer after each opener ends it.

    What ``re.sub`` of the lazy pattern ``{{.*?}}|{%.*?%}|...`` gives, but an opener whose closer
    never comes is known to fail for every later one of its kind: a value of many openers and no
    closer (a hostile page) is read once, where the regex scanned from each to the end."""
    if "{" not in value and "<" not in value:
        return value
    parts: list[str] = []
    done = 0  # what is copied to parts
    at = 0
    closerless: dict[str, int] = {}  # kind: from here on there is no closer of it
    search, find = _OPENER.search, value.find
    while (opener := search(value, at)) is not None:
        start, inside = opener.start(), opener.end()
        kind = opener.group()
        end = -1
        if kind == "${":
            brace = _BRACE.search(value, inside)
            if brace is not None and value[brace.start()] == "}":
                end = brace.end()
        elif inside < closerless.get(kind, len(value) + 1):
            found = find(_CLOSERS[kind], inside)
            if found == -1:
                closerless[kind] = inside
            else:
                end = found + len(_CLOSERS[kind])
        if end == -1:
            at = start + 1
            continue
        parts.append(value[done:start])
        parts.append(WILDCARD)
        done = at = end
    if not parts:
        return value
    parts.append(value[done:])
    return "".join(parts)


_BRACE = re.compile(r"[{}]")


def parse_url(value: str, page_dir: str) -> ParsedUrl | None:
    """``value`` as found in an attribute of a page in ``page_dir`` (a site path such as ``/en/``).

    A URL that starts with a placeholder (``{{ base_url }}/js/app.js``, ``{{ site.baseurl }}/x``) is
    taken for the site's own: that is what such base-URL variables hold.
    """
    url = _wildcards(value.translate(_DROPPED)).strip()
    if url.startswith(WILDCARD):
        path = url.lstrip(WILDCARD)
        if path.startswith("/") and not path.startswith("//"):
            url = path
    if not url or url.lower().startswith(_NOT_FETCHED):
        return None
    lower = url[:8].lower()
    if url.startswith("//"):
        remote = url[2:]
    elif lower.startswith("https://"):
        remote = url[8:]
    elif lower.startswith("http://"):
        remote = url[7:]
    elif _SCHEME.match(url):
        return None
    else:
        url = url.split("#", 1)[0]
        path, sep, query = url.partition("?")
        resolved = posixpath.normpath(posixpath.join(page_dir, path)) if path else page_dir
        if resolved.startswith("//"):
            resolved = "/" + resolved.lstrip("/")
        return ParsedUrl(None, resolved + (f"?{query}" if sep else ""))
    remote = remote.split("#", 1)[0]
    end = len(remote)
    for stop in "/?":
        at = remote.find(stop)
        if at != -1:
            end = min(end, at)
    host = remote[:end].rsplit("@", 1)[-1].split(":", 1)[0].lower().rstrip(".")
    rest = remote[end:]
    if not rest.startswith("/"):
        rest = "/" + rest
    return ParsedUrl(host or None, rest) if host else None


@dataclass(frozen=True)
class CompiledDetector:
    vendor_id: str
    vendor: Vendor
    detector: Detector
    order: int  # position in the vendor's list: for one element, the first match of a vendor counts
    rank: int = 0  # the vendor's position among all signatures: the first wins a URL a template leaves open


@dataclass(frozen=True)
class _PathPattern:
    """The path part of a URL pattern, matched as a prefix; ``*`` matches any run of characters."""

    regex: re.Pattern[str]
    parts: tuple[str, ...]  # the literal parts, with a last empty one for "anything may follow"

    @classmethod
    def of(cls, text: str) -> _PathPattern:
        pieces = text.split(WILDCARD)
        return cls(re.compile(".*".join(re.escape(piece) for piece in pieces), re.DOTALL), (*pieces, ""))

    def matches(self, url: ParsedUrl) -> bool:
        if WILDCARD in url.rest:
            return globs_intersect(self.parts, tuple(url.rest.split(WILDCARD)))
        return self.regex.match(url.rest) is not None


_Entry = tuple[_PathPattern, CompiledDetector]


@dataclass
class UrlIndex:
    """The URL patterns of one kind (script, iframe, ...), looked up by host.

    A pattern's host may be ``*.example.com`` (the domain and its subdomains), or ``*`` alone
    (any host, the site's own included: software a site hosts itself, such as Matomo).
    """

    exact: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    suffix: dict[str, list[_Entry]] = field(default_factory=lambda: defaultdict(list))
    local: list[_Entry] = field(default_factory=list)
    anywhere: list[_Entry] = field(default_factory=list)

    def add(self, pattern: str, compiled: CompiledDetector) -> None:
        if pattern.startswith("/"):
            self.local.append((_PathPattern.of(pattern), compiled))
            return
        cut = min((at for at in (pattern.find("/"), pattern.find("?")) if at != -1), default=len(pattern))
        host, rest = pattern[:cut].lower(), pattern[cut:] or "/"
        if not rest.startswith("/"):
            rest = "/" + rest
        entry = (_PathPattern.of(rest), compiled)
        if host == WILDCARD:
            self.anywhere.append(entry)
        elif host.startswith("*."):
            self.suffix[host[2:]].append(entry)
        else:
            self.exact[host].append(entry)

    def match(self, url: ParsedUrl) -> list[CompiledDetector]:
        # Without a host of its own, a pattern names a vendor by its path: a template must not have
        # chosen the path (``{{ x }}.js`` is no evidence of anything), only, at most, the query.
        by_path: list[_Entry] = []
        if WILDCARD not in url.local_path:
            by_path = [*self.local, *self.anywhere] if url.host is None else self.anywhere
        candidates: list[_Entry]
        if url.host is None or url.host_templated:
            candidates = list(by_path)
        else:
            candidates = list(self.exact.get(url.host, ()))
            host = url.host
            while True:
                candidates.extend(self.suffix.get(host, ()))
                dot = host.find(".")
                if dot == -1:
                    break
                host = host[dot + 1 :]
            candidates.extend(by_path)
        return [compiled for path, compiled in candidates if path.matches(url)]


@dataclass(frozen=True)
class ElementRule:
    compiled: CompiledDetector
    attributes: tuple[tuple[str, re.Pattern[str]], ...]

    def matches(self, attrs: dict[str, str]) -> bool:
        for name, regex in self.attributes:
            value = attrs.get(name)
            if value is None or not regex.search(value):
                return False
        return True


def required_literal(regex: re.Pattern[str]) -> str | None:
    """A piece of text every match of ``regex`` contains (its longest run of plain characters at the
    top level, outside groups, repeats and alternatives); None when there is none to rely on.

    A script without it cannot match, so ``in`` (C-speed substring search) rules the pattern out
    before the regex engine runs: most scripts hold none of the hundred-odd vendors' needles."""
    if regex.flags & (re.IGNORECASE | re.VERBOSE):
        return None  # a case-folded or verbose pattern's text is not its literal
    try:
        parsed = _sre_parse.parse(regex.pattern, regex.flags)
    except Exception:  # the private parser changed: lose the shortcut, never a match
        return None
    best, run = "", []
    for op, arg in [*parsed, (None, None)]:
        if op is _sre.LITERAL:
            run.append(chr(arg))
            continue
        # Anything else (a class, a repeat, a group, an alternative, even a zero-width \b) ends the run.
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best or None


@dataclass(frozen=True)
class InlinePattern:
    regex: re.Pattern[str]
    compiled: CompiledDetector
    needle: str | None  # ``required_literal``: when absent from a text, the regex cannot match it


@dataclass
class Matchers:
    """Every detector of every vendor, arranged for the page parser."""

    signatures: Signatures
    urls: dict[UrlKind, UrlIndex]
    inline: list[tuple[re.Pattern[str], CompiledDetector]]
    elements_by_tag: dict[str, list[ElementRule]]
    # Rules for any tag, keyed by the attribute that must be present, so most tags cost one lookup.
    elements_by_attribute: dict[str, list[ElementRule]]
    # ``inline`` again, each with its needle (patterns without one are tried on every text).
    inline_needles: list[InlinePattern] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.inline_needles:
            self.inline_needles = [InlinePattern(regex, compiled, required_literal(regex))
                                   for regex, compiled in self.inline]

    @property
    def marker_tags(self) -> frozenset[str]:
        return frozenset(self.elements_by_tag)

    def match_url(self, kind: UrlKind, url: ParsedUrl) -> list[CompiledDetector]:
        found = first_per_vendor(self.urls[kind].match(url))
        if url.templated and len(found) > 1:
            # ``gtag/js?id={{ site.gtag }}`` fits GA4, Universal Analytics and Google Ads alike: one page
            # loads one of them, so name one rather than three: the one that needs the least consent
            # (analytics before marketing), then the first in the signatures.
            found = [min(found, key=lambda compiled: (_CATEGORY_ORDER.index(compiled.vendor.category), compiled.rank))]
        return found

    def match_inline(self, text: str) -> list[tuple[CompiledDetector, re.Match[str]]]:
        hits: dict[str, tuple[CompiledDetector, re.Match[str]]] = {}
        for pattern in self.inline_needles:
            if pattern.needle is not None and pattern.needle not in text:
                continue  # the regex needs this text: it cannot match (the cheap test first)
            compiled = pattern.compiled
            if compiled.vendor_id in hits and hits[compiled.vendor_id][0].order < compiled.order:
                continue
            found = pattern.regex.search(text)
            if found:
                hits[compiled.vendor_id] = (compiled, found)
        return list(hits.values())

    def match_element(self, tag: str, attrs: dict[str, str]) -> list[CompiledDetector]:
        found = [rule.compiled for rule in self.elements_by_tag.get(tag, ()) if rule.matches(attrs)]
        for name in attrs:
            for rule in self.elements_by_attribute.get(name, ()):
                if rule.matches(attrs):
                    found.append(rule.compiled)
        return first_per_vendor(found)


def first_per_vendor(found: list[CompiledDetector]) -> list[CompiledDetector]:
    best: dict[str, CompiledDetector] = {}
    for compiled in found:
        current = best.get(compiled.vendor_id)
        if current is None or compiled.order < current.order:
            best[compiled.vendor_id] = compiled
    return list(best.values())


@memoized_on_identity
def compile_signatures(signatures: Signatures) -> Matchers:
    urls = {kind: UrlIndex() for kind in UrlKind}
    inline: list[tuple[re.Pattern[str], CompiledDetector]] = []
    by_tag: dict[str, list[ElementRule]] = defaultdict(list)
    by_attribute: dict[str, list[ElementRule]] = defaultdict(list)
    for rank, (vendor_id, vendor) in enumerate(signatures.vendors.items()):
        for order, detector in enumerate(vendor.detect):
            compiled = CompiledDetector(vendor_id, vendor, detector, order, rank)
            kind = detector.kind
            if kind == "inline":
                inline.append((re.compile(detector.target), compiled))
            elif kind == "element":
                rule = ElementRule(
                    compiled, tuple((name.lower(), re.compile(regex)) for name, regex in detector.attributes.items())
                )
                if detector.target == "*":
                    by_attribute[rule.attributes[0][0]].append(rule)
                else:
                    by_tag[detector.target].append(rule)
            else:
                urls[UrlKind(kind)].add(detector.target, compiled)
    return Matchers(signatures, urls, inline, dict(by_tag), dict(by_attribute))
