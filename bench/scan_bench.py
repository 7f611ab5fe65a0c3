"""How fast `policypress scan` is, against the bare parse of the same pages with the same parser and processes.

Generates a site of N pages of about 10 KB (default 10,000) in a temporary folder, each with text,
navigation and a mix of trackers (gated and not), forms, embeds and the site's own scripts; then times
- bare parse: read and decode every page and build its tree with lxml (the scan's parser), with the
  same number of processes, chunks and pool as the scan;
- scan: `scan_site` on the same folder against policy_data/ (parse, match, compare, findings);
- the standard library's HTMLParser (the scan's parser before lxml), in one process, for comparison;
- with `make bench-tools` done, the same bare parse with lexbor (selectolax, in bench/.peers-venv), the
  other fast parser the scan could use (bench/lexbor_parse.py).
Prints pages per second, the ratio scan / bare parse (target: at least 0.50) and the scan's pages per
second (target: at least 10,000 on 2 cores); then the peak RSS of a scan of 2,000 and of 20,000 pages,
each in a fresh process (flat: the scan folds results as they arrive and keeps no trees).
Run from the repository:
    .venv/bin/python bench/scan_bench.py [--pages 10000] [--runs 3] [--jobs N] [--no-rss] [--small]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

from policypress.loader import load_policy
from policypress.scan import pool, scan_site
from policypress.scan.folder import html_pages
from policypress.scan.parse import tree
from policypress.scan.reading import decode_html

ROOT = Path(__file__).resolve().parent.parent
PEERS_PYTHON = ROOT / "bench" / ".peers-venv" / "bin" / "python"

HEAD = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>{title} - CMT Konsult AB</title>
  <link rel="stylesheet" href="{up}assets/site.css">
  <link rel="icon" href="{up}assets/favicon.png">
  <script src="https://cdn.jsdelivr.net/npm/vanilla-cookieconsent@3.0.1/dist/cookieconsent.umd.js"></script>
  <script src="{up}assets/site.js" defer></script>
{trackers}
</head>
<body>
"""

TRACKERS = [
    # Google Analytics held back by the consent banner.
    """  <script type="text/plain" data-category="analytics" async src="https://www.googletagmanager.com/gtag/js?id=G-BENCH0001"></script>
  <script type="text/plain" data-category="analytics">
    window.dataLayer = window.dataLayer || [];
    function gtag(){{dataLayer.push(arguments);}}
    gtag('js', new Date());
    gtag('config', 'G-BENCH0001');
  </script>""",
    # Google Analytics pasted without consent.
    """  <script async src="https://www.googletagmanager.com/gtag/js?id=G-BENCH0001"></script>
  <script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());gtag('config','G-BENCH0001');</script>""",
    # Hotjar snippet.
    """  <script>(function(h,o,t,j,a,r){{h.hj=h.hj||function(){{(h.hj.q=h.hj.q||[]).push(arguments)}};h._hjSettings={{hjid:{n},hjsv:6}};a=o.getElementsByTagName('head')[0];r=o.createElement('script');r.async=1;r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;a.appendChild(r);}})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');</script>""",
    # Meta Pixel with its noscript image.
    """  <script type="text/plain" data-category="marketing">!function(f,b,e,v,n,t,s){{if(f.fbq)return;n=f.fbq=function(){{}};t=b.createElement(e);t.async=!0;t.src=v;s=b.getElementsByTagName(e)[0];s.parentNode.insertBefore(t,s)}}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');fbq('init','{n}');fbq('track','PageView');</script>
  <noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id={n}&ev=PageView&noscript=1"/></noscript>""",
    # Google Fonts.
    """  <link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
  <link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter:wght@400;700&display=swap">""",
    "",
]

