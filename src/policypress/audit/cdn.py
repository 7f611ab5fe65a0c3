"""Open-source consent managers that pages load from public CDNs, answered in the browser from a locked copy.

``tools/consent-libs/`` locks the npm packages (``make tools``); ``POLICYPRESS_CONSENT_LIBS`` names
another ``node_modules`` folder. A request such as
``https://cdn.jsdelivr.net/npm/vanilla-cookieconsent@3.0.1/dist/cookieconsent.umd.js`` is answered
with that file of the locked package, so the real library runs and draws its real banner, offline.
When the page asks for another version than the one locked, the locked one is served and the
report says so.
"""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .autoconsent import tool_folder
from .standins import JAVASCRIPT

ENV = "POLICYPRESS_CONSENT_LIBS"
NODE_MODULES = Path("tools", "consent-libs", "node_modules")

# cdnjs and GitHub (through jsDelivr) name some packages otherwise than npm does.
ALIASES = {
    "cookieconsent2": "cookieconsent",  # cdnjs: Osano's cookieconsent
    "orestbida/cookieconsent": "vanilla-cookieconsent",  # jsDelivr's /gh/ mirror of the repository
}
_VERSIONED = re.compile(r"^(?P<pkg>(?:@[^/@]+/)?[^/@]+)(?:@(?P<ver>[^/]+))?(?:/(?P<path>.*))?$")
# Files of a package are found where the CDN puts them: as published, or (cdnjs) without dist/ or build/.
_FOLDERS = ("", "dist/", "build/")


@dataclass(frozen=True)
class LibraryFile:
    package: str
    requested: str | None  # the version in the URL (None: "latest")
    locked: str
    body: bytes
    content_type: str

    @property
    def note(self) -> str | None:
        # A range the locked version is in (cookieconsent@3) is what the page asked for.
        if self.requested is not None and (self.requested == self.locked or self.locked.startswith(self.requested + ".")):
            return None
        asked = f"version {self.requested}" if self.requested else "its latest version"
        return f"the page asked for {asked} of {self.package}; the audit served the locked {self.locked}"


def _parse(url: str) -> tuple[str, str | None, str] | None:
    """(package, version, path in it) of a CDN URL, or None."""
    parts = urlsplit(url)
    host, path = (parts.hostname or "").lower(), unquote(parts.path)
    rest: str | None = None
    if host == "cdn.jsdelivr.net" and path.startswith("/npm/"):
        rest = path[len("/npm/"):]
    elif host == "cdn.jsdelivr.net" and path.startswith("/gh/"):
        owner, _, rest = path[len("/gh/"):].partition("/")
        rest = f"{owner}/{rest}"
    elif host == "unpkg.com":
        rest = path.lstrip("/")
    elif host == "cdnjs.cloudflare.com" and path.startswith("/ajax/libs/"):
        name, _, tail = path[len("/ajax/libs/"):].partition("/")
        version, _, file = tail.partition("/")
        return ALIASES.get(name, name), version or None, file
    elif host == "cdn.kiprotect.com" and path.startswith("/klaro/"):
        version, _, file = path[len("/klaro/"):].partition("/")
        return "klaro", version.lstrip("v") or None, "dist/" + file
    if rest is None:
        return None
    if rest.startswith("orestbida/cookieconsent"):
        rest = "vanilla-cookieconsent" + rest[len("orestbida/cookieconsent"):]
    found = _VERSIONED.match(rest)
    if found is None:
        return None
    package = ALIASES.get(found["pkg"], found["pkg"])
    return package, found["ver"], found["path"] or ""


class ConsentLibraries:
    """The locked packages under ``node_modules``, and the lookup of the file a CDN URL asks for."""

    def __init__(self, node_modules: Path) -> None:
        self.root = node_modules
        self.versions: dict[str, str] = {}
        if node_modules.is_dir():
            for manifest in sorted(node_modules.glob("*/package.json")):
                try:
                    data = json.loads(manifest.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                self.versions[str(data.get("name", manifest.parent.name))] = str(data.get("version", "?"))

    def __bool__(self) -> bool:
        return bool(self.versions)

    def find(self, url: str) -> LibraryFile | None:
        parsed = _parse(url)
        if parsed is None or parsed[0] not in self.versions:
            return None
        package, requested, inner = parsed
        folder = (self.root / package).resolve()
        for prefix in _FOLDERS:
            for name in (prefix + inner, (prefix + inner).replace(".min.js", ".js")):
                if not name or PurePosixPath(name).name == "":
                    continue
                candidate = (folder / name).resolve()
                # Only files of the package itself: "../" in a URL must not reach anything else.
                if candidate.is_file() and candidate.is_relative_to(folder):
                    return LibraryFile(package, requested, self.versions[package], candidate.read_bytes(),
                                       _content_type(candidate.name))
        return None


def _content_type(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name)
    if guessed is None or "javascript" in guessed:
        return JAVASCRIPT
    return f"{guessed}; charset=utf-8" if guessed.startswith("text/") else guessed


@lru_cache(maxsize=4)
def _libraries(folder: Path) -> ConsentLibraries:
    return ConsentLibraries(folder)


def find_libraries() -> ConsentLibraries:
    return _libraries(tool_folder(ENV, NODE_MODULES).resolve())
