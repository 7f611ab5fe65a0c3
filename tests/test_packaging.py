"""Packaging: the wheel alone gives a working `policypress`, templates, signatures and skeleton included.

Offline on purpose: the wheel is built with --no-isolation (the venv's pinned setuptools),
installed with --no-index --no-deps into a fresh virtual environment, and the
dependencies come from this venv's site-packages through a .pth file. A .pth line is
appended after the new venv's own site-packages (PYTHONPATH would come first), so
`import policypress` finds the wheel's copy, never this repository's editable install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def run(cwd: Path, *command: str | Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "POLICYPRESS_GA_PROPERTY")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    proc = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{command} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources so that no build/ or egg-info lands in the work tree."""
    import setuptools  # noqa: F401  (--no-isolation builds with the venv's own setuptools)

    tmp = tmp_path_factory.mktemp("build")
    source = tmp / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheelhouse = tmp / "wheelhouse"
    run(source, sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", wheelhouse)
    (built,) = wheelhouse.glob("policypress-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment (no system site-packages) with only the wheel installed into it."""
    target = tmp_path_factory.mktemp("venv") / "venv"
    run(target.parent, sys.executable, "-m", "venv", target)
    python = target / "bin" / "python"
    run(target.parent, python, "-m", "pip", "install", "--no-index", "--no-deps", "--find-links", wheel.parent, "policypress")
    purelib = run(target.parent, python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    (Path(purelib) / "policypress_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return target


def test_the_wheel_holds_templates_signatures_skeleton_and_the_command(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in [
        "policypress/templates/policy.html.j2",
        "policypress/trackers/data/analytics.yaml",
        "policypress/py.typed",
        "policypress/skeleton/mkdocs.yml",
        "policypress/skeleton/docs/index.md",
        "policypress/skeleton/docs/en/index.md",
        "policypress/skeleton/docs/sv/index.md",
        "policypress/mkdocs/theme/partials/consent.html",
        "policypress/mkdocs/theme/policypress/policypress.css",
        "policypress/skeleton/policy_data/cookies.yaml",
    ]:
        assert required in names, required
    skeleton = ROOT / "src" / "policypress" / "skeleton"
    in_tree = {f"policypress/skeleton/{p.relative_to(skeleton).as_posix()}" for p in skeleton.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert in_tree <= names, f"package-data globs in pyproject.toml miss: {sorted(in_tree - names)}"
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "policypress = policypress.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "policypress = policypress.mkdocs.plugin:PolicyPressPlugin" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_installed_command_runs_from_the_wheel(venv):
    where = run(venv, venv / "bin" / "python", "-c", "import policypress; print(policypress.__file__)").stdout
    assert where.strip().startswith(str(venv)), f"policypress imported from {where.strip()}, not from the wheel"
    version = run(venv, venv / "bin" / "policypress", "--version").stdout.strip()
    assert version.startswith("policypress ") and "unknown" not in version


def test_init_from_the_wheel_builds_and_scans(venv, tmp_path):
    run(tmp_path, venv / "bin" / "policypress", "init", "project", "--name", "Wheel AB")
    project = tmp_path / "project"
    run(project, venv / "bin" / "policypress", "check")
    # MkDocs under the new venv's interpreter, so that it loads the wheel's policypress plugin.
    build = run(project, venv / "bin" / "python", "-m", "mkdocs", "build", "--strict")
    assert "policypress scan: scanned" in build.stderr
    assert "Wheel AB" in (project / "site" / "en" / "privacy-policy" / "index.html").read_text(encoding="utf-8")
    run(project, venv / "bin" / "policypress", "scan", "site")
