"""The scan at the parser's limit: lxml's tree, pages split over processes, the same report.

`--jobs 2` must give the report `--jobs 1` gives, byte for byte; a malformed page must keep its
findings and their lines; a page over the size cap must still be skipped, with its finding, when
a worker process is the one that met it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from clirun import Cli, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT

from policypress.scan import pool
from policypress.scan.page import parse_page
from policypress.scan.reading import MAX_PAGE_BYTES
from policypress.trackers.matching import compile_signatures
from policypress.trackers.signatures import load_signatures

# Declares Klaro's cookie only: every tracker below is an undeclared vendor, a finding with a line.
DATA = ROOT / "tests" / "fixtures" / "sites" / "undeclared-tracker" / "policy_data"
MATCHERS = compile_signatures(load_signatures())
PAGES = 320  # above pool.IN_PROCESS_BELOW, so that --jobs 2 does start workers

TRACKERS = [
    '<script async src="https://www.googletagmanager.com/gtag/js?id=G-SPEED{n}"></script>',
    "<script>(function(h,o,t,j,a,r){{h.hj=h.hj||function(){{(h.hj.q=h.hj.q||[]).push(arguments)}};"
    "h._hjSettings={{hjid:{n},hjsv:6}};}})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>",
    '<iframe src="https://www.youtube.com/embed/v{n}"></iframe>',
    '<noscript><img src="https://www.facebook.com/tr?id={n}&ev=PageView"></noscript>',
    '<script>localStorage.setItem("speed-{n}", "1");</script>',
    '<script src="/js/app.js"></script>',
]


def page(n: int) -> str:
    tracker = TRACKERS[n % len(TRACKERS)].format(n=n)
    lines = "\n".join(f"<p>Paragraph {i} of page {n}.</p>" for i in range(n % 7))
    return f"<!doctype html>\n<html><head><title>Page {n}</title>\n</head><body>\n{lines}\n{tracker}\n</body></html>\n"


def site_of(folder: Path, pages: int) -> Path:
    (folder / "js").mkdir(parents=True)
    (folder / "js" / "app.js").write_text('document.cookie = "speed_app=1; path=/";\n', encoding="utf-8")
    for n in range(pages):
        path = folder / f"part{n % 9}" / f"page{n}" / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page(n), encoding="utf-8")
    return folder


def test_two_processes_give_the_same_json_as_one(cli: Cli, tmp_path: Path) -> None:
    site = site_of(tmp_path / "site", PAGES)
    assert PAGES >= pool.IN_PROCESS_BELOW
    one = cli("scan", str(site), "--data", str(DATA), "--format", "json", "--jobs", "1")
    two = cli("scan", str(site), "--data", str(DATA), "--format", "json", "--jobs", "2")
    assert one.returncode == two.returncode == 1, one.stderr + two.stderr
    assert two.stdout == one.stdout
    report = json.loads(two.stdout)
    vendors = {f["vendor"] for f in report["findings"]}
    assert {"google_analytics", "hotjar", "youtube", "meta_pixel"} <= vendors
    assert report["pages_scanned"] == PAGES


def test_worker_results_are_the_in_process_ones(tmp_path: Path) -> None:
    site = site_of(tmp_path / "site", PAGES)
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    serial = list(pool.scan_pages(MATCHERS, site, names, 1))
    split = list(pool.scan_pages(MATCHERS, site, names, 2))
    assert [name for name, _ in split] == names
    assert split == serial
    assert sum(len(found.hits) for _, found in split if not isinstance(found, str)) >= PAGES // 2


MALFORMED = """<!DOCTYPE html>
<html><head><title>Broken</title>
<script>var s = "</script>"; var t = 1;</script>
<SCRIPT ASYNC
    SRC="https://static.hotjar.com/c/hotjar-3871245.js?sv=6"></SCRIPT>
<!-- <script src="https://connect.facebook.net/en_US/fbevents.js"></script> -->
<!--[if lt IE 9]><script src="https://www.google-analytics.com/analytics.js"></script><![endif]-->
</head><body><div><p>unclosed <b>tags <table><tr><td>cell
<script>document.write('<iframe src="https://www.youtube.com/embed/fake">');</script><iframe src="https://www.youtube.com/embed/real"></iframe>
<script>
  localStorage.setItem("broken-key", "1");
</script>
<form action="https://cmt.us21.list-manage.com/subscribe/post?u=a&id=b"><input name="EMAIL">
"""


def test_a_malformed_page_keeps_its_findings_and_their_lines() -> None:
    found = parse_page(MATCHERS, "broken.html", MALFORMED)
    hits = {(hit.compiled.vendor_id, hit.line) for hit in found.hits}
    # Upper case, over two lines: the line of its "<"; in comments: nothing; the real frame, not the one in a string.
    assert hits == {("hotjar", 4), ("youtube", 9), ("mailchimp_forms", 13)}
    # The frame written by a script is the script's finding; the frame element is quoted as written.
    frames = sorted(hit.element for hit in found.hits if hit.compiled.vendor_id == "youtube")
    assert frames == ["<iframe src=\"https://www.youtube.com/embed/real\">",
                      "<script> …ite('<iframe src=\"https://www.youtube.com/embed/fake\">');"]
    script = next(hit for hit in found.hits if hit.compiled.vendor_id == "hotjar")
    assert script.element == '<SCRIPT ASYNC SRC="https://static.hotjar.com/c/hotjar-3871245.js?sv=6">'
    assert [(write.name, write.line) for write in found.writes] == [("broken-key", 11)]


def test_a_page_cut_off_inside_a_script_reports_nothing_of_that_script() -> None:
    # A browser does not run a script whose end tag never comes; what came before it counts.
    cut = '<img src="https://www.facebook.com/tr?id=1">\n<script>gtag("config", "G-1"); document.cookie = "x=1"'
    found = parse_page(MATCHERS, "cut.html", cut)
    assert [(hit.compiled.vendor_id, hit.line) for hit in found.hits] == [("meta_pixel", 1)]
    assert found.writes == []


def test_a_malformed_page_in_a_folder_reports_page_and_line(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "broken.html").write_text(MALFORMED, encoding="utf-8")
    result = cli("scan", str(tmp_path), "--data", str(DATA), "--format", "json")
    assert result.returncode == 1, result.stderr
    places = {(f["vendor"], f["page"], f["line"]) for f in json.loads(result.stdout)["findings"] if f["vendor"]}
    assert ("hotjar", "broken.html", 4) in places
    assert ("youtube", "broken.html", 9) in places


def test_a_page_over_the_cap_is_skipped_by_a_worker_with_its_finding(cli: Cli, tmp_path: Path) -> None:
    site = site_of(tmp_path / "site", PAGES)
    huge = site / "part0" / "huge.html"
    with open(huge, "wb") as handle:
        handle.write(b"<!doctype html><script src='https://static.hotjar.com/c/hotjar-1.js'></script>")
    os.truncate(huge, MAX_PAGE_BYTES + 1)
    result = cli("scan", str(site), "--data", str(DATA), "--format", "json", "--jobs", "2")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    skipped = [f for f in report["findings"] if f["rule"] == "skipped-file"]
    assert [f["page"] for f in skipped] == ["part0/huge.html"]
    assert f"{MAX_PAGE_BYTES + 1} bytes, more than the {MAX_PAGE_BYTES}" in skipped[0]["message"]
    assert report["pages_scanned"] == PAGES
