"""The rules: what the browser held in each scenario, compared with cookies.yaml.

Behaviour (reported per scenario): without consent (before answering, after Reject, under GPC)
only necessary storage and no request to an optional vendor (``audit-before-consent``); after a
withdrawal, optional storage that was cleared must not come back (``audit-not-withdrawn``).
Declarations (reported once, at the first scenario that showed them): every item is declared
(``audit-undeclared``), in its vendor's category (``audit-wrong-category``), and no cookie lives
longer than declared (``audit-lifetime``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..findings import MAX_OTHER_PAGES, Severity
from ..model import Policy
from ..vocabulary import CookieCategory, StorageType
from ..scan.fixes import declaration_snippet, provider_for
from .classify import Classifier, DeclaredMatch, VendorMatch
from .findings import AuditFinding, AuditRule, report_order
from .observations import ItemSeen, PhaseRecord, RequestSeen, ScenarioRun
from .scenarios import Phase, Scenario
from .wording import (
    CHROMIUM_MAX_COOKIE_DAYS,
    banner_fix,
    days,
    duration_label,
    gate_fix,
    suggest_duration,
    withdraw_fix,
)

NO_CONSENT_SCENARIOS = (Scenario.BEFORE_CONSENT, Scenario.REJECT_ALL, Scenario.GPC)
DAY = 86400  # the tolerance of the lifetime check: a cookie set a moment later is no longer-lived


@dataclass
class _FirstSeen:
    """An item's first appearance across the audit, and the scenarios that showed it."""

    scenario: Scenario
    seen: ItemSeen
    vendor: VendorMatch | None
    scenarios: list[str] = field(default_factory=list)


def _pages(pages: Sequence[str]) -> dict[str, object]:
    return {
        "page": pages[0] if pages else None,
        "pages_count": max(1, len(pages)),
        "other_pages": tuple(pages[1:MAX_OTHER_PAGES + 1]),
    }


def _vendor(match: VendorMatch | None) -> dict[str, str | None]:
    return {"vendor": match.vendor_id if match else None, "vendor_name": match.vendor.name if match else None}


