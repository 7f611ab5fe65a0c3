"""One HTML page, read with the standard library's HTML parser: what it loads, and how.

The parser reports every script, frame, image, link and form that matches a vendor's
signature, with its line and whether it waits for consent; the site's own scripts and
stylesheets that the page loads (for the folder scan to read once); literal storage writes
in inline scripts; and scripts or frames from hosts no signature knows.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..vocabulary import StorageType
from .consent_apis import consent_commands
from .consent_code import Code, judge
from .gating import (
    DEFERRED_URL_ATTRIBUTES,
    RUNS_AT_ONCE,
    ConsentMode,
    Gate,
    MaterialAnalytics,
    auto_blocked,
    auto_blocker,
    before_manager,
    embed_gate,
    from_code,
    inline_gate,
    is_code,
    manager_loader,
    script_gate,
)
from .javascript import css_urls, line_at, storage_writes
from ..trackers.matching import CompiledDetector, Matchers, ParsedUrl, parse_url
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


class _OpenText:
    """The text of an inline <script> or <style> while the parser delivers it."""

    def __init__(self, attrs: dict[str, str], line: int, element: str) -> None:
        self.attrs = attrs
        self.line = line
        self.element = element
        self.chunks: list[str] = []


class PageParser(HTMLParser):
    def __init__(self, matchers: Matchers, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self._matchers = matchers
        self._page_dir = "/" + posixpath.dirname(page)
        self._marker_tags = matchers.marker_tags
        self._attribute_markers = matchers.elements_by_attribute
        self._noscript = 0
        self._script: _OpenText | None = None
        self._style: _OpenText | None = None
        self._material_analytics = MaterialAnalytics()
        self._pending_material: list[Hit] = []
        self._consent_mode = ConsentMode()
        self._auto_blocker: tuple[str, int] | None = None  # (manager, line) of an auto-blocking script
        self._manager: tuple[str, int] | None = None  # the first consent manager's script
        self.found = PageFindings()

    # --- the parser's callbacks -------------------------------------------------------------

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        if tag in _WATCHED:
            attrs = {name: value or "" for name, value in attr_list}
            _WATCHED[tag](self, attrs)
        elif tag in self._marker_tags or any(name in self._attribute_markers for name, _ in attr_list):
            self._markers(tag, {name: value or "" for name, value in attr_list})

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self._close_script(self._script)
            self._script = None
        elif tag == "style" and self._style is not None:
            self._close_style(self._style)
            self._style = None
        elif tag == "noscript" and self._noscript:
            self._noscript -= 1

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.chunks.append(data)
        elif self._style is not None:
            self._style.chunks.append(data)

    def close(self) -> None:
        super().close()
        if self._script is not None:  # a page cut off inside a script
            self._close_script(self._script)
            self._script = None
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

    def _where(self) -> tuple[int, str]:
        return self.getpos()[0], snippet(self.get_starttag_text() or "")

    def _markers(self, tag: str, attrs: dict[str, str]) -> None:
        if attrs.get("data-md-component") == "consent":
            self.found.material_consent = True
        matched = self._matchers.match_element(tag, attrs)
        if matched:
            line, element = self._where()
            for compiled in matched:
                self.found.hits.append(Hit(compiled, line, element, RUNS_AT_ONCE))

    def _url_of(self, attrs: dict[str, str], primary: str) -> tuple[str, str] | None:
        for name in (primary, *DEFERRED_URL_ATTRIBUTES):
            value = attrs.get(name)
            if value and value.strip() and value.strip() != "about:blank":
                return name, value
        return None

    def _remote(self, kind: UrlKind, url: ParsedUrl, gate: Gate, line: int, element: str) -> bool:
        """Record the vendors ``url`` reveals; False when it revealed none."""
        matched = self._matchers.match_url(kind, url)
        for compiled in matched:
            if compiled.vendor.consent_manager is not None and kind is UrlKind.SCRIPT:
                self._note_manager(compiled.vendor.consent_manager.value, line)
            settled = self._settle(compiled.vendor_id, compiled.vendor.category, gate)
            self.found.hits.append(Hit(compiled, line, element, settled))
        return bool(matched)

    def _script_tag(self, attrs: dict[str, str]) -> None:
        self._markers("script", attrs)
        found = self._url_of(attrs, "src")
        line, element = self._where()
        if found is None:
            self._script = _OpenText(attrs, line, element) if is_code(attrs) and not self._noscript else None
            return
        # A script inside <noscript> never runs: with JavaScript off, no script does.
        if not is_code(attrs) or self._noscript:
            return
        url = parse_url(found[1], self._page_dir)
        if url is None:
            return
        gate = script_gate(attrs) if found[0] == "src" else embed_gate(attrs, found[0], False)
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

    def _embed(self, kind: UrlKind, primary: str, attrs: dict[str, str]) -> None:
        self._markers(_TAG_OF[kind], attrs)
        found = self._url_of(attrs, primary)
        if found is None:
            return
        url = parse_url(found[1], self._page_dir)
        if url is None:
            return
        line, element = self._where()
        gate = embed_gate(attrs, found[0], self._noscript > 0)
        if not self._remote(kind, url, gate, line, element) and url.host is not None:
            self.found.strangers.append(Stranger(url.host, kind, line, element, gate))

    def _iframe(self, attrs: dict[str, str]) -> None:
        self._embed(UrlKind.IFRAME, "src", attrs)

    def _img(self, attrs: dict[str, str]) -> None:
        self._embed(UrlKind.PIXEL, "src", attrs)

    def _link(self, attrs: dict[str, str]) -> None:
        rels = set(attrs.get("rel", "").lower().split())
        if not rels & _LINK_RELS:
            return
        self._embed(UrlKind.STYLESHEET, "href", attrs)
        href = attrs.get("href", "")
        if "stylesheet" in rels and href:
            url = parse_url(href, self._page_dir)
            if url is not None and url.host is None:
                line, element = self._where()
                self.found.local_styles.append(LocalFile(url.rest, line, element, RUNS_AT_ONCE))

    def _form(self, attrs: dict[str, str]) -> None:
        self._markers("form", attrs)
        action = attrs.get("action", "")
        url = parse_url(action, self._page_dir) if action else None
        if url is not None and url.host is not None:
            line, element = self._where()
            if not self._remote(UrlKind.FORM, url, RUNS_AT_ONCE, line, element):
                self.found.strangers.append(Stranger(url.host, UrlKind.FORM, line, element, RUNS_AT_ONCE))

    def _style_tag(self, attrs: dict[str, str]) -> None:
        line, element = self._where()
        self._style = _OpenText(attrs, line, element)

    def _noscript_tag(self, attrs: dict[str, str]) -> None:
        self._noscript += 1

    # --- inline code ------------------------------------------------------------------------

    def _close_script(self, script: _OpenText) -> None:
        text = "".join(script.chunks)
        if not text.strip():
            return
        first_line = script.line + script.element.count("\n")
        defines_material_analytics = self._material_analytics.note_script(text)
        gate = inline_gate(script.attrs, text)
        matched = self._matchers.match_inline(text)
        code = Code(text) if matched or "consent" in text else None
        commands = consent_commands(code) if code is not None and not gate.held else []
        for compiled, match in sorted(matched, key=lambda found: found[1].start()):
            while commands and commands[0].offset < match.start():
                command = commands.pop(0)
                self._consent_mode.apply(command.command, command.values, command.regional,
                                         line_at(text, command.offset, first_line))
            line = line_at(text, match.start(), first_line)
            element = snippet(f"{script.element} {_around(text, match.start(), match.end())}")
            hit_gate = gate
            if code is not None and not gate.held:
                verdict = judge(code, vendor_offsets(self._matchers, compiled.vendor_id, text))
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
        for write in storage_writes(text):
            self.found.writes.append(Write(write.type, write.name, line_at(text, write.offset, first_line), write.code))

    def _close_style(self, style: _OpenText) -> None:
        text = "".join(style.chunks)
        for value, offset in css_urls(text):
            url = parse_url(value, self._page_dir)
            if url is not None:
                line = line_at(text, offset, style.line)
                element = snippet(f"<style> {value}")
                if not self._remote(UrlKind.STYLESHEET, url, RUNS_AT_ONCE, line, element) and url.host is not None:
                    self.found.strangers.append(Stranger(url.host, UrlKind.STYLESHEET, line, element, RUNS_AT_ONCE))


def vendor_offsets(matchers: Matchers, vendor_id: str, text: str) -> list[int]:
    """Every place in ``text`` where the vendor's inline patterns match: each must wait for the vendor to wait."""
    return [m.start() for regex, compiled in matchers.inline if compiled.vendor_id == vendor_id
            for m in regex.finditer(text)]


def _around(text: str, start: int, end: int) -> str:
    left = max(0, start - 30)
    return ("…" if left else "") + text[left : min(len(text), end + 40)] + ("…" if end + 40 < len(text) else "")


_TAG_OF = {UrlKind.IFRAME: "iframe", UrlKind.PIXEL: "img", UrlKind.STYLESHEET: "link"}
_WATCHED = {
    "script": PageParser._script_tag,
    "iframe": PageParser._iframe,
    "img": PageParser._img,
    "link": PageParser._link,
    "form": PageParser._form,
    "style": PageParser._style_tag,
    "noscript": PageParser._noscript_tag,
}


def parse_page(matchers: Matchers, page: str, html: str) -> PageFindings:
    parser = PageParser(matchers, page)
    parser.feed(html)
    parser.close()
    return parser.found
