"""``policypress audit --evidence DIR``: what a DPO can file about one audit run.

At the end of each scenario (``tcfsignals.ScenarioEnd``, the runner's one hook) the folder gets
``DIR/<scenario>/``: a screenshot of the last page (``<page-slug>.png``), the browser's cookies
(``cookies.json``, values included), each frame's storage (``storage.json``) and the requests the
audit stopped (``requests.json``); ``DIR/banner.png`` is the first banner seen. When the report
is done: ``findings.json`` (the report's JSON), ``run.json`` (tool, time, Chromium, target,
scenarios, options) and ``MANIFEST.sha256`` over every file, in ``sha256sum`` format.

Nothing is overwritten: the folder must be new or empty. Without ``--evidence`` none of this runs
(no screenshot is taken).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..errors import UsageError
from ..escape import terminal
from ..outputs import write_output
from .observations import ScenarioRun

if TYPE_CHECKING:
    from .findings import AuditReport
    from .session import Visitor

OPTION = "--evidence"
MANIFEST = "MANIFEST.sha256"

# Keys and values, every frame: the evidence is what the browser held, not only its names.
STORAGE_VALUES = """() => {
  const read = (store) => {
    const out = {};
    for (let i = 0; i < store.length; i++) { const key = store.key(i); out[key] = store.getItem(key); }
    return out;
  };
  const out = {url: location.href, localStorage: {}, sessionStorage: {}, error: null};
  try { out.localStorage = read(window.localStorage); } catch (e) { out.error = (e && e.name) || String(e); }
  try { out.sessionStorage = read(window.sessionStorage); } catch (e) { out.error = out.error || (e && e.name) || String(e); }
  return out;
}"""


def page_slug(label: str) -> str:
    """A file name for a page of the site: ``/`` is ``index``, ``/en/privacy-policy/`` is ``en-privacy-policy``."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", label.strip("/")).strip("-.")
    return slug or "index"


def _json(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


class Evidence:
    """The evidence folder of one audit run; ``Evidence.create(DIR)`` refuses a folder that holds anything."""

    def __init__(self, root: Path, *, banner_selector: str | None = None) -> None:
        self.root = root
        self.banner_selector = banner_selector
        self.started = datetime.now(UTC)
        self.chromium: str | None = None
        self._lock = threading.Lock()  # scenarios may end at once, in threads
        self._banner_taken = False

    @classmethod
    def create(cls, root: Path, *, banner_selector: str | None = None) -> Evidence:
        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            what = "is not a folder" if not root.is_dir() else "is not empty"
            raise UsageError(f"{OPTION} {terminal(root)}: {what}; give a new or empty folder (evidence is never overwritten)")
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{OPTION} {terminal(root)}: cannot create the folder ({exc.strerror})") from None
        return cls(root, banner_selector=banner_selector)

    def _write(self, relative: str, content: str | bytes) -> None:
        path = self.root / relative
        if path.exists():  # two pages with one slug, say: never replace what was filed
            raise UsageError(f"{OPTION} {terminal(path)}: already written in this run; nothing is overwritten")
        write_output(path, content, option=OPTION, make_folder=True)

    # --- at the end of each scenario --------------------------------------------------------------

    def scenario_end(self, visitor: Visitor, run: ScenarioRun) -> None:
        scenario = run.scenario.value
        page = visitor.page
        with self._lock:
            if self.chromium is None:
                self.chromium = visitor.context.browser.version if visitor.context.browser else None
        with visitor.watchdog.step(page.url):  # a screenshot waits for the page's renderer, like evaluate
            shot = page.screenshot(timeout=visitor.watchdog.remaining_ms(), animations="disabled")
            banner = self._banner_shot(visitor)
            frames = [frame.evaluate(STORAGE_VALUES) for frame in page.frames
                      if not frame.is_detached() and not frame.url.startswith(("chrome-error:", "about:"))]
        self._write(f"{scenario}/{page_slug(urlsplit(page.url).path or '/')}.png", shot)
        if banner is not None:
            self._write("banner.png", banner)
        self._write(f"{scenario}/cookies.json", _json(visitor.context.cookies()))
        self._write(f"{scenario}/storage.json", _json(frames))
        self._write(f"{scenario}/requests.json", _json(self._requests(run)))

    def _banner_shot(self, visitor: Visitor) -> bytes | None:
        """The page while the banner shows, once per run: the first scenario that ends with it on screen."""
        if self.banner_selector is None:
            return None
        with self._lock:
            if self._banner_taken:
                return None
            locator = visitor.page.locator(self.banner_selector).filter(visible=True)
            if not locator.count():
                return None
            self._banner_taken = True
        shot: bytes = visitor.page.screenshot(timeout=visitor.watchdog.remaining_ms(), animations="disabled")
        return shot

    @staticmethod
    def _requests(run: ScenarioRun) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for record in run.records:
            for seen in record.requests.values():
                request = seen.request
                out.append({
                    "url": request.url, "resource_type": request.resource_type, "answered": request.answered,
                    "stand_in": request.answered == "stand-in", "phase": record.phase.value,
                    "checked": record.checked, "pages": list(seen.pages),
                })
        return out

    # --- when the report is done ------------------------------------------------------------------

    def finish(self, report: AuditReport, findings_json: str, options: dict[str, Any]) -> None:
        from .. import __version__

        self._write("findings.json", findings_json)
        self._write("run.json", _json({
            "tool": "policypress", "version": __version__,
            "started": self.started.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "finished": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "chromium": self.chromium, "target": report.target, "base_url": report.base_url,
            "pages": report.pages, "scenarios": [summary.scenario for summary in report.scenarios],
            "options": options,
        }))
        self._write(MANIFEST, manifest(self.root))


def manifest(root: Path) -> str:
    """``sha256sum`` lines ("HASH  PATH", two spaces, text mode) for every file under ``root``, by path."""
    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST):
        relative = path.relative_to(root).as_posix()
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {relative}\n")
    return "".join(lines)
