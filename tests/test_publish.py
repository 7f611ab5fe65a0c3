"""Atomic publication of site/: old or new site at every instant, failures that lose nothing."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import BIN
from policypress import publish
from policypress.errors import PolicyPressError
from policypress.publish import publish_build, remove_stale_staging, staging_prefix


def write_site(folder: Path, marker: str, pages: int = 30) -> None:
    """A small site: index.html names the build, as do many other pages (so a swap has work to hide)."""
    for i in range(pages):
        page = folder / f"page{i}" / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(marker)
    (folder / "index.html").write_text(marker)


def leftovers(parent: Path, target: Path) -> list[str]:
    return sorted(p.name for p in parent.glob(staging_prefix(target) + "*"))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    target.mkdir()
    write_site(target, "old")
    return target


def test_first_publish_creates_the_site_as_a_real_folder(tmp_path: Path) -> None:
    target = tmp_path / "site"
    publish_build(target, lambda staging: write_site(staging, "new"))
    assert (target / "index.html").read_text() == "new"
    assert target.is_dir() and not target.is_symlink()
    assert leftovers(tmp_path, target) == []


def test_published_folder_has_the_usual_permissions(site: Path) -> None:
    # mkdtemp's folders are 0700; a web server running as another user must still read the site.
    publish_build(site, lambda staging: write_site(staging, "new"))
    mode = site.stat().st_mode & 0o777
    assert mode & 0o055 == 0o055 & ~_umask()


def _umask() -> int:
    old = os.umask(0)
    os.umask(old)
    return old


def test_a_watcher_always_sees_a_whole_site_during_swaps(site: Path) -> None:
    seen: list[str] = []
    missing: list[str] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                seen.append((site / "index.html").read_text())
            except OSError as exc:
                missing.append(f"{type(exc).__name__}: {exc}")

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for round_ in range(40):
            publish_build(site, lambda staging, n=round_: write_site(staging, f"new {n}"))
    finally:
        stop.set()
        watcher.join()
    assert missing == []
    assert set(seen) <= {"old"} | {f"new {n}" for n in range(40)}
    assert len(set(seen)) > 1, "the watcher saw only one build: it did not watch the swaps"
    assert (site / "index.html").read_text() == "new 39"
    assert leftovers(site.parent, site) == []


def test_two_concurrent_publishes_both_finish_with_a_whole_site(site: Path) -> None:
    both_building = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def build(marker: str):
        def run(staging: Path) -> None:
            write_site(staging, marker)
            both_building.wait()  # each has its own staging folder, at the same time
        return run

    def publish_one(marker: str) -> None:
        try:
            publish_build(site, build(marker))
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=publish_one, args=(m,)) for m in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    marker = (site / "index.html").read_text()
    assert marker in {"a", "b"}
    assert all((site / f"page{i}" / "index.html").read_text() == marker for i in range(30))
    assert leftovers(site.parent, site) == []


def test_two_concurrent_first_publishes_without_a_site(tmp_path: Path) -> None:
    target = tmp_path / "site"
    both_building = threading.Barrier(2, timeout=30)
    errors: list[BaseException] = []

    def publish_one(marker: str) -> None:
        def run(staging: Path) -> None:
            write_site(staging, marker)
            both_building.wait()
        try:
            publish_build(target, run)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=publish_one, args=(m,)) for m in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (target / "index.html").read_text() in {"a", "b"}
    assert leftovers(tmp_path, target) == []


def test_a_failing_build_leaves_the_old_site_and_no_staging(site: Path) -> None:
    def fail(staging: Path) -> None:
        write_site(staging, "half", pages=3)
        raise RuntimeError("the build broke")

    with pytest.raises(RuntimeError, match="the build broke"):
        publish_build(site, fail)
    assert (site / "index.html").read_text() == "old"
    assert (site / "page29" / "index.html").read_text() == "old"
    assert leftovers(site.parent, site) == []


def test_disk_full_is_one_line_and_keeps_the_old_site(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(staging: Path) -> None:
        (staging / "index.html").write_text("partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staging / "page1" / "index.html"))

    monkeypatch.chdir(site.parent)
    with pytest.raises(PolicyPressError) as caught:
        publish_build(site, full)
    assert str(caught.value) == "no space left on device while building site/: the previous site is unchanged"
    assert caught.value.exit_code == 2
    assert (site / "index.html").read_text() == "old"
    assert leftovers(site.parent, site) == []


def test_runner_reports_disk_full_in_one_line_with_exit_2(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(site.parent)
    # A build command that dies the way Python (and so MkDocs) does when a write finds the disk full.
    command = [sys.executable, "-c", "import errno, os; raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))"]
    code = publish.main(["--site-dir", "site", "--", *command, "{}"])
    assert code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == "policypress: no space left on device while building site/: the previous site is unchanged"
    assert (site / "index.html").read_text() == "old"
    assert leftovers(site.parent, site) == []


def test_runner_failed_command_keeps_the_old_site_and_its_exit_code(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(site.parent)
    code = publish.main(["--site-dir", "site", "--", sys.executable, "-c", "import sys; sys.exit(3)", "{}"])
    assert code == 3
    assert "the previous site is unchanged" in capsys.readouterr().err
    assert (site / "index.html").read_text() == "old"
    assert leftovers(site.parent, site) == []


@pytest.mark.parametrize(
    "args",
    [[], ["--site-dir", "site"], ["--site-dir", "site", "--", "true"]],
    ids=["nothing", "no-command", "no-placeholder"],
)
def test_runner_usage_errors_exit_2_in_one_line(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert publish.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("policypress: ") and err.count("\n") == 1
    assert not (tmp_path / "site").exists()


def test_a_symlinked_target_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "site").symlink_to(real)
    with pytest.raises(PolicyPressError, match="not a folder"):
        publish_build(tmp_path / "site", lambda staging: write_site(staging, "new"))
    assert (tmp_path / "site").is_symlink()


def test_a_crashed_builds_old_staging_is_removed_but_a_running_ones_is_not(site: Path) -> None:
    crashed = site.parent / (staging_prefix(site) + "crashed")
    write_site(crashed, "half", pages=2)
    long_ago = time.time() - 2 * publish.STALE_AFTER
    os.utime(crashed, (long_ago, long_ago))
    recent = site.parent / (staging_prefix(site) + "recent")
    recent.mkdir()
    running = site.parent / (staging_prefix(site) + "running")
    running.mkdir()
    os.utime(running, (long_ago, long_ago))

    with publish._shared_lock(running):  # a build that is still writing (slowly)
        removed = remove_stale_staging(site)
        assert removed == [crashed]
        publish_build(site, lambda staging: write_site(staging, "new"))
    assert leftovers(site.parent, site) == sorted([recent.name, running.name])
    assert (site / "index.html").read_text() == "new"


def test_fallback_without_renameat2_still_publishes(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "_renameat2", None)
    publish_build(site, lambda staging: write_site(staging, "new"))
    assert (site / "index.html").read_text() == "new"
    assert leftovers(site.parent, site) == []


def test_renameat2_exchange_is_the_path_taken_here(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The atomic path is the one the tests above exercise on this machine, not the fallback.
    calls: list[int] = []
    real = publish.renameat2
    monkeypatch.setattr(publish, "renameat2", lambda s, d, flags: (calls.append(flags), real(s, d, flags))[1])
    monkeypatch.setattr(publish, "_swap_in_fallback", lambda s, t: pytest.fail("fell back"))
    publish_build(site, lambda staging: write_site(staging, "new"))
    assert calls == [publish._RENAME_EXCHANGE]


def _runner(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "POLICYPRESS_GA_PROPERTY"}
    return subprocess.run([sys.executable, "-m", *args], cwd=project, env={**env, "NO_MKDOCS_2_WARNING": "1"},
                          capture_output=True, text=True, timeout=300)


def test_make_site_command_through_the_runner(project_copy: Path) -> None:
    """The Makefile's command (MkDocs' build in the runner's process), on a copy of the project: a real
    MkDocs build published to site/; then a build that fails leaves that site as it was."""
    site = project_copy / "site"
    site.mkdir()
    (site / "marker.txt").write_text("previous build")
    result = _runner(project_copy, "policypress.mkdocs.publish", "--site-dir", "site", "--", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Documentation built in" in result.stderr  # MkDocs' own messages pass through
    assert (site / "index.html").is_file()
    assert (site / "en" / "index.html").is_file()
    assert not (site / "marker.txt").exists()
    assert leftovers(project_copy, site) == []
    built = (site / "en" / "index.html").read_bytes()

    cookies = project_copy / "policy_data" / "cookies.yaml"
    cookies.write_text(cookies.read_text(encoding="utf-8") + "\n  broken: [\n", encoding="utf-8")
    failed = _runner(project_copy, "policypress.mkdocs.publish", "--site-dir", "site", "--", "--strict")
    assert failed.returncode == 2, failed.stderr  # bad data: exit 2, as the build itself gives
    assert "policy_data/cookies.yaml:" in failed.stderr and "invalid YAML" in failed.stderr
    assert "policypress: the build failed (mkdocs build exited with 2): the previous site is unchanged" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert (site / "en" / "index.html").read_bytes() == built
    assert leftovers(project_copy, site) == []


def test_the_mkdocs_runner_keeps_the_build_folder_its_own(tmp_path: Path) -> None:
    result = _runner(tmp_path, "policypress.mkdocs.publish", "--site-dir", "site", "--", "--strict", "-d", "elsewhere")
    assert result.returncode == 2
    assert "give --site-dir once, before --" in result.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "elsewhere").exists()


@pytest.mark.parametrize("option", ["--help", "-h"])
def test_the_mkdocs_runner_refuses_help_and_keeps_the_site(tmp_path: Path, option: str) -> None:
    # MkDocs would print its help, exit 0 and build nothing: an empty folder must not replace the site.
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("old")
    result = _runner(tmp_path, "policypress.mkdocs.publish", "--site-dir", "site", "--", option)
    assert result.returncode == 2 and "see `mkdocs build --help`" in result.stderr
    assert (tmp_path / "site" / "index.html").read_text() == "old"


def test_the_mkdocs_runner_names_a_full_disk_in_one_line(project_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from mkdocs.commands import build as mkdocs_build_module

    from policypress.mkdocs import publish as mkdocs_publish

    site = project_copy / "site"
    site.mkdir()
    (site / "index.html").write_text("old")

    def full(*args: object, **kwargs: object) -> None:
        try:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            raise RuntimeError("Error building page 'en/index.md'") from exc  # as a plugin might wrap it

    monkeypatch.setattr(mkdocs_build_module, "build", full)
    monkeypatch.chdir(project_copy)
    assert mkdocs_publish.main(["--site-dir", "site", "--", "--strict"]) == 2
    err = capsys.readouterr().err
    assert "policypress: no space left on device while building site/: the previous site is unchanged" in err
    assert (site / "index.html").read_text() == "old"
    assert leftovers(project_copy, site) == []

