"""What a lint run produces: rules, findings pinned to file:line, and the report with its counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..findings import Finding as BaseFinding
from ..findings import Location, Report, RuleInfo, Severity, Suite
from ..findings.model import artifact_uri

__all__ = ["NEEDS_INPUT", "Finding", "LintReport", "Location", "Rule", "Severity", "lint_summary"]

NEEDS_INPUT = "needs input from the data owner"


# The lint's rule is the core's description: the catalogue (rules.py) builds them positionally.
Rule = RuleInfo


@dataclass(frozen=True)
class Finding(BaseFinding):
    rule: Rule
    severity: Severity
    location: Location
    message: str  # what is missing
    fix: str  # what would satisfy the rule
    needs_input: bool = False

    @property
    def rule_id(self) -> str:
        return self.rule.id

    def sort_key(self) -> tuple[str, int, int, str, str]:
        where = self.location
        return (where.file or "", where.line or 0, where.column or 0, self.rule.id, self.message)

    @property
    def place(self) -> str:
        return f"{self.location}  {self.location.path}"

    def identity(self) -> tuple[object, ...]:
        # Keyed on the file and the data path, not the line: an edit above a finding must not make it "new".
        return (artifact_uri(self.location.file or ""), self.location.path)

    def sarif_message(self) -> str:
        return f"{self.location.path}: {self.message}. Fix: {self.fix}."

    def sarif_properties(self) -> dict[str, object]:
        return {"article": self.rule.article, "needsInput": self.needs_input}

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.location.path}: {self.message} [{self.rule.id}, {self.rule.article}]"

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule.id,
            "article": self.rule.article,
            "source": self.rule.source,
            "help_uri": self.rule.help_uri,
            "severity": self.severity.value,
            "needs_input": self.needs_input,
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "path": self.location.path,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class LintReport(Report):
    tool: ClassVar[str] = "lint"
    findings: tuple[Finding, ...]
    policy_label: str  # "draft" or "release 1.0"
    data_dir: str = ""

    def rules(self) -> list[RuleInfo]:
        from .rules import RULES  # the catalogue imports this module for Rule

        return list(RULES)

    def junit_suites(self) -> list[Suite]:
        name = f"policypress lint {self.policy_label}"
        return [Suite(name, "policypress.lint", list(self.findings), f"{self.policy_label}: no findings",
                      {"policy": self.policy_label, "data_dir": self.data_dir})]

    @property
    def needs_input_count(self) -> int:
        return sum(1 for finding in self.findings if finding.needs_input)

    def at_or_above(self, threshold: Severity) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity.rank >= threshold.rank]

    def by_rule(self, rule_id: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.rule.id == rule_id]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def lint_summary(report: LintReport) -> str:
    """One line for a build log: ``lint: 3 errors, 5 warnings (2 need input from the data owner)``."""
    counts = report.counts
    parts = [
        _plural(counts[Severity.ERROR], "error", "errors"),
        _plural(counts[Severity.WARNING], "warning", "warnings"),
    ]
    if counts[Severity.INFO]:
        parts.append(f"{counts[Severity.INFO]} info")
    line = "lint: " + ", ".join(parts)
    if report.needs_input_count:
        verb = "needs" if report.needs_input_count == 1 else "need"
        line += f" ({report.needs_input_count} {verb} input from the data owner)"
    return line
