"""How much our hooks cost: `mkdocs build` of this project against a plain build of the same docs/.

Prints the median of several runs of each, and the ratio. Run from the repository:
    .venv/bin/python bench/build_time.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
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


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - start


def plain_project(target: Path) -> Path:
    """The same docs/ and theme, without hooks (so without the generated policy pages)."""
    shutil.copytree(ROOT / "docs", target / "docs")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # !ENV tags need MkDocs' loader; the plain build does not use analytics anyway.
    config = config.replace('!ENV [POLICYPRESS_GA_PROPERTY, ""]', '""').replace("!ENV [POLICYPRESS_SITE_URL, null]", "null")
    data = yaml.safe_load(config)
    for key in ("hooks", "watch", "strict", "validation", "exclude_docs"):
        data.pop(key, None)
    data["extra"].pop("analytics", None)
    (target / "mkdocs.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        plain = plain_project(tmp_path / "plain")
        ours = [timed([str(BIN / "mkdocs"), "build", "-q", "-d", str(tmp_path / "a")], ROOT) for _ in range(args.runs)]
        base = [timed([str(BIN / "mkdocs"), "build", "-q", "-d", str(tmp_path / "b")], plain) for _ in range(args.runs)]
        make = [timed(["make", "-s", "site"], ROOT) for _ in range(args.runs)]
    ours_s, base_s, make_s = statistics.median(ours), statistics.median(base), statistics.median(make)
    print(f"plain mkdocs build (same docs/, no hooks): {base_s:.2f} s")
    print(f"mkdocs build with policypress hooks:       {ours_s:.2f} s  ({ours_s / base_s:.2f}x plain)")
    print(f"make site (installed; check + build + swap): {make_s:.2f} s  ({make_s / base_s:.2f}x plain)")


if __name__ == "__main__":
    main()
