"""The lint report as text (for a terminal) and JSON (for tools) in the lint's own shape; JUnit XML
and SARIF 2.1.0 (for GitHub code scanning) through ``findings.render``, as for every checker."""

from __future__ import annotations

from ..escape import terminal
from ..findings import render as core
from ..findings.render import SARIF_SCHEMA, SARIF_VERSION, artifact_uri
from .findings import LintReport, Severity, lint_summary
from .rules import RULES

__all__ = ["FORMATS", "SARIF_SCHEMA", "SARIF_VERSION", "artifact_uri", "render", "render_json", "render_junit",
           "render_sarif", "render_text"]


def render_text(report: LintReport) -> str:
    """Findings grouped by rule in the order of the article, so a reader can work through them."""
    heading = f"policypress lint: {report.policy_label}"
    if report.data_dir and report.data_dir != report.policy_label:
        heading += f" ({report.data_dir})"
    lines = [heading]
    for rule in RULES:
        found = report.by_rule(rule.id)
        if not found:
            continue
        lines.append("")
        lines.append(f"{rule.article} · {rule.title} [{rule.id}]")
        lines.append(f"  source: {rule.source} <{rule.help_uri}>")
        for finding in found:
            lines.append(f"  {finding.severity.value:<8}{finding.location}  {finding.location.path}")
            lines.append(f"  {'':<8}{finding.message}")
            lines.append(f"  {'':<8}fix: {finding.fix}")
    lines.append("")
    lines.append(lint_summary(report))
    # Each entry is one line: escape.terminal keeps a line break or control character
    # quoted from the data (a "\n::error::" in a purpose) from starting a line of its own.
    return "\n".join(terminal(line) for line in lines) + "\n"


def json_document(report: LintReport) -> dict[str, object]:
    counts = report.counts
    return {
        "policy": report.policy_label,
        "data_dir": report.data_dir,
        "counts": {severity.value: counts[severity] for severity in Severity},
        "needs_input": report.needs_input_count,
        "summary": lint_summary(report),
        "findings": [finding.as_dict() for finding in report.findings],
    }


def render_json(report: LintReport) -> str:
    return core.render_json(json_document(report))


def render_junit(report: LintReport) -> str:
    return core.render_junit(report)


def _automation(report: LintReport) -> str:
    # One run per version linted: code scanning keeps the draft's and a release's results apart.
    return "-".join(report.policy_label.split())


def render_sarif(report: LintReport) -> str:
    return core.render_sarif(report, automation=_automation(report))


FORMATS = core.FORMATS


def render(report: LintReport, fmt: str) -> str:
    return core.render(
        report, fmt, lambda: render_text(report), lambda: json_document(report),
        automation=_automation(report),
    )
