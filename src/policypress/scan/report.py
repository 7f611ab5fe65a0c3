"""The scan's reports: text for a person at a terminal, JSON for programs, JUnit XML for CI."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from ..escape import terminal, xml_text
from .findings import Finding, ScanReport

# Below this many pages a scan takes a blink; no progress is shown.
PROGRESS_FROM_PAGES = 200


class TextProgress:
    """``scanned 1200/10000 pages`` on stderr: rewritten in place on a terminal, every tenth otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._tty = stream.isatty()
        self._last_tenth = 0

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_FROM_PAGES:
            return
        if self._tty:
            if done % 50 == 0 or done == total:
                end = "\n" if done == total else ""
                self._stream.write(f"\rscanned {done}/{total} pages{end}")
                self._stream.flush()
            return
        tenth = done * 10 // total
        if tenth > self._last_tenth:
            self._last_tenth = tenth
            self._stream.write(f"scanned {done}/{total} pages\n")
            self._stream.flush()


def _title(finding: Finding) -> str:
    subject = " ".join(part for part in (finding.vendor_name, f"'{finding.key}'" if finding.key else None) if part)
    return terminal(f"{finding.severity.value}[{finding.rule.value}] {finding.location}" + (f"  {subject}" if subject else ""))


def _indent(text: str, first: str, rest: str) -> str:
    """Wrap each line of ``text``; the first line after ``first``, all others after ``rest``."""
    lines: list[str] = []
    # Only our own "\n" breaks lines; every other line break or control character
    # (from a scanned page or the data) is shown escaped (escape.terminal).
    for logical in (terminal(part) for part in text.split("\n")):
        if logical.startswith(" "):  # preformatted, such as a YAML line to copy: never wrapped
            lines.append(logical)
            continue
        lines.extend(textwrap.wrap(logical, width=110, break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join((first if i == 0 else rest) + line for i, line in enumerate(lines))


def format_finding(finding: Finding) -> str:
    parts = [_title(finding)]
    if finding.element:
        parts.append(f"  | {terminal(finding.element)}")
    parts.append(_indent(finding.message, "  ", "  "))
    if finding.pages_count > 1:
        others = finding.pages_count - 1
        such_as = terminal(", ".join(finding.other_pages[:3]))
        more = ", ..." if others > 3 else ""
        parts.append(f"  (and {others} other page{'s' if others != 1 else ''}: {such_as}{more})")
    parts.append(_indent(finding.fix, "  fix: ", "       "))
    return "\n".join(parts)


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
    blocks = [format_finding(finding) for finding in report.findings]
    blocks.append(summary(report))
    return "\n\n".join(blocks) + "\n"


def render_json(report: ScanReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"


def render_junit(report: ScanReport) -> str:
    """Each finding a failed test case, so CI lists them; a clean scan is one passing case."""
    suites = ET.Element("testsuites", name="policypress scan")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="policypress scan",
        tests=str(max(1, len(report.findings))),
        failures=str(len(report.findings)),
        errors="0",
        skipped="0",
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="pages_scanned", value=str(report.pages_scanned))
    ET.SubElement(properties, "property", name="folders", value=", ".join(report.folders))
    for finding in report.findings:
        subject = finding.vendor or finding.key or ""
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"policypress.scan.{finding.rule.value}",
            name=xml_text(f"{finding.location} {subject}".strip()),
        )
        if finding.page:
            case.set("file", xml_text(f"{finding.folder}/{finding.page}" if finding.folder else finding.page))
        if finding.line:
            case.set("line", str(finding.line))
        # Text from scanned pages may hold characters XML 1.0 cannot carry (an ESC): dropped, not written raw.
        failure = ET.SubElement(case, "failure", type=finding.severity.value, message=xml_text(finding.message))
        body = [finding.message]
        if finding.element:
            body.append(f"element: {finding.element}")
        if finding.pages_count > 1:
            body.append(f"pages: {finding.pages_count}")
        body.append(f"fix: {finding.fix}")
        failure.text = xml_text("\n".join(body))
    if not report.findings:
        ET.SubElement(
            suite, "testcase", classname="policypress.scan",
            name=f"{report.pages_scanned} pages match the declarations",
        )
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def write_junit(report: ScanReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_junit(report), encoding="utf-8")

