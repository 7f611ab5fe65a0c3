"""``audit_site``: visit the site in headless Chromium in each scenario and check what it stores."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..model import Policy
from ..trackers.signatures import Signatures, load_signatures
from ..vocabulary import StorageType
from .autoconsent import Autoconsent, find_autoconsent
from .banner import MATERIAL, BannerConfig
from .cdn import ConsentLibraries, find_libraries
from .browser import launched
from .checks import Checker
from .classify import Classifier
from .darkpatterns import DarkPatterns
from .evidence import Evidence
from .tcfsignals import ScenarioEnd, tcf_findings
from .findings import AuditFinding, AuditReport, ScenarioSummary, SeenCookie, SeenRequest, SeenStorage, report_order
from .observations import PhaseRecord, ScenarioRun, StoredItem
from .managers import not_exercised_findings
from .parallel import jobs_with
from .runner import Progress, ScenarioRunner, timing_of, visits_per_scenario
from .scenarios import ALL, Phase, Scenario
from .session import Timing, Visitor
from .standins import StandIns
from .target import (
    DEFAULT_MAX_PAGES,
    SitePages,
    check_local_url,
    folder_pages,
    is_url,
    normalise_pages,
    same_origin_pages,
    serve_folder,
)

DAY = 86400
LINKS = "() => Array.from(document.querySelectorAll('a[href]'), (a) => a.getAttribute('href'))"


def _scenarios(requested: Sequence[Scenario | str]) -> list[Scenario]:
    chosen = {Scenario(s) for s in requested}
    return [scenario for scenario in ALL if scenario in chosen]  # always in the order of ALL


def discover(browser: Any, base_url: str, timing: Timing) -> list[str]:
    """The start page and the same-origin links on it, found with the network as locked down as ever."""
    site = SitePages(base_url, [""], 0)
    visitor = Visitor(browser, site, StandIns(), timing)
    try:
        visitor.use(PhaseRecord(Scenario.BEFORE_CONSENT, Phase.NO_CONSENT, checked=False), site.label(""))
        if visitor.goto("") is not None:
            return [""]
        hrefs = visitor.links(LINKS)
    finally:
        visitor.close()
    return same_origin_pages(base_url, hrefs, limit=10_000)


def _summaries(runs: Sequence[ScenarioRun]) -> list[ScenarioSummary]:
    result = []
    for run in runs:
        summary = ScenarioSummary(
            scenario=run.scenario.value, pages_visited=run.pages_visited, seconds=round(run.seconds, 3),
            left_behind=[item.describe() for item in run.left_behind], tcf=[s.as_dict() for s in run.tcf],
        )
        for record in run.records:
            summary.notes.extend(note for note in record.notes if note not in summary.notes)
            if not record.checked:
                continue
            phase = record.phase.value
            for seen in record.items.values():
                item = seen.item
                if item.type is StorageType.COOKIE:
                    session = item.expires is None or item.expires < 0
                    lifetime = None if seen.lifetime is None or seen.lifetime < 0 else round(seen.lifetime / DAY, 2)
                    summary.cookies.append(SeenCookie(
                        item.name, item.domain, item.path, None if session else item.expires, lifetime, phase,
                        seen.pages[0],
                    ))
                else:
                    summary.storage.append(SeenStorage(item.type.value, item.name, item.domain, phase, seen.pages[0]))
            for request in record.requests.values():
                summary.requests.append(SeenRequest(
                    request.request.url, request.request.host_path, request.request.resource_type,
                    request.request.answered, phase, tuple(request.pages),
                ))
        result.append(summary)
    return result


@dataclass(frozen=True)
class AuditSetup:
    """What every visit of an audit shares, checked once: the scenarios, the banner, the stand-ins, the rules."""

    policy: Policy
    scenarios: list[Scenario]
    banner: BannerConfig
    answers: StandIns
    timing: Timing
    classifier: Classifier
    libraries: ConsentLibraries
    autoconsent: Autoconsent | None
    dark_patterns: bool = True  # judge the banner's design once (darkpatterns.py); --no-dark-patterns: off


def prepare(
    policy: Policy,
    *,
    scenarios: Sequence[Scenario | str] = ALL,
    banner: BannerConfig = MATERIAL,
    standins: Mapping[str, bytes | str | Path] | StandIns | None = None,
    signatures: Signatures | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    timing: Timing | None = None,
    dark_patterns: bool = True,
) -> AuditSetup:
    chosen = _scenarios(scenarios)
    if not chosen:
        raise UsageError("no scenario to run: name at least one of " + ", ".join(s.value for s in ALL))
    if max_pages < 1:
        raise UsageError("the number of pages to visit (--max-pages) must be at least 1")
    timing = timing or Timing()
    if not timing.page_timeout > 0:
        raise UsageError(f"the time limit per page (--page-timeout) must be more than 0 seconds, not {timing.page_timeout:g}")
    answers = standins if isinstance(standins, StandIns) else StandIns(standins)
    classifier = Classifier(policy, signatures or load_signatures())
    return AuditSetup(policy, chosen, banner, answers, timing, classifier, find_libraries(), find_autoconsent(),
                      dark_patterns)


def local_target(target: Path | str) -> tuple[Path | None, str | None, str]:
    """(the folder to serve, or the URL on this machine to visit, and how the report names it)."""
    if isinstance(target, str) and is_url(target):
        url = check_local_url(target)
        return None, url, url
    return Path(target), None, str(target)


def check_pages(setup: AuditSetup, chromium: Any, site: SitePages, *, scenarios: Sequence[Scenario] | None = None,
                progress: Progress | None = None, jobs: int = 1,
                evidence: Evidence | None = None) -> tuple[list[ScenarioRun], list[AuditFinding]]:
    """Run the scenarios (default: the setup's) on the pages of ``site``, each as one visitor, on ``jobs``
    browsers at once (runner.run_all: the runs come in the scenarios' order whatever ``jobs``); what they found."""
    chosen = list(scenarios or setup.scenarios)
    classifier = setup.classifier

    def optional(item: StoredItem) -> bool:
        return classifier.optional(item, classifier.vendor_of_item(item)) is True

    dark = DarkPatterns(setup.banner, setup.autoconsent, wait=classifier.has_optional_declarations) if (
        setup.dark_patterns and Scenario.BEFORE_CONSENT in chosen) else None
    runner = ScenarioRunner(
        browser=chromium, site=site, banner=setup.banner, standins=setup.answers, timing=setup.timing,
        is_optional=optional, banner_expected=classifier.has_optional_declarations, progress=progress,
        planned=sum(visits_per_scenario(s, len(site.pages)) for s in chosen),
        libraries=setup.libraries, autoconsent=setup.autoconsent, at_end=ScenarioEnd(evidence), dark_patterns=dark,
    )
    runs = runner.run_all(chosen, jobs=jobs)
    findings = Checker(setup.policy, classifier, banner_name=setup.banner.name).run(runs)
    findings += dark.findings if dark is not None else []
    return runs, sorted(findings + not_exercised_findings(runs) + tcf_findings(runs), key=report_order)


def nothing_loaded(shown: str, runs: Sequence[ScenarioRun]) -> UsageError | None:
    if any(record.pages for run in runs for record in run.records):
        return None
    problems = [f"{page}: {problem}" for run in runs for page, problem in run.page_errors]
    # Nothing was seen, so nothing could be found: that must not pass for a clean audit.
    return UsageError(
        f"{shown}: no page could be loaded ({problems[0] if problems else 'no pages'}); is the site served there?"
    )


def report_of(shown: str, site: SitePages, runs: Sequence[ScenarioRun], findings: list[AuditFinding],
              seconds: float) -> AuditReport:
    return AuditReport(
        target=shown, base_url=site.base_url, pages=[site.label(p) for p in site.pages], findings=findings,
        scenarios=_summaries(runs), pages_skipped=site.skipped, seconds=seconds,
    )


def audit_site(
    target: Path | str,
    policy: Policy,
    *,
    scenarios: Sequence[Scenario | str] = ALL,
    pages: Sequence[str] | None = None,
    banner: BannerConfig = MATERIAL,
    standins: Mapping[str, bytes | str | Path] | StandIns | None = None,
    progress: Progress | None = None,
    signatures: Signatures | None = None,
    browser: Any | None = None,
    max_pages: int = DEFAULT_MAX_PAGES,
    timing: Timing | None = None,
    jobs: int | None = None,
    evidence: Evidence | None = None,
    dark_patterns: bool = True,
) -> AuditReport:
    """Audit ``target`` against ``policy``: a folder of HTML pages (served here on 127.0.0.1), or an
    http://127.0.0.1:PORT/ or http://localhost:PORT/ URL.

    ``pages`` are paths relative to the site's root (default: every page of the folder, or the
    URL and the same-origin links on it), at most ``max_pages``. ``standins`` answer requests to
    other hosts (``{"www.googletagmanager.com/gtag/js": b"..."}``); every other one is aborted.
    ``browser`` is a Playwright Browser to use instead of launching Debian's Chromium.
    ``progress(scenario, page, done, total)`` is called after each page visit. ``jobs``: the scenarios run
    in that many browsers at once (default: the number of CPUs, at most 5; 1 with a ``browser`` given, as
    the others would launch Chromium of their own); the report is the same whatever it is.
    """
    started = time.perf_counter()
    jobs = jobs_with(jobs, browser)
    setup = prepare(policy, scenarios=scenarios, banner=banner, standins=standins, signatures=signatures,
                    max_pages=max_pages, timing=timing, dark_patterns=dark_patterns)
    folder, base_url, shown = local_target(target)
    listed = normalise_pages(pages) if pages else (folder_pages(folder) if folder is not None else None)
    with contextlib.ExitStack() as stack:
        chromium = stack.enter_context(launched(browser))
        if folder is not None:
            base_url = stack.enter_context(serve_folder(folder))
        assert base_url is not None
        if listed is None:
            listed = discover(chromium, base_url, setup.timing)
        site = SitePages(base_url, listed[:max_pages], max(0, len(listed) - max_pages))
        runs, findings = check_pages(setup, chromium, site, progress=progress, jobs=jobs, evidence=evidence)
    problem = nothing_loaded(shown, runs)
    if problem is not None:
        raise problem
    report = report_of(shown, site, runs, findings, time.perf_counter() - started)
    report.timing = timing_of(runs, jobs)
    return report
