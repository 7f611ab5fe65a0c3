"""Which version to lint, and whether a report fails: what ``policypress lint`` needs from the engine."""

from __future__ import annotations

from pathlib import Path

from ..site import DRAFT
from ..sources import history_source, resolve_side
from .engine import lint_policy
from .findings import LintReport, Severity

FAIL_ON = ("error", "warning", "never")


def failed(report: LintReport, fail_on: str) -> bool:
    """Whether ``report`` has a finding at or above the threshold (``never`` never fails)."""
    if fail_on == "never":
        return False
    return bool(report.at_or_above(Severity(fail_on)))


def lint_target(data_dir: Path, target: str) -> LintReport:
    """Lint ``draft`` or a release of the policy data in ``data_dir``."""
    with history_source(data_dir, None) as history:
        policy = resolve_side(history, target)  # raises UsageError for an unknown version
        if target == DRAFT:
            return lint_policy(policy, data_dir, label=DRAFT)
        release = history.get(target)
        assert release is not None  # resolve_side has found it
        return lint_policy(policy, release.path, label=f"release {release.version}")
