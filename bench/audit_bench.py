"""How long the browser audit takes: seconds per page in each scenario, on a generated site.

Generates a site of N pages (default 20) in a temporary folder: text, navigation, the hand-written
consent banner of the audit fixtures (Google Analytics after Accept, answered by the GA stand-in),
and on some pages a YouTube player (a stand-in too) or a site script that keeps a preference. Then
runs `audit_site` with all five scenarios in Debian's Chromium and prints, per scenario, the page
visits, the seconds and the seconds per page, and the whole run's seconds per page and scenario.
Nothing leaves the machine. Run from the repository:
    .venv/bin/python bench/audit_bench.py [--pages 20] [--site DIR --data DIR]
With --site, the given folder (such as a built site/) is audited instead, with Material's banner.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from policypress.audit import ALL, MATERIAL, audit_site, custom_banner, load_standins
from policypress.loader import load_policy

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "audit-sites" / "compliant"
STANDINS = ROOT / "tests" / "fixtures" / "standins"

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20, help="pages of the generated site (default 20)")
    parser.add_argument("--site", type=Path, help="audit this folder instead of a generated site")
    parser.add_argument("--data", type=Path, default=ROOT / "policy_data", help="the declarations for --site")
    args = parser.parse_args()
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
                            max_pages=10_000)
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
          f"(start-up and checks: {total - in_scenarios:.1f} s)")


if __name__ == "__main__":
    main()