EMBEDS = [
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/vid{n}" allowfullscreen></iframe>',
    '<iframe data-service="youtube" data-category="marketing" data-src="https://www.youtube-nocookie.com/embed/vid{n}"></iframe>',
    """<div class="umbraco-forms-form contactform"><form action="/contact/" method="post">
      <input name="__RequestVerificationToken" type="hidden" value="CfDJ8Bench{n}abcdefghijklmnopqrstuvwxyz0123456789" />
      <label for="e{n}">E-mail</label><input type="email" name="email" id="e{n}"><input type="submit" value="Send"></form></div>""",
    """<form action="https://cmt.us21.list-manage.com/subscribe/post?u=abc&amp;id={n}" method="post">
      <input type="email" name="EMAIL"><input type="submit" value="Subscribe"></form>""",
    "",
    "",
]

WORDS = (
    "consulting integration systems customer privacy cloud migration support delivery quality "
    "stockholm project report service data security design review planning team result"
).split()


def paragraph(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))
    return f'<p>{words.capitalize()} <a href="../page{rng.randint(0, 9999)}/">read more</a> <em>{rng.choice(WORDS)}</em>.</p>'


def page_html(n: int, rng: random.Random, up: str) -> str:
    trackers = TRACKERS[n % len(TRACKERS)].format(n=n)
    parts = [HEAD.format(title=f"Page {n}", up=up, trackers=trackers)]
    parts.append('  <header class="top"><nav><ul>')
    parts.extend(f'<li><a href="{up}section{i}/">Section {i}</a></li>' for i in range(12))
    parts.append("</ul></nav></header>\n  <main>")
    parts.append(f"<h1>Page {n}</h1>")
    for _ in range(rng.randint(10, 18)):
        parts.append(paragraph(rng))
    parts.append("<table><tr><th>Item</th><th>Value</th></tr>")
    parts.extend(f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 999)}</td></tr>" for _ in range(10))
    parts.append("</table>")
    parts.append(EMBEDS[n % len(EMBEDS)].format(n=n))
    if n % 10 == 0:
        parts.append(f'<script>sessionStorage.setItem("cmt-step", "{n}");</script>')
    parts.append('</main>\n  <footer><p>© CMT Konsult AB</p></footer>\n  <script>CookieConsent.run({});</script>\n</body>\n</html>\n')
    return "\n".join(parts)


def generate(folder: Path, pages: int) -> None:
    rng = random.Random(5)
    (folder / "assets").mkdir(parents=True)
    (folder / "assets" / "site.js").write_text(
        'function size(s){localStorage.setItem("cmt-font-size", s);}\n', encoding="utf-8"
    )
    (folder / "assets" / "site.css").write_text("body{font-family:system-ui}\n", encoding="utf-8")
    for n in range(pages):
        page_dir = folder / f"section{n % 50}" / f"page{n}"
        page_dir.mkdir(parents=True)
        (page_dir / "index.html").write_text(page_html(n, rng, "../../"), encoding="utf-8")


def _parse_chunk(paths: list[str]) -> int:
    for path in paths:
        tree(decode_html(Path(path).read_bytes()))
    return len(paths)


def bare_parse(folder: Path, jobs: int) -> int:
    """The parser's limit: read, decode, build the tree; nothing else. Same pool and chunks as the scan."""
    paths = [str(p) for p in html_pages(folder)]
    if jobs <= 1:
        return _parse_chunk(paths)
    chunks = [paths[i : i + pool.CHUNK] for i in range(0, len(paths), pool.CHUNK)]
    with ProcessPoolExecutor(jobs, mp_context=pool._context()) as workers:
        return sum(workers.map(_parse_chunk, chunks))


def stdlib_parse(folder: Path) -> int:
    count = 0
    for path in html_pages(folder):
        parser = HTMLParser(convert_charrefs=True)
        parser.feed(decode_html(path.read_bytes()))
        parser.close()
        count += 1
    return count


def lexbor_parse(folder: Path, jobs: int, runs: int) -> float | None:
    """Median seconds of the bare parse with lexbor, or None without bench/.peers-venv's selectolax."""
    if not PEERS_PYTHON.is_file():
        return None
    done = subprocess.run([str(PEERS_PYTHON), str(ROOT / "bench" / "lexbor_parse.py"), str(folder), "--jobs", str(jobs),
                           "--chunk", str(pool.CHUNK), "--runs", str(runs)], capture_output=True, text=True)
    return float(done.stdout) if done.returncode == 0 else None


