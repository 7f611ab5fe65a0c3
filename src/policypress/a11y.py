"""``policypress a11y``: axe-core on every page of a built site, in headless Chromium.

The folder is served on 127.0.0.1 and every page is opened in Debian's Chromium (the same
switches as ``policypress audit``; every request to another host is aborted in the browser).
axe-core (shipped by ``axe-playwright-python``, no download) runs the WCAG 2.2 AA rules on each
page with the consent banner closed, and once more on the first page with the banner open
and once with its settings open, as a first-time visitor sees them. Violations of impact
serious or critical are reported by page, rule and element.

Exit codes: 0 clean, 1 findings, 2 bad input (no such folder, no pages, no Chromium).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .errors import UsageError
from .escape import terminal
from .findings import Finding, Location, RuleInfo, Severity, Suite
from .findings import Report as BaseReport
from .findings import render as core
from .loader import display_path
from .localserver import serve_directory

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_SITE = "site"
DEFAULT_MAX_PAGES = 50
DEFAULT_PAGE_TIMEOUT = 20.0  # seconds per step: loading a page, answering the banner, one axe run
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
REPORTED_IMPACTS = ("critical", "serious")
AXE_OPTIONS: dict[str, Any] = {
    "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
    "resultTypes": ["violations"],
}
# Material for MkDocs' consent banner (extra.consent): a <form name="consent"> that its bundle
# shows on a visitor's first visit; the "Manage settings" control opens the #__settings toggle.
BANNER = "form[name=consent]"
MANAGE = "label[for=__settings]"
BANNER_STATE = "consent banner open"
SETTINGS_STATE = "consent settings open"


@dataclass(frozen=True)
class Node:
    target: str
    html: str
    summary: str


@dataclass(frozen=True)
class Violation(Finding):
    page: str  # URL path relative to the site's root ("" is the start page)
    state: str  # "" for the page itself, or BANNER_STATE / SETTINGS_STATE
    rule: str
    impact: str
    help: str
    help_url: str
    nodes: tuple[Node, ...]

    @property
    def severity(self) -> Severity:
        # Only serious and critical violations are reported, and each fails the check.
        return Severity.ERROR

    @property
    def rule_id(self) -> str:
        return self.rule

    @property
    def message(self) -> str:
        return f"{self.help} ({self.impact}): {', '.join(n.target for n in self.nodes)}"

    @property
    def fix(self) -> str:
        summaries = dict.fromkeys(" ".join(n.summary.split()) for n in self.nodes if n.summary)
        return " ".join([*summaries, f"See {self.help_url}"] if self.help_url else summaries)

    @property
    def location(self) -> Location:
        return Location(url=f"/{self.page}", path=", ".join(n.target for n in self.nodes) or None)

    @property
    def place(self) -> str:
        return f"/{self.page}" + (f" [{self.state}]" if self.state else "")

    def identity(self) -> tuple[object, ...]:
        return (self.page, self.state, *(n.target for n in self.nodes))

    def sarif_properties(self) -> dict[str, object]:
        return {"impact": self.impact, "state": self.state, "tags": list(WCAG_TAGS)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "state": self.state,
            "rule": self.rule,
            "severity": self.severity.value,
            "impact": self.impact,
            "help": self.help,
            "help_url": self.help_url,
            "nodes": [{"target": n.target, "html": n.html, "summary": n.summary} for n in self.nodes],
        }

    def __str__(self) -> str:
        targets = ", ".join(n.target for n in self.nodes)
        return f"{self.place}: {self.rule} ({self.impact}): {self.help}: {targets}"


@dataclass
class Report(BaseReport):
    tool: ClassVar[str] = "a11y"
    pages: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    banner_checked: bool = False
    seconds: float = 0.0
    axe_runs: int = 0
    site: str = ""  # the built site's folder, as the user gave it

    @property
    def findings(self) -> list[Violation]:
        return self.violations

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / len(self.pages) if self.pages else 0.0

    def rules(self) -> list[RuleInfo]:
        """The axe rules that failed, described by axe itself (its help text and page)."""
        seen = {v.rule: RuleInfo(id=v.rule, title=v.help, help_uri=v.help_url) for v in self.violations}
        return list(seen.values())

    def junit_suites(self) -> list[Suite]:
        passing = f"{len(self.pages)} pages: no serious or critical violations"
        return [Suite("policypress a11y", "policypress.a11y", list(self.violations), passing)]

    def sarif_base(self) -> str | None:
        return Path(self.site).resolve().as_uri() if self.site else None


def violations_from(results: dict[str, Any], page: str, state: str = "") -> list[Violation]:
    """The serious and critical violations in the raw result of ``axe.run``."""
    found = []
    for item in results.get("violations", []):
        if item.get("impact") not in REPORTED_IMPACTS:
            continue
        nodes = tuple(
            Node(
                target=" ".join(str(part) for part in node.get("target", [])),
                html=node.get("html", ""),
                summary=(node.get("failureSummary") or "").strip(),
            )
            for node in item.get("nodes", [])
        )
        found.append(
            Violation(page, state, item["id"], item["impact"], item.get("help", ""), item.get("helpUrl", ""), nodes)
        )
    return found


def run_axe(page: Any, label: str, state: str = "") -> list[Violation]:
    """axe-core's WCAG 2.2 AA rules on an open Playwright page: its serious and critical violations.

    Run once every animation has finished: colours measured mid-fade (a banner at half opacity)
    would make the verdict depend on the machine's speed.
    """
    from axe_playwright_python.sync_playwright import Axe

    from .audit.browser import wait_until_still

    wait_until_still(page)
    return violations_from(Axe().run(page, options=AXE_OPTIONS).response, label, state)


def keep_local(base_url: str) -> Callable[[Any], None]:
    """A Playwright route handler: requests to the served site go on, every other one is aborted.

    A handler for every URL, not a pattern only the other hosts match, which Playwright's driver would
    decide alone: with the pattern, Material's search now and then never showed its results on a loaded
    machine (1 run in 4 with both cores busy; none in 12 with this handler)."""

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(base_url):
            request_route.continue_()
        else:
            request_route.abort()

    return route


def banner_visible(page: Any, timeout_ms: float = 10_000) -> bool:
    """Whether the page shows a consent banner; Material shows it 250 ms after loading (the
    generous limit is for a loaded machine: a banner that is there is always waited for)."""
    banner = page.locator(BANNER)
    if banner.count() == 0:
        return False
    try:
        banner.first.wait_for(state="visible", timeout=timeout_ms)
    except Exception:  # Playwright's TimeoutError: a banner that stays hidden
        return False
    return True


def open_settings(page: Any) -> bool:
    """Open the banner's settings through its "Manage settings" control; False when it has none."""
    manage = page.locator(f"{BANNER} {MANAGE}")
    if manage.count() == 0 or not manage.first.is_visible():
        return False
    manage.first.click()
    page.locator(f"{BANNER} .md-consent__settings").first.wait_for(state="visible", timeout=10_000)
    return True


