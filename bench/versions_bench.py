"""Build time against the number of releases: 1, 10, 50 and 200 synthetic releases.

Each synthetic release changes one sentence and one cookie duration of the draft,
so every "what changed" page has real prose and fact changes to render. Prints
the build time for each count (median of --runs) and the milliseconds each release
beyond the first adds (target: at most 40 ms). Each count is built once before it is
timed, as a project is: its frozen releases are then read from .cache/policypress/.
Beside it, the same for a plain Material build of the same rendered pages (see
build_time.py): what MkDocs and Material themselves add per release (four pages: the
release and its "what changed" page, in two languages), which no plugin can take away.
Run: .venv/bin/python bench/versions_bench.py [--runs 3] [--counts 1,10,50,200] [--no-plain]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build_time import plain_project  # noqa: E402  (bench/ is on the path when run as a script)
from policypress.i18n import Text
from policypress.release import create_release
from policypress.versions import ReleaseClass, version_key

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COUNTS = (1, 10, 50, 200)


def make_project(target: Path, releases: int) -> Path:
    target.mkdir(parents=True)
    for part in ("mkdocs.yml", "docs", "hooks"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target / part)
    data = target / "policy_data"
    shutil.copytree(ROOT / "policy_data", data, ignore=shutil.ignore_patterns("releases"))
    # The latest release's frozen files as the draft: confirmed data, whatever the working
    # copy holds today (a draft with facts still to confirm cannot be released).
    latest = max((ROOT / "policy_data" / "releases").glob("*/manifest.yaml"), key=lambda m: version_key(m.parent.name))
    for frozen in latest.parent.glob("*.yaml"):
        if frozen.name != "manifest.yaml":
            shutil.copy2(frozen, data / frozen.name)
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


def build_seconds(project: Path, runs: int, site: str = "site") -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICY_DATE": "2030-01-01"}
    command = [str(BIN / "mkdocs"), "build", "-q", "-d", str(project / site)]
    subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)  # fills the cache
    times = []
    for _ in range(runs):  # CPU seconds (user + system): steadier than the clock on a shared machine
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--counts", default=",".join(map(str, COUNTS)))
    parser.add_argument("--no-plain", action="store_true", help="skip the plain Material builds")
    args = parser.parse_args()
    counts = [int(n) for n in args.counts.split(",")]
    results: dict[int, float] = {}
    plain: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            project = make_project(Path(tmp) / f"p{count}", count)
            results[count] = build_seconds(project, args.runs)
            pages = sum(1 for _ in (project / "site").rglob("index.html"))
            extra = (results[count] - results[counts[0]]) / (count - counts[0]) * 1000 if count > counts[0] else 0.0
            line = f"{count:>4} releases: {results[count]:6.2f} s CPU  {pages:4d} pages  {extra:6.1f} ms per release beyond the first"
            if not args.no_plain:
                plain_project(project / "site", Path(tmp) / f"plain{count}")
                plain[count] = build_seconds(Path(tmp) / f"plain{count}", args.runs)
                base = (plain[count] - plain[counts[0]]) / (count - counts[0]) * 1000 if count > counts[0] else 0.0
                line += f"  | plain Material: {plain[count]:5.2f} s, {base:6.1f} ms per release; ours adds {extra - base:6.1f} ms"
            print(line, flush=True)
    print(f"median of {args.runs} builds each, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
