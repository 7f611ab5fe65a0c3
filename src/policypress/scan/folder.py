"""A folder of HTML pages (a built site, or a mirror of another site): every page and the code it loads.

Each of the site's own scripts and stylesheets is read once, however many pages load it.
Everything found is recorded as a sighting with its place (folder, page, line, element),
for the comparison with the declarations to report. Files are read only through
``reading.read_bytes`` (regular files inside the folder, capped); those it refuses are
reported as ``skipped-file`` warnings.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..escape import terminal
from ..vocabulary import StorageType
from .findings import Finding, Rule, Severity
from .consent_code import CodeGate, Code, judge
from .gating import Gate, from_code
from .javascript import css_urls, line_at, storage_writes
from ..trackers.matching import CompiledDetector, Matchers, parse_url
from .ledger import Ledger
from .memo import vendor_offsets
from .page import LocalFile, snippet
from .pool import scan_pages
from .reading import SkippedFile, TooLarge, decode_text, read_bytes
from ..trackers.signatures import UrlKind

PAGE_SUFFIXES = (".html", ".htm")
# Bigger files are not the site's own code but bundled libraries; reading them is slow and finds nothing.
MAX_ASSET_BYTES = 5_000_000


@dataclass(frozen=True)
class Place:
    folder: str  # the scanned folder, as the user gave it
    page: str  # path inside the folder, with / separators
    line: int | None
    element: str | None


@dataclass(frozen=True)
class VendorSighting:
    compiled: CompiledDetector
    place: Place
    gate: Gate
    via: str | None

    @property
    def vendor_id(self) -> str:
        return self.compiled.vendor_id


@dataclass(frozen=True)
class StorageSighting:
    """A literal write in the site's own code. ``place.page`` is the file that holds the code."""

    type: StorageType
    name: str
    place: Place
    loaded_by: str | None  # for a script file: the first page that loads it


@dataclass(frozen=True)
class StrangerSighting:
    host: str
    kind: UrlKind
    place: Place
    gate: Gate


@dataclass(frozen=True)
class SkippedSighting:
    """A page or file of the site that was not read, and why."""

    place: Place
    reason: str


@dataclass
class Observations:
    """Everything seen in every scanned folder."""

    pages_scanned: int = 0
    folders: list[str] = field(default_factory=list)
    vendors: list[VendorSighting] = field(default_factory=list)
    storage: list[StorageSighting] = field(default_factory=list)
    strangers: list[StrangerSighting] = field(default_factory=list)
    # The consent managers present on each page, keyed by (folder, page): fixes use their syntax.
    managers: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    skipped: list[SkippedSighting] = field(default_factory=list)


def html_pages(folder: Path) -> list[Path]:
    pages: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        pages.extend(Path(root) / name for name in sorted(files) if name.lower().endswith(PAGE_SUFFIXES))
    return pages


@dataclass(frozen=True)
class _ScriptFile:
    hits: list[tuple[CompiledDetector, int, CodeGate | None]]
    writes: list[tuple[StorageType, str, int, str]]


class _SiteFiles:
    """The site's own scripts and stylesheets, each read and searched once."""

    def __init__(self, folder: Path, matchers: Matchers) -> None:
        self._folder = folder.resolve()
        self._matchers = matchers
        self.skipped: list[tuple[str, str]] = []  # (file inside the folder, why it was not read)
        self._scripts: dict[str, tuple[str, _ScriptFile] | None] = {}
        self._styles: dict[str, tuple[str, list[tuple[str, int]]] | None] = {}

    def _resolve(self, site_path: str) -> Path | None:
        plain, _, query = site_path.partition("?")
        # wget keeps a query in the file name ("app.js?v=3"), or writes it with @ (--restrict-file-names=windows).
        candidates = [plain] + ([f"{plain}?{query}", f"{plain}@{query}"] if query else [])
        for candidate in candidates:
            # Lexically only: a symlink is judged (and followed or refused) by read_bytes.
            path = Path(os.path.normpath(self._folder / candidate.lstrip("/")))
            if path.is_relative_to(self._folder) and os.path.lexists(path) and not path.is_dir():
                return path
        return None

    def _read(self, site_path: str) -> tuple[str, str] | None:
        path = self._resolve(site_path)
        if path is None:
            return None
        try:
            data = read_bytes(path, self._folder, MAX_ASSET_BYTES)
        except TooLarge:
            return None  # a bundled library: not the site's own code, not reported
        except SkippedFile as exc:
            self.skipped.append((path.relative_to(self._folder).as_posix(), str(exc)))
            return None
        return path.resolve().relative_to(self._folder).as_posix(), decode_text(data)

    def script(self, site_path: str) -> tuple[str, _ScriptFile] | None:
        if site_path not in self._scripts:
            read = self._read(site_path)
            if read is None:
                self._scripts[site_path] = None
            else:
                name, text = read
                code = Code(text)  # a tracker in the file may wait for a consent callback (consent_code.py)
                hits = [(compiled, line_at(text, match.start()), judge(code, vendor_offsets(self._matchers, compiled.vendor_id, text)))
                        for compiled, match in self._matchers.match_inline(text)]
                writes = [(w.type, w.name, line_at(text, w.offset), w.code) for w in storage_writes(text)]
                self._scripts[site_path] = (name, _ScriptFile(hits, writes))
        return self._scripts[site_path]

    def style(self, site_path: str) -> tuple[str, list[tuple[str, int]]] | None:
        if site_path not in self._styles:
            read = self._read(site_path)
            if read is None:
                self._styles[site_path] = None
            else:
                name, text = read
                self._styles[site_path] = (name, [(url, line_at(text, offset)) for url, offset in css_urls(text)])
        return self._styles[site_path]


