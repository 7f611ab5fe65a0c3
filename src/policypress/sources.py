"""Where a side of a diff comes from: a release, the draft, or either at a git revision."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import DataIssue, UsageError
from .loader import display_path
from .model import Policy
from .seals import walk
from .site import DRAFT
from .versions import MANIFEST, RELEASES_DIR, History, load_history
from .yamlsource import load_yaml


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
        yield load_history(copy, before_seals=True)  # a revision may predate seals


def frozen_changes(data_dir: Path, revision: str) -> list[DataIssue]:
    """Paths of every release that existed at ``revision`` and differ now: added, removed or changed.

    A release, once merged, never changes. Its manifest's checksums catch an edited file,
    and the seal an edited manifest, but not a file edited together with its checksum and
    seal; comparing every file byte for byte with the base branch catches that too.
    """
    issues: list[DataIssue] = []
    with data_at_revision(data_dir, revision) as before:
        releases = before / RELEASES_DIR
        if not releases.is_dir():
            return issues
        for old_release in sorted(p for p in releases.iterdir() if p.is_dir()):
            version = old_release.name
            here = data_dir / RELEASES_DIR / version
            old = {e.relative: e for e in walk(old_release) if e.kind == "file"}
            new = {e.relative: e for e in walk(here)} if here.is_dir() and not here.is_symlink() else {}
            for name in sorted(old.keys() | new.keys()):
                shown = display_path(here / name)
                if name not in new:
                    issues.append(DataIssue(shown, 0, 0, "", f"released in {version} at {revision} and deleted since"))
                elif name not in old:
                    if new[name].kind != "folder" or not any(n.startswith(name + "/") for n in new):
                        issues.append(
                            DataIssue(shown, 0, 0, "", f"added to release {version} since {revision}, where it was already published")
                        )
                elif new[name].kind != "file":
                    issues.append(DataIssue(shown, 0, 0, "", f"is no longer a plain file (it is a {new[name].kind}) since {revision}"))
                elif new[name].path.read_bytes() != old[name].path.read_bytes():
                    if name == MANIFEST and _manifest_files(new[name].path) != _manifest_files(old[name].path):
                        issues.append(DataIssue(shown, 0, 0, "files", f"checksums differ from {revision}: released files are frozen"))
                    else:
                        issues.append(
                            DataIssue(shown, 0, 0, "", f"differs from {revision}, where release {version} was already published")
                        )
    return issues


def _manifest_files(path: Path) -> object:
    # load_yaml, not yaml.safe_load: the manifest here is whatever the branch holds.
    data = load_yaml(path, display_path(path)).data
    return data.get("files") if isinstance(data, dict) else None
