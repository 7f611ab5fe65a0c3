"""Who is behind what the browser held, and whether it needed consent.

A request is attributed to a vendor by the scan's URL patterns, and failing those by its host;
a cookie or storage key by the names in the vendors' signatures; both sides of a name may be
patterns (``_ga_*`` declared, ``_ga_<measurement-id>`` in the signature, ``_ga_TEST123`` seen),
compared with the scan's ``names_overlap``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..model import CookieDeclaration, Policy
from ..vocabulary import CookieCategory
from ..trackers.matching import Matchers, compile_signatures, parse_url
from ..trackers.names import names_overlap, parse_name
from ..trackers.signatures import Signatures, StorageEntry, UrlKind, Vendor
from .observations import StoredItem

# Hosts that serve many unrelated things: knowing the host says nothing about the vendor.
SHARED_HOSTS = frozenset({
    "s3.amazonaws.com", "cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "www.google.com",
    "www.gstatic.com", "ajax.googleapis.com", "code.jquery.com",
})


@dataclass(frozen=True)
class VendorMatch:
    vendor_id: str
    vendor: Vendor
    entry: StorageEntry | None = None  # for a storage item: the signature's entry it fits
    by_host: bool = False  # for a request: only the host matched, not a URL pattern

    @property
    def categories(self) -> tuple[CookieCategory, ...]:
        return self.vendor.categories_of(self.entry) if self.entry is not None else (self.vendor.category,)

    @property
    def necessary(self) -> bool:
        return CookieCategory.NECESSARY in self.categories


@dataclass(frozen=True)
class DeclaredMatch:
    name: str
    cookie: CookieDeclaration


class Classifier:
    def __init__(self, policy: Policy, signatures: Signatures) -> None:
        self.policy = policy
        self.signatures = signatures
        self.matchers: Matchers = compile_signatures(signatures)
        self._declarations = [
            (parse_name(name), DeclaredMatch(name, cookie)) for name, cookie in policy.cookies.items()
        ]
        self._entries = [
            (parse_name(entry.name), vendor_id, vendor, entry)
            for vendor_id, vendor in signatures.vendors.items()
            for entry in vendor.storage
        ]
        self._hosts: dict[str, list[str]] = {}
        for vendor_id, vendor in signatures.vendors.items():
            for detector in vendor.detect:
                if detector.kind in ("inline", "element") or detector.target.startswith("/"):
                    continue
                host = detector.target.split("/", 1)[0].split("?", 1)[0].lower()
                ids = self._hosts.setdefault(host, [])
                if vendor_id not in ids:
                    ids.append(vendor_id)

    @property
    def has_optional_declarations(self) -> bool:
        return any(cookie.category is not CookieCategory.NECESSARY for cookie in self.policy.cookies.values())

    # --- declarations -------------------------------------------------------------------------

    def declarations(self, item: StoredItem) -> list[DeclaredMatch]:
        """The declarations whose name fits the item, of any storage type."""
        pattern = parse_name(item.name)
        return [declared for candidate, declared in self._declarations if names_overlap(pattern, candidate)]

    def same_type(self, item: StoredItem) -> list[DeclaredMatch]:
        return [declared for declared in self.declarations(item) if declared.cookie.type == item.type]

    # --- vendors -------------------------------------------------------------------------------

    def vendor_of_item(self, item: StoredItem, requested: Collection[str] = ()) -> VendorMatch | None:
        """The vendor whose signature stores this name; one whose code the scenario loaded comes first."""
        pattern = parse_name(item.name)
        found = [
            VendorMatch(vendor_id, vendor, entry)
            for entry_pattern, vendor_id, vendor, entry in self._entries
            if entry.type == item.type and names_overlap(pattern, entry_pattern)
        ]
        if not found:
            return None
        return next((match for match in found if match.vendor_id in requested), found[0])

    def vendor_of_url(self, url: str) -> VendorMatch | None:
        parsed = parse_url(url, "/")
        if parsed is None or parsed.host is None:
            return None
        for kind in UrlKind:
            hits = self.matchers.match_url(kind, parsed)
            if hits:
                best = min(hits, key=lambda compiled: list(self.signatures.vendors).index(compiled.vendor_id))
                return VendorMatch(best.vendor_id, best.vendor)
        if parsed.host in SHARED_HOSTS:
            return None
        candidates = self._vendors_on_host(parsed.host)
        # Only when every vendor on that host agrees on whether it needs consent does the host say enough.
        needs_consent = {self.signatures.vendors[v].category is not CookieCategory.NECESSARY for v in candidates}
        if candidates and len(needs_consent) == 1:
            vendor_id = candidates[0]
            return VendorMatch(vendor_id, self.signatures.vendors[vendor_id], by_host=True)
        return None

    def _vendors_on_host(self, host: str) -> list[str]:
        found = list(self._hosts.get(host, ()))
        # Patterns written as *.example.com cover every subdomain.
        labels = host.split(".")
        for i in range(len(labels) - 1):
            for vendor_id in self._hosts.get("*." + ".".join(labels[i:]), ()):
                if vendor_id not in found:
                    found.append(vendor_id)
        return found

    # --- consent --------------------------------------------------------------------------------

    def optional(self, item: StoredItem, vendor: VendorMatch | None) -> bool | None:
        """Whether the item needs consent: True, False, or None when nothing says (undeclared, no signature).

        Declared as necessary is not enough when the vendor's signature says otherwise: ``_ga`` declared
        as necessary still needs consent (and is reported as declared in the wrong category).
        """
        declared = self.same_type(item)
        if declared:
            if not any(d.cookie.category is CookieCategory.NECESSARY for d in declared):
                return True
            return vendor is not None and not vendor.necessary
        if vendor is not None:
            return not vendor.necessary
        return None

