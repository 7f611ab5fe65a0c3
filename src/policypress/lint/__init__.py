"""GDPR completeness check (``policypress lint``): rules with stable ids, each tied to its article.

Use ``lint_policy(policy, data_dir)`` on a loaded policy; render the report with
``render_text``, ``render_json`` or ``render_sarif``; ``lint_summary`` gives the one-line
summary a build prints.

The names are imported when first used (PEP 562): a build that reads a kept report back needs
``findings`` alone, not the rules and their phrase patterns (about 9 ms).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import lint_policy
    from .findings import NEEDS_INPUT, Finding, LintReport, Location, Rule, Severity, lint_summary
    from .report import render, render_json, render_sarif, render_text
    from .rules import RULES

_WHERE = {
    "lint_policy": "engine",
    **dict.fromkeys(("NEEDS_INPUT", "Finding", "LintReport", "Location", "Rule", "Severity", "lint_summary"), "findings"),
    **dict.fromkeys(("render", "render_json", "render_sarif", "render_text"), "report"),
    "RULES": "rules",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)
