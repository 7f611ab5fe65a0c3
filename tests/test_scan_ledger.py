"""A build's scan keeps each page's result by its bytes (.cache/policypress/scan/) and reads only new pages.

The ledger must never hide anything: a page whose bytes changed is read again, the report is the
one a scan without it gives, in one process and with workers, and a damaged ledger is a miss.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, run_mkdocs_build
from test_scan_speed import DATA, PAGES, site_of

from policypress.loader import load_policy
from policypress.scan import pool, scan_site
from policypress.scan.memo import _MEMOS
from policypress.scan.report import render


@pytest.fixture
def policy():
    return load_policy(DATA)


def report_json(site: Path, policy, cache: Path | None, jobs: int = 1) -> str:
    _MEMOS.clear()  # as in a new process: only the ledger on disk is left
    return render(scan_site(site, policy, data_dir=DATA, jobs=jobs, cache_dir=cache), "json")


def no_page_read(monkeypatch) -> None:
    def refuse(matchers, page, html):
        raise AssertionError(f"{page} was read again")

    monkeypatch.setattr(pool, "parse_page", refuse)


def counting(monkeypatch) -> list[str]:
    read: list[str] = []
    parse = pool.parse_page

    def count(matchers, page, html):
        read.append(page)
        return parse(matchers, page, html)

    monkeypatch.setattr(pool, "parse_page", count)
    return read


def test_a_second_scan_reads_no_unchanged_page_and_reports_the_same(tmp_path, policy, monkeypatch):
    site = site_of(tmp_path / "site", 40)
    without = report_json(site, policy, None)
    first = report_json(site, policy, tmp_path / "cache")
    assert list((tmp_path / "cache" / "scan").glob("*.pickle")), "the ledger is written"
    no_page_read(monkeypatch)
    second = report_json(site, policy, tmp_path / "cache")
    assert first == second == without
    assert json.loads(second)["errors"] > 0  # the trackers are reported, from the ledger


def test_a_changed_page_is_read_again_and_its_new_tracker_reported(tmp_path, policy, monkeypatch):
    site = site_of(tmp_path / "site", 40)
    report_json(site, policy, tmp_path / "cache")
    changed = site / "part1" / "page1" / "index.html"
    changed.write_text(changed.read_text(encoding="utf-8").replace(
        "</body>", '<script src="https://connect.facebook.net/en_US/fbevents.js"></script></body>'), encoding="utf-8")
    read = counting(monkeypatch)
    report = json.loads(report_json(site, policy, tmp_path / "cache"))
    assert read == ["part1/page1/index.html"]
    assert any(f["page"] == "part1/page1/index.html" and "fbevents.js" in (f["element"] or "")
               for f in report["findings"]), report["findings"]


def test_workers_are_sent_only_the_pages_the_ledger_does_not_know(tmp_path, policy, monkeypatch):
    site = site_of(tmp_path / "site", PAGES)  # enough pages for worker processes
    assert PAGES >= pool.IN_PROCESS_BELOW
    without = report_json(site, policy, None, jobs=1)
    first = report_json(site, policy, tmp_path / "cache", jobs=2)
    (site / "part0" / "page0" / "index.html").write_text("<p>nothing here now</p>\n", encoding="utf-8")
    read = counting(monkeypatch)  # the workers are forked from this process: they count (and keep) nothing here
    changed = report_json(site, policy, tmp_path / "cache", jobs=2)
    assert read == [], "no page is read in this process"
    no_page_read(monkeypatch)  # now a worker that reads a page fails the scan
    (site / "part0" / "page0" / "index.html").write_text(site_of(tmp_path / "again", 1).joinpath(
        "part0", "page0", "index.html").read_text(encoding="utf-8"), encoding="utf-8")
    assert report_json(site, policy, tmp_path / "cache", jobs=2) == first == without
    assert changed != first  # the page that changed was scanned again, by a worker


def test_a_damaged_ledger_is_a_miss(tmp_path, policy):
    site = site_of(tmp_path / "site", 20)
    first = report_json(site, policy, tmp_path / "cache")
    for entry in (tmp_path / "cache" / "scan").glob("*.pickle"):
        entry.write_bytes(b"\x80\x05not a pickle")
    assert report_json(site, policy, tmp_path / "cache") == first


def test_a_build_after_a_page_gains_a_tracker_fails(project_copy, tmp_path):
    """The built site's ledger, as a project has it between builds: an edit to a page is scanned."""
    assert run_mkdocs_build(project_copy, tmp_path / "site1").returncode == 0
    assert list((project_copy / ".cache" / "policypress" / "scan").glob("*.pickle"))
    index = project_copy / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8")
                     + '\n<script src="https://connect.facebook.net/en_US/fbevents.js"></script>\n', encoding="utf-8")
    second = run_mkdocs_build(project_copy, tmp_path / "site2")
    assert second.returncode != 0
    assert "fbevents.js" in second.stderr and "index.html" in second.stderr, second.stderr