def dismiss_banner(page: Any) -> None:
    """Store "rejected" in Material's own storage so the banner stays closed on the next pages."""
    page.evaluate("() => { if (typeof __md_set === 'function') __md_set('__consent', {}) }")



def _open(tab: Any, url: str, watchdog: Any) -> None:
    """Load ``url``; a page that does not load within the step's budget is an ``AuditTimeout``."""
    from playwright.sync_api import Error as PlaywrightError

    from .audit.watchdog import BUSY, NOT_LOADED, probe_busy

    try:
        tab.goto(url, wait_until="load", timeout=watchdog.remaining_ms())
    except PlaywrightError as exc:
        if "Timeout" not in type(exc).__name__:
            raise
        busy = probe_busy(tab)
        raise watchdog.timeout(url, BUSY if busy else NOT_LOADED, "did not respond" if busy else "did not load") from None


def check_site(
    site: Path,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    browser: Any | None = None,
    progress: Callable[[str, int, float], None] | None = None,
    page_timeout: float = DEFAULT_PAGE_TIMEOUT,
) -> Report:
    """axe on the pages of the built ``site`` (at most ``max_pages``), and on the consent banner opened.

    Each step in the browser (loading a page, one axe run) must end within ``page_timeout`` seconds,
    else ``AuditTimeout`` (exit 2), the browser closed.
    """
    from .audit.browser import CONTEXT_OPTIONS, launched
    from .audit.target import folder_pages
    from .audit.watchdog import Watchdog

    if max_pages < 1:
        raise UsageError(f"--max-pages {max_pages}: must be at least 1")
    if not page_timeout > 0:
        raise UsageError(f"--page-timeout {page_timeout:g}: must be more than 0 seconds")
    if not site.is_dir():
        raise UsageError(f"{display_path(site)}: no such folder (the built site to check; run `make site` first)")
    pages = folder_pages(site)[:max_pages]
    report = Report(pages=pages, site=display_path(site))
    started = time.perf_counter()
    with serve_directory(site) as base_url, launched(browser) as chromium:
        context = chromium.new_context(**CONTEXT_OPTIONS)
        # axe runs in the page: a page whose script never lets go would hold it for ever.
        watchdog = Watchdog(context, page_timeout)
        try:
            context.route("**/*", keep_local(base_url))
            tab = context.new_page()
            for index, path in enumerate(pages):
                page_started = time.perf_counter()
                url = base_url + path
                found: list[Violation] = []
                with watchdog.step(url):  # each step (a load, the banner, one axe run) has its own budget
                    _open(tab, url, watchdog)
                    first_visit = index == 0 and banner_visible(tab)
                if first_visit:
                    # A first visit: the banner is open. Check it, then with its settings open.
                    report.banner_checked = True
                    with watchdog.step(url):
                        found += run_axe(tab, path, BANNER_STATE)
                    report.axe_runs += 1
                    with watchdog.step(url):
                        opened = open_settings(tab)
                    if opened:
                        with watchdog.step(url):
                            found += run_axe(tab, path, SETTINGS_STATE)
                        report.axe_runs += 1
                    with watchdog.step(url):
                        dismiss_banner(tab)  # stored at once (localStorage): the reload shows no banner
                        _open(tab, url, watchdog)
                with watchdog.step(url):
                    found += run_axe(tab, path)
                report.axe_runs += 1
                report.violations += found
                if progress is not None:
                    progress(path, len(found), time.perf_counter() - page_started)
        finally:
            context.close()
    report.seconds = time.perf_counter() - started
    return report


