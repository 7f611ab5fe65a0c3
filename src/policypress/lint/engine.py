"""Run every rule on a loaded policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..loader import display_path
from ..model import Policy
from . import art13_1, art13_2, chapter5, consistency, proposed
from .context import LintContext
from .findings import LintReport

Check = Callable[[LintContext], None]

CHECKS: tuple[Check, ...] = (*art13_1.CHECKS, *chapter5.CHECKS, *art13_2.CHECKS, *consistency.CHECKS, *proposed.CHECKS)


def lint_policy(policy: Policy, data_dir: Path, *, label: str | None = None) -> LintReport:
    """Check ``policy`` against GDPR Art. 13; ``data_dir`` is the folder it was loaded from (for positions)."""
    data_dir = Path(data_dir)
    ctx = LintContext(policy=policy, data_dir=data_dir)
    for check in CHECKS:
        check(ctx)
    findings = tuple(sorted(ctx.findings, key=lambda finding: finding.sort_key()))
    return LintReport(findings=findings, policy_label=label or display_path(data_dir), data_dir=display_path(data_dir))
