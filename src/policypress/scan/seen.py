"""Where something was seen, for a finding: its first place and every page, and the vendor's fields.

The same thing on many pages (a template) is reported once, at its first page, with a count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from ..trackers.signatures import Vendor
from .findings import MAX_OTHER_PAGES
from .folder import Place


@dataclass
class Seen:
    """Where something was seen: its first place, and on how many pages."""

    first: Place
    pages: set[tuple[str, str]] = field(default_factory=set)

    def add(self, place: Place) -> None:
        self.pages.add((place.folder, place.page))


class PlaceFields(TypedDict):
    folder: str | None
    page: str | None
    line: int | None
    element: str | None
    pages_count: int
    other_pages: tuple[str, ...]


class VendorFields(TypedDict):
    vendor: str | None
    vendor_name: str | None


def place_fields(seen: Seen) -> PlaceFields:
    place = seen.first
    others = sorted(
        (page if folder == place.folder else f"{folder}/{page}")
        for folder, page in seen.pages
        if (folder, page) != (place.folder, place.page)
    )
    return {
        "folder": place.folder,
        "page": place.page,
        "line": place.line,
        "element": place.element,
        "pages_count": max(1, len(seen.pages)),
        "other_pages": tuple(others[:MAX_OTHER_PAGES]),
    }


def vendor_fields(vendor_id: str | None, vendor: Vendor | None) -> VendorFields:
    return {"vendor": vendor_id, "vendor_name": vendor.name if vendor else None}
