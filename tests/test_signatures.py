"""Every shipped tracker signature recognises its vendor on a page with the vendor's embed snippet.

tests/fixtures/signatures/<vendor_id>.html holds one vendor's snippet, ungated. All pages are scanned
in one run against a policy that declares none of them, so each vendor must show up in a finding
(undeclared storage, an undeclared recipient, or loading before consent) on its own page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from policypress.loader import load_policy
from policypress.scan import ScanReport, scan_site
from policypress.trackers.signatures import ConsentManager, load_signatures

PAGES = ROOT / "tests" / "fixtures" / "signatures"
# Declares Klaro's cookie and the Mailchimp recipient only; the policy below drops both.
DATA = ROOT / "tests" / "fixtures" / "sites" / "undeclared-tracker" / "policy_data"
SIGNATURES = load_signatures()
VENDORS = sorted(SIGNATURES.vendors)
# The managers whose syntax the fix texts already use (scan/fixes.py), with a piece of that syntax.
FIX_SYNTAX = {
    "cookiebot": 'data-cookieconsent="statistics"',
    "klaro": 'data-type="text/javascript"',
    "vanilla_cookieconsent": 'data-category="analytics"',
}
UNGATED_GA = '<script async src="https://www.googletagmanager.com/gtag/js?id=G-MANAGER1"></script>'


@pytest.fixture(scope="module")
def empty_policy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("policy") / "policy_data"
    shutil.copytree(DATA, data)
    (data / "cookies.yaml").write_text("cookies: {}\n", encoding="utf-8")
    (data / "recipients.yaml").write_text("recipients: {}\n", encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def report(empty_policy_dir: Path) -> ScanReport:
    return scan_site(PAGES, load_policy(empty_policy_dir), data_dir=empty_policy_dir)


@pytest.fixture(scope="module")
def managers_reports(empty_policy_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, ScanReport]:
    # Each manager's page again with an ungated tracker, scanned on its own: the same tracker on
    # several pages is reported once, at its first page, with that page's manager.
    policy = load_policy(empty_policy_dir)
    reports: dict[str, ScanReport] = {}
    for vendor_id in FIX_SYNTAX:
        folder = tmp_path_factory.mktemp(vendor_id)
        html = (PAGES / f"{vendor_id}.html").read_text(encoding="utf-8")
        (folder / "index.html").write_text(html.replace("</head>", f"{UNGATED_GA}\n</head>"), encoding="utf-8")
        reports[vendor_id] = scan_site(folder, policy, data_dir=empty_policy_dir)
    return reports


def named_on(report: ScanReport, folder: str) -> set[tuple[str, str]]:
    """(vendor id, page) for every page of ``folder`` a finding names its vendor on."""
    pairs: set[tuple[str, str]] = set()
    for finding in report.findings:
        if finding.vendor is None or finding.folder != folder:
            continue
        pairs.add((finding.vendor, finding.page or ""))
        pairs.update((finding.vendor, page) for page in finding.other_pages if "/" not in page)
    return pairs


def test_there_are_at_least_150_vendors() -> None:
    assert len(VENDORS) >= 150


def test_every_vendor_has_a_test_page_and_every_page_a_vendor() -> None:
    pages = {path.stem for path in PAGES.glob("*.html")}
    assert sorted(pages - set(VENDORS)) == [], "pages without a vendor"
    assert sorted(set(VENDORS) - pages) == [], "vendors without a test page"


def test_every_consent_manager_value_is_used_once() -> None:
    used = [vendor.consent_manager for vendor in SIGNATURES.vendors.values() if vendor.consent_manager]
    assert sorted(used) == sorted(ConsentManager)


def test_every_page_is_scanned(report: ScanReport) -> None:
    assert report.pages_scanned == len(VENDORS)


@pytest.mark.parametrize("vendor_id", VENDORS)
def test_scan_names_the_vendor_on_its_page(report: ScanReport, vendor_id: str) -> None:
    folder = report.folders[0]
    assert (vendor_id, f"{vendor_id}.html") in named_on(report, folder), (
        f"no finding names {vendor_id} on {vendor_id}.html"
    )
    assert vendor_id in report.vendors_seen


@pytest.mark.parametrize("vendor_id", sorted(FIX_SYNTAX))
def test_fix_uses_the_syntax_of_the_pages_manager(managers_reports: dict[str, ScanReport], vendor_id: str) -> None:
    (finding,) = [
        f for f in managers_reports[vendor_id].findings
        if f.vendor == "google_analytics" and f.rule.value == "before-consent"
    ]
    assert FIX_SYNTAX[vendor_id] in finding.fix
