"""How fast `policypress scan` is, against only reading and parsing the same pages with the same parser.

Generates a site of N pages (default 10,000) in a temporary folder, each with text, navigation and a
mix of trackers (gated and not), forms, embeds and the site's own scripts; then times
- bare parse: read every page and feed it to the standard library's HTMLParser with no handlers;
- scan: `scan_site` on the same folder against policy_data/ (parse, match, compare, findings).
Prints pages per second for both and their ratio (target: scan at most 2x the bare parse).
Run from the repository:
    .venv/bin/python bench/scan_bench.py [--pages 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

from policypress.loader import load_policy
from policypress.scan import scan_site
from policypress.scan.folder import html_pages

ROOT = Path(__file__).resolve().parent.parent

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
    for _ in range(rng.randint(8, 14)):
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


def bare_parse(folder: Path) -> int:
    count = 0
    for path in html_pages(folder):
        parser = HTMLParser(convert_charrefs=True)
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        parser.close()
        count += 1
    return count


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--pages", type=int, default=10_000)
    args.add_argument("--runs", type=int, default=3)
    options = args.parse_args()
    policy = load_policy(ROOT / "policy_data")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        generate(site, options.pages)
        size = sum(p.stat().st_size for p in html_pages(site))
        print(f"generated {options.pages} pages ({size / 1e6:.1f} MB of HTML) in a temporary folder")
        bare_parse(site)  # warm the file cache for both
        parse_times: list[float] = []
        scan_times: list[float] = []
        for _ in range(options.runs):
            start = time.perf_counter()
            bare_parse(site)
            parse_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            report = scan_site(site, policy)
            scan_times.append(time.perf_counter() - start)
    parse_s, scan_s = statistics.median(parse_times), statistics.median(scan_times)
    print(f"bare parse (read + HTMLParser): {parse_s:6.2f} s  {options.pages / parse_s:8.0f} pages/s")
    print(f"policypress scan:               {scan_s:6.2f} s  {options.pages / scan_s:8.0f} pages/s")
    print(f"ratio scan / bare parse:        {scan_s / parse_s:6.2f}x  (target: at most 2x)")
    errors, warnings = len(report.errors), len(report.warnings)
    print(f"findings: {errors} errors, {warnings} warnings; vendors seen (pages): {report.vendors_seen}")


if __name__ == "__main__":
    main()
