"""The scan's reports: its summary line; the findings themselves go out through ``findings.render``
(text for a terminal, JSON for programs, JUnit XML for CI, SARIF for code scanning)."""

from __future__ import annotations

from ..escape import terminal
from ..findings import render as core
from ..findings.progress import PROGRESS_FROM_PAGES
from ..findings.progress import PagesProgress as TextProgress
from ..findings.render import format_finding, render_junit
from .findings import ScanReport

__all__ = ["PROGRESS_FROM_PAGES", "TextProgress", "format_finding", "render", "render_junit", "render_text", "summary"]


def summary(report: ScanReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    folders = terminal(", ".join(report.folders))
    noun = "page" if report.pages_scanned == 1 else "pages"
    line = (
        f"scanned {report.pages_scanned} {noun} in {folders}: "
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    )
    if report.vendors_seen:
        seen = terminal(", ".join(f"{vendor} ({count})" for vendor, count in report.vendors_seen.items()))
        line += f"\nvendors seen (pages): {seen}"
    return line


def render_text(report: ScanReport) -> str:
    return core.render_text(report, summary)


def render(report: ScanReport, fmt: str) -> str:
    return core.render(report, fmt, lambda: render_text(report), report.as_dict)
