"""What a browser held and asked for while the audit visited pages: the raw facts the checks read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..vocabulary import StorageType
from .scenarios import Phase, Scenario


@dataclass(frozen=True)
class StoredItem:
    """A cookie, or a localStorage or sessionStorage key of one origin."""

    type: StorageType
    name: str
    domain: str  # the cookie's domain, or the host of the storage's origin
    path: str = "/"
    expires: float | None = None  # cookies: seconds since the epoch, -1 for a session cookie

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type.value, self.name, self.domain)

    def describe(self) -> str:
        return f"{self.type.value} {self.name} ({self.domain})"


@dataclass
class ItemSeen:
    item: StoredItem
    pages: list[str] = field(default_factory=list)  # the page it first appeared on
    # The longest remaining life seen (expires minus the time of the look), in seconds; -1 for a
    # session cookie; None for storage keys, which do not expire.
    lifetime: float | None = None
    lifetime_page: str | None = None


@dataclass(frozen=True)
class ThirdPartyRequest:
    url: str
    resource_type: str
    answered: str  # "stand-in" or "blocked": it never left the machine either way

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def host_path(self) -> str:
        parts = urlsplit(self.url)
        return (parts.hostname or "").lower() + (parts.path or "/")


@dataclass
class RequestSeen:
    request: ThirdPartyRequest
    pages: list[str] = field(default_factory=list)


@dataclass
class PhaseRecord:
    """Everything seen in one phase of a scenario, each thing with the pages it was seen on."""

    scenario: Scenario
    phase: Phase
    checked: bool = True  # False for the visits made only to answer the banner
    pages: list[str] = field(default_factory=list)
    items: dict[tuple[str, str, str], ItemSeen] = field(default_factory=dict)
    requests: dict[str, RequestSeen] = field(default_factory=dict)  # by host/path
    notes: list[str] = field(default_factory=list)

    def add_item(self, item: StoredItem, page: str, now: float) -> None:
        seen = self.items.get(item.key)
        if seen is None:
            # Cookies and storage stay from page to page: only the page where it first appeared says
            # where it comes from.
            seen = self.items[item.key] = ItemSeen(item, [page])
        if item.expires is not None:
            lifetime = -1.0 if item.expires < 0 else item.expires - now
            if seen.lifetime is None or lifetime > seen.lifetime:
                seen.lifetime, seen.lifetime_page = lifetime, page

    def add_request(self, request: ThirdPartyRequest, page: str) -> None:
        seen = self.requests.get(request.host_path)
        if seen is None:
            seen = self.requests[request.host_path] = RequestSeen(request)
        if page not in seen.pages:
            seen.pages.append(page)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


@dataclass
class ScenarioRun:
    scenario: Scenario
    records: list[PhaseRecord] = field(default_factory=list)
    banner_problems: list[tuple[str, str]] = field(default_factory=list)  # (page, what went wrong)
    not_exercised: list[tuple[str, str]] = field(default_factory=list)  # (page, why): a manager that cannot run here
    page_errors: list[tuple[str, str]] = field(default_factory=list)
    left_behind: list[StoredItem] = field(default_factory=list)
    pages_visited: int = 0
    seconds: float = 0.0
    # What the waits cost (the report's timing, never its findings): full waits for a banner, settles, quiet seconds.
    banner_waits: int = 0
    settles: int = 0
    unsettled: int = 0  # settles that ran out of time before the page was quiet
    quiet_seconds: float = 0.0
    tcf: list[Any] = field(default_factory=list)  # the TCF signals at its end (tcfsignals.TCFSignal)

    def record(self, phase: Phase, *, checked: bool = True) -> PhaseRecord:
        record = PhaseRecord(self.scenario, phase, checked)
        self.records.append(record)
        return record

    @property
    def checked_records(self) -> list[PhaseRecord]:
        return [record for record in self.records if record.checked]
