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

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .loader import display_path
from .localserver import serve_directory

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_SITE = "site"
DEFAULT_MAX_PAGES = 50
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
class Violation:
    page: str  # URL path relative to the site's root ("" is the start page)
    state: str  # "" for the page itself, or BANNER_STATE / SETTINGS_STATE
    rule: str
    impact: str
    help: str
    help_url: str
    nodes: tuple[Node, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "state": self.state,
            "rule": self.rule,
            "impact": self.impact,
            "help": self.help,
            "help_url": self.help_url,
            "nodes": [{"target": n.target, "html": n.html, "summary": n.summary} for n in self.nodes],
        }

    def __str__(self) -> str:
        targets = ", ".join(n.target for n in self.nodes)
        where = f"/{self.page}" + (f" [{self.state}]" if self.state else "")
        return f"{where}: {self.rule} ({self.impact}): {self.help}: {targets}"


@dataclass
class Report:
    pages: list[str] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    banner_checked: bool = False
    seconds: float = 0.0
    axe_runs: int = 0

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.violations else EXIT_OK

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / len(self.pages) if self.pages else 0.0


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
    """axe-core's WCAG 2.2 AA rules on an open Playwright page: its serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    return violations_from(Axe().run(page, options=AXE_OPTIONS).response, label, state)


def keep_local(base_url: str) -> Callable[[Any], None]:
    """A Playwright route handler: requests to the served site go on, every other one is aborted."""

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(base_url):
            request_route.continue_()
        else:
            request_route.abort()

    return route


def banner_visible(page: Any, timeout_ms: float = 3000) -> bool:
    """Whether the page shows a consent banner; Material shows it 250 ms after loading."""
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
    page.locator(f"{BANNER} .md-consent__settings").first.wait_for(state="visible", timeout=2000)
    return True


def dismiss_banner(page: Any) -> None:
    """Store "rejected" in Material's own storage so the banner stays closed on the next pages."""
    page.evaluate("() => { if (typeof __md_set === 'function') __md_set('__consent', {}) }")



def check_site(
    site: Path,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    browser: Any | None = None,
    progress: Callable[[str, int, float], None] | None = None,
) -> Report:
    """axe on the pages of the built ``site`` (at most ``max_pages``), and on the consent banner opened."""
    from .audit.browser import launched
    from .audit.target import folder_pages

    if max_pages < 1:
        raise UsageError(f"--max-pages {max_pages}: must be at least 1")
    if not site.is_dir():
        raise UsageError(f"{display_path(site)}: no such folder (the built site to check; run `make site` first)")
    pages = folder_pages(site)[:max_pages]
    report = Report(pages=pages)
    started = time.perf_counter()
    with serve_directory(site) as base_url, launched(browser) as chromium:
        context = chromium.new_context()
        try:
            context.route("**/*", keep_local(base_url))
            tab = context.new_page()
            for index, path in enumerate(pages):
                page_started = time.perf_counter()
                tab.goto(base_url + path, wait_until="load")
                found: list[Violation] = []
                if index == 0 and banner_visible(tab):
                    # A first visit: the banner is open. Check it, then with its settings open.
                    report.banner_checked = True
                    found += run_axe(tab, path, BANNER_STATE)
                    report.axe_runs += 1
                    if open_settings(tab):
                        found += run_axe(tab, path, SETTINGS_STATE)
                        report.axe_runs += 1
                    dismiss_banner(tab)
                    # Let the page's own requests (the search index) finish before leaving it.
                    tab.wait_for_load_state("networkidle")
                    tab.goto(base_url + path, wait_until="load")
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
        key = f"/{violation.page}" + (f" [{violation.state}]" if violation.state else "")
        order.setdefault(key, []).append(violation)
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
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    return json.dumps(
        {
            "ok": not report.violations,
            "tags": list(WCAG_TAGS),
            "impacts": list(REPORTED_IMPACTS),
            "pages": report.pages,
            "banner_checked": report.banner_checked,
            "seconds": round(report.seconds, 3),
            "seconds_per_page": round(report.seconds_per_page, 3),
            "violations": [v.as_dict() for v in report.violations],
        },
        indent=2,
        ensure_ascii=False,
    ) + "\n"


def _run(args: argparse.Namespace) -> int:
    def progress(path: str, found: int, seconds: float) -> None:
        print(f"  /{path}: {found or 'no'} violation{'s' if found != 1 else ''} ({seconds:.2f} s)", file=sys.stderr)

    report = check_site(
        Path(args.site_dir), max_pages=args.max_pages, progress=progress if args.format == "text" else None
    )
    sys.stdout.write(render_json(report) if args.format == "json" else render_text(report))
    return report.exit_code


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    a11y = subparsers.add_parser(
        "a11y",
        help="check every page of a built site with axe-core (WCAG 2.2 AA) in headless Chromium",
        description=(
            "Serve the built site on 127.0.0.1, open each HTML page in headless Chromium and run axe-core's "
            f"WCAG 2.2 AA rules ({', '.join(WCAG_TAGS)}); the consent banner is checked open on the first page. "
            "Violations of impact serious or critical are reported by page, rule and element. "
            "No request leaves the machine. Exit 0 clean, 1 findings, 2 bad input. "
            "Needs Debian's chromium (`make browser`) or POLICYPRESS_CHROMIUM."
        ),
    )
    a11y.add_argument(
        "site_dir", nargs="?", default=DEFAULT_SITE, metavar="SITE_DIR", help=f"the built site (default: {DEFAULT_SITE})"
    )
    a11y.add_argument("--format", choices=("text", "json"), default="text")
    a11y.add_argument(
        "--max-pages", type=int, default=DEFAULT_MAX_PAGES, metavar="N",
        help=f"check at most N pages, the start page first, then the shallowest (default: {DEFAULT_MAX_PAGES})",
    )
    a11y.set_defaults(run=_run)
