"""The audit's reports: its summary (what each scenario stored and asked for); the findings go out
through ``findings.render`` (text with progress, JSON, JUnit XML with a suite per scenario, SARIF)."""

from __future__ import annotations

from typing import TextIO

from ..escape import terminal
from ..findings import render as core
from ..findings.progress import ScenarioProgress
from ..findings.render import format_finding, render_junit
from .findings import AuditReport
from .scenarios import Scenario

__all__ = ["TextProgress", "format_finding", "render", "render_json", "render_junit", "render_text", "summary"]


class TextProgress(ScenarioProgress):
    """``accept-all  12/40  /en/privacy-policy/`` on stderr: in place on a terminal, a line per scenario otherwise."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream, lambda scenario: Scenario(scenario).description)


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def summary(report: AuditReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    noun = "page" if len(report.pages) == 1 else "pages"
    lines = [
        f"audited {len(report.pages)} {noun} of {report.target} in {len(report.scenarios)} scenario{'' if len(report.scenarios) == 1 else 's'} "
        f"({report.seconds:.1f} s): {errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    ]
    if report.pages_skipped:
        more = "page was" if report.pages_skipped == 1 else "pages were"
        lines.append(f"  {report.pages_skipped} more {more} not visited (raise --max-pages to include them)")
    for scenario in report.scenarios:
        stored = _unique([str(c) for c in scenario.cookies] + [str(s) for s in scenario.storage])
        lines.append(
            f"  {scenario.scenario:<21} {scenario.pages_visited:>3} visits {scenario.seconds:6.1f} s  "
            f"stored: {', '.join(stored) or 'nothing'}"
        )
        if scenario.requests:
            asked = ", ".join(_unique([str(r) for r in scenario.requests]))
            lines.append(f"  {'':<21} requests to other hosts (none left the machine): {asked}")
        if scenario.left_behind:
            left = ", ".join(scenario.left_behind)
            lines.append(f"  {'':<21} left in place by the withdrawal, not written again: {left}")
        for note in scenario.notes:
            lines.append(f"  {'':<21} note: {note}")
    # Each entry is one line: names stored by the audited site are shown escaped.
    return "\n".join(terminal(line) for line in lines)


def render_text(report: AuditReport) -> str:
    return core.render_text(report, summary)


def render_json(report: AuditReport) -> str:
    return core.render_json(report.as_dict())


def render(report: AuditReport, fmt: str) -> str:
    return core.render(report, fmt, lambda: render_text(report), report.as_dict)
