"""The static consent-aware scan: the site's pages and scripts compared with the declared cookies.

``scan_site(site_dir, policy)`` reads every HTML page with libxml2's HTML parser (lxml),
split over processes, finds the vendors the pages load (from the tracker signatures shipped in
``policypress/trackers/data/*.yaml``) and the storage keys the site's own code writes, and
reports what is undeclared, declared with the wrong category, loaded before consent, or
declared but never seen.
"""

from __future__ import annotations

from .findings import Finding, Rule, ScanReport, Severity
from .scanner import scan_site
from ..trackers.signatures import SignatureError, Signatures, load_signatures

__all__ = [
    "Finding",
    "Rule",
    "ScanReport",
    "Severity",
    "SignatureError",
    "Signatures",
    "load_signatures",
    "scan_site",
]
