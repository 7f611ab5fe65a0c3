"""Auditing a whole estate: many pages from URL lists and sitemaps, in parallel, in shards, resumable.

Each page is audited on its own in each scenario (a fresh browser context that answers the banner on
that page), so a (page, scenario) visit is a unit that can run in any worker, in any shard, in this
run or a resumed one; the report is the merge of the units (``shards.merge_reports``), the same
computation that merges shard reports. The report is therefore the same whatever ``jobs``, however
the pages are sharded and however often the run was interrupted (timings aside).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import UsageError
from ..loader import display_path
from ..model import Policy
from ..trackers.signatures import Signatures
from .auditor import AuditSetup, check_pages, discover, local_target, prepare, report_of
from .banner import MATERIAL, BannerConfig
from .browser import launched
from .findings import AuditReport, AuditRule
from .parallel import jobs_with, run_parallel
from .runner import Progress
from .scenarios import ALL, Scenario
from .session import Timing
from .shards import Shard, merge_reports, report_from_dict
from .standins import StandIns
from .target import (
    DEFAULT_MAX_PAGES,
    SitePages,
    folder_pages,
    normalise_pages,
    page_of,
    page_order,
    read_sitemap,
    read_url_list,
    serve_folder,
)

STATE_FORMAT = 1
Unit = tuple[str, Scenario]  # (page, scenario)


# --- the state of a run, to resume it ---------------------------------------------------------------


def _audit_key(shown: str, setup: AuditSetup) -> str:
    """What the recorded visits depend on: the target, the declarations, the banner's controls."""
    cookies = {name: decl.model_dump(mode="json") for name, decl in setup.policy.cookies.items()}
    text = json.dumps([shown, cookies, repr(setup.banner)], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class StateFile:
    """``--state FILE``: one JSON line per (page, scenario) visit done, appended and synced as each ends.

    A line is one ``write`` of a whole line followed by ``fsync``, so an interrupted run leaves every
    finished visit on disk and at most a last line cut short, which is read as not done and visited again.
    """

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        self.done: dict[tuple[str, str], AuditReport] = {}
        if path.exists():
            self._read()
        else:
            self._append({"policypress_audit_state": STATE_FORMAT, "audit": key})

    def _read(self) -> None:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--state {display_path(self.path)}: cannot read it ({exc})") from None
        header = _json(lines[0]) if lines else None
        if not isinstance(header, dict) or header.get("policypress_audit_state") != STATE_FORMAT:
            raise UsageError(f"--state {display_path(self.path)}: not the state file of a `policypress audit`")
        if header.get("audit") != self.key:
            raise UsageError(
                f"--state {display_path(self.path)}: recorded for another audit (another site, other declarations "
                "or another banner); delete it or give another file to start afresh"
            )
        for line in lines[1:]:
            entry = _json(line)
            if not isinstance(entry, dict):
                continue  # a line cut short by an interrupt: that visit is made again
            try:
                self.done[(entry["page"], entry["scenario"])] = report_from_dict(entry["report"])
            except (KeyError, TypeError, ValueError):
                continue

    def _append(self, entry: dict[str, object]) -> None:
        line = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)

    def record(self, page: str, scenario: str, report: AuditReport) -> None:
        self._append({"page": page, "scenario": scenario, "report": report.as_dict()})
        self.done[(page, scenario)] = report


def _json(line: str) -> object:
    try:
        return json.loads(line)
    except ValueError:
        return None


# --- the estate --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageSources:
    """Where the pages to audit come from; none given: every page of the folder, or the links of the URL."""

    pages: Sequence[str] = ()  # --page
    urls: Path | None = None  # --urls FILE
    sitemap: str | None = None  # --sitemap URL|FILE

    @property
    def given(self) -> bool:
        return bool(self.pages) or self.urls is not None or self.sitemap is not None

    def listed(self, base_path: str) -> list[str]:
        entries = list(self.pages)
        if self.urls is not None:
            entries += read_url_list(self.urls)
        if self.sitemap is not None:
            entries += read_sitemap(self.sitemap)
        return normalise_pages([page_of(entry, base_path) for entry in entries])


