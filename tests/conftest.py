"""Shared fixtures: the repository, real MkDocs builds, a local web server and Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
    base = {k: v for k, v in os.environ.items() if k != "POLICYPRESS_GA_PROPERTY"}
    full_env = {**base, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    proc = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
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
