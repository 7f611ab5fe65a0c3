"""Releases: frozen copies of the policy data, each with a manifest, and the history they form.

A release lives in ``policy_data/releases/VERSION/``: the data files as they
were on release, and ``manifest.yaml`` with the version, the effective date,
the version it supersedes, a summary in every language, the class of change
(editorial or material) and the sha256 of each frozen file. The working copy
in ``policy_data/`` itself is the draft of the next version.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from .buildcache import draft_policy, frozen_policy
from .errors import DataError, DataIssue, UsageError
from .i18n import Text
from .loader import DATA_FILES, display_path, load_policy
from .model import Policy
from .schema_errors import issues_from_validation
from .seals import MANIFEST, SEALS, read_seals, release_files, sha256_file, verify_seal
from .yamlsource import load_yaml

RELEASES_DIR = "releases"
# Each part at most nine digits: a version is a name people read, and larger numbers would
# only be typos (or an attempt to make int() of thousands of digits fail).
VERSION_PATTERN = re.compile(r"^(0|[1-9]\d{0,8})(\.(0|[1-9]\d{0,8})){1,2}$")
VERSION_HINT = "write MAJOR.MINOR such as 1.0 or 2.1 (or MAJOR.MINOR.PATCH), each part at most 9 digits"


def shown_version(value: str) -> str:
    """``value`` for a message: at most 40 characters, so a runaway argument stays one readable line."""
    return value if len(value) <= 40 else value[:40] + "..."


class ReleaseClass(StrEnum):
    """Editorial: wording only, no fact changes. Material: changes a reader must be told about in advance."""

    EDITORIAL = "editorial"
    MATERIAL = "material"


def check_version(value: str) -> str:
    if not VERSION_PATTERN.match(value):
        raise ValueError(f"'{shown_version(value)}' is not a version: {VERSION_HINT}")
    return value


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def check_date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{value}' is not a date: write YYYY-MM-DD") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"'{value}' is not a date: write YYYY-MM-DD")
    return value


Version = Annotated[str, AfterValidator(check_version)]
IsoDate = Annotated[str, AfterValidator(check_date)]


class ReleaseManifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    version: Version
    effective: IsoDate
    supersedes: Version | None = None
    change_class: ReleaseClass = Field(alias="class")
    summary: Text
    files: dict[str, str]

    @property
    def effective_date(self) -> dt.date:
        return dt.date.fromisoformat(self.effective)


@dataclass(frozen=True)
class Release:
    manifest: ReleaseManifest
    path: Path
    # Where parsed releases are kept between builds (None: in memory only); see buildcache.
    cache_dir: Path | None = None

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def effective(self) -> dt.date:
        return self.manifest.effective_date

    @cached_property
    def manifest_sha256(self) -> str:
        """The sealed checksum of the manifest, which names every frozen file's."""
        return sha256_file(self.path / MANIFEST)

    @cached_property
    def policy(self) -> Policy:
        # Only read after load_history verified the seal and the files against these checksums.
        return frozen_policy(self.manifest_sha256, self.manifest.files, lambda: load_policy(self.path), self.cache_dir)


def _read_manifest(release_dir: Path) -> tuple[ReleaseManifest | None, list[DataIssue]]:
    path = release_dir / MANIFEST
    if path.is_symlink():
        return None, [DataIssue(display_path(path), 0, 0, "", "is a symlink; a release holds plain files only")]
    doc = load_yaml(path, display_path(path)) if path.is_file() else None
    if doc is None:
        return None, [DataIssue(display_path(path), 0, 0, "", f"release '{release_dir.name}' has no {MANIFEST}")]
    if doc.issues:
        return None, doc.issues
    try:
        manifest = ReleaseManifest.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        return None, issues_from_validation(exc, doc, ReleaseManifest)
    if manifest.version != release_dir.name:
        return None, [doc.issue(("version",), f"'{manifest.version}' does not match the folder name '{release_dir.name}'")]
    return manifest, []


def _verify_files(release_dir: Path, manifest: ReleaseManifest) -> list[DataIssue]:
    """Every frozen file is present and unchanged, nothing was added, and nothing is a symlink."""
    expected = {spec.name for spec in DATA_FILES}
    listed = set(manifest.files)
    present, issues = release_files(release_dir, manifest.version)
    present.discard(MANIFEST)
    for name in sorted(expected - listed):
        issues.append(DataIssue(display_path(release_dir / MANIFEST), 0, 0, f"files.{name}", "no checksum recorded"))
    for name in sorted(present - listed):
        issues.append(
            DataIssue(
                display_path(release_dir / name), 0, 0, "",
                f"file was added to release {manifest.version} after it was released; released versions are frozen",
            )
        )
    for name in sorted(listed):
        path = release_dir / name
        if name not in present:  # a symlink or folder of that name is reported above
            if os.path.lexists(path):
                continue
            issues.append(
                DataIssue(display_path(path), 0, 0, "", f"file of release {manifest.version} is missing; released versions are frozen")
            )
        elif sha256_file(path) != manifest.files[name]:
            issues.append(
                DataIssue(
                    display_path(path), 0, 0, "",
                    f"file was edited after release {manifest.version} (its sha256 no longer matches the manifest); "
                    "released versions are frozen: undo the edit (e.g. `git checkout -- "
                    f"{display_path(path)}`) and make the change in the draft for the next release",
                )
            )
    return issues