def _grouped(violations: Sequence[Violation]) -> Iterator[tuple[str, list[Violation]]]:
    order: dict[str, list[Violation]] = {}
    for violation in violations:
        order.setdefault(violation.place, []).append(violation)
    yield from order.items()


def render_text(report: Report) -> str:
    lines = []
    for where, violations in _grouped(report.violations):
        lines.append(where)
        for v in violations:
            lines.append(f"  {v.rule} ({v.impact}): {v.help}")
            lines.append(f"    {v.help_url}")
            for node in v.nodes:
                lines.append(f"    - {node.target}")
                lines.append(f"      {' '.join(node.html.split())[:200]}")
                for summary_line in node.summary.splitlines():
                    lines.append(f"      {summary_line.strip()}")
        lines.append("")
    count = len(report.violations)
    nodes = sum(len(v.nodes) for v in report.violations)
    banner = "consent banner checked" if report.banner_checked else "no consent banner found"
    verdict = (
        f"{count} serious or critical violation{'s' if count != 1 else ''} ({nodes} element{'s' if nodes != 1 else ''})"
        if count
        else "no serious or critical violations"
    )
    lines.append(
        f"{len(report.pages)} page{'s' if len(report.pages) != 1 else ''} checked against "
        f"{', '.join(WCAG_TAGS)} ({banner}): {verdict}; "
        f"{report.seconds:.1f} s, {report.seconds_per_page:.2f} s per page"
    )
    # Each entry is one line; texts from the checked pages must not start lines of their own.
    return "\n".join(terminal(line) for line in lines) + "\n"


def json_document(report: Report) -> dict[str, Any]:
    return {
        "ok": not report.violations,
        "tags": list(WCAG_TAGS),
        "impacts": list(REPORTED_IMPACTS),
        "pages": report.pages,
        "banner_checked": report.banner_checked,
        "seconds": round(report.seconds, 3),
        "seconds_per_page": round(report.seconds_per_page, 3),
        "violations": [v.as_dict() for v in report.violations],
    }


def render_json(report: Report) -> str:
    return core.render_json(json_document(report))


def render(report: Report, fmt: str) -> str:
    """The report as text, JSON, JUnit XML or SARIF (``findings.render.FORMATS``)."""
    return core.render(report, fmt, lambda: render_text(report), lambda: json_document(report))
