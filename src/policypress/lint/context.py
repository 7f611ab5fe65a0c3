"""The state of one lint run: the policy, its YAML files (for positions) and the findings so far."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import Lang, Text
from ..loader import DataDocuments
from ..model import Policy, Subsection
from ..yamlsource import PathKey, YamlDocument, format_path
from .findings import NEEDS_INPUT, Finding, Location, Rule, Severity


@dataclass
class LintContext:
    policy: Policy
    data_dir: Path
    findings: list[Finding] = field(default_factory=list)
    _files: DataDocuments = field(init=False)

    def __post_init__(self) -> None:
        self._files = DataDocuments(self.data_dir)

    def document(self, file_name: str) -> YamlDocument:
        return self._files.document(file_name)

    def locate(self, file_name: str, path: PathKey) -> Location:
        # A missing key is reported where its nearest existing parent stands: that is where it belongs.
        doc = self.document(file_name)
        pos = doc.position(path)
        return Location(doc.file, pos.line, pos.column, format_path(path))

    def report(
        self,
        rule: Rule,
        file_name: str,
        path: PathKey,
        message: str,
        fix: str,
        *,
        severity: Severity | None = None,
        needs_input: bool = False,
    ) -> None:
        if needs_input:
            message = f"{message} ({NEEDS_INPUT})"
        self.findings.append(
            Finding(
                rule=rule,
                severity=severity or rule.severity,
                location=self.locate(file_name, path),
                message=message,
                fix=fix,
                needs_input=needs_input,
            )
        )


def all_languages(value: Text | None) -> str:
    """Every language of a text in one string, for keyword tests that must work in either language."""
    if value is None:
        return ""
    return " ".join(written for _, written in value.items())


def prose(policy: Policy) -> Iterator[tuple[PathKey, Text]]:
    """Every paragraph and list item of ``sections.yaml`` with its path, in reading order."""
    for section_id, section in policy.sections.items():
        yield from _blocks(("sections", section_id), section)
        for sub_id, sub in section.subsections.items():
            yield from _blocks(("sections", section_id, "subsections", sub_id), sub)


def _blocks(base: PathKey, section: Subsection) -> Iterator[tuple[PathKey, Text]]:
    for i, block in enumerate(section.body):
        if (paragraph := block.paragraph) is not None:
            yield (*base, "body", i), paragraph
        for j, item in enumerate(block.list or ()):
            yield (*base, "body", i, "list", j), item


# The data has no country field for the controller; these facts each say "established in Sweden".
_SE_ORGANISATION_NUMBER = re.compile(r"^(SE)?\d{6}-?\d{4}(01)?$")
_SE_COMPANY_FORM = re.compile(r"\b(AB|HB|KB)( \(publ\))?$")  # aktiebolag, handels-, kommanditbolag
_SE_ADDRESS = re.compile(r"\b(Sweden|Sverige)\b", re.IGNORECASE)


def controller_country(policy: Policy) -> str | None:
    """``SE`` when the controller is recognisably Swedish, else None (unknown)."""
    controller = policy.controller
    authority = policy.rights.supervisory_authority
    if (
        _SE_ORGANISATION_NUMBER.match(controller.organisation_number.replace(" ", ""))
        or _SE_COMPANY_FORM.search(controller.legal_name.strip())
        or _SE_ADDRESS.search(controller.address)
        or (authority is not None and "imy.se" in authority.website)
    ):
        return "SE"
    return None
