"""`make serve` (mkdocs serve with our hooks): a change in policy_data/ shows without a restart,
bad data is reported in the terminal while the server keeps running, and the scan judges the
draft's cookie table while serving (a build judges the release in effect's). How a save is heard:
inotify on a local disk (reads passed over), a poll elsewhere and when inotify refuses a watch."""

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


# --- the server's observer: how a save is heard -----------------------------------------

def _mkdocs_server(tmp_path):
    """A LiveReloadServer watching as `mkdocs serve` with our plugin does: docs, the config file and
    policy_data/ (twice: MkDocs' config.watch and the plugin)."""
    from mkdocs.livereload import LiveReloadServer

    data, docs, config = tmp_path / "policy_data", tmp_path / "docs", tmp_path / "mkdocs.yml"
    data.mkdir(), docs.mkdir()
    config.write_text("site_name: x\n", encoding="utf-8")
    (data / "cookies.yaml").write_text("cookies: {}\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path / "site"))
    for path in (docs, config, data, data):
        server.watch(str(path))
    return server, data


def _rebuild_wanted(server, change) -> None:
    server.observer.start()
    try:
        change()
        with server._rebuild_cond:  # MkDocs' callback is what the new observer calls
            assert server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=30)
    finally:
        server.observer.stop()
        server.observer.join()


def test_serve_hears_a_save_from_the_kernel_on_a_local_disk(tmp_path):
    from watchdog.observers.inotify import InotifyObserver

    from policypress.mkdocs.serve import EVENT_QUIET_SECONDS, watch_promptly

    server, data = _mkdocs_server(tmp_path)
    watch_promptly(server)
    assert isinstance(server.observer, InotifyObserver)  # tmp_path is on this machine's own disk
    assert server.build_delay == EVENT_QUIET_SECONDS == 0.02  # MkDocs' own: 0.1 s, after a 0.5 s poll
    # A file is watched through its folder (watchdog's way: an editor may save by a rename).
    assert sorted(emitter.watch.path for emitter in server.observer.emitters) == sorted(
        [str(data), str(tmp_path / "docs"), str(tmp_path)])
    assert server._watched_paths[str(data)] == 2  # MkDocs' own count, for its unwatch()
    _rebuild_wanted(server, lambda: (data / "cookies.yaml").write_text("cookies: {a: 1}\n", encoding="utf-8"))


def test_serve_passes_on_changes_and_not_reads(tmp_path):
    """A build reads policy_data/: were a read an event, each rebuild would start the next."""
    import threading

    from watchdog.events import FileSystemEventHandler

    from policypress.mkdocs.serve import _observer

    class Recorder(FileSystemEventHandler):
        def __init__(self) -> None:
            self.events: list[tuple[str, str]] = []
            self.changed = threading.Event()

        def on_any_event(self, event) -> None:
            if not event.is_directory:  # as MkDocs' callback
                self.events.append((type(event).__name__, event.src_path))
                self.changed.set()

    data, config, other = tmp_path / "data", tmp_path / "mkdocs.yml", tmp_path / "notes.txt"
    data.mkdir()
    (data / "cookies.yaml").write_text("a\n", encoding="utf-8")
    config.write_text("site_name: x\n", encoding="utf-8")
    in_data, of_config = Recorder(), Recorder()
    observer = _observer()
    observer.schedule(in_data, str(data), recursive=True)
    observer.schedule(of_config, str(config))
    observer.start()
    try:
        (data / "cookies.yaml").read_text(encoding="utf-8")  # inotify reports the open and the close
        other.write_text("not watched\n", encoding="utf-8")  # beside the config file
        assert in_data.events == [] and of_config.events == []
        # Events of one folder come in order: once the change is heard, the read before it was passed over.
        (data / "cookies.yaml").write_text("b\n", encoding="utf-8")
        config.write_text("site_name: y\n", encoding="utf-8")
        assert in_data.changed.wait(30) and of_config.changed.wait(30)
    finally:
        observer.stop()
        observer.join()
    assert {name for name, _ in in_data.events} <= {"FileModifiedEvent", "FileClosedEvent"}, in_data.events
    assert {path for _, path in in_data.events} == {str(data / "cookies.yaml")}
    assert {path for _, path in of_config.events} == {str(config)}, of_config.events


def _polled(observer) -> list[tuple[str, float]]:
    return sorted((emitter.watch.path, poll.timeout) for poll in observer.polls.values() for emitter in poll.emitters)


def test_serve_polls_a_shared_folder_every_twentieth_of_a_second(tmp_path, monkeypatch):
    """Over NFS, SMB, WSL's drvfs or Docker Desktop's shares, an edit on the other side sends no inotify event."""
    from policypress.mkdocs import serve

    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(f"27 1 254:0 / / rw,relatime - ext4 /dev/sda1 rw\n"
                         f"90 27 0:50 / {tmp_path} rw,relatime shared:1 - nfs4 server:/export rw\n", encoding="utf-8")
    monkeypatch.setattr(serve, "MOUNTINFO", mountinfo)
    server, data = _mkdocs_server(tmp_path)
    serve.watch_promptly(server)  # (and started: _rebuild_wanted's start() changes nothing)
    assert server.observer.emitters == set()  # no inotify watch
    assert _polled(server.observer) == sorted(
        [(str(data), 0.05), (str(tmp_path / "docs"), 0.05), (str(tmp_path), 0.05)])
    assert server.build_delay == serve.POLL_SECONDS == 0.05  # MkDocs' own poll: 0.5 s
    _rebuild_wanted(server, lambda: (data / "cookies.yaml").write_text("cookies: {a: 1}\n", encoding="utf-8"))


