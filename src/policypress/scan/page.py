"""One HTML page, its elements as ``parse.py`` walks them: what it loads, and how.

The parser reports every script, frame, image, link and form that matches a vendor's
signature, with its line and whether it waits for consent; the site's own scripts and
stylesheets that the page loads (for the folder scan to read once); literal storage writes
in inline scripts; and scripts or frames from hosts no signature knows.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..vocabulary import StorageType
from .gating import (
    RUNS_AT_ONCE,
    ConsentMode,
    Gate,
    MaterialAnalytics,
    auto_blocked,
    auto_blocker,
    before_manager,
    from_code,
    inline_gate,
    manager_loader,
)
from .javascript import css_urls, line_at
from .memo import Markup, memo_for
from .parse import Element, elements
from ..trackers.matching import CompiledDetector, Matchers, ParsedUrl
from ..trackers.signatures import UrlKind
from ..vocabulary import CookieCategory

# Managers whose script, once loaded, can block what comes after it; what comes before, it cannot.
_BLOCKING_MANAGERS = frozenset({"cookiebot", "OneTrust"})

_LINK_RELS = frozenset({"stylesheet", "preload", "preconnect", "prefetch", "modulepreload"})
_SNIPPET = 160


def snippet(text: str, limit: int = _SNIPPET) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


@dataclass(frozen=True)
class Hit:
    """A vendor found in the page."""

    compiled: CompiledDetector
    line: int
    element: str
    gate: Gate
    via: str | None = None  # the site's own file the vendor was found in, such as js/app.js:12


@dataclass(frozen=True)
class Write:
    type: StorageType
    name: str
    line: int
    code: str


@dataclass(frozen=True)
class LocalFile:
    """A script or stylesheet of the site itself that the page loads."""

    path: str  # the site path, such as /js/app.js (query kept, for mirrors that keep it in file names)
    line: int
    element: str
    gate: Gate


@dataclass(frozen=True)
class Stranger:
    """A script, frame, image, stylesheet or form from a host that no signature knows."""

    host: str
    kind: UrlKind
    line: int
    element: str
    gate: Gate


@dataclass
class PageFindings:
    hits: list[Hit] = field(default_factory=list)
    writes: list[Write] = field(default_factory=list)
    local_scripts: list[LocalFile] = field(default_factory=list)
    local_styles: list[LocalFile] = field(default_factory=list)
    strangers: list[Stranger] = field(default_factory=list)
    material_consent: bool = False


class PageParser:
    """The judgement of one page, fed its elements in document order, then closed."""

    def __init__(self, matchers: Matchers, page: str) -> None:
        self._matchers = matchers
        self._memo = memo_for(matchers)
        self._page_dir = "/" + posixpath.dirname(page)
        self._marker_tags = matchers.marker_tags
        self._attribute_markers = matchers.elements_by_attribute
        self._material_analytics = MaterialAnalytics()
        self._pending_material: list[Hit] = []
        self._consent_mode = ConsentMode()
        self._auto_blocker: tuple[str, int] | None = None  # (manager, line) of an auto-blocking script
        self._manager: tuple[str, int] | None = None  # the first consent manager's script
        self.found = PageFindings()

    def feed(self, element: Element) -> None:
        handler = _WATCHED.get(element.tag)
        if handler is not None:
            handler(self, element)
        elif element.tag in self._marker_tags or any(name in self._attribute_markers for name in element.attrs):
            self._markers(element)

    def close(self) -> None:
        gate = self._material_analytics.gate()
        for hit in self._pending_material:
            self.found.hits.append(Hit(hit.compiled, hit.line, hit.element, gate, hit.via))
        if self._manager is not None and self._manager[0] in _BLOCKING_MANAGERS:
            name, line = self._manager
            shown = "Cookiebot" if name == "cookiebot" else name
            for i, hit in enumerate(self.found.hits):
                vendor = hit.compiled.vendor
                if (hit.line < line and not hit.gate.held and vendor.transfers_ip and vendor.consent_manager is None
                        and vendor.category is CookieCategory.NECESSARY):
                    self.found.hits[i] = Hit(hit.compiled, hit.line, hit.element, before_manager(shown, line), hit.via)

    def _settle(self, hit_vendor: str, category: CookieCategory, gate: Gate) -> Gate:
        """A tracker's gate after what came before it on the page: Consent Mode, auto-blocking."""
        if gate.held or category is CookieCategory.NECESSARY:
            return gate
        gate = self._consent_mode.gate(hit_vendor, gate)
        if self._auto_blocker is not None:
            gate = auto_blocked(*self._auto_blocker, gate)
        return gate

    def _note_manager(self, name: str, line: int) -> None:
        if self._manager is None:
            self._manager = (name, line)

    # --- elements ---------------------------------------------------------------------------

    def _markers(self, el: Element, markup: Markup | None = None) -> None:
        if el.attrs.get("data-md-component") == "consent":
            self.found.material_consent = True
        matched = (markup or self._memo.markup(el.tag, el.attrs, el.noscript)).markers
        if matched:
            line, element = _where(el)
            for compiled in matched:
                self.found.hits.append(Hit(compiled, line, element, RUNS_AT_ONCE))

    def _remote(self, kind: UrlKind, url: ParsedUrl, gate: Gate, line: int, element: str) -> bool:
        """Record the vendors ``url`` reveals; False when it revealed none."""
        matched = self._memo.match_url(kind, url)
        for compiled in matched:
            if compiled.vendor.consent_manager is not None and kind is UrlKind.SCRIPT:
                self._note_manager(compiled.vendor.consent_manager.value, line)
            settled = self._settle(compiled.vendor_id, compiled.vendor.category, gate)
            self.found.hits.append(Hit(compiled, line, element, settled))
        return bool(matched)

    def _script_tag(self, el: Element) -> None:
        markup = self._memo.markup(el.tag, el.attrs, el.noscript)
        self._markers(el, markup)
        attrs = el.attrs
        found = markup.url
        # A script inside <noscript> never runs: with JavaScript off, no script does.
        if not markup.code or el.noscript:
            return
        if found is None:
            self._inline_script(el)
            return
        line, element = _where(el)
        url = self._memo.url(found[1], self._page_dir)
        if url is None:
            return
        gate = markup.gate
        assert gate is not None, "a script with an address has its gate"
        loader = manager_loader(url.host, url.rest)
        if loader is not None and not gate.held:
            self._note_manager(loader, line)
        blocker = auto_blocker(url.host, url.rest, attrs) if not gate.held else None
        if self._remote(UrlKind.SCRIPT, url, gate, line, element):
            pass
        elif loader is None and url.host is not None:
            self.found.strangers.append(Stranger(url.host, UrlKind.SCRIPT, line, element, gate))
        elif url.host is None:
            settled = self._settle("", CookieCategory.ANALYTICS, gate)  # auto-blocking covers the site's own files too
            self.found.local_scripts.append(LocalFile(url.rest, line, element, settled))
        if blocker is not None and self._auto_blocker is None:
            self._auto_blocker = (blocker, line)
        return

    def _embed(self, kind: UrlKind, el: Element) -> None:
        markup = self._memo.markup(el.tag, el.attrs, el.noscript)
        self._markers(el, markup)
        found, gate = markup.url, markup.gate
        if found is None or gate is None:
            return
        url = self._memo.url(found[1], self._page_dir)
        if url is None:
            return
        line, element = _where(el)
        if not self._remote(kind, url, gate, line, element) and url.host is not None:
            self.found.strangers.append(Stranger(url.host, kind, line, element, gate))

    def _iframe(self, el: Element) -> None:
        self._embed(UrlKind.IFRAME, el)

    def _img(self, el: Element) -> None:
        self._embed(UrlKind.PIXEL, el)

    def _link(self, el: Element) -> None:
        attrs = el.attrs
        rels = set(attrs.get("rel", "").lower().split())
        if not rels & _LINK_RELS:
            return
        self._embed(UrlKind.STYLESHEET, el)
        href = attrs.get("href", "")
        if "stylesheet" in rels and href:
            url = self._memo.url(href, self._page_dir)
            if url is not None and url.host is None:
                line, element = _where(el)
                self.found.local_styles.append(LocalFile(url.rest, line, element, RUNS_AT_ONCE))

    def _form(self, el: Element) -> None:
        self._markers(el)
        action = el.attrs.get("action", "")
        url = self._memo.url(action, self._page_dir) if action else None
        if url is not None and url.host is not None:
            line, element = _where(el)
            if not self._remote(UrlKind.FORM, url, RUNS_AT_ONCE, line, element):
                self.found.strangers.append(Stranger(url.host, UrlKind.FORM, line, element, RUNS_AT_ONCE))

    # --- inline code ------------------------------------------------------------------------

    def _inline_script(self, script: Element) -> None:
        text = script.text
        if not text.strip():
            return
        start_line, start_tag = _where(script)
        first_line = start_line + start_tag.count("\n")
        defines_material_analytics = self._material_analytics.note_script(text)
        gate = inline_gate(script.attrs, text)
        known = self._memo.script(text)
        code = known.has_code
        commands = known.commands() if code and not gate.held else []
        for compiled, match in known.matched:
            while commands and commands[0].offset < match.start():
                command = commands.pop(0)
                self._consent_mode.apply(command.command, command.values, command.regional,
                                         line_at(text, command.offset, first_line))
            line = line_at(text, match.start(), first_line)
            element = snippet(f"{start_tag} {_around(text, match.start(), match.end())}")
            hit_gate = gate
            if code and not gate.held:
                verdict = known.verdict(compiled.vendor_id)
                if verdict is not None:
                    hit_gate = from_code(gate, int(verdict.verdict), verdict.how, verdict.category)
                hit_gate = self._settle(compiled.vendor_id, compiled.vendor.category, hit_gate)
            hit = Hit(compiled, line, element, hit_gate)
            if defines_material_analytics and not gate.held:
                self._pending_material.append(hit)
            else:
                self.found.hits.append(hit)
        for command in commands:
            self._consent_mode.apply(command.command, command.values, command.regional,
                                     line_at(text, command.offset, first_line))
        for write in known.writes():
            self.found.writes.append(Write(write.type, write.name, line_at(text, write.offset, first_line), write.code))

    def _style_tag(self, style: Element) -> None:
        text = style.text
        for value, offset in css_urls(text):
            url = self._memo.url(value, self._page_dir)
            if url is not None:
                line = line_at(text, offset, _where(style)[0])
                element = snippet(f"<style> {value}")
                if not self._remote(UrlKind.STYLESHEET, url, RUNS_AT_ONCE, line, element) and url.host is not None:
                    self.found.strangers.append(Stranger(url.host, UrlKind.STYLESHEET, line, element, RUNS_AT_ONCE))


def _where(el: Element) -> tuple[int, str]:
    line, start_tag = el.where()
    return line, snippet(start_tag)


def _around(text: str, start: int, end: int) -> str:
    left = max(0, start - 30)
    return ("…" if left else "") + text[left : min(len(text), end + 40)] + ("…" if end + 40 < len(text) else "")


_WATCHED = {
    "script": PageParser._script_tag,
    "iframe": PageParser._iframe,
    "img": PageParser._img,
    "link": PageParser._link,
    "form": PageParser._form,
    "style": PageParser._style_tag,
}


def parse_page(matchers: Matchers, page: str, html: str) -> PageFindings:
    parser = PageParser(matchers, page)
    for element in elements(matchers, html):
        parser.feed(element)
    parser.close()
    return parser.found
