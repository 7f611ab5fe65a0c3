"""The browser audit: what the site really stores in headless Chromium, in five consent scenarios.

``audit_site(target, policy)`` serves a folder on 127.0.0.1 (or visits a site already served
there), and in a fresh browser context per scenario (before consent, accept all, reject all,
accept then withdraw, Global Privacy Control) records cookies, storage keys of every frame and
requests to other hosts, which never leave the machine: they are answered by local stand-ins
or aborted. What it saw is checked against the declarations, with the static scan's tracker
signatures telling which vendor stands behind a request, a cookie or a key.
"""

from __future__ import annotations

from .auditor import audit_site
from .banner import MATERIAL, BannerConfig, custom_banner
from .findings import AuditFinding, AuditReport, AuditRule, ScenarioSummary
from .scenarios import ALL, Scenario
from .session import Timing
from .standins import StandIns, load_standins

__all__ = [
    "ALL",
    "MATERIAL",
    "AuditFinding",
    "AuditReport",
    "AuditRule",
    "BannerConfig",
    "Scenario",
    "ScenarioSummary",
    "StandIns",
    "Timing",
    "audit_site",
    "custom_banner",
    "load_standins",
]
