"""Calling the command line in-process: ``policypress.cli.main([...])`` with captured output.

A test module imports the ``cli`` fixture (``from clirun import cli  # noqa: F401``) and calls
``cli("check", "--data", "policy_data", cwd=tmp_path)``; the result unpacks as
``(code, out, err)`` and also answers ``returncode``/``stdout``/``stderr`` like a finished
subprocess, so assertions read the same either way. The working directory and the
environment are changed through ``monkeypatch`` only, so tests stay independent (xdist).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest

from policypress.cli import main


class CliResult(NamedTuple):
    code: int
    out: str
    err: str

    @property
    def returncode(self) -> int:
        return self.code

    @property
    def stdout(self) -> str:
        return self.out

    @property
    def stderr(self) -> str:
        return self.err


Cli = Callable[..., CliResult]


def run_main(*args: str | Path) -> CliResult:
    """``policypress ARGS`` in this process, its standard output and error captured: for callers that
    are no test function (a module's fixture); tests take the ``cli`` fixture."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Cli:
    def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        return run_main(*args)

    return run


@pytest.fixture
def cli_browser(cli: Cli, browser: object) -> Cli:
    """``cli`` with the session's Chromium lent to the command (``policypress.audit.browser.lent``).

    A command that starts a browser (``audit``, ``a11y``) uses it instead of starting Playwright's driver and
    Chromium of its own (about 2 s of CPU each time); Playwright's sync API allows one driver a thread, and the
    worker's is the session's. Without ``--jobs`` an audit then runs in it alone, as with a browser given to the API. Under ``CI=true`` a missing Chromium fails the test (the ``browser`` fixture).
    """
    from policypress.audit.browser import lent

    def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
        if not browser.is_connected():  # type: ignore[attr-defined]
            pytest.fail("the session's Chromium is gone (it crashed or was closed by an earlier test)")
        with lent(browser):
            return cli(*args, cwd=cwd, env=env)

    return run
