"""How long the browser audit takes: seconds per page in each scenario, on a generated site.

Generates a site of N pages (default 20) in a temporary folder: text, navigation, the hand-written
consent banner of the audit fixtures (Google Analytics after Accept, answered by the GA stand-in),
and on some pages a YouTube player (a stand-in too) or a site script that keeps a preference. Then
runs `audit_site` with all five scenarios in Debian's Chromium and prints, per scenario, the page
visits, the seconds and the seconds per page, and the whole run's seconds per page and scenario.
Nothing leaves the machine. Run from the repository:
    .venv/bin/python bench/audit_bench.py [--pages 20] [--site DIR --data DIR]
With --site, the given folder (such as a built site/) is audited instead, with Material's banner.

With --peers (after `make bench-tools`), the same pages are visited in the same run by our audit (five
scenarios of a page) and by two peers, one visit or scan each: consentcrawl (PyPI, in its own venv
bench/.peers-venv) and @slashgear/gdpr-cookie-scanner (npm, locked in tools/peers/). The pages: each of
the real-world corpus (tests/fixtures/realworld/<page>/) and the start page of the generated site, all
served on 127.0.0.1. Printed: each tool's seconds per page, ours/consentcrawl and ours/gdpr-scan, and what
each found, side by side. The peers' browsers resolve no host but this machine (see tools/peers/), so what
they ask of other hosts fails; the hosts they tried are printed.
    .venv/bin/python bench/audit_bench.py --peers [--page SLUG ...] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from policypress.audit import ALL, MATERIAL, AuditReport, audit_site, custom_banner, load_standins
from policypress.audit.browser import launched
from policypress.audit.parallel import check_jobs, warm_helpers
from policypress.audit.target import serve_folder
from policypress.errors import PolicyPressError
from policypress.loader import load_policy

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "audit-sites" / "compliant"
STANDINS = ROOT / "tests" / "fixtures" / "standins"
CORPUS = ROOT / "tests" / "fixtures" / "realworld"
PEERS_PYTHON = ROOT / "bench" / ".peers-venv" / "bin" / "python"
PEERS = ROOT / "tools" / "peers"
GDPR_SCAN = PEERS / "node_modules" / ".bin" / "gdpr-scan"
# What tools/peers/chromium-offline adds to Chromium's switches, for consentcrawl's browser too.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost"
# consentcrawl's one visit, as measured before: our Chromium, no blocklists (they download at run time),
# no screenshot, its wait of 3 s; the browser is launched once and not timed (ours too). One JSON line per URL.
CONSENTCRAWL = """
import asyncio, json, sys, time
from playwright.async_api import async_playwright
from consentcrawl.crawl import crawl_url

async def main(urls):
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", sys.argv[1]])
        for url in urls:
            started = time.perf_counter()
            out = await crawl_url(url=url, browser=browser, tracking_domains_list=[], screenshot=False,
                                  wait_for_timeout=3000)
            keep = ("status", "status_msg", "consent_manager", "cookies_all", "third_party_domains_all")
            result = {k: out.get(k) for k in keep}
            result["seconds"] = time.perf_counter() - started
            print(json.dumps(result, default=str), flush=True)
        await browser.close()

asyncio.run(main(sys.argv[2:]))
"""

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} - CMT Konsult AB</title>
  <style>body {{ font-family: sans-serif; max-width: 50rem; margin: auto; }}</style>
</head>
<body>
  <header><a href="/">CMT Konsult</a> {nav}</header>
  <main>
    <h1>{title}</h1>
{paragraphs}
{extra}
  </main>
  <div id="cookie-banner" role="dialog" aria-label="Cookies" hidden>
    <p>We would like to count visits with Google Analytics. Nothing is stored for that until you accept.</p>
    <button type="button" id="cookie-accept">Accept all</button>
    <button type="button" id="cookie-reject">Reject all</button>
  </div>
  <footer><button type="button" id="cookie-settings">Cookie settings</button></footer>
  <script src="/banner.js"></script>
</body>
</html>
"""
PLAYER = '    <iframe src="https://www.youtube.com/embed/bench{n}" title="Video" data-n="{n}"></iframe>'
PREFERENCE = '    <script>try { sessionStorage.setItem("cmt-last-page", location.pathname); } catch (e) {}</script>'


def generate(folder: Path, pages: int) -> None:
    shutil.copy2(FIXTURE / "pages" / "banner.js", folder / "banner.js")
    names = ["index.html"] + [f"page-{n:03d}/index.html" for n in range(1, pages)]
    nav = " ".join(f'<a href="/page-{n:03d}/">Page {n}</a>' for n in range(1, min(pages, 8)))
    text = "<p>" + "We help companies with their IT systems, from planning to operation. " * 12 + "</p>"
    for n, name in enumerate(names):
        extra = [PLAYER.format(n=n)] if n % 5 == 4 else []
        if n % 3 == 2:
            extra.append(PREFERENCE)
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            PAGE.format(title=f"Page {n}" if n else "CMT Konsult AB", nav=nav, paragraphs="\n".join([text] * 4),
                        extra="\n".join(extra)),
            encoding="utf-8",
        )


