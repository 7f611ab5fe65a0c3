"""Where a side of a diff comes from: a release, the draft, or either at a git revision."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

from .errors import DataIssue, UsageError
from .loader import display_path
from .model import Policy
from .site import DRAFT
from .versions import MANIFEST, RELEASES_DIR, History, load_history


def resolve_side(history: History, spec: str) -> Policy:
    """``draft`` or a release version of ``history``."""
    if spec == DRAFT:
        return history.draft
    release = history.get(spec)
    if release is None:
        known = ", ".join(r.version for r in history.releases) or "none yet"
        raise UsageError(f"'{spec}' is neither 'draft' nor a release (releases: {known})")
    return release.policy


def _git(repo: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise UsageError("--git needs the git command, which is not installed") from None
    if proc.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {proc.stderr.strip() or 'failed'}")
    return proc.stdout


@contextmanager
def data_at_revision(data_dir: Path, revision: str) -> Iterator[Path]:
    """A temporary copy of ``data_dir`` as it was at ``revision``; the work tree is not touched."""
    data_dir = data_dir.resolve()
    top = Path(_git(data_dir if data_dir.is_dir() else data_dir.parent, "rev-parse", "--show-toplevel").strip())
    relative = data_dir.relative_to(top).as_posix()
    commit = _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
    names = _git(top, "ls-tree", "-r", "--name-only", commit, "--", relative).splitlines()
    if not names:
        raise UsageError(f"{relative}/ does not exist at git revision '{revision}'")
    tmp = Path(tempfile.mkdtemp(prefix="policypress-git-"))
    try:
        target = tmp / "policy_data"
        for name in names:
            path = target / Path(name).relative_to(relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            blob = subprocess.run(["git", "-C", str(top), "show", f"{commit}:{name}"], capture_output=True, check=True)
            path.write_bytes(blob.stdout)
        yield target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def history_source(data_dir: Path, revision: str | None) -> Iterator[History]:
    if revision is None:
        yield load_history(data_dir)
        return
    with data_at_revision(data_dir, revision) as copy:
        yield load_history(copy)


def frozen_changes(data_dir: Path, revision: str) -> list[DataIssue]:
    """Released files that differ from ``revision``: a release, once merged, never changes.

    Its manifest's checksums catch an edited file, but not one edited together with
    its checksum; comparing with the base branch catches both.
    """
    issues: list[DataIssue] = []
    with data_at_revision(data_dir, revision) as before:
        releases = before / RELEASES_DIR
        if not releases.is_dir():
            return issues
        for old_release in sorted(p for p in releases.iterdir() if p.is_dir()):
            here = data_dir / RELEASES_DIR / old_release.name
            for old_file in sorted(p for p in old_release.iterdir() if p.is_file()):
                current = here / old_file.name
                shown = display_path(current)
                if not current.is_file():
                    issues.append(DataIssue(shown, 0, 0, "", f"released in {old_release.name} at {revision} and deleted since"))
                elif old_file.name == MANIFEST:
                    if _manifest_files(current) != _manifest_files(old_file):
                        issues.append(DataIssue(shown, 0, 0, "files", f"checksums differ from {revision}: released files are frozen"))
                elif current.read_bytes() != old_file.read_bytes():
                    issues.append(
                        DataIssue(shown, 0, 0, "", f"differs from {revision}, where release {old_release.name} was already published")
                    )
    return issues


def _manifest_files(path: Path) -> object:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get("files") if isinstance(data, dict) else None
