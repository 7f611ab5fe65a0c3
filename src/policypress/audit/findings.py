"""What the browser audit reports: findings (rule, scenario, page, item, vendor, fix) and the report.

The scan's ``Finding`` is about a place in a file (page, line, element); an audit finding is about
what a browser held in one scenario, so it has its own type. Both build on ``findings``' core.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import ClassVar

from ..findings import MAX_OTHER_PAGES, Finding, Location, Report, RuleInfo, Severity, Suite, rule_infos
from .scenarios import Scenario

__all__ = [
    "MAX_OTHER_PAGES", "PER_SCENARIO", "AuditFinding", "AuditReport", "AuditRule", "ScenarioSummary", "SeenCookie",
    "SeenRequest", "SeenStorage", "Severity",
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
    TCF_CONSENT_WITHOUT_CHOICE = "audit-tcf-consent-without-choice"  # a TC string grants consent nobody gave
    # The banner's design (audit/darkpatterns.py), judged once per site before consent.
    DARK_NO_REJECT = "audit-dark-no-reject-first-layer"  # accept on the first layer, no reject
    DARK_MORE_CLICKS = "audit-dark-more-clicks-to-reject"  # rejecting takes more clicks than accepting
    DARK_PRE_TICKED = "audit-dark-pre-ticked"  # an optional category switched on before the visitor chose
    DARK_PROMINENCE = "audit-dark-prominence"  # accept bigger, bolder or more contrasted than reject
    DARK_WORDING = "audit-dark-misleading-wording"  # "OK"/"Continue" as accept, "Settings" as the reject


# Reported for each scenario that shows them; every other rule once, at the first scenario that showed it.
PER_SCENARIO = frozenset({AuditRule.BEFORE_CONSENT, AuditRule.NOT_WITHDRAWN, AuditRule.BANNER, AuditRule.NOT_EXERCISED})


# What each rule checks, for SARIF's rule list. A member added without an entry is titled by its id.
RULE_INFO: dict[AuditRule, RuleInfo] = {
    rule: RuleInfo(id=rule.value, title=title)
    for rule, title in [
        (AuditRule.BEFORE_CONSENT, "Optional storage, or a request to an optional vendor, without consent"),
        (AuditRule.UNDECLARED, "Stored in the browser, but not declared in cookies.yaml"),
        (AuditRule.WRONG_CATEGORY, "Declared with a category other than the vendor's"),
        (AuditRule.LIFETIME, "The cookie lives longer than its declared duration"),
        (AuditRule.NOT_WITHDRAWN, "After withdrawal, optional storage is written again"),
        (AuditRule.BANNER, "The banner could not be answered, so the scenario could not run as meant"),
        (AuditRule.UNKNOWN_HOST, "A request to a host that no tracker signature knows"),
        (AuditRule.PAGE_ERROR, "A page did not load"),
        (AuditRule.NOT_EXERCISED, "A hosted consent manager cannot run offline: the live audit answers it"),
        (AuditRule.DARK_NO_REJECT, "The banner's first layer has accept but no reject (EDPB taskforce, type A)"),
        (AuditRule.DARK_MORE_CLICKS, "Rejecting takes more clicks than accepting (EDPB taskforce, type A)"),
        (AuditRule.DARK_PRE_TICKED, "An optional category is ticked before the visitor chose (CJEU C-673/17)"),
        (AuditRule.DARK_PROMINENCE, "Accept is more prominent than reject (EDPB taskforce, types D and E)"),
        (AuditRule.DARK_WORDING, "The banner's accept or reject is worded misleadingly (EDPB Guidelines 03/2022)"),
    ]
}

# Storage checks first, then declarations, then the rest: the order of a report.
_RULE_ORDER = {rule: i for i, rule in enumerate(AuditRule)}
_SCENARIO_ORDER = {scenario.value: i for i, scenario in enumerate(Scenario)}


@dataclass(frozen=True)
class AuditFinding(Finding):
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
    def rule_id(self) -> str:
        return self.rule.value

    @property
    def location(self) -> Location:
        return Location(url=self.page)

    @property
    def place(self) -> str:
        return f"{self.scenario} {self.page}" if self.page else self.scenario

    def identity(self) -> tuple[object, ...]:
        # Page-free, so one finding seen on many pages (or in many shards) is one: the scenario only where the
        # rule is per scenario, then what it is about (the host of an unknown one; the page only of a broken page).
        scenario = self.scenario if self.rule in PER_SCENARIO else ""
        if self.rule is AuditRule.UNKNOWN_HOST:
            what: tuple[str | None, ...] = (self.domain,)
        elif self.rule is AuditRule.PAGE_ERROR:
            what = (self.page,)
        else:
            # ``declared``: an item that matches two declarations, each in a wrong category, is two findings.
            what = (self.item_type, self.item, self.domain, self.declared)
        return (scenario, *what, self.vendor)

    @property
    def subject(self) -> str:
        if self.item_type == "request":
            what: str | None = f"request to {self.item}"
        elif self.item_type:
            what = f"{self.item_type} '{self.item}'"
        else:
            what = self.item
        return " ".join(part for part in (self.vendor_name, what) if part)



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
    tcf: list[dict[str, object]] = field(default_factory=list)  # the TC strings seen at its end, what they grant

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class AuditReport(Report):
    tool: ClassVar[str] = "audit"
    target: str  # the folder or URL audited
    base_url: str
    pages: list[str]
    findings: list[AuditFinding]
    scenarios: list[ScenarioSummary]
    pages_skipped: int = 0  # beyond max_pages
    seconds: float = 0.0
    # What the waits cost (runner.timing_of): parallel browsers, full waits for a banner, settles, quiet seconds.
    timing: dict[str, float | int] = field(default_factory=dict)

    def rules(self) -> list[RuleInfo]:
        return rule_infos(AuditRule, RULE_INFO)

    def junit_suites(self) -> list[Suite]:
        """A suite per scenario, so CI shows which answer to the banner went wrong."""
        properties = {"target": self.target, "pages": str(len(self.pages))}
        return [
            Suite(
                f"policypress audit {summary.scenario}", f"policypress.audit.{summary.scenario}",
                [f for f in self.findings if f.scenario == summary.scenario],
                f"{summary.pages_visited} visits: only what the policy allows", properties, summary.seconds,
            )
            for summary in self.scenarios
        ]

    def sarif_base(self) -> str | None:
        return self.base_url

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "target": self.target,
            "base_url": self.base_url,
            "pages": self.pages,
            "pages_skipped": self.pages_skipped,
            "seconds": round(self.seconds, 3),
            "timing": dict(self.timing),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "scenarios": [summary.as_dict() for summary in self.scenarios],
            "findings": [finding.as_dict() for finding in self.findings],
        }
