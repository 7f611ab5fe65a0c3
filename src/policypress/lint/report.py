"""The lint report as text (for a terminal), JSON (for tools) and SARIF 2.1.0 (for GitHub code scanning)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

from .. import __version__
from ..escape import terminal
from .findings import Finding, LintReport, Rule, Severity, lint_summary
from .rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"


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


def render_json(report: LintReport) -> str:
    counts = report.counts
    document = {
        "policy": report.policy_label,
        "data_dir": report.data_dir,
        "counts": {severity.value: counts[severity] for severity in Severity},
        "needs_input": report.needs_input_count,
        "summary": lint_summary(report),
        "findings": [finding.as_dict() for finding in report.findings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def artifact_uri(file: str) -> str:
    """A repository-relative URI (what code scanning matches to files), or a file: URI outside the tree."""
    path = Path(file)
    if not path.is_absolute() and ".." not in path.parts:
        return PurePosixPath(*path.parts).as_posix()
    return path.resolve().as_uri()


def _sarif_rule(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.replace("-", " ").split()),
        "shortDescription": {"text": f"{rule.article}: {rule.title}"},
        "fullDescription": {"text": rule.description},
        "help": {"text": f"{rule.description} Source: {rule.source}. Satisfied by: {rule.satisfied_by}."},
        "helpUri": rule.help_uri,
        "defaultConfiguration": {"level": rule.severity.sarif_level},
        "properties": {"article": rule.article, "source": rule.source, "tags": ["privacy", "gdpr"]},
    }


def _fingerprint(finding: Finding) -> str:
    # Keyed on the data path, not the line: an edit above a finding must not make it "new".
    key = f"{finding.rule.id}\0{artifact_uri(finding.location.file)}\0{finding.location.path}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _sarif_result(finding: Finding, rule_index: dict[str, int]) -> dict[str, object]:
    return {
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index[finding.rule.id],
        "level": finding.severity.sarif_level,
        "message": {"text": f"{finding.location.path}: {finding.message}. Fix: {finding.fix}."},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(finding.location.file)},
                    "region": {
                        "startLine": max(finding.location.line, 1),
                        "startColumn": max(finding.location.column, 1),
                    },
                },
                "logicalLocations": [{"fullyQualifiedName": finding.location.path}],
            }
        ],
        "partialFingerprints": {"policypressFinding/v1": _fingerprint(finding)},
        "properties": {"article": finding.rule.article, "needsInput": finding.needs_input},
    }


def render_sarif(report: LintReport) -> str:
    rule_index = {rule.id: i for i, rule in enumerate(RULES)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policypress",
                        "version": __version__,
                        "rules": [_sarif_rule(rule) for rule in RULES],
                    }
                },
                "automationDetails": {"id": "policypress-lint/" + "-".join(report.policy_label.split()) + "/"},
                "results": [_sarif_result(finding, rule_index) for finding in report.findings],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": render_text, "json": render_json, "sarif": render_sarif}


def render(report: LintReport, fmt: str) -> str:
    return FORMATS[fmt](report)
