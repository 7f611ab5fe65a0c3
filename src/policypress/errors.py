"""The error hierarchy. Every error the CLI and the hooks report comes from here.

Modelled on ``mkdocs/exceptions.py``: one base class and a few kinds, each with
the exit code that the command line uses for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .escape import terminal


class PolicyPressError(Exception):
    """Base class of every error policypress raises on purpose."""

    exit_code = 2


class UsageError(PolicyPressError):
    """The command was called wrongly (a missing folder, an unknown option value)."""


@dataclass(frozen=True, order=True)
class DataIssue:
    """One problem in the policy data, pinned to a place in a file.

    ``line`` and ``column`` are 1-based, as editors show them; 0 means the
    problem concerns the whole file.
    """

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        # One line whatever the data holds: messages quote data values, and a quoted
        # "\n::error::" must not become a line of its own (a CI workflow command).
        where = self.file if self.line == 0 else f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return terminal(text)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class DataError(PolicyPressError):
    """The policy data is invalid. Carries every issue found, not only the first."""

    def __init__(self, issues: list[DataIssue]) -> None:
        self.issues = sorted(issues)
        noun = "error" if len(self.issues) == 1 else "errors"
        lines = "\n".join(str(issue) for issue in self.issues)
        super().__init__(f"{len(self.issues)} {noun} in the policy data:\n{lines}")


class AuditTimeout(PolicyPressError):
    """A page in the browser did not answer within its time limit (``policypress audit``, ``a11y``).

    Raised when a script keeps the page's main thread busy or the page never finishes loading;
    the browser is closed by then. ``url`` is the page, ``seconds`` the limit, ``reason`` what
    was seen. Distinct from "nothing is served there", which is a ``UsageError``.
    """

    def __init__(self, url: str, seconds: float, reason: str, *, verb: str = "did not respond") -> None:
        self.url, self.seconds, self.reason = url, seconds, reason
        super().__init__(f"{url} {verb} within {seconds:g} s: {reason}")


class TCStringError(PolicyPressError):
    """A text that should be an IAB TCF v2 TC string is malformed (``policypress.audit.tcf.decode``)."""
