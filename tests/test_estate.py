"""Auditing a whole estate: page sources, shards and their merge, resumable state, --jobs, proposals."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from clirun import cli, cli_browser  # noqa: F401
from conftest import ROOT, serve_directory

from policypress.audit import AuditRule, custom_banner, load_standins
from policypress.audit.estate import PageSources, audit_estate
from policypress.audit.findings import MAX_OTHER_PAGES, AuditFinding, AuditReport, ScenarioSummary, SeenCookie, Severity
from policypress.audit.propose import MARKER, issue_body, plan
from policypress.audit.report import render_json
from policypress.audit.shards import Shard, merge_reports, parse_shard, read_report, shard_of, without_timings
from policypress.audit.target import page_of, read_sitemap, read_url_list
from policypress.errors import UsageError
from policypress.loader import load_policy

AUDIT_SITES = ROOT / "tests" / "fixtures" / "audit-sites"
STANDINS = ROOT / "tests" / "fixtures" / "standins"
BANNER = custom_banner("#cookie-accept", "#cookie-reject", "#cookie-settings")
BANNER_ARGS = ("--accept-selector", "#cookie-accept", "--reject-selector", "#cookie-reject",
               "--reopen-selector", "#cookie-settings", "--standins", str(STANDINS))
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{}
</urlset>
"""


# --- shards ---------------------------------------------------------------------------------------------


def test_a_page_is_in_exactly_one_shard_by_the_sha256_of_its_path() -> None:
    labels = ["/"] + [f"/page-{n:03d}/" for n in range(1, 200)]
    shards = [Shard(k, 4) for k in range(1, 5)]
    owners = [[s for s in shards if s.holds(label)] for label in labels]
    assert all(len(o) == 1 for o in owners)  # disjoint, and together the whole
    assert all(any(o == [s] for o in owners) for s in shards)  # none empty on 200 pages
    # The spec, not Python's salted hash(): the same in every process and on every machine.
    digest = int(hashlib.sha256(b"/en/").hexdigest(), 16)
    assert shard_of("/en/", 7) == digest % 7 + 1 == shard_of("en/", 7)


@pytest.mark.parametrize("text", ["0/4", "5/4", "2", "a/b", "-1/3"])
def test_a_shard_is_k_of_n(text: str, cli) -> None:  # noqa: F811
    with pytest.raises(UsageError, match="K/N"):
        parse_shard(text)
    code, _, err = cli("audit", "site", "--shard", text)
    assert code == 2 and "write K/N" in err and "Traceback" not in err


# --- page sources ---------------------------------------------------------------------------------------


def test_a_url_list_has_urls_or_paths_and_comments(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# the pages the weekly audit visits\n\nhttps://www.example.org/en/contact/\n/sv/index.html  # Swedish\n"
        "about/\nhttps://www.example.org/search?q=x\n",
        encoding="utf-8",
    )
    entries = read_url_list(listing)
    assert [page_of(e) for e in entries] == ["en/contact/", "sv/", "about/", "search?q=x"]
    # Below a served path, a path of the live site is taken from its root.
    assert page_of("http://127.0.0.1:8000/docs/en/", "/docs/") == "en/"
    (tmp_path / "empty.txt").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(UsageError, match="lists no page"):
        read_url_list(tmp_path / "empty.txt")