def _ours(url: str, policy: Any, banner: Any, standins: Any, jobs: int, browser: Any) -> tuple[float, dict[str, Any]]:
    """Our five scenarios of one page on ``jobs`` browsers launched before (as consentcrawl's: not timed)."""
    started = time.perf_counter()
    try:
        report: AuditReport = audit_site(url, policy, scenarios=ALL, pages=[""], banner=banner, standins=standins,
                                         jobs=jobs, browser=browser)
    except PolicyPressError as exc:
        return time.perf_counter() - started, {"error": str(exc)}
    seconds = time.perf_counter() - started
    cookies = sorted({c.name for s in report.scenarios for c in s.cookies})
    hosts = sorted({urlsplit(r.url).hostname or "?" for s in report.scenarios for r in s.requests})
    vendors = sorted({str(f.vendor_name or f.vendor) for f in report.findings if f.vendor_name or f.vendor})
    banner_notes = sorted({n.split(":")[0] for s in report.scenarios for n in s.notes if "banner answered" in n})
    return seconds, {"cookies": cookies, "hosts": hosts, "vendors": vendors, "banner": banner_notes,
                     "findings": f"{len(report.errors)} errors, {len(report.warnings)} warnings",
                     "timing": report.timing}


def _consentcrawl(urls: list[str]) -> list[tuple[float, dict[str, Any]]]:
    done = subprocess.run([str(PEERS_PYTHON), "-c", CONSENTCRAWL, OFFLINE, *urls], capture_output=True, text=True,
                          timeout=120 + 30 * len(urls), check=False)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if len(lines) != len(urls):
        sys.exit(f"consentcrawl gave {len(lines)} results for {len(urls)} pages: {done.stderr.strip()[-500:]}")
    results = []
    for out in lines:
        manager = out.get("consent_manager") or {}
        results.append((float(out["seconds"]), {
            "cookies": sorted({c["name"] for c in out.get("cookies_all") or ()}),
            "hosts": sorted(set(out.get("third_party_domains_all") or ()) - {"127.0.0.1"}),
            "banner": [manager.get("name") or manager.get("status") or "none"] if manager else ["none"],
            "status": out.get("status"),
        }))
    return results


def _gdpr_scan(url: str, out: Path) -> tuple[float, dict[str, Any]]:
    env = dict(os.environ, PLAYWRIGHT_BROWSERS_PATH=str(PEERS / "browsers"))
    started = time.perf_counter()
    done = subprocess.run([str(GDPR_SCAN), "scan", url, "-f", "json", "-o", str(out)], capture_output=True,
                          text=True, env=env, timeout=180, check=False)
    seconds = time.perf_counter() - started
    reports = sorted(out.rglob("*.json"))
    if not reports:
        return seconds, {"error": (done.stderr or done.stdout).strip()[-300:]}
    data = json.loads(reports[-1].read_text(encoding="utf-8"))
    cookies = {c.get("name") for key in ("cookiesBeforeInteraction", "cookiesAfterAccept", "cookiesAfterReject")
               for c in data.get(key) or ()}
    requests = [r for key in ("networkBeforeInteraction", "networkAfterAccept", "networkAfterReject")
                for r in data.get(key) or ()]
    modal = data.get("modal") or {}
    return seconds, {
        "cookies": sorted(c for c in cookies if c),
        "hosts": sorted({urlsplit(r.get("url", "")).hostname or "?" for r in requests if r.get("isThirdParty")}),
        "vendors": sorted({r["trackerName"] for r in requests if r.get("trackerName")}),
        "banner": [modal.get("selector") or "detected"] if modal.get("detected") else ["none"],
        "findings": f"grade {(data.get('compliance') or {}).get('grade', '?')}",
    }


def _side_by_side(name: str, found: dict[str, dict[str, Any]]) -> None:
    print(f"  {name}")
    for tool, what in found.items():
        if "error" in what:
            print(f"    {tool:<13} error: {what['error'][:200]}")
            continue
        parts = [f"{key}: {', '.join(what[key]) or '-'}" for key in ("banner", "cookies", "vendors", "hosts")
                 if key in what]
        if "findings" in what:
            parts.append(what["findings"])
        print(f"    {tool:<13} " + "; ".join(parts))