def test_serve_polls_a_folder_with_a_link_and_a_large_one_at_mkdocs_pace(tmp_path):
    """inotify does not follow a symbolic link; a polled tree of thousands of files is not stat'ed 20 times a second."""
    from policypress.mkdocs import serve

    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (tmp_path / "project").mkdir()
    server, data = _mkdocs_server(tmp_path / "project")
    (tmp_path / "project" / "docs" / "notes").symlink_to(shared)
    serve.watch_promptly(server)
    large = tmp_path / "theme"
    large.mkdir()
    for n in range(serve.PROMPT_POLL_ENTRIES):
        (large / f"{n}.svg").touch()
    (large / "shared").symlink_to(shared)  # polled, and one entry over the prompt poll's bound
    server.watch(str(large))  # MkDocs watches a site's `watch:` paths after the plugin's on_serve
    assert sorted(emitter.watch.path for emitter in server.observer.emitters) == sorted(
        [str(data), str(tmp_path / "project")])
    assert _polled(server.observer) == [(str(tmp_path / "project" / "docs"), 0.05), (str(large), 0.5)]
    _rebuild_wanted(server, lambda: (shared / "notes.md").write_text("# Changed\n", encoding="utf-8"))


def test_serve_polls_when_the_kernel_has_no_watch_left(tmp_path, monkeypatch):
    """fs.inotify.max_user_watches reached (editors and IDEs use them too): inotify refuses a watch
    when its observer starts, which the plugin does itself, so that the server polls instead of stopping."""
    import errno

    from watchdog.observers.inotify import InotifyEmitter
    from watchdog.observers.polling import PollingObserver

    from policypress.mkdocs import serve

    started: list[str] = []
    on_thread_start = InotifyEmitter.on_thread_start

    def scarce(self) -> None:
        started.append(self.watch.path)
        if len(started) == 3:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")
        on_thread_start(self)

    monkeypatch.setattr(InotifyEmitter, "on_thread_start", scarce)
    server, data = _mkdocs_server(tmp_path)
    abandoned = serve._observer()
    monkeypatch.setattr(serve, "_observer", lambda: abandoned)
    serve.watch_promptly(server)
    assert len(started) == 3 and type(server.observer) is PollingObserver
    assert server.observer.timeout == server.build_delay == serve.POLL_SECONDS
    assert not abandoned.is_alive() and not abandoned._inotify_fd.is_alive()  # no thread left behind
    assert server._watched_paths == {str(tmp_path / "docs"): 1, str(tmp_path / "mkdocs.yml"): 1, str(data): 2}
    assert sorted(emitter.watch.path for emitter in server.observer.emitters) == sorted(
        [str(data), str(tmp_path / "docs"), str(tmp_path)])
    _rebuild_wanted(server, lambda: (data / "cookies.yaml").write_text("cookies: {a: 1}\n", encoding="utf-8"))


def test_the_file_system_of_a_path_is_its_longest_mount_point():
    from policypress.mkdocs.serve import KERNEL_EVENTS, filesystem_type

    # Mount points inside this repository (wherever it is cloned), as /proc/self/mountinfo writes them.
    root = str(ROOT)
    mountinfo = "\n".join([
        "27 1 254:0 / / rw,relatime - ext4 /dev/sda1 rw",
        f"30 27 0:40 / {root}/mnt/c rw,noatime - 9p drvfs rw,dirsync,aname=drvfs",
        f"31 27 0:41 / {root}/My\\040Sites rw shared:5 master:2 - fuse.sshfs me@host: rw",
        f"32 27 0:42 / {root}/mnt/cache rw - tmpfs tmpfs rw",
        f"33 27 0:43 / {root}/mnt/c rw - overlay overlay rw",  # mounted over the first: the later one counts
    ])
    assert filesystem_type(str(ROOT / "policy_data"), mountinfo) == "ext4"
    assert filesystem_type(f"{root}/mnt/c/Users/me/site", mountinfo) == "overlay"
    assert filesystem_type(f"{root}/mnt/cache", mountinfo) == "tmpfs"
    assert filesystem_type(f"{root}/mnt/cached", mountinfo) == "ext4"  # not under mnt/cache
    assert filesystem_type(f"{root}/My Sites/docs", mountinfo) == "fuse.sshfs"
    assert filesystem_type(root, "") is None
    assert {"ext4", "tmpfs", "overlay"} <= KERNEL_EVENTS and not {"9p", "nfs4", "fuse.sshfs", "cifs", "virtiofs"} & KERNEL_EVENTS
