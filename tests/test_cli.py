"""The command line's one error path and its safe outputs (in-process), plus a few real-process smoke tests."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

import policypress.cli.check as check_command
from clirun import Cli, cli  # noqa: F401  (cli is a fixture)
from conftest import BIN, ROOT
from policypress import __version__

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"
RELEASE = ("--class", "material", "--summary-en", "First", "--summary-sv", "Första")
EXPORT = ("export-consent", "--format", "klaro", "--version", "draft")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "policy_data")
    return tmp_path


def lines(text: str) -> list[str]:
    return text.strip().splitlines()


# --- one error path -----------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("versions", "--date", "2026-02-30"), "--date: '2026-02-30' is not a date: write YYYY-MM-DD"),
        (("release", "1.0", "--effective", "2026-13-01", *RELEASE), "--effective: '2026-13-01' is not a date"),
        (("init", "p", "--effective", "2026-02-30"), "--effective: '2026-02-30' is not a date"),
        (("release", "1.0", "--effective", "2026-01-01", "--class", "material", "--summary-en", "",
          "--summary-sv", "x"), "--summary-en: must not be empty"),
        (("release", "1.0", "--effective", "2026-01-01", "--class", "material", "--summary-en", "x",
          "--summary-sv", " \t "), "--summary-sv: must not be empty"),
        (("release", "99999999999999999999999.1", "--effective", "2026-01-01", *RELEASE),
         "VERSION: '99999999999999999999999.1' is not a version"),
        (("release", "9" * 5000 + ".1", "--effective", "2026-01-01", *RELEASE),
         "VERSION: '" + "9" * 40 + "...' is not a version"),
        (("check", "--bogus"), "No such option"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(cli: Cli, project: Path, args: tuple[str, ...], message: str) -> None:
    result = cli(*args, cwd=project)
    assert result.code == 2
    first, *hint = lines(result.err)
    assert first.startswith("policypress: error: ") and message in first
    assert len(first) < 300  # thousands of digits are not echoed back
    assert hint[-1].startswith("Try 'policypress ") and hint[-1].endswith(" --help' for help.")
    assert not (project / "policy_data" / "releases").exists()
    assert not (project / "p").exists()


def test_a_huge_version_in_the_data_is_a_data_error_not_a_traceback(cli: Cli, project: Path) -> None:
    (project / "policy_data" / "releases" / ("9" * 25 + ".0")).mkdir(parents=True)
    result = cli("versions", cwd=project)
    assert result.code == 2
    assert "folder name is not a version such as 1.0" in result.err
    assert lines(result.err)[-1] == "policypress: 1 error in the policy data"


def test_data_error_lists_each_issue_and_a_count(cli: Cli, project: Path) -> None:
    (project / "policy_data" / "sections.yaml").unlink()
    (project / "policy_data" / "rights.yaml").unlink()
    result = cli("export-consent", "--format", "klaro", "--version", "draft", cwd=project)
    assert result.code == 2
    assert lines(result.err) == [
        "policy_data/rights.yaml: file is missing",
        "policy_data/sections.yaml: file is missing",
        "",
        "policypress: 2 errors in the policy data",
    ]


def test_keyboard_interrupt_exits_130_with_one_line(cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(check_command, "load_policy", interrupted)
    result = cli("check", cwd=project)
    assert (result.code, lines(result.err)) == (130, ["policypress: interrupted"])


def test_an_os_error_names_the_path_and_the_reason(cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "policy_data/policy.yaml")

    monkeypatch.setattr(check_command, "load_policy", unreadable)
    result = cli("check", cwd=project)
    assert (result.code, lines(result.err)) == (2, ["policypress: policy_data/policy.yaml: Permission denied"])


class _ClosedPipe:
    """A standard output whose reader has gone away, as after `| head -1`."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    def flush(self) -> None:
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    def fileno(self) -> int:
        raise OSError("no descriptor")


def test_a_closed_pipe_exits_quietly(project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from policypress.cli import main

    monkeypatch.chdir(project)
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    assert main(["check", "--format", "json"]) == 141
    assert capsys.readouterr().err == ""


def test_no_command_shows_the_help_and_exits_2(cli: Cli) -> None:
    result = cli()
    assert result.code == 2 and "Commands:" in result.err and "check" in result.err


# --- safe outputs ---------------------------------------------------------------


def test_output_replaces_a_file_atomically_and_keeps_its_mode(cli: Cli, project: Path) -> None:
    target = project / "klaro.js"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    result = cli(*EXPORT, "-o", "klaro.js", cwd=project)
    assert result.code == 0, result.err
    assert "klaro" in target.read_text(encoding="utf-8") and result.out == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in project.iterdir()) == ["klaro.js", "policy_data"]


