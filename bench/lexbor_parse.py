"""The bare parse of scan_bench.py with lexbor (selectolax) instead of libxml2 (lxml), for comparison.

Run by bench/scan_bench.py in bench/.peers-venv, where `make bench-tools` installs selectolax (never in
policypress's own venv): read every page and build its tree, with the same processes and chunks as the
scan. lexbor decodes the bytes itself. Prints the median seconds of the runs.
    bench/.peers-venv/bin/python bench/lexbor_parse.py FOLDER --jobs N --chunk C --runs R
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

from selectolax.lexbor import LexborHTMLParser


def pages(folder: str) -> list[str]:
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(os.path.join(root, name) for name in sorted(files) if name.lower().endswith((".html", ".htm")))
    return found


def parse_chunk(paths: list[str]) -> int:
    for path in paths:
        with open(path, "rb") as file:
            LexborHTMLParser(file.read())
    return len(paths)


def parse_all(paths: list[str], jobs: int, chunk: int) -> int:
    if jobs <= 1:
        return parse_chunk(paths)
    chunks = [paths[i : i + chunk] for i in range(0, len(paths), chunk)]
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as workers:
        return sum(workers.map(parse_chunk, chunks))


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("folder")
    args.add_argument("--jobs", type=int, default=1)
    args.add_argument("--chunk", type=int, default=50)
    args.add_argument("--runs", type=int, default=3)
    options = args.parse_args()
    paths = pages(options.folder)
    parse_chunk(paths)  # warm the file cache, as the lxml run does
    times = []
    for _ in range(options.runs):
        start = time.perf_counter()
        assert parse_all(paths, options.jobs, options.chunk) == len(paths)
        times.append(time.perf_counter() - start)
    print(f"{statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
