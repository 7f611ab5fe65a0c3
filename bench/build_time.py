"""What policypress costs over plain MkDocs: `mkdocs build` of this project against a plain
Material build of the same rendered pages.

The plain project gets, for every page our build writes, that page's rendered body (the
HTML inside Material's <article>) as a Markdown page at the same path, the same theme
and Markdown settings, and no policypress: the same number of pages with the same text,
so the ratio is what our data loading, checks, rendering and scan add. Prints the
median of --runs builds of each (the machine may be busy: medians, and say so).

Python keeps compiled modules (bytecode) beside an installed package; with
PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images set it), an editable install's
modules are compiled again by every build, about 0.3 s of CPU for ours, which MkDocs' and
Material's (compiled when pip installed them) never pay. By default the builds here keep
bytecode in a temporary folder (PYTHONPYCACHEPREFIX), as an ordinary install does;
--no-bytecode measures with the environment as it is. Run:
    .venv/bin/python bench/build_time.py [--runs 5] [--no-bytecode]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.DOTALL)


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of the command; on a shared machine the
    CPU time is the steadier of the two."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def plain_config() -> dict[str, object]:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # !ENV tags need MkDocs' loader; the plain build has no analytics anyway.
    config = re.sub(r"!ENV \[POLICYPRESS_GA_PROPERTY, \"\"\]", '""', config)
    config = re.sub(r"!ENV \[POLICYPRESS_SITE_URL, null\]", "null", config)
    data = yaml.safe_load(config)
    for key in ("hooks", "watch", "strict", "validation", "exclude_docs", "nav"):
        data.pop(key, None)
    data["extra"] = {"generator": False}
    return data


def plain_project(built: Path, target: Path) -> int:
    """Every page of ``built`` as a docs/ page of a plain project; returns the page count."""
    docs = target / "docs"
    pages = 0
    # The pages our build left out of the search index (a release's, a "what changed" page) are left out
    # of the plain build's too: the same pages with the same search.
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    searched = {doc["location"].split("#", 1)[0] for doc in index["docs"]}
    for page in sorted(built.rglob("index.html")):
        if page.parent.name in ("search", "assets") or "404" in page.parts:
            continue
        match = ARTICLE.search(page.read_text(encoding="utf-8"))
        if match is None:
            continue
        relative = page.parent.relative_to(built)
        source = docs / ("index.md" if relative == Path(".") else relative.with_suffix(".md"))
        source.parent.mkdir(parents=True, exist_ok=True)
        # A blank line around the HTML keeps Markdown from touching it: the text is the same.
        location = "" if relative == Path(".") else f"{relative.as_posix()}/"
        meta = "" if location in searched else "---\nsearch:\n  exclude: true\n---\n"
        source.write_text(f"{meta}\n{match.group(1)}\n", encoding="utf-8")
        pages += 1
    (target / "mkdocs.yml").write_text(yaml.safe_dump(plain_config()), encoding="utf-8")
    return pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE as it is")
    args = parser.parse_args()
    mkdocs = str(BIN / "mkdocs")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        bytecode = "as the environment has it"
        if not args.no_bytecode:
            ENV.pop("PYTHONDONTWRITEBYTECODE", None)
            ENV["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")  # filled by the first build below
            bytecode = "kept between builds (PYTHONPYCACHEPREFIX)"
        subprocess.run([mkdocs, "build", "-q", "-d", str(tmp_path / "ours")], cwd=ROOT, env=ENV, check=True)
        ours_pages = sum(1 for p in (tmp_path / "ours").rglob("index.html") if ARTICLE.search(p.read_text("utf-8")))
        pages = plain_project(tmp_path / "ours", tmp_path / "plain")
        ours, base, make = [], [], []
        for _ in range(args.runs):  # interleaved, so that a busy moment hits both alike
            ours.append(timed([mkdocs, "build", "-q", "-d", str(tmp_path / "a")], ROOT))
            base.append(timed([mkdocs, "build", "-q", "-d", str(tmp_path / "b")], tmp_path / "plain"))
            make.append(timed(["make", "-s", "-o", str(BIN.parent / ".installed"), "site", f"VENV={BIN.parent}"], ROOT))
    for label, column in (("wall clock", 0), ("CPU time", 1)):
        ours_s, base_s, make_s = (statistics.median(run[column] for run in runs) for runs in (ours, base, make))
        print(f"{label}:")
        print(f"  plain mkdocs build (same {pages} rendered pages, no policypress): {base_s:.3f} s")
        print(f"  mkdocs build with policypress ({ours_pages} pages):             {ours_s:.3f} s  ({ours_s / base_s:.2f}x plain)")
        print(f"  make site (build + atomic swap):                              {make_s:.3f} s  ({make_s / base_s:.2f}x plain)")
    print(f"median of {args.runs} runs each, bytecode {bytecode}, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
