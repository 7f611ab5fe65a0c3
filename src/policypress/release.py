"""``policypress release``: freeze the draft in ``policy_data/`` as a new version."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import yaml

from .diff import diff_policies
from .errors import DataError, PolicyPressError
from .i18n import Text
from .loader import DATA_FILES, display_path, load_policy
from .proposed import refuse_unconfirmed
from .seals import read_seals, write_seals
from .versions import (
    MANIFEST,
    RELEASES_DIR,
    VERSION_HINT,
    VERSION_PATTERN,
    Release,
    ReleaseClass,
    ReleaseManifest,
    load_history,
    sha256_file,
    shown_version,
    version_key,
)

MANIFEST_HEADER = """\
# Release manifest, written by `policypress release`. The data files beside it are
# frozen: the build fails if one of them no longer matches its sha256 below.
# The effective date may be corrected by the data owner before publication.
"""


# The editor hint at the top of a draft file points at policy_data/schema/; from
# policy_data/releases/VERSION/ the same schemas are two folders up.
_SCHEMA_HINT = b"# yaml-language-server: $schema=schema/"
_FROZEN_SCHEMA_HINT = b"# yaml-language-server: $schema=../../schema/"


def _frozen_copy(content: bytes) -> bytes:
    if content.startswith(_SCHEMA_HINT):
        return _FROZEN_SCHEMA_HINT + content[len(_SCHEMA_HINT):]
    return content


class ReleaseRefused(PolicyPressError):
    """The release cannot be made as asked; nothing was written."""


def create_release(
    data_dir: Path,
    version: str,
    effective: dt.date,
    change_class: ReleaseClass,
    summary: Text,
) -> Release:
    if not VERSION_PATTERN.match(version):
        raise ReleaseRefused(f"'{shown_version(version)}' is not a version: {VERSION_HINT}")
    history = load_history(data_dir)
    existing = history.get(version)
    if existing is not None:
        raise ReleaseRefused(
            f"release {version} exists already (effective {existing.effective}); a release is never "
            "overwritten: choose the next version number"
        )
    latest = history.latest
    if latest is not None:
        if version_key(version) <= version_key(latest.version):
            raise ReleaseRefused(f"version {version} must be greater than the latest release, {latest.version}")
        if effective < latest.effective:
            raise ReleaseRefused(
                f"effective date {effective} is earlier than that of the previous release "
                f"{latest.version} ({latest.effective})"
            )
    draft = load_policy(data_dir)  # raises DataError: an invalid draft is never frozen
    # A release is published as true: every proposed fact must be confirmed, every review note resolved.
    refuse_unconfirmed(draft, data_dir, f"the draft in {display_path(data_dir)}", f"release {version} refused")
    if latest is not None and draft == latest.policy:
        raise ReleaseRefused(f"the draft in {display_path(data_dir)} is the same as release {latest.version}: nothing to release")
    if latest is not None and change_class is ReleaseClass.EDITORIAL:
        facts = diff_policies(latest.policy, draft).fact_changes
        if facts:
            listed = "\n".join(f"  {change.kind}: {change.display_path}" for change in facts)
            raise ReleaseRefused(
                f"an editorial release changes wording only, but the draft changes facts since {latest.version}:\n"
                f"{listed}\nrelease it as --class material"
            )

    releases_dir = data_dir / RELEASES_DIR
    releases_dir.mkdir(exist_ok=True)
    target = releases_dir / version
    staging = releases_dir / f".{version}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for spec in DATA_FILES:
            (staging / spec.name).write_bytes(_frozen_copy((data_dir / spec.name).read_bytes()))
        manifest = {
            "version": version,
            "effective": effective.isoformat(),
            "supersedes": latest.version if latest else None,
            "class": change_class.value,
            "summary": summary.as_dict(),
            "files": {spec.name: sha256_file(staging / spec.name) for spec in DATA_FILES},
        }
        validated = ReleaseManifest.model_validate(manifest)
        text = MANIFEST_HEADER + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=100)
        (staging / MANIFEST).write_text(text, encoding="utf-8")
        # Rename last, so an interrupted release leaves no half-written version behind.
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _seal(releases_dir, {version: sha256_file(target / MANIFEST)})
    return Release(validated, target)


def _seal(releases_dir: Path, new: dict[str, str]) -> None:
    seals, issues = read_seals(releases_dir)
    if issues:
        raise DataError(issues)
    seals.update(new)
    write_seals(releases_dir, sorted(seals.items(), key=lambda item: version_key(item[0])))


def seal_releases(data_dir: Path | str) -> list[str]:
    """Seal the releases made before seals existed; return their versions (see seals.py).

    Run once, after checking that each unsealed manifest is the one that was published
    (e.g. against the tag or the live site): a seal vouches for whatever it finds.
    Refuses (``DataError``) when the history is invalid for any reason but missing seals.
    """
    releases_dir = Path(data_dir) / RELEASES_DIR
    seals, issues = read_seals(releases_dir)
    if issues:
        raise DataError(issues)
    unsealed = {
        folder.name: sha256_file(folder / MANIFEST)
        for folder in sorted(releases_dir.iterdir() if releases_dir.is_dir() else [])
        if folder.name not in seals and folder.is_dir() and not folder.is_symlink() and (folder / MANIFEST).is_file()
        and not (folder / MANIFEST).is_symlink() and VERSION_PATTERN.match(folder.name)
    }
    if not unsealed:
        return []
    before = sorted(seals.items(), key=lambda item: version_key(item[0]))
    _seal(releases_dir, unsealed)
    try:
        load_history(data_dir)  # everything else about the releases must hold already
    except DataError:
        write_seals(releases_dir, before)
        raise
    return sorted(unsealed, key=version_key)
