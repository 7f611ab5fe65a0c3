"""`make serve` (mkdocs serve with our hooks): a change in policy_data/ shows without a restart,
and bad data is reported in the terminal while the server keeps running."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import BIN


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.slow
def test_serve_rebuilds_when_policy_data_changes(project_copy: Path, tmp_path: Path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/en/privacy-policy/1.0/"
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project_copy,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICY_DATE": "2026-11-25", "POLICYPRESS_PREVIEW": "1"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        draft_url = f"http://127.0.0.1:{port}/en/privacy-policy/draft/"
        assert wait_for(lambda: (fetch(draft_url) or "").find("Our product is hosted") >= 0), "server did not start"

        sections = project_copy / "policy_data" / "sections.yaml"
        original = sections.read_text(encoding="utf-8")
        sections.write_text(original.replace("Our product is hosted", "Our product is served"), encoding="utf-8")
        assert wait_for(lambda: "Our product is served" in (fetch(draft_url) or "")), "change not shown"

        cookies = project_copy / "policy_data" / "cookies.yaml"
        good = cookies.read_text(encoding="utf-8")
        cookies.write_text(good.replace("category: analytics", "category: analytic", 1), encoding="utf-8")
        assert wait_for(lambda: "'analytic' is not one of" in (tmp_path / "serve.log").read_text())
        assert server.poll() is None, "the server stopped on bad data"
        # Fixing the data brings the site back without a restart.
        cookies.write_text(good, encoding="utf-8")
        assert wait_for(lambda: "Our product is served" in (fetch(draft_url) or ""))
        assert fetch(url) is not None
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
