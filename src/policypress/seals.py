"""Sealing releases: what a release folder may hold, and the seal over each manifest.

A release's ``manifest.yaml`` holds the sha256 of each frozen data file, but nothing
held the manifest's own: its summary or class could be rewritten unnoticed. The seal
file ``policy_data/releases/SEALS`` records the sha256 of every release's manifest, one
line per release in the format of ``sha256sum`` (so ``cd policy_data/releases &&
sha256sum -c SEALS`` checks it by hand):

    <sha256 of 1.0/manifest.yaml>  1.0/manifest.yaml

``policypress release`` appends the line of the release it makes; ``load_history``
refuses a release without a seal or whose manifest no longer matches it. A release
folder holds regular files only: no symlinks (a link to an identical copy elsewhere
would pass every checksum and could change later), no subfolders, nothing the manifest
does not list. Editing a manifest *and* its seal together is caught by
``check --frozen-since REV``, which compares every released file with the base branch.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import DataIssue
from .loader import display_path
from .yamlsource import read_source

SEALS = "SEALS"
MANIFEST = "manifest.yaml"
_SEAL_LINE = re.compile(r"^(?P<digest>[0-9a-f]{64}) [ *](?P<version>[^/\s]+)/manifest\.yaml$")
SEALS_HEADER = (
    "# Seals of the releases beside this file, written by `policypress release`: the sha256 of\n"
    "# each release's manifest.yaml (check by hand with `sha256sum -c SEALS`). Never edit a line.\n"
)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seal_line(version: str, digest: str) -> str:
    return f"{digest}  {version}/{MANIFEST}\n"


def read_seals(releases_dir: Path) -> tuple[dict[str, str], list[DataIssue]]:
    """``{version: sha256 of its manifest}`` from ``SEALS``; a missing file seals nothing."""
    path = releases_dir / SEALS
    shown = display_path(path)
    if not os.path.lexists(path):
        return {}, []
    if path.is_symlink():
        return {}, [DataIssue(shown, 0, 0, "", "is a symlink; the seals must be a plain file in the repository")]
    text, issues = read_source(path, shown)
    if text is None:
        return {}, issues
    seals: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _SEAL_LINE.match(line)
        if match is None:
            issues.append(DataIssue(shown, number, 1, "", "not a seal: expected '<sha256>  VERSION/manifest.yaml'"))
        elif match["version"] in seals:
            issues.append(DataIssue(shown, number, 1, "", f"release {match['version']} is sealed twice"))
        else:
            seals[match["version"]] = match["digest"]
    return seals, issues


def write_seals(releases_dir: Path, seals: list[tuple[str, str]]) -> None:
    """Write ``SEALS`` with ``(version, digest)`` in the given order, atomically."""
    staging = releases_dir / f".{SEALS}.partial"
    staging.write_text(SEALS_HEADER + "".join(seal_line(v, d) for v, d in seals), encoding="utf-8")
    os.replace(staging, releases_dir / SEALS)


def verify_seal(release_dir: Path, version: str, seals: dict[str, str]) -> list[DataIssue]:
    manifest = release_dir / MANIFEST
    seals_file = display_path(release_dir.parent / SEALS)
    if version not in seals:
        return [
            DataIssue(
                display_path(manifest), 0, 0, "",
                f"release {version} is not sealed in {seals_file}; `policypress release` seals every release "
                "(a release made before seals existed is sealed once with `policypress seal`, after checking it)",
            )
        ]
    if manifest.is_file() and sha256_file(manifest) != seals[version]:
        return [
            DataIssue(
                display_path(manifest), 0, 0, "",
                f"was edited after release {version} (its sha256 no longer matches {seals_file}); "
                "released versions are frozen, their manifests too",
            )
        ]
    return []


@dataclass(frozen=True)
class Entry:
    """One thing found under a release folder, not following symlinks."""

    relative: str  # posix path below the release folder
    path: Path
    kind: str  # "file", "folder", "symlink" or "other"


def walk(root: Path) -> list[Entry]:
    """Everything below ``root``, sorted; symlinks are reported, never followed."""
    found: list[Entry] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                path = Path(entry.path)
                mode = entry.stat(follow_symlinks=False).st_mode
                kind = (
                    "symlink" if stat.S_ISLNK(mode)
                    else "folder" if stat.S_ISDIR(mode)
                    else "file" if stat.S_ISREG(mode)
                    else "other"
                )
                found.append(Entry(path.relative_to(root).as_posix(), path, kind))
                if kind == "folder":
                    pending.append(path)
    return sorted(found, key=lambda e: e.relative)


def release_files(release_dir: Path, version: str) -> tuple[set[str], list[DataIssue]]:
    """The names of the regular files directly in ``release_dir``, and an issue for anything else."""
    names: set[str] = set()
    issues: list[DataIssue] = []
    for entry in walk(release_dir):
        shown = display_path(entry.path)
        if entry.kind == "file" and "/" not in entry.relative:
            names.add(entry.relative)
        elif entry.kind == "symlink":
            issues.append(
                DataIssue(shown, 0, 0, "", f"is a symlink inside release {version}; a release holds plain files only")
            )
        elif entry.kind == "folder":
            issues.append(
                DataIssue(shown, 0, 0, "", f"is a folder inside release {version}; a release holds plain files only")
            )
        elif entry.kind == "other":
            issues.append(
                DataIssue(shown, 0, 0, "", f"is not a plain file (a device, pipe or socket) inside release {version}")
            )
        # Files inside a refused subfolder are covered by the folder's issue.
    return names, issues

