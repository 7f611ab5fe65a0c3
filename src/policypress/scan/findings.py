"""What the scan reports: findings, each with its rule, place, vendor, key and fix; and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

from ..findings import Finding as BaseFinding
from ..findings import MAX_OTHER_PAGES, Location, Report, RuleInfo, Severity, Suite, rule_infos

__all__ = ["MAX_OTHER_PAGES", "Finding", "Rule", "ScanReport", "Severity", "report_order"]


class Rule(StrEnum):
    """The checks, as they appear in reports (``error[before-consent]``)."""

    UNDECLARED = "undeclared"  # observed, but not in cookies.yaml (or, for a vendor that stores nothing, recipients.yaml)
    WRONG_CATEGORY = "wrong-category"  # declared with a category other than the vendor's
    WRONG_TYPE = "wrong-type"  # declared as a cookie but stored in localStorage, or the like
    BEFORE_CONSENT = "before-consent"  # a vendor that needs consent loads before the visitor gives it
    CONSENT_MODE_DEFAULT_DENIED = "consent-mode-default-denied"  # a Google tag runs at once, its cookies held by Consent Mode
    GATING_UNDECIDED = "gating-undecided"  # held by code or a remote list the static scan cannot read
    LOADS_BEFORE_MANAGER = "loads-before-manager"  # sends the IP address before the consent manager can hold it
    IP_TRANSFER_BEFORE_CONSENT = "ip-transfer-before-consent"  # a font host or CDN, not named in recipients.yaml
    DECLARED_NOT_OBSERVED = "declared-not-observed"  # in cookies.yaml, but nothing in the pages sets it
    UNKNOWN_THIRD_PARTY = "unknown-third-party"  # anything loaded from another party's host no signature knows
    SKIPPED_FILE = "skipped-file"  # a page or file not read: not a regular file, outside the folder, too big


# What each rule checks, for SARIF's rule list (a member without an entry is titled by its id).
RULE_INFO: dict[Rule, RuleInfo] = {
    rule: RuleInfo(id=rule.value, title=title, severity=severity)
    for rule, title, severity in [
        (Rule.UNDECLARED, "Observed on the site, but not declared in cookies.yaml (or recipients.yaml)", Severity.ERROR),
        (Rule.WRONG_CATEGORY, "Declared with a category other than the vendor's", Severity.ERROR),
        (Rule.WRONG_TYPE, "Declared as one storage type, but stored as another", Severity.ERROR),
        (Rule.BEFORE_CONSENT, "A vendor that needs consent loads before the visitor gives it", Severity.ERROR),
        (Rule.CONSENT_MODE_DEFAULT_DENIED, "A Google tag runs at once, its cookies held by Consent Mode",
         Severity.WARNING),
        (Rule.GATING_UNDECIDED, "Held by code or a remote list the static scan cannot read", Severity.WARNING),
        (Rule.LOADS_BEFORE_MANAGER, "Sends the IP address before the consent manager can hold it", Severity.WARNING),
        (Rule.IP_TRANSFER_BEFORE_CONSENT, "A font host or CDN not named in recipients.yaml receives the IP address",
         Severity.WARNING),
        (Rule.DECLARED_NOT_OBSERVED, "Declared in cookies.yaml, but nothing in the pages sets it", Severity.WARNING),
        (Rule.UNKNOWN_THIRD_PARTY, "Loaded from another party's host that no signature knows", Severity.WARNING),
        (Rule.SKIPPED_FILE, "A page or file not read", Severity.WARNING),
    ]
}


@dataclass(frozen=True)
class Finding(BaseFinding):
    rule: Rule
    severity: Severity
    message: str
    fix: str
    folder: str | None = None  # the scanned folder (or the data folder, for a declaration)
    page: str | None = None  # relative to ``folder``
    line: int | None = None
    element: str | None = None  # a short excerpt of the HTML or code
    vendor: str | None = None  # the signature id, such as google_analytics
    vendor_name: str | None = None
    key: str | None = None  # the cookie or storage key, as observed or declared
    storage_type: str | None = None  # cookie, localStorage, sessionStorage
    declared_category: str | None = None
    expected_category: str | None = None
    pages_count: int = 1  # how many pages show the same thing (``page`` is the first)
    other_pages: tuple[str, ...] = ()  # some of the others (at most MAX_OTHER_PAGES), for the report

    @property
    def rule_id(self) -> str:
        return self.rule.value

    @property
    def location(self) -> Location:
        if self.page is None:
            return Location(file=self.folder or None)
        where = f"{self.folder}/{self.page}" if self.folder and self.folder != "." else self.page
        return Location(file=where, line=self.line)

    @property
    def subject(self) -> str:
        return " ".join(part for part in (self.vendor_name, f"'{self.key}'" if self.key else None) if part)

    @property
    def excerpt(self) -> str | None:
        return self.element

    def identity(self) -> tuple[object, ...]:
        return (self.folder, self.page, self.vendor, self.storage_type, self.key)


_RULE_ORDER = {rule: i for i, rule in enumerate(Rule)}


def report_order(finding: Finding) -> tuple[object, ...]:
    """Errors first, then by rule, then by place."""
    return (
        finding.severity is not Severity.ERROR,
        _RULE_ORDER[finding.rule],
        finding.folder or "",
        finding.page or "",
        finding.line or 0,
        finding.vendor or "",
        finding.key or "",
    )


@dataclass
class ScanReport(Report):
    tool: ClassVar[str] = "scan"
    findings: list[Finding]
    pages_scanned: int
    folders: list[str]
    strict: bool = False
    # Pages on which each vendor was seen, by vendor id: what the site really uses.
    vendors_seen: dict[str, int] = field(default_factory=dict)

    def rules(self) -> list[RuleInfo]:
        return rule_infos(Rule, RULE_INFO)

    def junit_suites(self) -> list[Suite]:
        properties = {"pages_scanned": str(self.pages_scanned), "folders": ", ".join(self.folders)}
        passing = f"{self.pages_scanned} pages match the declarations"
        return [Suite("policypress scan", "policypress.scan", list(self.findings), passing, properties)]

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "pages_scanned": self.pages_scanned,
            "folders": self.folders,
            "strict": self.strict,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "vendors_seen": self.vendors_seen,
            "findings": [finding.as_dict() for finding in self.findings],
        }