def audit_estate(
    target: Path | str,
    policy: Policy,
    *,
    sources: PageSources = PageSources(),
    scenarios: Sequence[Scenario | str] = ALL,
    banner: BannerConfig = MATERIAL,
    standins: Mapping[str, bytes | str | Path] | StandIns | None = None,
    progress: Progress | None = None,
    signatures: Signatures | None = None,
    browser: Any | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    timing: Timing | None = None,
    jobs: int | None = None,
    shard: Shard | None = None,
    state: Path | None = None,
    dark_patterns: bool = True,
) -> AuditReport:
    """Audit the pages of ``target`` one by one in each scenario: at most ``max_pages`` of the sources (the
    budget counts before sharding, so the shards of a run share it), only those of ``shard``, ``jobs`` at a
    time, skipping the visits ``state`` records as done. ``progress`` is called after each visit."""
    started = time.perf_counter()
    jobs = jobs_with(jobs, browser)
    setup = prepare(policy, scenarios=scenarios, banner=banner, standins=standins, signatures=signatures,
                    max_pages=max_pages, timing=timing, dark_patterns=dark_patterns)
    folder, base_url, shown = local_target(target)
    listed = sources.listed(urlsplit(base_url).path or "/" if base_url else "/") if sources.given else None
    if listed == []:
        raise UsageError("the page sources list no page")
    recorded = StateFile(state, _audit_key(shown, setup)) if state is not None else None
    with contextlib.ExitStack() as stack:
        if folder is not None:
            if listed is None:
                listed = folder_pages(folder)
            base_url = stack.enter_context(serve_folder(folder))
        assert base_url is not None
        chromium = stack.enter_context(launched(browser))
        if listed is None:
            listed = discover(chromium, base_url, setup.timing)
        site = SitePages(base_url, listed[:max_pages], max(0, len(listed) - max_pages))
        pages = [page for page in site.pages if shard is None or shard.holds(site.label(page))]
        units: list[Unit] = [(page, scenario) for page in pages for scenario in setup.scenarios]
        done = recorded.done if recorded is not None else {}
        todo = [unit for unit in units if (site.label(unit[0]), unit[1].value) not in done]
        count = [len(units) - len(todo)]

        def visit(chromium: Any, unit: Unit) -> AuditReport:
            page, scenario = unit
            one = SitePages(base_url, [page], 0)
            visit_started = time.perf_counter()
            runs, findings = check_pages(setup, chromium, one, scenarios=[scenario])
            return report_of(shown, one, runs, findings, time.perf_counter() - visit_started)

        lock = threading.Lock()

        def visit_and_record(chromium: Any, unit: Unit) -> AuditReport:
            report = visit(chromium, unit)
            label = site.label(unit[0])
            with lock:  # the workers' threads take turns at the state file and the progress line
                if recorded is not None:
                    recorded.record(label, unit[1].value, report)
                count[0] += 1
                if progress is not None:
                    progress(unit[1].value, label, count[0], len(units))
            return report

        results = run_parallel(todo, visit_and_record, jobs=jobs, browser=chromium)
    got = dict(done)
    got.update({(site.label(unit[0]), unit[1].value): report for unit, report in zip(todo, results)})
    labels = [site.label(page) for page in pages]
    parts = [(label, got[(label, s.value)]) for label in labels for s in setup.scenarios]
    return _estate_report(shown, base_url, labels, site.skipped, parts, time.perf_counter() - started)


def _estate_report(shown: str, base_url: str, labels: list[str], skipped: int,
                   parts: list[tuple[str, AuditReport]], seconds: float) -> AuditReport:
    if parts and all(any(f.rule is AuditRule.PAGE_ERROR for f in part.findings) for _, part in parts):
        first = next(f for _, part in parts for f in part.findings if f.rule is AuditRule.PAGE_ERROR)
        # Nothing was seen, so nothing could be found: that must not pass for a clean audit.
        raise UsageError(f"{shown}: no page could be loaded ({first.message}) Is the site served there?")
    if not parts:
        return AuditReport(target=shown, base_url=base_url, pages=[], findings=[], scenarios=[],
                           pages_skipped=skipped, seconds=seconds)
    merged = merge_reports([part for _, part in parts], names=[label for label, _ in parts])
    return replace(merged, target=shown, base_url=base_url, pages=sorted(labels, key=page_order),
                   pages_skipped=skipped, seconds=seconds)
