"""`make serve` (mkdocs serve with our hooks): a change in policy_data/ shows without a restart,
bad data is reported in the terminal while the server keeps running, and the scan judges the
draft's cookie table while serving (a build judges the release in effect's)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from clirun import cli  # noqa: F401  (a fixture)
from conftest import BIN, ROOT, run_mkdocs_build


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


def make_serve_flags() -> list[str]:
    """The flags `make serve` gives `mkdocs serve` (SERVE_FLAGS in the Makefile)."""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("SERVE_FLAGS :="):
            return line.split(":=", 1)[1].split()
    raise AssertionError("the Makefile has no SERVE_FLAGS")


def start_serve(project: Path, log_path: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    log = log_path.open("w")
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()  # the server holds its own copy of the descriptor
    return server, port


@pytest.mark.slow
def test_serve_rebuilds_when_policy_data_changes(project_copy: Path, tmp_path: Path):
    """As `make serve` runs it: a change to the draft renders the draft's pages again and leaves the
    released ones as they were; after bad data and its fix, the site is whole again."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/en/privacy-policy/1.0/"
    log = (tmp_path / "serve.log").open("w")
    temp = tmp_path / "temp"  # where mkdocs serve makes its site folder
    temp.mkdir()
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", *make_serve_flags(), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project_copy,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "POLICY_DATE": "2026-11-25", "POLICYPRESS_PREVIEW": "1",
             "TMPDIR": str(temp)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        draft_url = f"http://127.0.0.1:{port}/en/privacy-policy/draft/"
        assert wait_for(lambda: (fetch(draft_url) or "").find("Our product is hosted") >= 0), "server did not start"
        [site] = temp.glob("mkdocs_*")
        released, draft = site / "en/privacy-policy/1.0/index.html", site / "en/privacy-policy/draft/index.html"
        before = released.stat().st_mtime_ns, draft.stat().st_mtime_ns

        sections = project_copy / "policy_data" / "sections.yaml"
        original = sections.read_text(encoding="utf-8")
        sections.write_text(original.replace("Our product is hosted", "Our product is served"), encoding="utf-8")
        assert wait_for(lambda: "Our product is served" in (fetch(draft_url) or "")), "change not shown"
        assert wait_for(lambda: "Our product is served" in (site / "search" / "search_index.json").read_text())
        assert released.stat().st_mtime_ns == before[0]  # a released page does not change with the draft
        assert draft.stat().st_mtime_ns != before[1]
        assert "Our product are hosted on a datacenter" in (fetch(url) or "")  # 1.0 as published

        cookies = project_copy / "policy_data" / "cookies.yaml"
        good = cookies.read_text(encoding="utf-8")
        cookies.write_text(good.replace("category: analytics", "category: analytic", 1), encoding="utf-8")
        assert wait_for(lambda: "'analytic' is not one of" in (tmp_path / "serve.log").read_text())
        assert server.poll() is None, "the server stopped on bad data"
        # Fixing the data brings the site back without a restart.
        cookies.write_text(good, encoding="utf-8")
        assert wait_for(lambda: "Our product is served" in (fetch(draft_url) or ""))
        assert fetch(url) is not None
        # Three saves, three rebuilds: a build's own reads of policy_data/ start none (inotify reports
        # reads too). One more is allowed: a save whose write lags its truncation by the 0.02 s quiet time.
        assert 3 <= (tmp_path / "serve.log").read_text().count("Detected file changes") <= 4
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


@pytest.mark.slow
def test_serve_checks_the_draft_and_a_build_the_release(cli, tmp_path: Path):
    """A real site after `policypress init`: removing a cookie from the draft fails the serve
    build's scan, with a message that names the draft and its file; `mkdocs build` still checks
    release 1.0, names its file, and passes."""
    site = tmp_path / "site-project"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mkdocs-sites" / "asyncer-docs", site)
    assert cli("init", ".", "--effective", "2026-01-15", cwd=site).code == 0
    log_path = tmp_path / "serve.log"
    server, port = start_serve(site, log_path, {"POLICY_DATE": "2026-01-15"})
    try:
        policy_url = f"http://127.0.0.1:{port}/en/privacy-policy/"
        assert wait_for(lambda: "_ga_" in (fetch(policy_url) or "")), log_path.read_text()
        served = log_path.read_text()
        assert "policypress scan: checked the built site against the draft (policy_data/cookies.yaml)" in served
        assert "checked the built site against release" not in served

        draft = site / "policy_data" / "cookies.yaml"
        data = yaml.safe_load(draft.read_text(encoding="utf-8"))
        del data["cookies"]["_ga"]
        draft.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        message = "policypress scan found problems (checked against the draft (policy_data/cookies.yaml))"
        assert wait_for(lambda: message in log_path.read_text()), log_path.read_text()
        failed = log_path.read_text().split(message, 1)[1]
        assert "error[undeclared]" in failed and "_ga" in failed
        assert "then release it" not in failed  # the advice for a release is not given for the draft
        assert server.poll() is None, "the server stopped on a failed scan"
    finally:
        server.terminate()
        server.wait(timeout=30)

    build = run_mkdocs_build(site, tmp_path / "built", env={"POLICY_DATE": "2026-01-15"})
    assert build.returncode == 0, build.stdout + build.stderr
    assert "policypress scan: checked the built site against release 1.0 (policy_data/releases/1.0/cookies.yaml)" \
        in build.stderr
    assert "against the draft" not in build.stderr


def test_a_page_left_by_a_dirty_rebuild_gets_the_new_scan_note() -> None:
    """A page rendered once holds the placeholder; a page a dirty rebuild left as it was holds the last
    note, which the new one replaces (escaped, as every note)."""
    from policypress.scan.transparency import PLACEHOLDER, fill_scan_note

    rendered = f"<table>…</table>{PLACEHOLDER}<p>after</p>"
    first = fill_scan_note(rendered, "Checked on 1 May 2026 against 17 pages.")
    assert first == '<table>…</table><p class="pp-scan-note">Checked on 1 May 2026 against 17 pages.</p><p>after</p>'
    second = fill_scan_note(first, "Checked on 2 May 2026 against 18 pages <script>.")
    assert second == ('<table>…</table><p class="pp-scan-note">Checked on 2 May 2026 against 18 pages &lt;script&gt;.</p>'
                      "<p>after</p>")