def peers(only: list[str], jobs: int | None) -> None:
    """Ours, consentcrawl and gdpr-scan on the same pages in one run; seconds per page and findings."""
    missing = [str(p) for p in (PEERS_PYTHON, GDPR_SCAN, PEERS / "browsers") if not p.exists()]
    if missing:
        sys.exit(f"the peers are not installed ({', '.join(missing)}): run `make bench-tools`")
    slugs = sorted(p.name for p in CORPUS.iterdir() if (p / "index.html").is_file())
    slugs = [s for s in slugs if not only or s in only]
    corpus_policy = load_policy(CORPUS / "policy_data")
    with tempfile.TemporaryDirectory() as tmp, serve_folder(CORPUS) as corpus_url:
        generated = Path(tmp) / "site"
        generated.mkdir()
        generate(generated, 1)
        with serve_folder(generated) as generated_url:
            pages: list[tuple[str, str, Any, Any, Any]] = [
                (slug, f"{corpus_url}{slug}/", corpus_policy, MATERIAL, None) for slug in slugs]
            if not only or "generated" in only:
                pages.append(("generated", generated_url, load_policy(FIXTURE / "policy_data"),
                              custom_banner("#cookie-accept", "#cookie-reject", "#cookie-settings"),
                              load_standins(STANDINS)))
            jobs = check_jobs(jobs)
            # Like consentcrawl's run below: the browsers are launched once, before the clock starts.
            with launched() as browser, warm_helpers(jobs - 1):
                ours = [_ours(url, policy, banner, answers, jobs, browser) for _, url, policy, banner, answers in pages]
            crawled = _consentcrawl([url for _, url, *_ in pages])
            scanned = [_gdpr_scan(url, Path(tmp) / f"gdpr-{n}") for n, (_, url, *_) in enumerate(pages)]
    print(f"{'page':<32}{'ours (5 sc.)':>13}{'consentcrawl':>13}{'gdpr-scan':>11}{'ours/cc':>9}{'ours/gs':>9}")
    for (name, *_), (o, _), (c, _), (g, _) in zip(pages, ours, crawled, scanned):
        print(f"{name:<32}{o:>13.2f}{c:>13.2f}{g:>11.2f}{o / c:>9.2f}{o / g:>9.2f}")
    total = [sum(t for t, _ in column) / len(pages) for column in (ours, crawled, scanned)]
    print(f"{'seconds per page':<32}{total[0]:>13.2f}{total[1]:>13.2f}{total[2]:>11.2f}"
          f"{total[0] / total[1]:>9.2f}{total[0] / total[2]:>9.2f}")
    verdict = "met" if total[0] <= total[1] and total[0] <= total[2] else "NOT met"
    print(f"target: five scenarios of ours <= one visit of a peer (ratio <= 1.0): {verdict}")
    waits = sum(found.get("timing", {}).get("banner_waits", 0) for _, found in ours)
    quiet = sum(found.get("timing", {}).get("quiet_seconds", 0.0) for _, found in ours)
    print(f"ours: {waits} first looks for a banner in {len(pages)} audits; {quiet:.1f} s in quiet windows "
          f"(all scenarios, all pages)")
    print("\nfindings side by side (hosts: what each tool asked of other hosts; none of it left the machine)")
    for (name, *_), (_, ours_found), (_, cc_found), (_, gs_found) in zip(pages, ours, crawled, scanned):
        _side_by_side(name, {"ours": ours_found, "consentcrawl": cc_found, "gdpr-scan": gs_found})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20, help="pages of the generated site (default 20)")
    parser.add_argument("--site", type=Path, help="audit this folder instead of a generated site")
    parser.add_argument("--data", type=Path, default=ROOT / "policy_data", help="the declarations for --site")
    parser.add_argument("--jobs", type=int, help="browsers at once for our scenarios (default: the CPUs, at most 5)")
    parser.add_argument("--peers", action="store_true", help="compare with consentcrawl and gdpr-cookie-scanner")
    parser.add_argument("--page", dest="only", action="append", default=[], metavar="SLUG",
                        help="with --peers: only this page of the corpus (repeatable; 'generated' for ours)")
    args = parser.parse_args()
    if args.peers:
        peers(args.only, args.jobs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        if args.site is not None:
            site, policy, banner = args.site, load_policy(args.data), MATERIAL
        else:
            site = Path(tmp) / "site"
            site.mkdir()
            generate(site, args.pages)
            policy = load_policy(FIXTURE / "policy_data")
            banner = custom_banner("#cookie-accept", "#cookie-reject", "#cookie-settings")
        started = time.perf_counter()
        report = audit_site(site, policy, scenarios=ALL, banner=banner, standins=load_standins(STANDINS),
                            max_pages=10_000, jobs=args.jobs)
        total = time.perf_counter() - started
    pages = len(report.pages)
    print(f"audit of {pages} pages, {len(report.scenarios)} scenarios: {total:.1f} s in all "
          f"(findings: {len(report.errors)} errors, {len(report.warnings)} warnings)")
    print(f"{'scenario':<22}{'visits':>7}{'seconds':>9}{'s/page':>8}{'s/visit':>9}")
    for scenario in report.scenarios:
        print(f"{scenario.scenario:<22}{scenario.pages_visited:>7}{scenario.seconds:>9.1f}"
              f"{scenario.seconds / pages:>8.2f}{scenario.seconds / max(1, scenario.pages_visited):>9.2f}")
    in_scenarios = sum(s.seconds for s in report.scenarios)
    print(f"seconds per page and scenario: {in_scenarios / (pages * len(report.scenarios)):.2f} "
          f"(start-up and checks: {total - in_scenarios:.1f} s; scenarios on {report.timing.get('jobs')} browsers)")
    print(f"waits: {report.timing.get('settles')} settles, {report.timing.get('quiet_seconds')} s in quiet windows, "
          f"{report.timing.get('banner_waits')} first look(s) for a banner")


if __name__ == "__main__":
    main()