def scan_folder(
    folder: Path,
    display: str,
    pages: list[Path],
    matchers: Matchers,
    into: Observations,
    on_page: Callable[[], None] | None = None,
    jobs: int = 1,
    ledger: Ledger | None = None,
) -> None:
    """Scan ``pages`` (files of ``folder``) into ``into``; ``jobs`` processes read and parse them
    (pool.py), this one folds the results in page order and reads the site's own files once.
    ``ledger``: pages known from earlier scans by their bytes (ledger.py)."""
    files = _SiteFiles(folder, matchers)
    root = folder.resolve()
    # A script's writes are reported once, at the file, whichever pages load it.
    reported_scripts: set[str] = set()
    into.folders.append(display)
    for page, found in scan_pages(matchers, root, [path.relative_to(folder).as_posix() for path in pages], jobs,
                                   ledger):
        if isinstance(found, str):
            into.skipped.append(SkippedSighting(Place(display, page, None, None), found))
            if on_page is not None:
                on_page()
            continue
        into.pages_scanned += 1
        managers = {hit.compiled.vendor_id for hit in found.hits if hit.compiled.vendor.consent_manager}
        if found.material_consent:
            managers.add("material")
        into.managers[(display, page)] = frozenset(managers)
        for hit in found.hits:
            into.vendors.append(VendorSighting(hit.compiled, Place(display, page, hit.line, hit.element), hit.gate, hit.via))
        for write in found.writes:
            into.storage.append(StorageSighting(write.type, write.name, Place(display, page, write.line, write.code), None))
        for stranger in found.strangers:
            place = Place(display, page, stranger.line, stranger.element)
            into.strangers.append(StrangerSighting(stranger.host, stranger.kind, place, stranger.gate))
        for local in found.local_scripts:
            _own_script(files, local, display, page, into, reported_scripts)
        for local in found.local_styles:
            _own_style(files, matchers, local, display, page, into)
        if on_page is not None:
            on_page()
    into.skipped.extend(SkippedSighting(Place(display, name, None, None), why) for name, why in files.skipped)


def skipped_findings(observations: Observations) -> list[Finding]:
    """A warning for each file the scan did not read: what it did not see may be a tracker."""
    return [
        Finding(
            rule=Rule.SKIPPED_FILE,
            severity=Severity.WARNING,
            message=f"{terminal(skipped.place.page)} was not scanned: {skipped.reason}.",
            fix="Make it a regular file inside the scanned folder (a copy, not a link to elsewhere), or remove it.",
            folder=skipped.place.folder,
            page=skipped.place.page,
        )
        for skipped in observations.skipped
    ]


def _own_script(
    files: _SiteFiles, local: LocalFile, display: str, page: str, into: Observations, reported: set[str]
) -> None:
    scanned = files.script(local.path)
    if scanned is None:
        return
    name, script = scanned
    for compiled, line, held in script.hits:
        # The vendor runs when the page's <script src> runs: that element is what to fix.
        place = Place(display, page, local.line, local.element)
        gate = local.gate if held is None else from_code(local.gate, int(held.verdict), held.how, held.category)
        into.vendors.append(VendorSighting(compiled, place, gate, f"{name}:{line}"))
    if name in reported:
        return
    reported.add(name)
    for storage_type, key, line, code in script.writes:
        into.storage.append(StorageSighting(storage_type, key, Place(display, name, line, code), page))


def _own_style(
    files: _SiteFiles, matchers: Matchers, local: LocalFile, display: str, page: str, into: Observations
) -> None:
    scanned = files.style(local.path)
    if scanned is None:
        return
    name, urls = scanned
    for value, line in urls:
        url = parse_url(value, "/" + name.rsplit("/", 1)[0] if "/" in name else "/")
        if url is None:
            continue
        place = Place(display, page, local.line, local.element)
        matched = matchers.match_url(UrlKind.STYLESHEET, url)
        for compiled in matched:
            into.vendors.append(VendorSighting(compiled, place, local.gate, f"{name}:{line} {snippet(value, 80)}"))
        if not matched and url.host is not None:
            into.strangers.append(StrangerSighting(url.host, UrlKind.STYLESHEET, place, local.gate))
