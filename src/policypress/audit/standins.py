"""Stand-ins: small local answers to requests for vendors' code, so the accept path really runs.

The audit never lets a request leave the machine. A request to another host is aborted, unless
a stand-in answers it: then the browser gets the stand-in's body instead, as if the vendor had
sent it (a stand-in for gtag.js sets ``_ga`` and ``_ga_<id>`` the way the real library does).

A stand-in is keyed by ``HOST`` (every request to that host) or ``HOST/PATH`` (that path and
every path below it, whatever the query). The longest key that fits a request wins.

Folder layout for ``policypress audit --standins DIR``::

    DIR/www.googletagmanager.com/gtag/js    answers https://www.googletagmanager.com/gtag/js?id=…
    DIR/static.hotjar.com/c/hotjar-123.js   answers that file (and paths below it)
    DIR/connect.facebook.net                a file named after a host answers every request to it

A file that starts with ``<!doctype html`` or ``<html`` is served as HTML (it answers an iframe,
such as a video player); any other by its extension (``.js``, ``.css``, ``.gif``, …), and a file
without one as JavaScript, as vendors' script paths often have none. Files whose
names start with ``.`` or ``README`` are ignored, so the folder can be documented.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UsageError
from ..loader import display_path

JAVASCRIPT = "application/javascript; charset=utf-8"


@dataclass(frozen=True)
class StandIn:
    key: str  # host, or host/path
    body: bytes
    content_type: str


def _content_type(name: str) -> str:
    if "." not in name:
        return JAVASCRIPT
    guessed, _ = mimetypes.guess_type(name)
    if guessed is None:
        return JAVASCRIPT
    if guessed in ("text/javascript", "application/javascript"):
        return JAVASCRIPT
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


def _normalise_key(key: str) -> str:
    text = key.strip()
    for scheme in ("https://", "http://", "//"):
        if text.lower().startswith(scheme):
            text = text[len(scheme):]
            break
    host, slash, path = text.partition("/")
    path = path.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return host.lower() + (f"/{path}" if slash and path else "")


class StandIns:
    """Stand-ins by key, and the lookup of the one that answers a URL."""

    def __init__(self, entries: Mapping[str, bytes | str | Path] | None = None) -> None:
        self._by_key: dict[str, StandIn] = {}
        for key, body in (entries or {}).items():
            self.add(key, body)

    def add(self, key: str, body: bytes | str | Path) -> None:
        normalised = _normalise_key(key)
        if isinstance(body, Path):
            data, name = body.read_bytes(), body.name
        elif isinstance(body, str):
            data, name = body.encode("utf-8"), normalised.rsplit("/", 1)[-1]
        else:
            data, name = body, normalised.rsplit("/", 1)[-1]
        if data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            content_type = "text/html; charset=utf-8"  # a player or widget page, answering an iframe
        elif "/" not in normalised:
            content_type = JAVASCRIPT  # a bare host ("connect.facebook.net") is not a file name with an extension
        else:
            content_type = _content_type(name)
        self._by_key[normalised] = StandIn(normalised, data, content_type)

    def __len__(self) -> int:
        return len(self._by_key)

    @property
    def keys(self) -> list[str]:
        return sorted(self._by_key)

    def find(self, url: str) -> StandIn | None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        path = parts.path.rstrip("/")
        candidate = host + path
        # Try the longest prefix first: host/a/b/c, host/a/b, host/a, host.
        while True:
            found = self._by_key.get(candidate)
            if found is not None:
                return found
            if "/" not in candidate:
                return None
            candidate = candidate.rsplit("/", 1)[0]


def load_standins(*folders: Path) -> StandIns:
    """Every file under each folder, keyed by its path there (see the module's docstring); a later folder's
    file wins over an earlier one's for the same key, so a site's own stand-ins can sit beside shared ones."""
    standins = StandIns()
    for folder in folders:
        if not folder.is_dir():
            raise UsageError(f"--standins {display_path(folder)}: no such folder")
        found = 0
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            relative = path.relative_to(folder)
            if any(part.startswith(".") for part in relative.parts) or path.name.upper().startswith("README"):
                continue
            standins.add("/".join(relative.parts), path)
            found += 1
        if not found:
            raise UsageError(
                f"--standins {display_path(folder)}: no stand-ins in this folder; name each file after the host and "
                "path it answers, such as www.googletagmanager.com/gtag/js"
            )
    return standins
