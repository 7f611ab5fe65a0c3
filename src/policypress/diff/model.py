"""The result of comparing two versions of a policy: a list of ``Change``.

A change is addressed by ids, never by list position of an entity, so that a
reviewer reads "processor ``mailchimp``: storage countries changed" and a tool
can match the same change across runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from ..model import Policy

JSON: TypeAlias = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]
PathPart: TypeAlias = str | int

# Ids in the data are [a-z][a-z0-9_]*; cookie names may hold any non-space
# character, so a dotted display path quotes those that would be ambiguous.
_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_*-]+$")


class Entity(StrEnum):
    """What a change is about: the first word of its kind."""

    POLICY = "policy"
    CONTROLLER = "controller"
    ACTIVITIES = "activities"  # the file-level fields of activities.yaml (general_retention)
    ACTIVITY = "activity"
    RECIPIENT = "recipient"
    COOKIE = "cookie"
    RIGHTS = "rights"  # the file-level fields of rights.yaml (how_to_exercise)
    RIGHT = "right"
    SECTION = "section"
    SUBSECTION = "subsection"


class Action(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


def format_path(path: tuple[PathPart, ...]) -> str:
    """``("sections", "scope", "body", 1)`` -> ``sections.scope.body[1]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new version.

    ``path`` is the full address in the data (collection, id, field, index);
    ``field`` is the part of it inside the entity. ``old``/``new`` are JSON
    values as in the YAML (a text is ``{en, sv}``); ``None`` means absent.
    """

    entity: Entity
    entity_id: str | None
    action: Action
    path: tuple[PathPart, ...]
    field: tuple[PathPart, ...]
    old: JSON
    new: JSON
    is_text: bool

    @property
    def field_name(self) -> str:
        """The field without indices, such as ``storage.countries`` (empty for the entity itself)."""
        return ".".join(part for part in self.field if isinstance(part, str))

    @property
    def kind(self) -> str:
        """A stable name for the kind of change: ``recipient.storage.countries.changed``."""
        return ".".join(part for part in (self.entity.value, self.field_name, self.action.value) if part)

    @property
    def display_path(self) -> str:
        return format_path(self.path)


@dataclass(frozen=True)
class PolicyDiff:
    """Every change from ``old`` to ``new``, in reading order.

    The two policies are kept because the reports need more than the changed
    values: the name of a recipient whose countries changed, and the whole
    prose of a section to show a word-level diff in context.
    """

    old: Policy
    new: Policy
    changes: tuple[Change, ...]

    @property
    def fact_changes(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if not change.is_text)

    @property
    def text_changes(self) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.is_text)

    @property
    def is_empty(self) -> bool:
        return not self.changes
