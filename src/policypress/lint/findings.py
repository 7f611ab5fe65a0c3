"""What a lint run produces: rules, findings pinned to file:line, and the report with its counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum

NEEDS_INPUT = "needs input from the data owner"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more serious; thresholds compare ranks."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def sarif_level(self) -> str:
        # SARIF has no "info" level; "note" is its equivalent.
        return {"error": "error", "warning": "warning", "info": "note"}[self.value]


@dataclass(frozen=True)
class Rule:
    """One requirement, with the source it comes from. Its id never changes once published.

    ``article`` is the short citation shown beside each finding; ``source`` the full one a reviewer
    can look up (article and paragraph, guideline and paragraph, or national law with its SFS number);
    ``satisfied_by`` says in one sentence what data passes the rule (the README's table is built from it).
    """

    id: str
    article: str
    title: str
    description: str
    severity: Severity
    source: str
    satisfied_by: str
    help_uri: str


@dataclass(frozen=True, order=True)
class Location:
    file: str  # as the user would type it (relative to the working directory when inside it)
    line: int  # 1-based
    column: int  # 1-based
    path: str  # the place in the data, such as activities.newsletter.legal_basis

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Finding:
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
        return (self.location.file, self.location.line, self.location.column, self.rule.id, self.message)

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
class LintReport:
    findings: tuple[Finding, ...]
    policy_label: str  # "draft" or "release 1.0"
    data_dir: str = ""

    @property
    def counts(self) -> dict[Severity, int]:
        found = Counter(finding.severity for finding in self.findings)
        return {severity: found.get(severity, 0) for severity in Severity}

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
