"""Where the facts of a release came from: ``policy_data/provenance.yaml``.

A release is frozen, but what we learn about its history is not: version 1.0 holds
facts (cookie names, durations) that the published text never stated and that the
data owner supplied when the text became data. This file lists them per release, by
their path in the release's data; each path must exist there. Release pages mark
them, and "what changed" pages touching the release list them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field, ValidationError

from .errors import DataError, DataIssue
from .loader import DATA_FILES, display_path
from .model import Model
from .schema_errors import issues_from_validation
from .versions import History, Version
from .yamlsource import format_path, load_yaml

PROVENANCE_FILE = "provenance.yaml"


class ReleaseProvenance(Model):
    added_by_data_owner: tuple[str, ...] = Field(
        default=(),
        description="Paths in the release's data (such as cookies._ga or cookies._ga.duration) of facts that "
        "are not in the text published on the website: the data owner added them.",
    )


class ProvenanceFile(Model):
    releases: dict[Version, ReleaseProvenance] = Field(
        default_factory=dict, description="Per released version, where its facts came from."
    )


# The first part of a path names its file: cookies.* is in cookies.yaml, title in policy.yaml.
_FILE_OF = {"title": "policy.yaml"} | {spec.name.removesuffix(".yaml"): spec.name for spec in DATA_FILES}


@dataclass(frozen=True)
class Provenance:
    added: dict[str, frozenset[str]] = field(default_factory=dict)

    def paths(self, version: str) -> frozenset[str]:
        """The paths in ``version`` added by the data owner (none for the draft or an unlisted release)."""
        return self.added.get(version, frozenset())


def _known_paths(release_dir: Path, file_name: str) -> set[str]:
    doc = load_yaml(release_dir / file_name, display_path(release_dir / file_name))
    return {format_path(path) for path in doc.values}


def load_provenance(history: History) -> Provenance:
    """Read and check ``provenance.yaml`` beside the draft; no file means nothing is recorded.
    Raises ``DataError`` for an unknown release or a path its data does not have."""
    path = history.data_dir / PROVENANCE_FILE
    if not path.is_file():
        return Provenance()
    doc = load_yaml(path, display_path(path))
    if doc.issues:
        raise DataError(doc.issues)
    try:
        parsed = ProvenanceFile.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        raise DataError(issues_from_validation(exc, doc, ProvenanceFile)) from None
    issues: list[DataIssue] = []
    added: dict[str, frozenset[str]] = {}
    for version, entry in parsed.releases.items():
        release = history.get(version)
        if release is None:
            issues.append(doc.issue(("releases", version), f"there is no release {version}"))
            continue
        known: dict[str, set[str]] = {}
        for i, fact in enumerate(entry.added_by_data_owner):
            file_name = _FILE_OF.get(fact.split(".", 1)[0].split("[", 1)[0])
            if file_name is not None and file_name not in known:
                known[file_name] = _known_paths(release.path, file_name)
            if file_name is None or fact not in known[file_name]:
                issues.append(
                    doc.issue(("releases", version, "added_by_data_owner", i),
                              f"'{fact}' is not a path in the data of release {version}")
                )
        added[version] = frozenset(entry.added_by_data_owner)
    if issues:
        raise DataError(issues)
    return Provenance(added)
