"""The signatures compiled for speed: URL lookups by host, inline regexes, element markers.

A site of ten thousand pages has hundreds of thousands of URLs and tags; each must be
checked against every vendor's patterns without trying them one by one.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .signatures import Detector, Signatures, UrlKind, Vendor

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_NOT_FETCHED = ("#", "data:", "javascript:", "mailto:", "tel:", "blob:", "about:")


@dataclass(frozen=True)
class ParsedUrl:
    """A URL reduced to what the patterns look at. ``host`` is None for the scanned site itself."""

    host: str | None
    rest: str  # the path, with ``?query`` when there is one; always starts with /

    @property
    def local_path(self) -> str:
        """For a URL on the site itself: the path without the query, as a file path inside the folder."""
        return self.rest.split("?", 1)[0]


def parse_url(value: str, page_dir: str) -> ParsedUrl | None:
    """``value`` as found in an attribute of a page in ``page_dir`` (a site path such as ``/en/``)."""
    url = value.strip()
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


def _glob_prefix(text: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(piece) for piece in text.split("*")), re.DOTALL)


@dataclass
class UrlIndex:
    """The URL patterns of one kind (script, iframe, ...), looked up by host."""

    exact: dict[str, list[tuple[re.Pattern[str], CompiledDetector]]] = field(default_factory=lambda: defaultdict(list))
    suffix: dict[str, list[tuple[re.Pattern[str], CompiledDetector]]] = field(default_factory=lambda: defaultdict(list))
    local: list[tuple[re.Pattern[str], CompiledDetector]] = field(default_factory=list)

    def add(self, pattern: str, compiled: CompiledDetector) -> None:
        if pattern.startswith("/"):
            self.local.append((_glob_prefix(pattern), compiled))
            return
        cut = min((at for at in (pattern.find("/"), pattern.find("?")) if at != -1), default=len(pattern))
        host, rest = pattern[:cut].lower(), pattern[cut:] or "/"
        if not rest.startswith("/"):
            rest = "/" + rest
        entry = (_glob_prefix(rest), compiled)
        if host.startswith("*."):
            self.suffix[host[2:]].append(entry)
        else:
            self.exact[host].append(entry)

    def match(self, url: ParsedUrl) -> list[CompiledDetector]:
        if url.host is None:
            candidates: Iterable[tuple[re.Pattern[str], CompiledDetector]] = self.local
        else:
            candidates = list(self.exact.get(url.host, ()))
            host = url.host
            while True:
                candidates.extend(self.suffix.get(host, ()))
                dot = host.find(".")
                if dot == -1:
                    break
                host = host[dot + 1 :]
        return [compiled for regex, compiled in candidates if regex.match(url.rest)]


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


@dataclass
class Matchers:
    """Every detector of every vendor, arranged for the page parser."""

    signatures: Signatures
    urls: dict[UrlKind, UrlIndex]
    inline: list[tuple[re.Pattern[str], CompiledDetector]]
    elements_by_tag: dict[str, list[ElementRule]]
    # Rules for any tag, keyed by the attribute that must be present, so most tags cost one lookup.
    elements_by_attribute: dict[str, list[ElementRule]]

    @property
    def marker_tags(self) -> frozenset[str]:
        return frozenset(self.elements_by_tag)

    def match_url(self, kind: UrlKind, url: ParsedUrl) -> list[CompiledDetector]:
        return first_per_vendor(self.urls[kind].match(url))

    def match_inline(self, text: str) -> list[tuple[CompiledDetector, re.Match[str]]]:
        hits: dict[str, tuple[CompiledDetector, re.Match[str]]] = {}
        for regex, compiled in self.inline:
            if compiled.vendor_id in hits and hits[compiled.vendor_id][0].order < compiled.order:
                continue
            found = regex.search(text)
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


def compile_signatures(signatures: Signatures) -> Matchers:
    urls = {kind: UrlIndex() for kind in UrlKind}
    inline: list[tuple[re.Pattern[str], CompiledDetector]] = []
    by_tag: dict[str, list[ElementRule]] = defaultdict(list)
    by_attribute: dict[str, list[ElementRule]] = defaultdict(list)
    for vendor_id, vendor in signatures.vendors.items():
        for order, detector in enumerate(vendor.detect):
            compiled = CompiledDetector(vendor_id, vendor, detector, order)
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
