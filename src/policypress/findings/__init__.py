"""One findings core for scan, audit, lint and a11y: the model (``model``) and its reports (``render``)."""

from __future__ import annotations

from .model import MAX_OTHER_PAGES, Finding, Location, Report, RuleInfo, Severity, Suite, rule_infos

__all__ = ["MAX_OTHER_PAGES", "Finding", "Location", "Report", "RuleInfo", "Severity", "Suite", "rule_infos"]
