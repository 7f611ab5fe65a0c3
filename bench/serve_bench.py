"""`make serve`: seconds from saving a change in policy_data/ to the served page showing it.

Starts `mkdocs serve` as `make serve` does (--dirty: a rebuild renders only the pages the change
touches) on a free 127.0.0.1 port in a copy of the project (previewing, so that the draft has a
page), and then the same without --dirty (every page rendered again: MkDocs' default), and each --runs times: writes a new sentence into the draft's
sections.yaml, polls the draft's page every 10 ms until the sentence is in it, then waits for
that rebuild to end (the server's "Reloading browsers": when an open page reloads) before the
next. Prints both times of each edit and their medians (the first is what a user waits for), and
the ratio of the two servers' medians.
Nothing is fetched but the local server. Run:
    .venv/bin/python bench/serve_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PARTS = ("mkdocs.yml", "docs", "hooks", "policy_data")
SENTENCE = "Our product is hosted in a datacenter near Stockholm in Sweden."
DRAFT_PAGE = "en/privacy-policy/draft/"
MAKE_SERVE = ("--dirty", "--no-strict")  # SERVE_FLAGS in the Makefile
POLL = 0.01  # seconds between two requests for the page
TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def await_true(check: object, what: str) -> None:
    assert callable(check)
    deadline = time.monotonic() + TIMEOUT
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"serve_bench: gave up waiting for {what}")
        time.sleep(POLL)


def serve_times(tmp: Path, flags: tuple[str, ...], runs: int) -> tuple[list[float], list[float]]:
    """(save to served page, save to the browsers' reload) of each edit, in a fresh copy of the project."""
    project = tmp / ("project" + "".join(flags).replace("-", "_"))
    project.mkdir()
    for part in PARTS:
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / part)
    sections = project / "policy_data" / "sections.yaml"
    original = sections.read_text(encoding="utf-8")
    if SENTENCE not in original:
        raise SystemExit(f"serve_bench: {sections.name} no longer holds the sentence this bench edits")
    port = free_port()
    log_path = project.with_suffix(".log")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICYPRESS_PREVIEW": "1"}
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", *flags, "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
            stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/{DRAFT_PAGE}"

    def reloads() -> int:
        return log_path.read_text(encoding="utf-8", errors="replace").count("Reloading browsers")

    times: list[float] = []
    reloaded: list[float] = []
    try:
        await_true(lambda: "Stockholm" in fetch(url), "the first build")
        for run in range(1, runs + 1):
            marker = f"Our product is hosted in a datacenter in Uppsala (edit {run} at {time.time_ns()})."
            done = reloads()
            start = time.perf_counter()
            sections.write_text(original.replace(SENTENCE, marker), encoding="utf-8")
            await_true(lambda: marker in fetch(url), f"edit {run} to be served")
            times.append(time.perf_counter() - start)
            await_true(lambda: reloads() > done, f"the rebuild of edit {run} to end")
            reloaded.append(time.perf_counter() - start)
            print(f"  {' '.join(flags) or 'no flags':18s} edit {run}: {times[-1]:.3f} s from save to served page, "
                  f"{reloaded[-1]:.3f} s to the browsers' reload", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times, reloaded


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    medians: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, flags in (("make serve (--dirty)", MAKE_SERVE), ("mkdocs serve (every page)", ())):
            times, reloaded = serve_times(Path(tmp), flags, args.runs)
            medians[name] = statistics.median(times)
            print(f"{name}: save to served page median {medians[name]:.3f} s; to the browsers' reload median "
                  f"{statistics.median(reloaded):.3f} s", flush=True)
    dirty, full = medians.values()
    print(f"make serve / a full rebuild: {dirty / full:.2f} ({args.runs} edits each, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; target: make serve at most 0.5 s)")


if __name__ == "__main__":
    main()