@dataclass(frozen=True)
class History:
    """Every release, in version order, and the draft working copy."""

    data_dir: Path
    releases: tuple[Release, ...]
    cache_dir: Path | None = None  # where the parsed draft is kept between builds (see ``buildcache``)

    def get(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def current(self, on: dt.date) -> Release | None:
        """The release in effect on ``on``: the latest whose effective date has come."""
        in_effect = [r for r in self.releases if r.effective <= on]
        return in_effect[-1] if in_effect else None

    def upcoming(self, on: dt.date) -> list[Release]:
        return [r for r in self.releases if r.effective > on]

    def successor(self, release: Release) -> Release | None:
        """The release that replaced (or will replace) ``release``."""
        later = [r for r in self.releases if version_key(r.version) > version_key(release.version)]
        return later[0] if later else None

    def pairs(self) -> list[tuple[Release, Release]]:
        return list(zip(self.releases, self.releases[1:]))

    @cached_property
    def draft(self) -> Policy:
        if self.cache_dir is None:
            return load_policy(self.data_dir)
        return draft_policy(self.data_dir, [spec.name for spec in DATA_FILES], lambda: load_policy(self.data_dir),
                            self.cache_dir)


def load_history(data_dir: Path | str, *, before_seals: bool = False, cache_dir: Path | None = None) -> History:
    """Read and verify every release. Raises ``DataError`` listing every problem found.

    ``before_seals``: the folder is an old git revision, from before releases were
    sealed; when it has no ``SEALS`` at all, its releases need none (all else is checked).
    ``cache_dir``: keep the parsed releases there between processes (see ``buildcache``).
    """
    data_dir = Path(data_dir)
    releases_dir = data_dir / RELEASES_DIR
    releases: list[Release] = []
    issues: list[DataIssue] = []
    if releases_dir.is_symlink():
        issues.append(DataIssue(display_path(releases_dir), 0, 0, "", "is a symlink; releases must be a plain folder"))
    elif releases_dir.is_dir():
        seals, issues = read_seals(releases_dir)
        folders: set[str] = set()
        for release_dir in sorted(releases_dir.iterdir()):
            if release_dir.name == SEALS:
                continue
            if release_dir.is_symlink() or not release_dir.is_dir():
                kind = "a symlink" if release_dir.is_symlink() else "not a folder"
                issues.append(
                    DataIssue(display_path(release_dir), 0, 0, "",
                              f"is {kind}; {RELEASES_DIR}/ holds only release folders and {SEALS}")
                )
                continue
            if not VERSION_PATTERN.match(release_dir.name):
                issues.append(DataIssue(display_path(release_dir), 0, 0, "", "folder name is not a version such as 1.0"))
                continue
            folders.add(release_dir.name)
            manifest, problems = _read_manifest(release_dir)
            issues.extend(problems)
            if manifest is None:
                continue
            issues.extend(_verify_files(release_dir, manifest))
            if not (before_seals and not os.path.lexists(releases_dir / SEALS)):
                issues.extend(verify_seal(release_dir, manifest.version, seals))
            releases.append(Release(manifest, release_dir, cache_dir))
        for version in sorted(set(seals) - folders):
            issues.append(
                DataIssue(display_path(releases_dir / SEALS), 0, 0, "",
                          f"release {version} is sealed but its folder is missing; released versions are never removed")
            )
    releases.sort(key=lambda r: version_key(r.version))
    issues.extend(_check_sequence(releases))
    if issues:
        raise DataError(issues)
    for release in releases:  # frozen data must still load, or no page can be built from it
        try:
            release.policy
        except DataError as exc:
            issues.extend(exc.issues)
    if issues:
        raise DataError(issues)
    return History(data_dir=data_dir, releases=tuple(releases), cache_dir=cache_dir)


def _check_sequence(releases: list[Release]) -> list[DataIssue]:
    issues = []
    for previous, release in zip(releases, releases[1:]):
        where = display_path(release.path / MANIFEST)
        if release.effective < previous.effective:
            issues.append(
                DataIssue(where, 0, 0, "effective",
                          f"{release.effective} is earlier than the effective date of {previous.version} ({previous.effective})")
            )
        if release.manifest.supersedes != previous.version:
            issues.append(
                DataIssue(where, 0, 0, "supersedes",
                          f"'{release.manifest.supersedes}' should be '{previous.version}', the release before it")
            )
    return issues


def build_date(environ: dict[str, str]) -> dt.date:
    """The date a build treats as today: ``POLICY_DATE``, else ``SOURCE_DATE_EPOCH``, else today (UTC).

    Pinning it makes a build reproducible: which release is current depends on it.
    """
    if environ.get("POLICY_DATE"):
        try:
            return dt.date.fromisoformat(check_date(environ["POLICY_DATE"]))
        except ValueError as exc:
            raise UsageError(f"POLICY_DATE: {exc}") from None
    if environ.get("SOURCE_DATE_EPOCH"):
        try:
            return dt.datetime.fromtimestamp(int(environ["SOURCE_DATE_EPOCH"]), tz=dt.timezone.utc).date()
        except ValueError:
            raise UsageError(f"SOURCE_DATE_EPOCH: '{environ['SOURCE_DATE_EPOCH']}' is not a number of seconds") from None
    return dt.datetime.now(tz=dt.timezone.utc).date()
