"""The audit's reports: text for a terminal (with progress), JSON for programs, JUnit XML for CI."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from ..escape import terminal
from .findings import AuditFinding, AuditReport
from .scenarios import Scenario


class TextProgress:
    """``accept-all  12/40  /en/privacy-policy/`` on stderr: in place on a terminal, a line per scenario otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._scenario = ""

    def __call__(self, scenario: str, page: str, done: int, total: int) -> None:
        if self._tty:
            end = "\n" if done == total else ""
            self._stream.write(f"\r\x1b[2K{scenario:<21} {done:>4}/{total}  {page}{end}")
            self._stream.flush()
            return
        if scenario != self._scenario:
            self._scenario = scenario
            self._stream.write(f"audit: {scenario} ({Scenario(scenario).description}) from visit {done}/{total}\n")
            self._stream.flush()


def _indent(text: str, first: str, rest: str) -> str:
    """Wrap each line of ``text`` after ``first`` (then ``rest``); lines that start with a space stay as they are."""
    lines: list[str] = []
    # Only our own "\n" breaks lines; every other line break or control character
    # (from a scanned page or the data) is shown escaped (escape.terminal).
    for logical in (terminal(part) for part in text.split("\n")):
        if logical.startswith(" "):  # a YAML line to copy: never wrapped
            lines.append(logical)
            continue
        lines.extend(textwrap.wrap(logical, width=110, break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join((first if i == 0 else rest) + line for i, line in enumerate(lines))


def _title(finding: AuditFinding) -> str:
    where = f" {finding.page}" if finding.page else ""
    subject = f"  {finding.subject}" if finding.subject else ""
    return terminal(f"{finding.severity.value}[{finding.rule.value}] {finding.scenario}{where}{subject}")


def format_finding(finding: AuditFinding) -> str:
    parts = [_title(finding), _indent(finding.message, "  ", "  ")]
    if finding.pages_count > 1:
        others = terminal(", ".join(finding.other_pages[:3]))
        more = ", ..." if finding.pages_count - 1 > 3 else ""
        count = finding.pages_count - 1
        parts.append(f"  (and {count} other page{'s' if count != 1 else ''}: {others}{more})")
    parts.append(_indent(finding.fix, "  fix: ", "       "))
    return "\n".join(parts)


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


def summary(report: AuditReport) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    noun = "page" if len(report.pages) == 1 else "pages"
    lines = [
        f"audited {len(report.pages)} {noun} of {report.target} in {len(report.scenarios)} scenarios "
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
    blocks = [format_finding(finding) for finding in report.findings]
    blocks.append(summary(report))
    return "\n\n".join(blocks) + "\n"


def render_json(report: AuditReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


def render_junit(report: AuditReport) -> str:
    """A test suite per scenario; each finding a failed case, a clean scenario one passing case."""
    suites = ET.Element("testsuites", name="policypress audit")
    by_scenario = {summary.scenario: summary for summary in report.scenarios}
    for scenario, scenario_summary in by_scenario.items():
        findings = [f for f in report.findings if f.scenario == scenario]
        suite = ET.SubElement(
            suites, "testsuite", name=f"policypress audit {scenario}", tests=str(max(1, len(findings))),
            failures=str(len(findings)), errors="0", skipped="0", time=f"{scenario_summary.seconds:.3f}",
        )
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="target", value=report.target)
        ET.SubElement(properties, "property", name="pages", value=str(len(report.pages)))
        for finding in findings:
            case = ET.SubElement(
                suite, "testcase", classname=f"policypress.audit.{scenario}.{finding.rule.value}",
                name=f"{finding.page or ''} {finding.subject}".strip(),
            )
            failure = ET.SubElement(case, "failure", type=finding.severity.value, message=finding.message)
            body = [finding.message]
            if finding.pages_count > 1:
                body.append(f"pages: {finding.pages_count}")
            body.append(f"fix: {finding.fix}")
            failure.text = "\n".join(body)
        if not findings:
            ET.SubElement(
                suite, "testcase", classname=f"policypress.audit.{scenario}",
                name=f"{scenario_summary.pages_visited} visits: only what the policy allows",
            )
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def write_junit(report: AuditReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_junit(report), encoding="utf-8")
