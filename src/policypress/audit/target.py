"""What the audit visits: a folder it serves itself on 127.0.0.1, or a site already served on this machine.

The audit must not reach the network, so a URL is accepted only on 127.0.0.1 or localhost.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import socketserver
import sys
import threading
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from ..errors import UsageError
from ..loader import display_path
from ..scan.folder import html_pages

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
DEFAULT_MAX_PAGES = 50
# The sitemaps protocol's own limits (sitemaps.org): 50 MB uncompressed, 50,000 URLs per file; an index
# names at most 50,000 sitemaps. More than that is not a sitemap but something to refuse.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
SITEMAP_MAX_FILES = 1_000
_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Links to these are files to download, not pages to visit.
_NOT_PAGES = (
    ".pdf", ".zip", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".css", ".js", ".json",
    ".xml", ".txt", ".mp4", ".mp3", ".woff", ".woff2", ".docx", ".xlsx",
)


def is_url(target: str) -> bool:
    return "://" in target


def check_local_url(url: str) -> str:
    """``url`` when it is http on this machine; a usage error (exit 2) otherwise."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "http" or host not in LOCAL_HOSTS:
        raise UsageError(
            f"{url}: the audit only visits sites on this machine (http://127.0.0.1:PORT/… or "
            "http://localhost:PORT/…) and never reaches the network. Serve the site locally, or give its folder "
            "and the audit serves it."
        )
    try:
        parts.port
    except ValueError:
        raise UsageError(f"{url}: the port is not a number") from None
    return url if parts.path else url + "/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # The browser drops connections it no longer needs (a page left mid-load): not worth a traceback.
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def serve_folder(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port, a thread) for the duration; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    with _Server(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, name="policypress-audit-server", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()
            thread.join(timeout=5)


def page_path(relative: PurePosixPath) -> str:
    """The URL path of a file in a served folder: ``en/index.html`` is ``en/``."""
    if relative.name == "index.html":
        parent = relative.parent.as_posix()
        return "" if parent == "." else parent + "/"
    return relative.as_posix()


def folder_pages(folder: Path) -> list[str]:
    """Every HTML page of ``folder``, as URL paths relative to its root; the start page, then the shallowest."""
    if not folder.is_dir():
        raise UsageError(f"{display_path(folder)}: no such folder (the site to audit; run `mkdocs build` first)")
    paths = [page_path(PurePosixPath(p.relative_to(folder).as_posix())) for p in html_pages(folder)]
    if not paths:
        raise UsageError(f"{display_path(folder)}: no .html pages in this folder")
    return sorted(paths, key=lambda p: (p != "", p.count("/") - p.endswith("/"), p))


def normalise_pages(pages: Sequence[str]) -> list[str]:
    """Pages given by the caller: paths relative to the site's root, ``index.html`` meaning its folder."""
    result: list[str] = []
    for page in pages:
        path = page.strip().lstrip("/")
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        if path not in result:
            result.append(path)
    return result


def same_origin_pages(base_url: str, hrefs: Sequence[str], limit: int) -> list[str]:
    """The start page and the pages of the same origin it links to, as paths relative to the base, at most ``limit``."""
    base = urlsplit(base_url)
    base_path = base.path or "/"
    result = [""]
    for href in hrefs:
        if len(result) >= limit:
            break
        absolute = urlsplit(urljoin(base_url, href))
        if absolute.scheme != base.scheme or absolute.netloc != base.netloc:
            continue
        if not absolute.path.startswith(base_path) or absolute.path.lower().endswith(_NOT_PAGES):
            continue
        relative = absolute.path[len(base_path):] + (f"?{absolute.query}" if absolute.query else "")
        if relative not in result:
            result.append(relative)
    return result


@dataclass(frozen=True)
class SitePages:
    base_url: str
    pages: list[str]  # relative to base_url
    skipped: int

    def url(self, page: str) -> str:
        return urljoin(self.base_url, page)

    def label(self, page: str) -> str:
        """How reports name a page: its path on the site."""
        return urlsplit(self.url(page)).path or "/"


def page_order(label: str) -> tuple[bool, int, str]:
    """The order pages are reported in whatever order they were found: the start page, then the shallowest."""
    return (label not in ("", "/"), label.count("/") - label.endswith("/"), label)


def page_of(entry: str, base_path: str = "/") -> str:
    """A page of a URL list or a sitemap as a path relative to the audited root.

    A full URL (the live site's address, while its mirror is audited) gives its path: below the target's
    own path when it is there, else from the root; a path is taken as it is.
    """
    if is_url(entry):
        parts = urlsplit(entry)
        path = parts.path or "/"
        path = path[len(base_path):] if path.startswith(base_path) else path
        entry = path + (f"?{parts.query}" if parts.query else "")
    return normalise_pages([entry])[0]


def read_url_list(path: Path) -> list[str]:
    """``--urls FILE``: one URL or site path a line; blank lines and ``#`` comments left out."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--urls {display_path(path)}: cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
    entries = [line.split(" #")[0].strip() for line in text.splitlines()]
    entries = [entry for entry in entries if entry and not entry.startswith("#")]
    if not entries:
        raise UsageError(f"--urls {display_path(path)}: lists no page (one URL or path a line, # for comments)")
    return entries


def _sitemap_bytes(source: str) -> bytes:
    if is_url(source):
        url = check_local_url(source)
        try:
            # Only ever this machine (check_local_url): the audit does not reach the network.
            with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - http on 127.0.0.1 only
                data = answer.read(SITEMAP_MAX_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"--sitemap {source}: cannot be read ({exc})") from None
    else:
        try:
            with open(source, "rb") as handle:
                data = handle.read(SITEMAP_MAX_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"--sitemap {source}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > SITEMAP_MAX_BYTES:
        raise UsageError(f"--sitemap {source}: larger than the sitemaps protocol's 50 MB")
    return data


def _sitemap_locs(source: str) -> tuple[str, list[str]]:
    """The root element's name (urlset or sitemapindex) and its <loc> entries."""
    data = _sitemap_bytes(source)
    # A sitemap has no use for a document type: refusing one refuses every entity declaration with it,
    # so nothing can expand (billion laughs) or reach a file or the network (external entities).
    if b"<!doctype" in data[:4096].lower() or b"<!entity" in data.lower():
        raise UsageError(f"--sitemap {source}: has a document type (<!DOCTYPE or <!ENTITY); a sitemap needs none")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UsageError(f"--sitemap {source}: not well-formed XML ({exc})") from None
    kind = root.tag.removeprefix(_SITEMAP_NS)
    if kind not in ("urlset", "sitemapindex"):
        raise UsageError(f"--sitemap {source}: not a sitemap (its root element is <{kind}>, not <urlset> or <sitemapindex>)")
    child = "url" if kind == "urlset" else "sitemap"
    locs = [(loc.text or "").strip() for entry in root.iter(_SITEMAP_NS + child) for loc in entry.iter(_SITEMAP_NS + "loc")]
    return kind, [loc for loc in locs if loc]


def read_sitemap(source: str) -> list[str]:
    """``--sitemap URL|FILE``: the pages a sitemap (or a sitemap index, one level deep) lists.

    A URL must be on this machine; a file's index entries are looked for beside it by their path
    (a ``wget --mirror`` copy keeps the site's paths).
    """
    kind, locs = _sitemap_locs(source)
    if kind == "urlset":
        return locs
    if len(locs) > SITEMAP_MAX_FILES:
        raise UsageError(f"--sitemap {source}: the index names {len(locs)} sitemaps, more than {SITEMAP_MAX_FILES}")
    pages: list[str] = []
    for loc in locs:
        if is_url(source):
            child = urljoin(source, urlsplit(loc).path or "/")
        else:
            child = str(Path(source).parent / (urlsplit(loc).path if is_url(loc) else loc).lstrip("/"))
        child_kind, child_locs = _sitemap_locs(child)
        if child_kind != "urlset":
            raise UsageError(f"--sitemap {source}: {loc} is an index too; an index names sitemaps, not other indexes")
        pages.extend(child_locs)
    return pages
