"""What each page came to in the last scans, kept on disk so that the next build's scan reads only new pages.

A build writes every page again, but most come out byte for byte as before: every page of a
frozen release, the archive, a folder of another site's pages (``scan.pages``) that nobody
touched. What a page holds depends only on its bytes, its path in the folder (its relative
addresses) and the signatures, so a build's scan keeps each page's result under
``.cache/policypress/scan/`` by (path, digest of the bytes), in one file per engine and
signatures. A page whose bytes differ is a miss and is read as before: the report is the same,
byte for byte, with or without the ledger.

Results are pickled with their detectors as (vendor, detector) keys (as the worker pool sends
them) and given back the detectors of this scan's signatures. The file holds the pages of the
last scans, at most ``KEPT`` of them, the most recent first; a folder with more is scanned as
before and keeps nothing (its memory stays flat). Anything unreadable is a miss.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from pathlib import Path
from typing import Any

from ..buildcache import read_pickle, write_pickle
from ..trackers.matching import CompiledDetector, Matchers
from .page import PageFindings

KEPT = 20_000  # pages: some tens of MB at most; a build with more pages keeps no ledger
_FOLDER = "scan"


class _KeyPickler(pickle.Pickler):
    def persistent_id(self, obj: Any) -> Any:
        if isinstance(obj, CompiledDetector):
            return (obj.vendor_id, obj.order)
        return None


class _KeyUnpickler(pickle.Unpickler):
    def __init__(self, data: bytes, detectors: dict[tuple[str, int], CompiledDetector]) -> None:
        super().__init__(io.BytesIO(data))
        self._detectors = detectors

    def persistent_load(self, pid: Any) -> CompiledDetector:
        return self._detectors[pid]


def dump(value: object) -> bytes:
    """``value`` pickled, each detector in it as its (vendor, detector) key."""
    buffer = io.BytesIO()
    _KeyPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def load(data: bytes, detectors: dict[tuple[str, int], CompiledDetector]) -> Any:
    """What ``dump`` pickled, with ``detectors`` (``detectors_of``) put back for the keys."""
    return _KeyUnpickler(data, detectors).load()


def detectors_of(matchers: Matchers) -> dict[tuple[str, int], CompiledDetector]:
    found: dict[tuple[str, int], CompiledDetector] = {}
    for _, compiled in matchers.inline:
        found[(compiled.vendor_id, compiled.order)] = compiled
    for rules in [*matchers.elements_by_tag.values(), *matchers.elements_by_attribute.values()]:
        for rule in rules:
            found[(rule.compiled.vendor_id, rule.compiled.order)] = rule.compiled
    # URL detectors sit inside the URL indexes; the same detector, rebuilt, is equal to theirs.
    for rank, (vendor_id, vendor) in enumerate(matchers.signatures.vendors.items()):
        for order, detector in enumerate(vendor.detect):
            found.setdefault((vendor_id, order), CompiledDetector(vendor_id, vendor, detector, order, rank))
    return found


def digest_of(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Ledger:
    """The pages of the last scans (``get``), and those of this one (``put``), written by ``save``."""

    @classmethod
    def for_scan(cls, cache_dir: Path | None, matchers: Matchers, pages: int) -> Ledger | None:
        """The ledger of a scan of ``pages`` pages; None without a cache folder, for more than ``KEPT``
        pages, or for signatures without a digest of their files (nothing to keep it under)."""
        if cache_dir is None or pages > KEPT or not matchers.signatures.digest:
            return None
        return cls(cache_dir, matchers)

    def __init__(self, cache_dir: Path, matchers: Matchers) -> None:
        self._cache_dir = cache_dir
        self._key = matchers.signatures.digest  # the engine's fingerprint is added by buildcache
        stored = read_pickle(_FOLDER, self._key, dict, cache_dir)
        self._old: dict[tuple[str, bytes], bytes] = stored if stored is not None else {}
        self._new: dict[tuple[str, bytes], bytes] = {}
        self._detectors: dict[tuple[str, int], CompiledDetector] | None = None
        self._matchers = matchers

    def get(self, page: str, digest: bytes) -> PageFindings | None:
        entry = (page, digest)
        data = self._new.get(entry) or self._old.get(entry)
        if data is None:
            return None
        try:
            found = load(data, self.detectors)
        except Exception:  # noqa: BLE001  (an entry of other signatures or a damaged file: a miss)
            return None
        if not isinstance(found, PageFindings):
            return None
        self._new[entry] = data
        return found

    @property
    def detectors(self) -> dict[tuple[str, int], CompiledDetector]:
        """``detectors_of`` this scan's matchers, made once (the worker pool loads with them too)."""
        if self._detectors is None:
            self._detectors = detectors_of(self._matchers)
        return self._detectors

    def put(self, page: str, digest: bytes, data: bytes) -> None:
        """Keep the ``dump`` of a page's findings."""
        self._new[(page, digest)] = data

    def save(self) -> None:
        """This scan's pages (at most ``KEPT``: see ``for_scan``), then those of earlier scans, up to
        ``KEPT``; nothing written when unchanged."""
        kept = dict(self._new)
        for entry, data in self._old.items():
            if len(kept) >= KEPT:
                break
            kept.setdefault(entry, data)
        if kept != self._old:
            write_pickle(_FOLDER, self._key, kept, self._cache_dir)
