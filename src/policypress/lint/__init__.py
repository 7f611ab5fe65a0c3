"""GDPR completeness check (``policypress lint``): rules with stable ids, each tied to its article.

Use ``lint_policy(policy, data_dir)`` on a loaded policy; render the report with
``render_text``, ``render_json`` or ``render_sarif``; ``lint_summary`` gives the one-line
summary a build prints.
"""

from __future__ import annotations

from .engine import lint_policy
from .findings import NEEDS_INPUT, Finding, LintReport, Location, Rule, Severity, lint_summary
from .report import render, render_json, render_sarif, render_text
from .rules import RULES

__all__ = [
    "NEEDS_INPUT",
    "RULES",
    "Finding",
    "LintReport",
    "Location",
    "Rule",
    "Severity",
    "lint_policy",
    "lint_summary",
    "render",
    "render_json",
    "render_sarif",
    "render_text",
]