class Checker:
    def __init__(self, policy: Policy, classifier: Classifier, *, banner_name: str, tolerance_s: float = DAY) -> None:
        self.policy = policy
        self.classifier = classifier
        self.banner_name = banner_name
        self.tolerance_s = tolerance_s
        self.findings: list[AuditFinding] = []
        self.managers: dict[str, str] = {}  # the consent managers the pages load, once run() has looked
        # The requests classified (``_classified``), by id() of their record: the records are alive (in run()'s
        # ``runs``) for as long as these are read.
        self._records: dict[int, list[tuple[RequestSeen, VendorMatch | None]]] = {}
        self._urls: dict[str, VendorMatch | None] = {}

    def run(self, runs: Sequence[ScenarioRun]) -> list[AuditFinding]:
        self._records, self._urls = {}, {}  # each run() classifies its own records
        self.managers = self._page_managers(runs)
        first: dict[tuple[str, str], _FirstSeen] = {}
        unknown_hosts: set[str] = set()
        broken_pages: set[str] = set()
        for run in runs:
            requested = self._requested_vendors(run)
            for label, problem in run.banner_problems:
                self._banner(run.scenario, label, problem)
            for label, problem in run.page_errors:
                if label not in broken_pages:
                    broken_pages.add(label)
                    self._page_error(run.scenario, label, problem)
            for record in run.checked_records:
                for seen in record.items.values():
                    vendor = self.classifier.vendor_of_item(seen.item, requested)
                    key = (seen.item.type.value, seen.item.name)
                    if key not in first:
                        first[key] = _FirstSeen(run.scenario, seen, vendor)
                    elif run.scenario.value not in first[key].scenarios and run.scenario is not first[key].scenario:
                        first[key].scenarios.append(run.scenario.value)
                    self._lifetime_candidate(first[key], seen)
                    if record.phase is not Phase.ACCEPTED and self.classifier.optional(seen.item, vendor):
                        self._unwanted_item(record, seen, vendor)
                for request, match in self._vendor_requests(record):
                    if match is None:
                        if request.request.host not in unknown_hosts:
                            unknown_hosts.add(request.request.host)
                            self._unknown_host(record, request)
                    elif record.phase is not Phase.ACCEPTED and not match.necessary:
                        self._unwanted_request(record, request, match)
        for entry in first.values():
            self._declaration(entry)
        return sorted(self.findings, key=report_order)

    def _classified(self, record: PhaseRecord) -> list[tuple[RequestSeen, VendorMatch | None]]:
        """The record's requests, each with the vendor whose signature its URL matches (None: no signature).

        Matched once per record (the managers, the vendors requested and the findings all read this) and once
        per URL (the same script is asked for in every scenario)."""
        found = self._records.get(id(record))
        if found is None:
            found = []
            for request in record.requests.values():
                url = request.request.url
                if url not in self._urls:
                    self._urls[url] = self.classifier.vendor_of_url(url)
                found.append((request, self._urls[url]))
            self._records[id(record)] = found
        return found

    def _page_managers(self, runs: Sequence[ScenarioRun]) -> dict[str, str]:
        """The consent managers whose scripts the pages asked for (signature id → name): fixes use their syntax."""
        found: dict[str, str] = {}
        for run in runs:
            for record in run.records:
                for _, match in self._classified(record):
                    if match is not None and match.vendor.consent_manager is not None:
                        found[match.vendor_id] = match.vendor.name
        return found

    def _requested_vendors(self, run: ScenarioRun) -> set[str]:
        return {match.vendor_id for record in run.records for _, match in self._classified(record) if match is not None}

    def _vendor_requests(self, record: PhaseRecord) -> list[tuple[RequestSeen, VendorMatch | None]]:
        """The record's requests, those of one vendor to one host taken together (every video of a player
        is one finding, on the pages that embed one)."""
        grouped: dict[tuple[str, str], tuple[RequestSeen, VendorMatch | None]] = {}
        for request, match in self._classified(record):
            key = (match.vendor_id, request.request.host) if match else ("", request.request.host_path)
            if key not in grouped:
                grouped[key] = (RequestSeen(request.request, list(request.pages)), match)
                continue
            pages = grouped[key][0].pages
            pages.extend(page for page in request.pages if page not in pages)
        return list(grouped.values())

    @staticmethod
    def _lifetime_candidate(entry: _FirstSeen, seen: ItemSeen) -> None:
        # The longest life seen anywhere is what the declaration must cover.
        if seen.lifetime is not None and (entry.seen.lifetime is None or seen.lifetime > entry.seen.lifetime):
            entry.seen = ItemSeen(entry.seen.item, entry.seen.pages, seen.lifetime, seen.lifetime_page)

    # --- behaviour ------------------------------------------------------------------------------

    def _why_optional(self, declared: list[DeclaredMatch], vendor: VendorMatch | None) -> tuple[str, CookieCategory]:
        optional = [d for d in declared if d.cookie.category is not CookieCategory.NECESSARY]
        if optional:
            return f"declared as {optional[0].cookie.category.value}", optional[0].cookie.category
        assert vendor is not None
        category = next(c for c in vendor.categories if c is not CookieCategory.NECESSARY)
        return f"{category.value} for {vendor.vendor.name}", category

    def _unwanted_item(self, record: PhaseRecord, seen: ItemSeen, vendor: VendorMatch | None) -> None:
        item = seen.item
        why, category = self._why_optional(self.classifier.same_type(item), vendor)
        subject = f"The {item.type.value} '{item.name}' ({why})"
        if record.phase is Phase.WITHDRAWN:
            rule, message = AuditRule.NOT_WITHDRAWN, (
                f"{subject} is written again after the visitor withdrew the consent: the audit cleared it "
                f"and it came back on {seen.pages[0]}."
            )
            fix = withdraw_fix(vendor.vendor.name if vendor else f"the code that writes '{item.name}'")
        else:
            rule, message = AuditRule.BEFORE_CONSENT, f"{subject} is stored {record.scenario.description}."
            fix = gate_fix(record.scenario, self.banner_name, vendor.vendor_id if vendor else None,
                           vendor.vendor.name if vendor else None, category, item.name, self.managers)
        self.findings.append(AuditFinding(
            rule=rule, severity=Severity.ERROR, scenario=record.scenario.value, message=message, fix=fix,
            item=item.name, item_type=item.type.value, domain=item.domain,
            **_pages(seen.pages), **_vendor(vendor),  # type: ignore[arg-type]
        ))

    def _unwanted_request(self, record: PhaseRecord, request: RequestSeen, vendor: VendorMatch) -> None:
        what = f"A request to {request.request.host_path} ({vendor.vendor.name}, {vendor.vendor.category.value}"
        what += ", recognised by its host)" if vendor.by_host else ")"
        if record.phase is Phase.WITHDRAWN:
            rule, message = AuditRule.NOT_WITHDRAWN, f"{what} is still made after the visitor withdrew the consent."
            fix = withdraw_fix(vendor.vendor.name)
        else:
            rule, message = AuditRule.BEFORE_CONSENT, f"{what} is made {record.scenario.description}."
            fix = gate_fix(record.scenario, self.banner_name, vendor.vendor_id, vendor.vendor.name,
                           vendor.vendor.category, None, self.managers)
        if vendor.vendor.fix:
            fix = f"{fix} {vendor.vendor.fix}"
        self.findings.append(AuditFinding(
            rule=rule, severity=Severity.ERROR, scenario=record.scenario.value, message=message, fix=fix,
            item=request.request.host_path, item_type="request", domain=request.request.host,
            **_pages(request.pages), **_vendor(vendor),  # type: ignore[arg-type]
        ))

    def _unknown_host(self, record: PhaseRecord, request: RequestSeen) -> None:
        host = request.request.host
        self.findings.append(AuditFinding(
            rule=AuditRule.UNKNOWN_HOST, severity=Severity.WARNING, scenario=record.scenario.value,
            message=(
                f"The page asked for {request.request.url} {record.scenario.description}; no tracker signature knows "
                f"{host} ({request.request.answered} by the audit)."
            ),
            fix=(
                f"Find out what {host} stores and who receives the data; declare its cookies and the company, and "
                "hold it back until consent unless it is necessary. A signatures file of your own makes the audit "
                "know it; a stand-in (--standins) lets the audit run its code."
            ),
            item=request.request.host_path, item_type="request", domain=host,
            **_pages(request.pages),  # type: ignore[arg-type]
        ))

    def _banner(self, scenario: Scenario, label: str, problem: str) -> None:
        optional = sorted({c.category.value for c in self.policy.cookies.values()} - {CookieCategory.NECESSARY.value})
        self.findings.append(AuditFinding(
            rule=AuditRule.BANNER, severity=Severity.ERROR, scenario=scenario.value, page=label,
            message=f"On {label} the audit could not {problem}; the scenario went on without that answer.",
            fix=banner_fix(self.banner_name, optional),
        ))

    def _page_error(self, scenario: Scenario, label: str, problem: str) -> None:
        self.findings.append(AuditFinding(
            rule=AuditRule.PAGE_ERROR, severity=Severity.WARNING, scenario=scenario.value, page=label,
            message=f"The page {label} did not load ({problem}); nothing was recorded on it.",
            fix="Check the page's address (or the links that lead to it) and that the site is served.",
        ))

    # --- declarations ---------------------------------------------------------------------------

    def _declaration(self, entry: _FirstSeen) -> None:
        item, vendor = entry.seen.item, entry.vendor
        base = {
            "severity": Severity.ERROR, "scenario": entry.scenario.value, "item": item.name,
            "item_type": item.type.value, "domain": item.domain, "also_in": tuple(entry.scenarios),
            **_pages(entry.seen.pages), **_vendor(vendor),
        }
        declared = self.classifier.same_type(item)
        if not declared:
            self._undeclared(entry, base)
            return
        if vendor is not None and vendor.entry is not None:
            categories = vendor.categories
            if not any(d.cookie.category in categories for d in declared):
                for d in declared:
                    self._wrong_category(d, vendor, categories, base)
        if item.type is StorageType.COOKIE and entry.seen.lifetime is not None and entry.seen.lifetime >= 0:
            longest = max(declared, key=lambda d: d.cookie.duration.seconds)
            allowed = longest.cookie.duration.seconds
            if entry.seen.lifetime > allowed + self.tolerance_s:
                self._lifetime(entry, longest, base)

    def _undeclared(self, entry: _FirstSeen, base: dict[str, object]) -> None:
        item, vendor = entry.seen.item, entry.vendor
        other_type = self.classifier.declarations(item)
        if other_type:
            d = other_type[0]
            message = (
                f"'{item.name}' is stored as {item.type.value}, but cookies.yaml declares '{d.name}' as "
                f"{d.cookie.type.value}."
            )
            fix = f"Set type: {item.type.value} for '{d.name}' in cookies.yaml (or declare both)."
        else:
            who = vendor.vendor.name if vendor else "The site"
            message = f"{who} stores the {item.type.value} '{item.name}', which cookies.yaml does not declare."
            entry_sig = vendor.entry if vendor else None
            name = item.name
            if entry_sig is not None and not entry_sig.pattern.is_literal and "*" in entry_sig.suggested_name:
                name = entry_sig.suggested_name
            category = vendor.categories[0] if vendor else None
            provider, known = provider_for(vendor.vendor_id if vendor else None, vendor.vendor if vendor else None,
                                           self.policy)
            snippet = declaration_snippet(name, entry_sig, category, provider, item.type.value)
            lifetime = entry.seen.lifetime
            if lifetime is not None and "duration: <how long>" in snippet:
                snippet = snippet.replace("<how long>", "session" if lifetime < 0 else suggest_duration(lifetime))
            verb = "Stop writing it, or declare" if vendor is None else "Declare"
            fix = f"{verb} it in cookies.yaml, e.g.\n  {snippet}"
            if not known:
                fix += f"\nand add '{provider}' (the company) to recipients.yaml."
            if entry.scenario in NO_CONSENT_SCENARIOS and (vendor is None or not vendor.necessary):
                fix += (
                    "\nIt is stored without consent: unless the site cannot work without it (necessary), it must "
                    "also wait for the visitor's consent."
                )
        seen_in = ", ".join((entry.scenario.value, *entry.scenarios))
        self.findings.append(AuditFinding(
            rule=AuditRule.UNDECLARED, message=f"{message} Seen in: {seen_in}.", fix=fix,
            **base,  # type: ignore[arg-type]
        ))

    def _wrong_category(self, d: DeclaredMatch, vendor: VendorMatch, categories: tuple[CookieCategory, ...],
                        base: dict[str, object]) -> None:
        expected = categories[0]
        consent = "" if expected is CookieCategory.NECESSARY else " and consent_required: true"
        self.findings.append(AuditFinding(
            rule=AuditRule.WRONG_CATEGORY,
            message=(
                f"'{d.name}' is declared as {d.cookie.category.value}, but {vendor.vendor.name} uses "
                f"'{base['item']}' for {' or '.join(c.value for c in categories)}."
            ),
            fix=f"Set category: {expected.value}{consent} for '{d.name}' in cookies.yaml.",
            declared=d.name, declared_category=d.cookie.category.value, expected_category=expected.value,
            **base,  # type: ignore[arg-type]
        ))

    def _lifetime(self, entry: _FirstSeen, d: DeclaredMatch, base: dict[str, object]) -> None:
        lifetime = entry.seen.lifetime or 0.0
        declared = d.cookie.duration
        page = entry.seen.lifetime_page or entry.seen.pages[0]
        capped = (
            f" (Chromium keeps no cookie longer than {CHROMIUM_MAX_COOKIE_DAYS} days; the site may ask for more)"
            if lifetime >= (CHROMIUM_MAX_COOKIE_DAYS - 1) * DAY else ""
        )
        self.findings.append(AuditFinding(
            rule=AuditRule.LIFETIME,
            message=(
                f"The cookie '{base['item']}' is kept for {days(lifetime)}{capped} (seen on {page}), but cookies.yaml "
                f"declares '{d.name}' for {duration_label(declared)} ({declared})."
            ),
            fix=(
                f"Declare duration: {suggest_duration(lifetime)} for '{d.name}' in cookies.yaml, or make the code "
                f"that sets it give it at most {duration_label(declared)} (max-age or expires)."
            ),
            declared=d.name, declared_duration=str(declared), observed_lifetime=days(lifetime),
            **base,  # type: ignore[arg-type]
        ))
