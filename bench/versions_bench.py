"""Build time against the number of releases: 1, 10 and 50 synthetic releases.

Each synthetic release changes one sentence and one cookie duration of the draft,
so every "what changed" page has real prose and fact changes to render. Prints
the build time for each count relative to one release; linear growth means the
time per release stays flat. Run: .venv/bin/python bench/versions_bench.py
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from policypress.i18n import Text
from policypress.release import create_release
from policypress.versions import ReleaseClass

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COUNTS = (1, 10, 50)


def make_project(target: Path, releases: int) -> Path:
    target.mkdir(parents=True)
    for part in ("mkdocs.yml", "docs", "hooks"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    data = target / "policy_data"
    shutil.copytree(ROOT / "policy_data", data, ignore=shutil.ignore_patterns("releases"))
    sections = data / "sections.yaml"
    cookies = data / "cookies.yaml"
    base_sections, base_cookies = sections.read_text(encoding="utf-8"), cookies.read_text(encoding="utf-8")
    start = dt.date(2020, 1, 1)
    for n in range(1, releases + 1):
        marker = f"Our product is hosted in a datacenter near Stockholm in Sweden (revision {n})."
        sections.write_text(
            base_sections.replace("Our product is hosted in a datacenter near Stockholm in Sweden.", marker),
            encoding="utf-8",
        )
        cookies.write_text(base_cookies.replace("duration: P2Y", f"duration: P{n}M", 1), encoding="utf-8")
        create_release(
            data, f"{n}.0", start + dt.timedelta(days=7 * n), ReleaseClass.MATERIAL,
            Text(en=f"Synthetic release {n}", sv=f"Syntetisk version {n}"),
        )
    return target


def build_seconds(project: Path, runs: int = 3) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICY_DATE": "2030-01-01"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-d", str(project / "site")], cwd=project, env=env, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in COUNTS:
            project = make_project(Path(tmp) / f"p{count}", count)
            results[count] = build_seconds(project)
            pages = sum(1 for _ in (project / "site").rglob("index.html"))
            print(f"{count:>3} releases: {results[count]:6.2f} s  {pages:4d} pages  "
                  f"{results[count] / results[COUNTS[0]]:5.2f}x the 1-release build", flush=True)
    per_release = (results[COUNTS[-1]] - results[COUNTS[0]]) / (COUNTS[-1] - COUNTS[0])
    print(f"marginal cost: {per_release:.3f} s per extra release (2 languages x release page + changes page)")


if __name__ == "__main__":
    main()
