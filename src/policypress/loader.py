"""Load ``policy_data/``: parse each file, validate it against its schema, cross-check ids.

``load_policy`` is the library call behind ``policypress check`` and the MkDocs
hooks. It reports every problem of every file in one ``DataError``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import DataError, DataIssue, UsageError
from .i18n import Lang, Text, languages_list
from .model import (
    Block,
    ActivitiesFile,
    ControllerFile,
    CookiesFile,
    GeneratedTable,
    Policy,
    PolicyMeta,
    RecipientsFile,
    RightsFile,
    SectionsFile,
)
from .vocabulary import StorageType
from .schema_errors import issues_from_validation
from .yamlsource import YamlDocument, load_yaml


@dataclass(frozen=True)
class DataFile:
    name: str
    model: type[BaseModel]


DATA_FILES = (
    DataFile("policy.yaml", PolicyMeta),
    DataFile("controller.yaml", ControllerFile),
    DataFile("activities.yaml", ActivitiesFile),
    DataFile("recipients.yaml", RecipientsFile),
    DataFile("cookies.yaml", CookiesFile),
    DataFile("rights.yaml", RightsFile),
    DataFile("sections.yaml", SectionsFile),
)


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


class DataDocuments:
    """The files of one data folder, each re-read once for the positions of its values.

    The model keeps no positions; checks that report on a loaded policy (the lint, the
    proposed facts) read the file again, which costs milliseconds. A missing file reads as empty.
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._docs: dict[str, YamlDocument] = {}

    def document(self, file_name: str) -> YamlDocument:
        if file_name not in self._docs:
            path = self.data_dir / file_name
            shown = display_path(path)
            self._docs[file_name] = load_yaml(path, shown) if path.is_file() else YamlDocument(file=shown)
        return self._docs[file_name]


def _parse_file(data_dir: Path, spec: DataFile) -> tuple[YamlDocument, BaseModel | None]:
    path = data_dir / spec.name
    doc = load_yaml(path, display_path(path))  # a missing, odd or oversized file is an issue here
    if doc.issues and doc.data is None:
        return doc, None
    if doc.empty:
        required = [name for name, info in spec.model.model_fields.items() if info.is_required()]
        doc.issues.append(
            DataIssue(doc.file, 0, 0, "", f"the file is empty (only comments or blank lines); it needs: {', '.join(required)}")
        )
        return doc, None
    data: Any = doc.data if doc.data is not None else {}
    try:
        return doc, spec.model.model_validate(data)
    except ValidationError as exc:
        doc.issues.extend(issues_from_validation(exc, doc, spec.model))
        return doc, None


def _cross_references(docs: dict[str, YamlDocument], parsed: dict[str, Any]) -> list[DataIssue]:
    issues: list[DataIssue] = []
    controller: ControllerFile | None = parsed.get("controller.yaml")
    recipients: RecipientsFile | None = parsed.get("recipients.yaml")
    activities: ActivitiesFile | None = parsed.get("activities.yaml")
    cookies: CookiesFile | None = parsed.get("cookies.yaml")
    sections: SectionsFile | None = parsed.get("sections.yaml")

    if recipients is not None:
        known = sorted(recipients.recipients)
        if controller is not None and controller.controller.id in recipients.recipients:
            issues.append(
                docs["controller.yaml"].issue(
                    ("controller", "id"),
                    f"'{controller.controller.id}' is also a recipient id in recipients.yaml; ids must be unique",
                )
            )
        if activities is not None:
            for activity_id, activity in activities.activities.items():
                for i, recipient_id in enumerate(activity.recipients):
                    if recipient_id not in recipients.recipients:
                        issues.append(
                            docs["activities.yaml"].issue(
                                ("activities", activity_id, "recipients", i),
                                f"recipient '{recipient_id}' is not declared in recipients.yaml "
                                f"(declared: {', '.join(known) or 'none'})",
                            )
                        )
        if cookies is not None and controller is not None:
            providers = [controller.controller.id, *known]
            for name, cookie in cookies.cookies.items():
                if cookie.provider not in providers:
                    issues.append(
                        docs["cookies.yaml"].issue(
                            ("cookies", name, "provider"),
                            f"provider '{cookie.provider}' is neither the controller nor a recipient "
                            f"(expected one of: {', '.join(providers)})",
                        )
                    )

    if cookies is not None:
        for name, cookie in cookies.cookies.items():
            # The name pattern lets a storage key start with a path scope; a cookie has none.
            if cookie.type is StorageType.COOKIE and "/" in name:
                issues.append(
                    docs["cookies.yaml"].issue(
                        ("cookies", name),
                        f"'{name}' is a cookie, and a cookie name cannot contain '/' "
                        "(only a localStorage or sessionStorage key may start with a path scope)",
                    )
                )

    if sections is not None:
        placed: dict[GeneratedTable, tuple[Any, ...]] = {}
        for section_id, section in sections.sections.items():
            places = [((section_id,), section), *(((section_id, "subsections", sub_id), sub) for sub_id, sub in section.subsections.items())]
            for where, part in places:
                for i, table in enumerate(part.tables):
                    path: tuple[str | int, ...] = ("sections", *where, "tables", i)
                    if table in placed:
                        issues.append(
                            docs["sections.yaml"].issue(path, f"the '{table}' table is already shown in another section")
                        )
                    placed[table] = path
    return issues


def _texts(value: Any, path: tuple[str | int, ...]) -> Any:
    """Every ``Text`` in a parsed file, with its data path (a paragraph block is one too)."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, BaseModel):
        if isinstance(value, Block) and value.paragraph is not None:
            yield path, value.paragraph
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), (*path, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))


def language_issues(doc: YamlDocument, model: BaseModel, languages: tuple[Lang, ...]) -> list[DataIssue]:
    """Each text that lacks one of the policy's languages, or has another: one issue per language."""
    issues: list[DataIssue] = []
    wanted = f"(the policy's languages are {languages_list(languages)})"
    for path, value in _texts(model, ()):
        for lang in languages:
            if lang not in value:
                issues.append(doc.issue(path, f"no text for '{lang}' {wanted}", prefer_key=True))
        for lang in value.languages:
            if lang not in languages:
                issues.append(doc.issue(
                    (*path, lang.value), f"a text for '{lang}', but the policy's languages are {languages_list(languages)}"
                ))
    return issues


def load_policy(data_dir: Path | str) -> Policy:
    """Read and validate a policy data folder, or raise ``DataError`` with every problem found."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise UsageError(f"{display_path(data_dir)}: no such folder (expected the policy data, e.g. policy_data/)")
    docs: dict[str, YamlDocument] = {}
    parsed: dict[str, Any] = {}
    issues: list[DataIssue] = []
    for spec in DATA_FILES:
        doc, model = _parse_file(data_dir, spec)
        docs[spec.name] = doc
        issues.extend(doc.issues)
        if model is not None and not doc.issues:
            parsed[spec.name] = model
    meta: PolicyMeta | None = parsed.get("policy.yaml")
    if meta is not None:  # else its own issues come first: which languages the texts need is unknown
        for name, model in parsed.items():
            issues.extend(language_issues(docs[name], model, meta.languages))
    issues.extend(_cross_references(docs, parsed))
    if issues:
        raise DataError(issues)
    return Policy(
        meta=parsed["policy.yaml"],
        controller=parsed["controller.yaml"].controller,
        activities=parsed["activities.yaml"],
        recipients=parsed["recipients.yaml"].recipients,
        cookies=parsed["cookies.yaml"].cookies,
        rights=parsed["rights.yaml"],
        sections=parsed["sections.yaml"].sections,
    )