def timed(run: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rss_child(pages: int, jobs: int) -> None:
    """In a fresh process: generate, scan, print the peak RSS (this process, and its largest worker) in MB."""
    policy = load_policy(ROOT / "policy_data")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        generate(site, pages)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        scan_site(site, policy, jobs=jobs)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"{before / 1024:.0f} {own / 1024:.0f} {workers / 1024:.0f}")


def small_sites(jobs: int) -> None:
    """Where processes start to pay: the scan of small sites in this process and in a forced pool."""
    policy = load_policy(ROOT / "policy_data")
    threshold = pool.IN_PROCESS_BELOW
    for pages in (50, 100, 200, 400, 800):
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp) / "site"
            generate(site, pages)
            one = timed(lambda: scan_site(site, policy, jobs=1), 3)
            pool.IN_PROCESS_BELOW = 0
            many = timed(lambda: scan_site(site, policy, jobs=jobs), 3)
            pool.IN_PROCESS_BELOW = threshold
        print(f"  {pages:5} pages: 1 process {one * 1000:6.0f} ms, {jobs} processes {many * 1000:6.0f} ms")


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--pages", type=int, default=10_000)
    args.add_argument("--runs", type=int, default=3)
    args.add_argument("--jobs", type=int, default=pool.default_jobs())
    args.add_argument("--no-rss", action="store_true", help="skip the peak RSS runs (2,000 and 20,000 pages)")
    args.add_argument("--small", action="store_true", help="only time small sites, in-process against a pool")
    args.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    options = args.parse_args()
    jobs = options.jobs
    if options.rss_child:
        rss_child(options.rss_child, jobs)
        return
    if options.small:
        small_sites(jobs)
        return
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    policy = load_policy(ROOT / "policy_data")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        generate(site, options.pages)
        size = sum(p.stat().st_size for p in html_pages(site))
        print(f"generated {options.pages} pages ({size / 1e6:.1f} MB of HTML, {size / options.pages / 1024:.1f} KB a page)")
        bare_parse(site, 1)  # warm the file cache
        parse_s = timed(lambda: bare_parse(site, jobs), options.runs)
        scan_s = timed(lambda: scan_site(site, policy, jobs=jobs), options.runs)
        report = scan_site(site, policy, jobs=jobs)
        stdlib_s = timed(lambda: stdlib_parse(site), 1)
        lexbor_s = lexbor_parse(site, jobs, options.runs)
    n = options.pages
    print(f"bare parse (read + lxml tree), {jobs} processes: {parse_s:6.2f} s  {n / parse_s:8.0f} pages/s")
    print(f"policypress scan, {jobs} processes:              {scan_s:6.2f} s  {n / scan_s:8.0f} pages/s"
          f"  (target: at least 10000 on 2 cores)")
    print(f"ratio scan / bare parse (rates):             {parse_s / scan_s:6.2f}   (target: at least 0.50)")
    print(f"old parser (read + stdlib HTMLParser), 1 process: {stdlib_s:6.2f} s  {n / stdlib_s:8.0f} pages/s")
    if lexbor_s is None:
        print("lexbor (selectolax): not measured; `make bench-tools` installs it in bench/.peers-venv")
    else:
        print(f"bare parse (read + lexbor tree, selectolax), {jobs} processes: {lexbor_s:6.2f} s  {n / lexbor_s:8.0f} pages/s"
              f"  ({parse_s / lexbor_s:.2f}x lxml's rate; no source lines, which every finding names)")
    errors, warnings = len(report.errors), len(report.warnings)
    print(f"findings: {errors} errors, {warnings} warnings; vendors seen (pages): {report.vendors_seen}")
    if not options.no_rss:
        for pages in (2_000, 20_000):
            out = subprocess.run([sys.executable, __file__, "--rss-child", str(pages), "--jobs", str(jobs)],
                                 check=True, capture_output=True, text=True).stdout.split()
            print(f"peak RSS, scan of {pages:6} pages: {out[1]} MB (before the scan: {out[0]} MB), "
                  f"largest worker {out[2]} MB")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
