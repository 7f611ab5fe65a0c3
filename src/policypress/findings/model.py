"""The findings every checker reports (scan, audit, lint, a11y): severity, rule, place, and the report.

Each checker keeps its own frozen dataclass of domain facts (vendor, scenario, data path, WCAG
tags ...) and inherits from ``Finding`` what every report needs: the rule id, a ``Location``,
a title line, a stable fingerprint and ``as_dict``. The renderers (``findings.render``) know
only this base, so the four commands share one text, JSON, JUnit and SARIF writer.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum, StrEnum
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar, TypeVar

# A finding on a template repeats on every page; a few of them are enough to find it.
MAX_OTHER_PAGES = 20


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more serious; thresholds compare ranks."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    @property
    def sarif_level(self) -> str:
        # SARIF has no "info" level; "note" is its equivalent.
        return {"error": "error", "warning": "warning", "info": "note"}[self.value]


@dataclass(frozen=True)
class RuleInfo:
    """What a rule checks, for a reader and for SARIF's ``tool.driver.rules``. Its id never changes.

    ``article`` is the short citation shown beside a finding, ``source`` the full one a reviewer
    can look up, ``satisfied_by`` one sentence on what passes the rule; all three only where the
    rule has a source (the lint's articles). The positional order is the lint catalogue's.
    """

    id: str
    article: str = ""
    title: str = ""  # empty: the id stands in
    description: str = ""
    severity: Severity = Severity.ERROR  # the default level
    source: str = ""
    satisfied_by: str = ""
    help_uri: str = ""

    def __post_init__(self) -> None:
        if not self.title:
            object.__setattr__(self, "title", self.id)


R = TypeVar("R", bound=Enum)


def rule_infos(rules: Iterable[R], known: Mapping[R, RuleInfo]) -> list[RuleInfo]:
    """A ``RuleInfo`` for each member of a checker's rule enum, in its order.

    A member added with only a comment (no entry in ``known``) still gets one, titled by its id,
    so a new rule never breaks a SARIF report.
    """
    return [known.get(rule) or RuleInfo(id=str(rule.value)) for rule in rules]


@dataclass(frozen=True)
class Location:
    """Where a finding is: a file (with line and column) or a page's URL, and a place in the data."""

    file: str | None = None  # as the user would type it
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str | None = None  # a place in the data, such as activities.newsletter.legal_basis
    url: str | None = None  # a page of a site, as a URL or a path of the site (/en/)

    def __str__(self) -> str:
        where = self.file or self.url or ""
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where


def artifact_uri(file: str) -> str:
    """A repository-relative URI (what code scanning matches to files), or a file: URI outside the tree."""
    path = Path(file)
    if not path.is_absolute() and ".." not in path.parts:
        return PurePosixPath(*path.parts).as_posix()
    return path.resolve().as_uri()


def _plain(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


class Finding:
    """The base of every checker's finding (each a frozen dataclass that brings these fields).

    ``rule_id``, ``location`` and ``identity`` are what a subclass must answer; the rest has
    defaults that a subclass overrides where its report says more.
    """

    if TYPE_CHECKING:  # fields or properties of each subclass; declared here only for the type checker
        # (at run time a base attribute would become the default of the subclass's dataclass field)
        @property
        def severity(self) -> Severity: ...
        @property
        def message(self) -> str: ...
        @property
        def fix(self) -> str: ...
        @property
        def location(self) -> Location: ...

    @property
    def rule_id(self) -> str:
        raise NotImplementedError

    @property
    def subject(self) -> str:
        """What the finding is about, after the place in the title line (a vendor and its cookie)."""
        return ""

    @property
    def place(self) -> str:
        """The place in the title line; the audit puts its scenario first."""
        return str(self.location)

    @property
    def excerpt(self) -> str | None:
        """A short quote of the page or code, shown under the title."""
        return None

    @property
    def pages_count(self) -> int:
        return 1

    @property
    def other_pages(self) -> tuple[str, ...]:
        return ()

    def identity(self) -> tuple[object, ...]:
        """The facts that make two findings the same one (the rule aside), each checker's own.

        Never the line (an edit above must not make a finding new), nor the first of the pages a finding is
        reported on where one finding stands for many pages (the audit's): which page comes first changes with
        the pages audited. A place stays where it is what the finding is about (a lint's file, a page that did
        not load) or what tells two findings apart (the scan reports each place a vendor gets in)."""
        raise NotImplementedError

    @property
    def fingerprint(self) -> str:
        """The rule and ``identity``, hashed: stable across runs and shards, so SARIF's ``partialFingerprints``
        (its consumers pair it with the result's location) and the key that merges reports (``audit.shards``)."""
        key = "\0".join([self.rule_id, *("" if part is None else str(part) for part in self.identity())])
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def details(self) -> list[str]:
        """The lines of a JUnit failure's body: message, excerpt, spread over pages, fix."""
        body = [self.message]
        if self.excerpt:
            body.append(f"element: {self.excerpt}")
        if self.pages_count > 1:
            body.append(f"pages: {self.pages_count}")
        body.append(f"fix: {self.fix}")
        return body

    def sarif_message(self) -> str:
        return f"{self.message} Fix: {self.fix}"

    def sarif_properties(self) -> dict[str, object]:
        """The checker's own facts (vendor, key, scenario ...), as SARIF result properties."""
        told = {"rule", "severity", "message", "fix"}
        return {k: v for k, v in self.as_dict().items() if k not in told and v not in (None, "", [], {})}

    def as_dict(self) -> dict[str, object]:
        """Every field of the checker's dataclass, plus ``rule`` and ``severity`` as strings."""
        data: dict[str, object] = {}
        if is_dataclass(self):
            data = {f.name: _plain(getattr(self, f.name)) for f in fields(self)}
        data["rule"] = self.rule_id
        data["severity"] = self.severity.value
        return data


class Report:
    """The base of every checker's report: findings, counts per severity, ok, exit code."""

    tool: ClassVar[str]  # "scan", "audit", "lint", "a11y": names suites, runs and JUnit classes

    if TYPE_CHECKING:
        @property
        def findings(self) -> Sequence[Finding]: ...

    @property
    def counts(self) -> dict[Severity, int]:
        found = Counter(finding.severity for finding in self.findings)
        return {severity: found.get(severity, 0) for severity in Severity}

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        """0 ok, 1 findings that are errors (bad input never gets this far: it raises)."""
        return 0 if self.ok else 1

    def rules(self) -> list[RuleInfo]:
        """Every rule the checker has (SARIF's ``tool.driver.rules``)."""
        raise NotImplementedError

    def junit_suites(self) -> list[Suite]:
        """The JUnit test suites: one by default; the audit has one per scenario."""
        return [Suite(f"policypress {self.tool}", f"policypress.{self.tool}", list(self.findings), "no findings")]

    def sarif_base(self) -> str | None:
        """What the page locations are relative to (a site's URL or folder), for SARIF's uriBaseId."""
        return None


@dataclass
class Suite:
    """One JUnit test suite: each finding a failed case, or else one passing case named ``passing``."""

    name: str
    classname: str  # the prefix of each case's classname; the rule id follows
    findings: list[Finding]
    passing: str
    properties: dict[str, str] | None = None
    seconds: float | None = None