def test_a_sitemap_and_a_sitemap_index_from_a_mirror(tmp_path: Path) -> None:
    (tmp_path / "sitemaps").mkdir()
    (tmp_path / "sitemaps" / "en.xml").write_text(SITEMAP.format(
        "<url><loc>https://www.example.org/en/</loc><lastmod>2026-01-01</lastmod></url>\n"
        "<url><loc>https://www.example.org/en/about/</loc></url>"), encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://www.example.org/sitemaps/en.xml</loc></sitemap></sitemapindex>", encoding="utf-8")
    assert read_sitemap(str(tmp_path / "sitemap.xml")) == [
        "https://www.example.org/en/", "https://www.example.org/en/about/",
    ]
    assert PageSources(sitemap=str(tmp_path / "sitemaps" / "en.xml")).listed("/") == ["en/", "en/about/"]


def test_a_sitemap_index_served_on_this_machine(tmp_path: Path) -> None:
    (tmp_path / "pages.xml").write_text(SITEMAP.format(
        "<url><loc>https://www.example.org/sv/</loc></url>"), encoding="utf-8")
    (tmp_path / "sitemap.xml").write_text(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://www.example.org/pages.xml</loc></sitemap></sitemapindex>", encoding="utf-8")
    with serve_directory(tmp_path) as url:
        # The index's sitemaps are read from the same server, by their paths: never from the live site.
        assert read_sitemap(url + "sitemap.xml") == ["https://www.example.org/sv/"]


def test_a_sitemap_with_entities_or_off_this_machine_is_refused(tmp_path: Path, cli) -> None:  # noqa: F811
    laughs = tmp_path / "laughs.xml"
    laughs.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol2;</loc></url></urlset>',
        encoding="utf-8",
    )
    with pytest.raises(UsageError, match="document type"):
        read_sitemap(str(laughs))
    code, _, err = cli("audit", str(tmp_path), "--sitemap", "https://www.example.org/sitemap.xml")
    assert code == 2 and "never reaches the network" in err
    (tmp_path / "feed.xml").write_text("<rss><channel/></rss>", encoding="utf-8")
    code, _, err = cli("audit", str(tmp_path), "--sitemap", str(tmp_path / "feed.xml"))
    assert code == 2 and "not a sitemap (its root element is <rss>" in err


def test_a_sitemap_larger_than_the_protocol_allows_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("policypress.audit.target.SITEMAP_MAX_BYTES", 200)
    big = tmp_path / "sitemap.xml"
    big.write_text(SITEMAP.format("\n".join(f"<url><loc>/p{n}/</loc></url>" for n in range(20))), encoding="utf-8")
    with pytest.raises(UsageError, match="larger than"):
        read_sitemap(str(big))


# --- merging reports ------------------------------------------------------------------------------------


def _finding(page: str, scenario: str = "before-consent", rule: AuditRule = AuditRule.BEFORE_CONSENT,
             **kw: Any) -> AuditFinding:
    return AuditFinding(rule=rule, severity=Severity.ERROR, scenario=scenario, message=f"seen on {page}",
                        fix="gate it", page=page, item="_ga", item_type="cookie", domain="127.0.0.1",
                        vendor="google_analytics", vendor_name="Google Analytics", **kw)


def _part(page: str, *findings: AuditFinding) -> AuditReport:
    cookie = SeenCookie("_ga", "127.0.0.1", "/", 1.0, 400.0, "no-consent", page)
    return AuditReport(target="live", base_url="http://127.0.0.1:1/", pages=[page], findings=list(findings),
                       scenarios=[ScenarioSummary("before-consent", 1, 0.5, cookies=[cookie])])


def test_merged_shards_are_the_report_of_one_run_whatever_the_grouping() -> None:
    pages = ["/"] + [f"/p{n}/" for n in range(1, 30)]  # more than a finding lists
    parts = [_part(page, _finding(page)) for page in pages]
    parts[3] = _part(pages[3], _finding(pages[3]), _finding(pages[3], "accept-all", AuditRule.UNDECLARED,
                                                            also_in=("gpc",)))
    whole = merge_reports(parts, names=pages)
    shards = [merge_reports([p for p in parts if shard_of(p.pages[0], 3) == k]) for k in (1, 2, 3)]
    merged = merge_reports(list(reversed(shards)), names=["c", "b", "a"])
    assert merged.as_dict() == whole.as_dict()
    gated = next(f for f in whole.findings if f.rule is AuditRule.BEFORE_CONSENT)
    assert (gated.page, gated.pages_count) == ("/", 30)
    assert gated.other_pages == tuple(sorted(pages[1:])[:MAX_OTHER_PAGES])  # the same depth: by name
    assert gated.message == "seen on /"  # the first page's words
    assert [c.page for c in whole.scenarios[0].cookies] == ["/"]  # a cookie where it was first seen
    undeclared = next(f for f in whole.findings if f.rule is AuditRule.UNDECLARED)
    assert undeclared.also_in == ("gpc",) and whole.exit_code == 1


def test_merge_keeps_an_item_wrong_in_two_declarations_and_one_unknown_host_per_host() -> None:
    def wrong(page: str, declared: str) -> AuditFinding:
        return _finding(page, "accept-all", AuditRule.WRONG_CATEGORY, declared=declared,
                        declared_category="necessary", expected_category="analytics")

    def unknown(page: str, host: str) -> AuditFinding:
        return dataclasses.replace(_finding(page, rule=AuditRule.UNKNOWN_HOST), item=f"{host}/x.js",
                                   item_type="request", domain=host, vendor=None, vendor_name=None)

    merged = merge_reports([
        _part("/", wrong("/", "_ga"), wrong("/", "_ga*"), unknown("/", "a.test")),
        _part("/about/", wrong("/about/", "_ga"), unknown("/about/", "b.test")),
    ])
    by_declared = {f.declared: f.pages_count for f in merged.findings if f.rule is AuditRule.WRONG_CATEGORY}
    assert by_declared == {"_ga": 2, "_ga*": 1}  # each declaration's finding, on its pages
    hosts = {f.domain: (f.page, f.pages_count) for f in merged.findings if f.rule is AuditRule.UNKNOWN_HOST}
    assert hosts == {"a.test": ("/", 1), "b.test": ("/about/", 1)}


def test_report_merge_on_the_command_line(tmp_path: Path, cli) -> None:  # noqa: F811
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(render_json(_part("/", _finding("/"))), encoding="utf-8")
    b.write_text(render_json(_part("/about/", _finding("/about/"))), encoding="utf-8")
    code, out, err = cli("report", "merge", str(a), str(b), "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    assert data["pages"] == ["/", "/about/"] and data["errors"] == 1
    assert data["findings"][0]["pages_count"] == 2 and data["findings"][0]["other_pages"] == ["/about/"]
    code, _, err = cli("report", "merge", str(a), str(b), "--format", "junit", "-o", str(tmp_path / "out.xml"))
    assert code == 1 and "<testsuites" in (tmp_path / "out.xml").read_text(encoding="utf-8")
    code, _, err = cli("report", "merge", str(a), str(a))
    assert code == 2 and "/ is in both" in err
    (tmp_path / "notes.json").write_text('{"hello": 1}', encoding="utf-8")
    code, _, err = cli("report", "merge", str(tmp_path / "notes.json"))
    assert code == 2 and "not a report of `policypress audit --format json`" in err


def test_the_issue_for_findings_only_the_site_can_fix() -> None:
    report = merge_reports([_part("/", _finding("/")), _part("/p/", _finding("/p/")),
                            _part("/a*b/", _finding("/a*b/", "reject-all"))])
    wanted = plan(report)
    assert len(wanted.site_fixes) == 2 and not wanted.proposals
    body = issue_body(report, wanted.site_fixes)
    assert body.startswith(MARKER + "\n")
    assert "- **audit-before-consent** in before-consent on / and 1 more: Google Analytics cookie '\\_ga'" in body
    assert "on /a\\*b/" in body  # escaped for Markdown: a page name cannot format the issue


# --- in the browser ---------------------------------------------------------------------------------------


def _estate_site(tmp_path: Path) -> Path:
    """Seven pages: the gtag snippet before consent on the start page and on p2 and p5, none on the others."""
    source = AUDIT_SITES / "ga-before-consent" / "pages"
    site = tmp_path / "site"
    shutil.copytree(source, site)
    for n in range(1, 6):
        page = source / ("index.html" if n in (2, 5) else "about/index.html")
        (site / f"p{n}").mkdir()
        shutil.copy2(page, site / f"p{n}" / "index.html")
    return site


@pytest.mark.browser
def test_jobs_shards_and_a_resumed_state_give_the_report_of_one_run(browser: Any, tmp_path: Path) -> None:
    site = _estate_site(tmp_path)
    policy = load_policy(AUDIT_SITES / "ga-before-consent" / "policy_data")
    common: dict[str, Any] = {"scenarios": ["before-consent"], "banner": BANNER,
                              "standins": load_standins(STANDINS)}
    whole = audit_estate(site, policy, browser=browser, jobs=1, state=tmp_path / "whole.jsonl", **common)
    assert whole.pages == ["/", "/about/", "/p1/", "/p2/", "/p3/", "/p4/", "/p5/"]
    gated = [f for f in whole.findings if f.rule is AuditRule.BEFORE_CONSENT]
    assert {f.item for f in gated} == {"_ga", "_ga_FIXTURE1", "www.googletagmanager.com/gtag/js"}
    assert {(f.page, f.pages_count, f.other_pages) for f in gated} == {("/", 3, ("/p2/", "/p5/"))}
    # Interrupted by the budget after 3 pages, then resumed with the same state: the same report.
    state = tmp_path / "state.jsonl"
    first = audit_estate(site, policy, browser=browser, state=state, max_pages=3, **common)
    assert first.pages == ["/", "/about/", "/p1/"] and first.pages_skipped == 4
    assert len(state.read_text(encoding="utf-8").splitlines()) == 1 + 3
    visited: list[str] = []
    resumed = audit_estate(site, policy, browser=browser, state=state, progress=lambda s, p, d, t: visited.append(p),
                           **common)
    assert visited == ["/p2/", "/p3/", "/p4/", "/p5/"]  # what the state had was not visited again
    assert without_timings(resumed) == without_timings(whole)
    # Two shards, merged, and two jobs: the same report again.
    shards = [audit_estate(site, policy, browser=browser, shard=Shard(k, 2), **common) for k in (1, 2)]
    assert set(shards[0].pages).isdisjoint(shards[1].pages)
    assert without_timings(merge_reports(shards)) == without_timings(whole)
    two = audit_estate(site, policy, browser=browser, jobs=2, **common)  # a second Chromium in a thread of its own
    assert without_timings(two) == without_timings(whole)


def test_a_state_of_another_audit_is_not_resumed(tmp_path: Path, cli) -> None:  # noqa: F811
    state = tmp_path / "state.jsonl"
    state.write_text('{"policypress_audit_state": 1, "audit": "0123456789abcdef"}\n', encoding="utf-8")
    site = AUDIT_SITES / "compliant"
    code, _, err = cli("audit", str(site / "pages"), "--data", str(site / "policy_data"), "--state", str(state),
                       *BANNER_ARGS)
    assert code == 2 and "recorded for another audit" in err


@pytest.mark.browser
def test_an_undeclared_cookie_is_proposed_into_the_draft(tmp_path: Path, cli, cli_browser) -> None:  # noqa: F811
    fixture = AUDIT_SITES / "undeclared-cookie"
    data = tmp_path / "policy_data"
    shutil.copytree(fixture / "policy_data", data)
    code, _, err = cli("release", "1.0", "--data", str(data), "--effective", "2026-01-01", "--class", "material",
                       "--summary-en", "First version", "--summary-sv", "Första versionen")
    assert code == 0, err
    before = (data / "cookies.yaml").read_text(encoding="utf-8")
    report = tmp_path / "audit.json"
    code, out, err = cli_browser("audit", fixture / "pages", "--data", data, "--scenario", "accept-all",
                                 "--urls", _urls(tmp_path, "/"), "--format", "json", *BANNER_ARGS)
    assert code == 1, err
    report.write_text(out, encoding="utf-8")
    assert [(f.rule, f.item) for f in read_report(report).findings] == [(AuditRule.UNDECLARED, "_ga_FIXTURE1")]

    code, body, err = cli("report", "propose", str(report), "--data", str(data), "--issue", str(tmp_path / "i.md"))
    assert code == 1, err
    after = (data / "cookies.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n") + "\n\n")  # every line and comment of the file kept
    entry = after[len(before.rstrip("\n")):]
    assert '  "_ga_*":\n    provider: google\n' in entry
    assert "    category: analytics\n" in entry and "    consent_required: true\n" in entry
    assert "    status: {category: proposed, duration: proposed, purpose: proposed}\n" in entry
    assert "TODO(review): proposed from the browser audit" in entry
    # The PR body: what was proposed, and the legal diff from the release in effect.
    assert "- `\\_ga\\_\\*` (cookie, Google Analytics" in body
    assert "# Privacy policy: changes from 1.0 to draft" in body and "| Cookie `_ga_*` | Added |" in body
    assert "Nothing to fix in the latest run" in (tmp_path / "i.md").read_text(encoding="utf-8")

    code, out, err = cli("check", "--data", str(data))
    assert code == 0, err
    code, out, err = cli("lint", "draft", "--data", str(data), "--format", "json")
    proposed = [f for f in json.loads(out)["findings"] if f["rule"] == "needs-confirmation"]
    assert {f["path"] for f in proposed if "_ga_*" in f["path"]} >= {
        "cookies._ga_*.status.category", "cookies._ga_*.status.duration", "cookies._ga_*.status.purpose",
    }
    # The draft with proposed facts cannot be released until the data owner confirms them.
    code, _, err = cli("release", "1.1", "--data", str(data), "--effective", "2026-06-01", "--class", "material",
                       "--summary-en", "Analytics", "--summary-sv", "Statistik")
    assert code != 0 and "cookies._ga_*.purpose: proposed" in err


def _urls(tmp_path: Path, *pages: str) -> Path:
    listing = tmp_path / "urls.txt"
    listing.write_text("".join(f"{page}\n" for page in pages), encoding="utf-8")
    return listing


def test_a_comparison_of_runs_leaves_out_only_what_changes_between_them() -> None:
    report = _part("/", _finding("/"))
    later = dataclasses.replace(report, seconds=9.0, base_url="http://127.0.0.1:2/")
    assert without_timings(later) == without_timings(report)
    other = dataclasses.replace(report, findings=[_finding("/", "gpc")])
    assert without_timings(other) != without_timings(report)