def test_output_through_a_symlink_replaces_the_file_and_keeps_the_link(cli: Cli, project: Path) -> None:
    (project / "real.js").write_text("old\n", encoding="utf-8")
    (project / "link.js").symlink_to("real.js")
    assert cli(*EXPORT, "-o", "link.js", cwd=project).code == 0
    assert (project / "link.js").is_symlink()
    assert "klaro" in (project / "real.js").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("/dev/null", "is not a regular file (a device, pipe or socket); it is never replaced"),
        ("/dev/full", "is not a regular file (a device, pipe or socket); it is never replaced"),
        ("/proc/version", "cannot write the file"),
        (".", "is a folder; give a file name"),
        ("no-such-folder/out.js", "the folder no-such-folder does not exist"),
    ],
)
def test_output_refusals_exit_2_with_one_line(cli: Cli, project: Path, target: str, reason: str) -> None:
    before = os.stat(target) if os.path.exists(target) else None
    result = cli(*EXPORT, "-o", target, cwd=project)
    assert result.code == 2
    assert len(lines(result.err)) == 1
    assert lines(result.err)[0].startswith(f"policypress: -o {target}: {reason}")
    if before is not None:  # a device stays the same device
        after = os.stat(target)
        assert (stat.S_IFMT(after.st_mode), after.st_rdev) == (stat.S_IFMT(before.st_mode), before.st_rdev)
    assert sorted(p.name for p in project.iterdir()) == ["policy_data"]


def test_a_full_disk_leaves_the_old_file_and_no_temporary(
    cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import policypress.outputs as outputs

    target = project / "klaro.js"
    target.write_text("old\n", encoding="utf-8")
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd: int) -> None:
            self._handle = real_fdopen(fd, "wb")

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self._handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs.os, "fdopen", lambda fd, mode: FullDisk(fd))
    result = cli(*EXPORT, "-o", "klaro.js", cwd=project)
    assert result.code == 2
    assert lines(result.err) == ["policypress: -o klaro.js: cannot write the file (No space left on device)"]
    assert target.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in project.iterdir()) == ["klaro.js", "policy_data"]


def test_junit_creates_its_folder_and_refuses_a_device(cli: Cli) -> None:
    args = ("scan", "tests/fixtures/sites/compliant/pages", "--data", "tests/fixtures/sites/compliant/policy_data")
    refused = cli(*args, "--junit", "/dev/null", cwd=ROOT)
    assert refused.code == 2 and lines(refused.err)[-1].startswith("policypress: --junit /dev/null: is not a regular")
    assert Path("/dev/null").is_char_device()


# --- terminal output ------------------------------------------------------------


def test_values_in_the_clis_own_lines_are_escaped(cli: Cli, tmp_path: Path) -> None:
    result = cli("versions", "--data", "x\n::error::injected\x1b[2J", cwd=tmp_path)
    assert result.code == 0
    assert lines(result.out) == [
        "no releases yet in x\\n::error::injected\\x1b[2J; make one with `policypress release VERSION --effective YYYY-MM-DD`"
    ]


# --- real processes (a few) -----------------------------------------------------


def test_the_console_script_prints_its_version() -> None:
    proc = subprocess.run([str(BIN / "policypress"), "--version"], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout.strip(), proc.stderr) == (0, f"policypress {__version__}", "")


def test_the_console_script_checks_the_repository() -> None:
    proc = subprocess.run([str(BIN / "policypress"), "check"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("policy_data: ok (")


def test_a_command_imports_only_what_it_needs() -> None:
    # `check` in a pre-commit hook should not pay for the browser audit's, the diff's and the PDF's imports.
    script = (
        "import sys\nfrom policypress.cli import main\ncode = main(['check'])\n"
        "heavy = ['playwright', 'policypress.audit.auditor', 'policypress.a11y', 'policypress.diff', 'policypress.pdf']\n"
        "print(code, [name for name in heavy if name in sys.modules])\n"
    )
    proc = subprocess.run([str(BIN / "python"), "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stdout.splitlines()[-1] == "0 []", proc.stdout + proc.stderr


def test_help_lists_every_command_in_the_readmes_order(cli: Cli) -> None:
    result = cli("--help")
    listed = [line.split()[0] for line in result.out.split("Commands:\n", 1)[1].splitlines() if line[2:3].strip()]
    assert listed == ["check", "release", "seal", "versions", "diff", "export-consent", "scan", "audit", "report",
                      "schema", "init", "lint", "export", "pdf", "a11y"]


@pytest.mark.parametrize("reader", ["head -1", "true"])
def test_a_broken_pipe_is_quiet(reader: str) -> None:
    # `true` exits before policypress writes, so the write really meets a closed pipe.
    script = f'"{BIN / "policypress"}" check --format json | {reader}; echo "status ${{PIPESTATUS[0]}} ${{PIPESTATUS[1]}}"'
    proc = subprocess.run(["bash", "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.stderr == ""
    status = proc.stdout.strip().splitlines()[-1]
    assert status in ("status 0 0", "status 141 0")
