"""Shared fixtures: the repository, real MkDocs builds, a local web server and Chromium."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest

from policypress.chromium import CHROMIUM_ARGS
from policypress.localserver import serve_directory

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = Path(os.environ.get("POLICYPRESS_CHROMIUM", "/usr/bin/chromium"))
BUILD_DATE = "2026-11-25"
# The parts of the repository a build reads.
PROJECT_PARTS = ("mkdocs.yml", "docs", "hooks", "policy_data")


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    site: Path


def run_mkdocs_build(project: Path, site_dir: Path, env: dict[str, str] | None = None) -> BuildResult:
    """``mkdocs build --strict --site-dir SITE`` in ``project``, through MkDocs' own command line, in this process.

    What the command prints (MkDocs' log, its "Aborted with …" line) and its exit code come back as they
    would from a process of its own; a traceback, which would end such a process with 1, is its stderr.
    A fresh process cost about 1 s of CPU per build, importing MkDocs, Material and policypress again.
    The environment is the test's with ``env`` on top (``POLICYPRESS_GA_PROPERTY`` only if given) and
    is put back afterwards, as are the working directory, MkDocs' loggers and the warning filters; policypress's
    in-memory memos are emptied first. ``run_mkdocs_process`` builds in a process of its own.
    """
    from mkdocs.__main__ import cli as mkdocs_command
    from mkdocs.commands import build as mkdocs_build

    from policypress.kept import forget_all

    forget_all()  # policypress's in-memory memos: only what a new process would find (the disk cache) is left
    logger = logging.getLogger("mkdocs")
    log_state = (logger.level, logger.propagate, list(logger.handlers))
    build_filters = list(mkdocs_build.log.filters)  # MkDocs adds a filter of repeated messages per run
    out, err = io.StringIO(), io.StringIO()
    try:
        # patch.dict puts the whole environment back; catch_warnings, the warning filters MkDocs' command sets.
        with mock.patch.dict(os.environ), contextlib.chdir(project), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err), warnings.catch_warnings():
            os.environ.pop("POLICYPRESS_GA_PROPERTY", None)
            os.environ.update({"NO_MKDOCS_2_WARNING": "1", **(env or {})})
            try:
                mkdocs_command.main(["build", "--strict", "--site-dir", str(site_dir)], prog_name="mkdocs")
                code = 0
            except SystemExit as exc:  # click's standalone mode: the exit code MkDocs' command ends with
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
            except Exception:  # noqa: BLE001 - what a process of its own would print before exiting with 1
                traceback.print_exc()
                code = 1
    finally:
        logger.setLevel(log_state[0])
        logger.propagate = log_state[1]
        logger.handlers[:] = log_state[2]  # MkDocs adds a handler per run (removed when its state is collected)
        mkdocs_build.log.filters[:] = build_filters
    return BuildResult(code, out.getvalue(), err.getvalue(), site_dir)


def run_mkdocs_process(project: Path, site_dir: Path, env: dict[str, str] | None = None) -> BuildResult:
    """``mkdocs build --strict --site-dir SITE`` in ``project``, in a process of its own (its own hash seed)."""
    base = {k: v for k, v in os.environ.items() if k != "POLICYPRESS_GA_PROPERTY"}
    proc = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)], cwd=project,
        env={**base, "NO_MKDOCS_2_WARNING": "1", **(env or {})}, capture_output=True, text=True, timeout=300,
    )
    return BuildResult(proc.returncode, proc.stdout, proc.stderr, site_dir)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's build inputs, free to be edited by one test."""
    target = tmp_path / "project"
    target.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    return target


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A copy of policy_data/ (draft and releases), with policypress's in-memory caches empty around the test."""
    from policypress import buildcache

    target = tmp_path / "policy_data"
    shutil.copytree(ROOT / "policy_data", target)
    buildcache.clear_memory()
    yield target
    buildcache.clear_memory()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, built once from the repository by MkDocs with our hooks."""
    site = tmp_path_factory.mktemp("site") / "site"
    # Pinned: the date all three shipped releases took effect; 1.2 is in effect.
    result = run_mkdocs_build(ROOT, site, env={"POLICY_DATE": BUILD_DATE})
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def ga_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built once with a Google Analytics property (G-TEST123), which Material's consent holds back.

    Only read: the tests that edit the project build their own copy (``project_copy``)."""
    site = tmp_path_factory.mktemp("ga-site") / "site"
    result = run_mkdocs_build(ROOT, site, env={"POLICY_DATE": BUILD_DATE, "POLICYPRESS_GA_PROPERTY": "G-TEST123"})
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright. Under CI=true it must run, never skip."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: run `make browser` (Debian package chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    from policypress.audit.browser import AUDIT_ARGS

    # The audit's own switches (its name resolution stops at this machine), so that a browser lent to the
    # command line (``audit.browser.lent``) is the one the command would have started.
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *AUDIT_ARGS])
        yield instance
        instance.close()


@dataclass
class LocalContext:
    """A browser context whose requests to any host but 127.0.0.1 are stopped in the browser."""

    context: object
    blocked: list[str]


@pytest.fixture
def local_context(browser) -> Iterator[LocalContext]:
    from policypress.audit.browser import CONTEXT_OPTIONS

    # Reduced motion, as the tools' contexts: nothing is measured halfway through a fade.
    context = browser.new_context(**CONTEXT_OPTIONS)
    blocked: list[str] = []

    def keep_local(route) -> None:
        url = route.request.url
        if url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", keep_local)
    yield LocalContext(context, blocked)
    context.close()
