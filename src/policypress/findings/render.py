"""The reports of every checker: text for a terminal, JSON for programs, JUnit XML for CI, SARIF 2.1.0
for code scanning. Each works on the ``Finding``/``Report`` base; a checker adds only its summary.

Text from scanned pages and the data goes out escaped for where it lands: ``escape.terminal`` for
a line of text (no data value can start a line, or a CI workflow command, of its own),
``escape.xml_text`` for XML, and JSON escapes itself.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import TypeVar

from ..escape import script_json, terminal, xml_text
from .model import Finding, Report, RuleInfo, Suite, artifact_uri

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
# The uriBaseId of page locations (a path of the audited site, not a file of the repository).
SITE_BASE_ID = "SITE"
FORMATS = ("text", "json", "junit", "sarif")
WIDTH = 110


def indent(text: str, first: str, rest: str, *, breaks: bool = True) -> str:
    """Wrap each line of ``text``; the first line after ``first``, all others after ``rest``.

    With ``breaks`` (a fix, whose YAML snippet we lay out ourselves) our own "\\n" starts a line;
    without (a message, which quotes pages and data) the whole text is one line, its "\\n" escaped.
    """
    lines: list[str] = []
    # Every other line break or control character (from a scanned page or the data) is shown
    # escaped (escape.terminal).
    for logical in (terminal(part) for part in (text.split("\n") if breaks else [text])):
        if logical.startswith(" "):  # preformatted, such as a YAML line to copy: never wrapped
            lines.append(logical)
            continue
        wrapped = textwrap.wrap(logical, width=WIDTH, break_long_words=False, break_on_hyphens=False) or [""]
        for n, piece in enumerate(wrapped):
            # GitHub's runner reads a line that starts with "::" (after spaces) as a workflow command:
            # wrapping must not put a quoted "::error::" at the start of one, so it stays on the line before.
            if n and piece.startswith("::"):
                lines[-1] += " " + piece
            else:
                lines.append(piece)
    return "\n".join((first if i == 0 else rest) + line for i, line in enumerate(lines))


def title(finding: Finding) -> str:
    """``severity[rule] place  subject``: the first line of a finding, and the line a build log shows."""
    subject = f"  {finding.subject}" if finding.subject else ""
    return terminal(f"{finding.severity.value}[{finding.rule_id}] {finding.place}{subject}")


def format_finding(finding: Finding) -> str:
    parts = [title(finding)]
    if finding.excerpt:
        parts.append(f"  | {terminal(finding.excerpt)}")
    parts.append(indent(finding.message, "  ", "  ", breaks=False))
    if finding.pages_count > 1:
        others = finding.pages_count - 1
        such_as = terminal(", ".join(finding.other_pages[:3]))
        more = ", ..." if others > 3 else ""
        parts.append(f"  (and {others} other page{'s' if others != 1 else ''}: {such_as}{more})")
    parts.append(indent(finding.fix, "  fix: ", "       "))
    return "\n".join(parts)


R = TypeVar("R", bound=Report)


def render_text(report: R, summary: Callable[[R], str]) -> str:
    """Each finding as a block, then the checker's summary."""
    blocks = [format_finding(finding) for finding in report.findings]
    blocks.append(summary(report))
    return "\n\n".join(blocks) + "\n"


def render_json(document: object) -> str:
    # JSON reports end up in dashboards and CI pages: "<", ">" and "&" written as \u escapes (the same
    # JSON once parsed), so a "<script>" quoted from a scanned page stays text wherever it is pasted.
    return script_json(document, indent=2) + "\n"


def _junit_suite(parent: ET.Element, suite: Suite) -> None:
    element = ET.SubElement(
        parent, "testsuite", name=xml_text(suite.name), tests=str(max(1, len(suite.findings))),
        failures=str(len(suite.findings)), errors="0", skipped="0",
    )
    if suite.seconds is not None:
        element.set("time", f"{suite.seconds:.3f}")
    if suite.properties:
        properties = ET.SubElement(element, "properties")
        for name, value in suite.properties.items():
            ET.SubElement(properties, "property", name=name, value=xml_text(value))
    for finding in suite.findings:
        case = ET.SubElement(
            element, "testcase", classname=f"{suite.classname}.{finding.rule_id}",
            name=xml_text(f"{finding.location} {finding.subject}".strip()),
        )
        if finding.location.file:
            case.set("file", xml_text(finding.location.file))
        if finding.location.line:
            case.set("line", str(finding.location.line))
        # Text from scanned pages may hold characters XML 1.0 cannot carry (an ESC): dropped, not written raw.
        failure = ET.SubElement(case, "failure", type=finding.severity.value, message=xml_text(finding.message))
        failure.text = xml_text("\n".join(finding.details()))
    if not suite.findings:
        ET.SubElement(element, "testcase", classname=suite.classname, name=xml_text(suite.passing))


