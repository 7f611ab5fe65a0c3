"""What the browser audit reports: findings (rule, scenario, page, item, vendor, fix) and the report.

The scan's ``Finding`` is about a place in a file (page, line, element); an audit finding is about
what a browser held in one scenario, so it has its own type. Severities are the scan's.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum

from ..scan.findings import MAX_OTHER_PAGES, Severity
from .scenarios import Scenario

__all__ = [
    "MAX_OTHER_PAGES", "AuditFinding", "AuditReport", "AuditRule", "ScenarioSummary", "SeenCookie", "SeenRequest",
    "SeenStorage", "Severity",
]


class AuditRule(StrEnum):
    """The checks, as they appear in reports (``error[audit-before-consent]``)."""

    BEFORE_CONSENT = "audit-before-consent"  # optional storage or a request to an optional vendor without consent
    UNDECLARED = "audit-undeclared"  # stored in the browser, but cookies.yaml does not declare it
    WRONG_CATEGORY = "audit-wrong-category"  # declared with a category other than the vendor's
    LIFETIME = "audit-lifetime"  # the cookie lives longer than its declared duration
    NOT_WITHDRAWN = "audit-not-withdrawn"  # after withdrawal, optional storage is written again
    BANNER = "audit-banner"  # the banner could not be answered, so the scenario could not run as meant
    UNKNOWN_HOST = "audit-unknown-host"  # a request to a host that no tracker signature knows
    PAGE_ERROR = "audit-page-error"  # a page did not load
    NOT_EXERCISED = "audit-not-exercised"  # a hosted consent manager cannot run offline: the live audit answers it


# Storage checks first, then declarations, then the rest: the order of a report.
_RULE_ORDER = {rule: i for i, rule in enumerate(AuditRule)}
_SCENARIO_ORDER = {scenario.value: i for i, scenario in enumerate(Scenario)}


@dataclass(frozen=True)
class AuditFinding:
    rule: AuditRule
    severity: Severity
    scenario: str  # a Scenario value; for a declaration finding, the first scenario that showed it
    message: str
    fix: str
    page: str | None = None  # the first page it was seen on, as a path of the site (/en/)
    item: str | None = None  # a cookie or storage key as observed, or host/path of a request
    item_type: str | None = None  # cookie, localStorage, sessionStorage or request
    domain: str | None = None  # the cookie's domain, the storage's origin, the request's host
    vendor: str | None = None  # the signature id, such as google_analytics
    vendor_name: str | None = None
    declared: str | None = None  # the cookies.yaml entry that matched, when one did
    declared_category: str | None = None
    expected_category: str | None = None
    declared_duration: str | None = None
    observed_lifetime: str | None = None
    pages_count: int = 1
    other_pages: tuple[str, ...] = ()
    also_in: tuple[str, ...] = ()  # other scenarios that showed the same thing (declaration findings)

    @property
    def subject(self) -> str:
        if self.item_type == "request":
            what: str | None = f"request to {self.item}"
        elif self.item_type:
            what = f"{self.item_type} '{self.item}'"
        else:
            what = self.item
        return " ".join(part for part in (self.vendor_name, what) if part)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["rule"] = self.rule.value
        data["severity"] = self.severity.value
        data["other_pages"] = list(self.other_pages)
        data["also_in"] = list(self.also_in)
        return data


def report_order(finding: AuditFinding) -> tuple[object, ...]:
    return (
        finding.severity is not Severity.ERROR,
        _SCENARIO_ORDER.get(finding.scenario, len(_SCENARIO_ORDER)),
        _RULE_ORDER[finding.rule],
        finding.page or "",
        finding.vendor or "",
        finding.item_type or "",
        finding.item or "",
    )


@dataclass(frozen=True)
class SeenCookie:
    name: str
    domain: str
    path: str
    expires: float | None  # seconds since the epoch; None for a session cookie
    lifetime_days: float | None  # the longest remaining life seen
    phase: str  # no-consent, accepted or withdrawn
    page: str  # where it first appeared

    def __str__(self) -> str:
        return f"cookie {self.name} ({self.domain})"


@dataclass(frozen=True)
class SeenStorage:
    type: str  # localStorage or sessionStorage
    name: str
    origin: str  # the host of the frame's origin
    phase: str
    page: str

    def __str__(self) -> str:
        return f"{self.type} {self.name} ({self.origin})"


@dataclass(frozen=True)
class SeenRequest:
    """A request to another host: it never left the machine."""

    url: str
    host_path: str
    resource_type: str
    answered: str  # stand-in or blocked
    phase: str
    pages: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.host_path} ({self.answered})"


@dataclass
class ScenarioSummary:
    """What one scenario saw (outside the visits made only to answer the banner), findings aside."""

    scenario: str
    pages_visited: int
    seconds: float
    cookies: list[SeenCookie] = field(default_factory=list)
    storage: list[SeenStorage] = field(default_factory=list)
    requests: list[SeenRequest] = field(default_factory=list)
    left_behind: list[str] = field(default_factory=list)  # optional items still there right after withdrawal
    notes: list[str] = field(default_factory=list)  # frames whose storage could not be read, and the like

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class AuditReport:
    target: str  # the folder or URL audited
    base_url: str
    pages: list[str]
    findings: list[AuditFinding]
    scenarios: list[ScenarioSummary]
    pages_skipped: int = 0  # beyond max_pages
    seconds: float = 0.0

    @property
    def errors(self) -> list[AuditFinding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[AuditFinding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "target": self.target,
            "base_url": self.base_url,
            "pages": self.pages,
            "pages_skipped": self.pages_skipped,
            "seconds": round(self.seconds, 3),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "scenarios": [summary.as_dict() for summary in self.scenarios],
            "findings": [finding.as_dict() for finding in self.findings],
        }
