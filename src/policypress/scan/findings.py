"""What the scan reports: findings, each with its rule, place, vendor, key and fix; and the report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


# A finding on a template repeats on every page; a few of them are enough to find it.
MAX_OTHER_PAGES = 20


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


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


@dataclass(frozen=True)
class Finding:
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
    def location(self) -> str:
        if self.page is None:
            return self.folder or ""
        where = f"{self.folder}/{self.page}" if self.folder and self.folder != "." else self.page
        return f"{where}:{self.line}" if self.line else where

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["rule"] = self.rule.value
        data["severity"] = self.severity.value
        return data


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
class ScanReport:
    findings: list[Finding]
    pages_scanned: int
    folders: list[str]
    strict: bool = False
    # Pages on which each vendor was seen, by vendor id: what the site really uses.
    vendors_seen: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
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
            "pages_scanned": self.pages_scanned,
            "folders": self.folders,
            "strict": self.strict,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "vendors_seen": self.vendors_seen,
            "findings": [finding.as_dict() for finding in self.findings],
        }