def render_junit(report: Report) -> str:
    """Each finding a failed test case, so CI lists them; a clean suite is one passing case."""
    suites = ET.Element("testsuites", name=f"policypress {report.tool}")
    for suite in report.junit_suites():
        _junit_suite(suites, suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _sarif_rule(rule: RuleInfo) -> dict[str, object]:
    short = f"{rule.article}: {rule.title}" if rule.article else rule.title
    described: dict[str, object] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("-", " ").split()),
        "shortDescription": {"text": short},
        "defaultConfiguration": {"level": rule.severity.sarif_level},
    }
    if rule.description:
        described["fullDescription"] = {"text": rule.description}
        help_text = rule.description
        if rule.source:
            help_text += f" Source: {rule.source}."
        if rule.satisfied_by:
            help_text += f" Satisfied by: {rule.satisfied_by}."
        described["help"] = {"text": help_text}
    if rule.help_uri:
        described["helpUri"] = rule.help_uri
    if rule.article or rule.source:
        described["properties"] = {"article": rule.article, "source": rule.source, "tags": ["privacy", "gdpr"]}
    return described


def _sarif_location(finding: Finding) -> dict[str, object]:
    where = finding.location
    location: dict[str, object] = {}
    if where.file:
        physical: dict[str, object] = {"artifactLocation": {"uri": artifact_uri(where.file)}}
        if where.line:
            region = {"startLine": max(where.line, 1)}
            if where.column:
                region["startColumn"] = max(where.column, 1)
            physical["region"] = region
        location["physicalLocation"] = physical
    elif where.url:
        # A page of the site: relative to the site's base (run.originalUriBaseIds), or a URL of its own.
        relative = "://" not in where.url
        uri = (where.url.lstrip("/") or "./") if relative else where.url
        artifact: dict[str, object] = {"uri": uri}
        if relative:
            artifact["uriBaseId"] = SITE_BASE_ID
        location["physicalLocation"] = {"artifactLocation": artifact}
    if where.path:
        location["logicalLocations"] = [{"fullyQualifiedName": where.path}]
    return location


def _sarif_result(finding: Finding, rule_index: dict[str, int]) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "level": finding.severity.sarif_level,
        "message": {"text": finding.sarif_message()},
        "partialFingerprints": {"policypressFinding/v1": finding.fingerprint},
    }
    location = _sarif_location(finding)
    if location:
        result["locations"] = [location]
    facts = finding.sarif_properties()
    if facts:
        result["properties"] = facts
    return result


def render_sarif(report: Report, *, automation: str = "") -> str:
    """One SARIF 2.1.0 run: every rule of the checker in ``tool.driver.rules``, each finding a result."""
    from .. import __version__  # read from the package metadata only when a report names it

    rules = list(report.rules())
    # A rule id a finding names but the catalogue lacks (a rule added in a hurry) is described by its id.
    known = {rule.id for rule in rules}
    rules += [RuleInfo(id=rid) for rid in dict.fromkeys(f.rule_id for f in report.findings) if rid not in known]
    rule_index = {rule.id: i for i, rule in enumerate(rules)}
    run: dict[str, object] = {
        "tool": {"driver": {"name": "policypress", "version": __version__, "rules": [_sarif_rule(r) for r in rules]}},
        "automationDetails": {"id": f"policypress-{report.tool}/" + (f"{automation}/" if automation else "")},
        "results": [_sarif_result(finding, rule_index) for finding in report.findings],
    }
    base = report.sarif_base()
    if base is not None:
        run["originalUriBaseIds"] = {SITE_BASE_ID: {"uri": base if base.endswith("/") else base + "/"}}
    document = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    return render_json(document)


def render(report: Report, fmt: str, text: Callable[[], str], json_document: Callable[[], object],
           automation: str = "") -> str:
    """The report in ``fmt`` (one of ``FORMATS``): text and JSON as the checker writes them."""
    if fmt == "text":
        return text()
    if fmt == "json":
        return render_json(json_document())
    if fmt == "junit":
        return render_junit(report)
    if fmt == "sarif":
        return render_sarif(report, automation=automation)
    raise ValueError(f"unknown report format {fmt!r}")


__all__ = [
    "FORMATS", "SARIF_SCHEMA", "SARIF_VERSION", "artifact_uri", "format_finding", "indent", "render",
    "render_json", "render_junit", "render_sarif", "render_text", "title",
]
