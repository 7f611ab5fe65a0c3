"""``diff_policies``: compare two policies entity by entity, by id.

Each entity is compared as its JSON form (as written in the YAML), walked
field by field. A bilingual text is one value; so is a list of scalars
(countries, data categories) and each prose block, because a reviewer
reads "countries: US -> IE, SE", not three element-wise edits.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import cast

from pydantic import BaseModel

from ..i18n import Lang, Text
from ..model import Policy
from .model import JSON, Action, Change, Entity, PathPart, PolicyDiff



@lru_cache(maxsize=4096)  # asked of every key of every mapping compared; Babel's answer for a non-tag is not cached
def _is_language_tag(key: str) -> bool:
    try:
        Lang(key)
    except ValueError:
        return False
    return True

# Fields compared as one value although they are mappings: a retention is
# "a period or criteria", and P2Y -> criteria reads as one change of retention.
_ATOMIC_FIELDS: dict[Entity, frozenset[tuple[str, ...]]] = {
    Entity.ACTIVITY: frozenset({("retention",)}),
}


def is_bilingual(value: JSON) -> bool:
    return (
        isinstance(value, dict)
        and bool(value)
        and all(_is_language_tag(str(key)) for key in value)
        and all(isinstance(item, str) for item in value.values())
    )


def is_textual(value: JSON) -> bool:
    """Human-readable text only: a text, a prose block, or containers of them."""
    if is_bilingual(value):
        return True
    if isinstance(value, list):
        return all(is_textual(item) for item in value)
    if isinstance(value, dict):
        return all(is_textual(item) for item in value.values())
    return False


def _is_text_change(old: JSON, new: JSON) -> bool:
    # A text appearing or disappearing (a legitimate interest now stated) is
    # a change of what the policy says, so it counts as a fact.
    return old is not None and new is not None and is_textual(old) and is_textual(new)


def merged_keys(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    """The keys of both, in the new order, each removed key placed after its old predecessor."""
    keys = list(new)
    previous: str | None = None
    for key in old:
        if key not in new:
            at = keys.index(previous) + 1 if previous is not None else 0
            keys.insert(at, key)
        previous = key
    return keys


def _walk(
    old: JSON, new: JSON, field: tuple[PathPart, ...], atomic: frozenset[tuple[str, ...]]
) -> Iterator[tuple[tuple[PathPart, ...], JSON, JSON]]:
    if old == new:
        return
    named = tuple(part for part in field if isinstance(part, str))
    if old is None or new is None or is_bilingual(old) or is_bilingual(new) or named in atomic:
        yield field, old, new
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in merged_keys(old, new):
            yield from _walk(old.get(key), new.get(key), (*field, key), atomic)
        return
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and len(old) == len(new)
        and any(isinstance(item, dict) for item in (*old, *new))
    ):
        # Prose blocks: the same number of paragraphs means each one can be
        # compared with its counterpart; anything else is one change of the body.
        for index, (old_item, new_item) in enumerate(zip(old, new, strict=True)):
            if old_item != new_item:
                yield (*field, index), old_item, new_item
        return
    yield field, old, new


def _dump(model: BaseModel, exclude: set[str] | None = None) -> JSON:
    # exclude_none: an absent optional field and an explicit null are the same fact.
    return cast(JSON, model.model_dump(mode="json", exclude_none=True, exclude=exclude))


def _entity_changes(
    entity: Entity,
    prefix: tuple[PathPart, ...],
    entity_id: str | None,
    old: JSON,
    new: JSON,
) -> Iterator[Change]:
    atomic = _ATOMIC_FIELDS.get(entity, frozenset())
    for field, old_value, new_value in _walk(old, new, (), atomic):
        yield Change(
            entity=entity,
            entity_id=entity_id,
            action=Action.CHANGED,
            path=(*prefix, *field),
            field=field,
            old=old_value,
            new=new_value,
            is_text=_is_text_change(old_value, new_value),
        )


def _collection_changes(
    entity: Entity,
    prefix: tuple[PathPart, ...],
    old: Mapping[str, BaseModel],
    new: Mapping[str, BaseModel],
    exclude: set[str] | None = None,
    id_prefix: str = "",
) -> Iterator[Change]:
    for key in merged_keys(old, new):
        entity_id = f"{id_prefix}{key}"
        path = (*prefix, str(key))
        if key not in new:
            yield Change(entity, entity_id, Action.REMOVED, path, (), _dump(old[key], exclude), None, False)
        elif key not in old:
            yield Change(entity, entity_id, Action.ADDED, path, (), None, _dump(new[key], exclude), False)
        else:
            yield from _entity_changes(entity, path, entity_id, _dump(old[key], exclude), _dump(new[key], exclude))


def _section_changes(old: Policy, new: Policy) -> Iterator[Change]:
    # Subsections are entities of their own (added, removed, retitled), so they
    # are taken out of the section's dump and compared by id underneath it.
    for key in merged_keys(old.sections, new.sections):
        path: tuple[PathPart, ...] = ("sections", key)
        if key not in new.sections:
            yield Change(Entity.SECTION, key, Action.REMOVED, path, (), _dump(old.sections[key]), None, False)
        elif key not in old.sections:
            yield Change(Entity.SECTION, key, Action.ADDED, path, (), None, _dump(new.sections[key]), False)
        else:
            old_section, new_section = old.sections[key], new.sections[key]
            yield from _entity_changes(
                Entity.SECTION,
                path,
                key,
                _dump(old_section, {"subsections"}),
                _dump(new_section, {"subsections"}),
            )
            yield from _collection_changes(
                Entity.SUBSECTION,
                (*path, "subsections"),
                old_section.subsections,
                new_section.subsections,
                id_prefix=f"{key}.",
            )


def _optional_text(value: Text | None) -> JSON:
    return None if value is None else cast(JSON, value.as_dict())


def _activities_file_fields(policy: Policy) -> dict[str, JSON]:
    automated = policy.activities.automated_decision_making
    return {
        "general_retention": _optional_text(policy.activities.general_retention),
        "automated_decision_making": automated.model_dump(mode="json") if automated is not None else None,
    }


def _rights_file_fields(policy: Policy) -> dict[str, JSON]:
    authority = policy.rights.supervisory_authority
    return {
        "how_to_exercise": _optional_text(policy.rights.how_to_exercise),
        "supervisory_authority": authority.model_dump(mode="json") if authority is not None else None,
    }


def diff_policies(old: Policy, new: Policy) -> PolicyDiff:
    """Every change from ``old`` to ``new``: the policy, the controller, then each file's entities."""
    changes: list[Change] = []
    changes += _entity_changes(Entity.POLICY, ("policy",), None, _dump(old.meta), _dump(new.meta))
    changes += _entity_changes(
        Entity.CONTROLLER, ("controller",), None, _dump(old.controller), _dump(new.controller)
    )
    changes += _entity_changes(
        Entity.ACTIVITIES,
        ("activities",),
        None,
        _activities_file_fields(old),
        _activities_file_fields(new),
    )
    changes += _collection_changes(
        Entity.ACTIVITY, ("activities",), old.activities.activities, new.activities.activities
    )
    changes += _collection_changes(Entity.RECIPIENT, ("recipients",), old.recipients, new.recipients)
    changes += _collection_changes(Entity.COOKIE, ("cookies",), old.cookies, new.cookies)
    changes += _entity_changes(
        Entity.RIGHTS,
        ("rights",),
        None,
        _rights_file_fields(old),
        _rights_file_fields(new),
    )
    changes += _collection_changes(
        Entity.RIGHT,
        ("rights",),
        {right.value: statement for right, statement in old.rights.rights.items()},
        {right.value: statement for right, statement in new.rights.rights.items()},
    )
    changes += _section_changes(old, new)
    return PolicyDiff(old=old, new=new, changes=tuple(changes))
