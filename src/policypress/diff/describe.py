"""What a change means to a reader, in one language: the thing, the change, before and after.

Values are shown as the policy page shows them: country names instead of
ISO codes, vocabulary labels instead of terms, "2 years" instead of P2Y.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..countries import country_name
from ..durations import parse_duration
from ..i18n import Lang
from ..model import Policy
from ..vocabulary import (
    CookieCategory,
    DataCategory,
    DataSource,
    LegalBasis,
    Requirement,
    Party,
    RecipientRole,
    Right,
    StorageType,
    TransferMechanism,
    Vocabulary,
)
from .labels import action_label, field_label, table_label, word
from .model import JSON, Action, Change, Entity, PolicyDiff
from .structured import is_bilingual


@dataclass(frozen=True)
class Subject:
    """The thing that changed: "Processor ``mailchimp`` (Mailchimp)"."""

    label: str
    id: str | None = None
    name: str | None = None

    def plain(self, quote: str = "`") -> str:
        out = self.label
        if self.id is not None:
            out += f" {quote}{self.id}{quote}"
        if self.name and self.name != self.id:
            out += f" ({self.name})"
        return out


@dataclass(frozen=True)
class ChangeDescription:
    change: Change
    subject: Subject
    field: str
    summary: str
    before: str
    after: str


def _capitalise(value: str) -> str:
    return value[:1].upper() + value[1:]


def _join(items: list[str], lang: Lang) -> str:
    return ", ".join(items) if items else word("value.none", lang)


def _vocabulary(enum: type[Vocabulary]) -> Callable[[JSON, Policy, Lang], str]:
    def label(value: JSON, policy: Policy, lang: Lang) -> str:
        try:
            return enum(str(value)).label(lang)
        except ValueError:  # a term of a newer vocabulary: show it as written
            return str(value)

    return label


def _vocabulary_list(enum: type[Vocabulary]) -> Callable[[JSON, Policy, Lang], str]:
    single = _vocabulary(enum)

    def labels(value: JSON, policy: Policy, lang: Lang) -> str:
        return _join([single(item, policy, lang) for item in value or []] if isinstance(value, list) else [], lang)

    return labels


def _countries(value: JSON, policy: Policy, lang: Lang) -> str:
    return _join([country_name(str(code), lang) for code in value] if isinstance(value, list) else [], lang)


def _duration(value: JSON, policy: Policy, lang: Lang) -> str:
    try:
        return parse_duration(value).label(lang)
    except ValueError:
        return str(value)


def _provider(value: JSON, policy: Policy, lang: Lang) -> str:
    try:
        return policy.provider_name(str(value), lang)
    except KeyError:
        return str(value)


def _recipient_names(value: JSON, policy: Policy, lang: Lang) -> str:
    names = []
    for recipient_id in value if isinstance(value, list) else []:
        recipient = policy.recipients.get(str(recipient_id))
        names.append(recipient.name.get(lang) if recipient is not None else str(recipient_id))
    return _join(names, lang)


def _retention(value: JSON, policy: Policy, lang: Lang) -> str:
    if isinstance(value, dict) and "period" in value:
        return _duration(value["period"], policy, lang)
    if isinstance(value, dict) and "criteria" in value:
        return format_value(value["criteria"], lang)
    return format_value(value, lang)


def _transfer(value: JSON, policy: Policy, lang: Lang) -> str:
    if not isinstance(value, dict):
        return format_value(value, lang)
    label = _vocabulary(TransferMechanism)(value.get("mechanism"), policy, lang)
    reference = value.get("reference")
    return f"{label}: {format_value(reference, lang)}" if reference is not None else label


def _tables(value: JSON, policy: Policy, lang: Lang) -> str:
    items = value if isinstance(value, list) else []
    return _join([table_label(str(item), lang) for item in items], lang)


_Formatter = Callable[[JSON, Policy, Lang], str]


def _automated_decisions(value: JSON, policy: Policy, lang: Lang) -> str:
    # The statement itself says whether such decisions are made; "yes/no" before it adds nothing.
    return format_value(value.get("description"), lang) if isinstance(value, dict) else format_value(value, lang)


def _authority(value: JSON, policy: Policy, lang: Lang) -> str:
    if not isinstance(value, dict):
        return format_value(value, lang)
    name = format_value(value.get("name"), lang)
    return f"{name} ({value['website']})" if value.get("website") else name

_FORMATTERS: dict[tuple[Entity, str], _Formatter] = {
    (Entity.ACTIVITY, "data_categories"): _vocabulary_list(DataCategory),
    (Entity.ACTIVITY, "source"): _vocabulary(DataSource),
    (Entity.ACTIVITY, "recipients"): _recipient_names,
    (Entity.ACTIVITY, "legal_basis"): _vocabulary(LegalBasis),
    (Entity.ACTIVITY, "requirement"): _vocabulary(Requirement),
    (Entity.ACTIVITIES, "automated_decision_making"): _automated_decisions,
    (Entity.RIGHTS, "supervisory_authority"): _authority,
    (Entity.ACTIVITY, "retention"): _retention,
    (Entity.RECIPIENT, "role"): _vocabulary(RecipientRole),
    (Entity.RECIPIENT, "storage.countries"): _countries,
    (Entity.RECIPIENT, "transfer"): _transfer,
    (Entity.RECIPIENT, "transfer.mechanism"): _vocabulary(TransferMechanism),
    (Entity.COOKIE, "provider"): _provider,
    (Entity.COOKIE, "party"): _vocabulary(Party),
    (Entity.COOKIE, "type"): _vocabulary(StorageType),
    (Entity.COOKIE, "category"): _vocabulary(CookieCategory),
    (Entity.COOKIE, "duration"): _duration,
    (Entity.SECTION, "tables"): _tables,
    (Entity.SUBSECTION, "tables"): _tables,
}

# The facts that sum up an added or removed entity, in the order of the page's tables.
_SUMMARY_FIELDS: dict[Entity, tuple[str, ...]] = {
    Entity.ACTIVITY: (
        "name", "purpose", "data_categories", "source", "recipients", "legal_basis", "retention", "requirement",
    ),
    Entity.RECIPIENT: ("name", "role", "service", "storage.countries", "storage.location", "transfer"),
    Entity.COOKIE: ("provider", "party", "type", "category", "duration", "purpose", "consent_required"),
    Entity.RIGHT: ("description",),
    Entity.SECTION: ("title",),
    Entity.SUBSECTION: ("title",),
}


def format_value(value: JSON, lang: Lang) -> str:
    """Any JSON value for a reader: texts in ``lang``, lists joined, absent as "not stated"."""
    if value is None:
        return word("value.not_stated", lang)
    if isinstance(value, bool):
        return word("value.yes" if value else "value.no", lang)
    if is_bilingual(value):
        assert isinstance(value, dict)
        return str(value.get(lang.value, ""))
    if isinstance(value, list):
        return _join([format_value(item, lang) for item in value], lang)
    if isinstance(value, dict):
        # A prose block ({list: [...]}) or another group of texts: its parts in order.
        return " ".join(format_value(item, lang) for item in value.values())
    return str(value)


def format_field(entity: Entity, field_name: str, value: JSON, policy: Policy, lang: Lang) -> str:
    formatter = _FORMATTERS.get((entity, field_name))
    if formatter is not None and value is not None:
        return formatter(value, policy, lang)
    return format_value(value, lang)


def _lookup(value: JSON, dotted: str) -> JSON:
    for key in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def summarise_entity(entity: Entity, value: JSON, policy: Policy, lang: Lang) -> str:
    """An added or removed entity in one line: "Role: Processor; Storage countries: United States; ..."."""
    parts = []
    for name in _SUMMARY_FIELDS.get(entity, ()):
        item = _lookup(value, name)
        if item is not None:
            label = _capitalise(field_label(entity, name, lang))
            parts.append(f"{label}: {format_field(entity, name, item, policy, lang)}")
    return "; ".join(parts)


def _text_of(value: JSON, lang: Lang) -> str | None:
    return format_value(value, lang) if is_bilingual(value) else None


def subject_of(change: Change, diff: PolicyDiff, lang: Lang) -> Subject:
    """The entity as a reader knows it, named from the side where it exists."""
    policy = diff.old if change.action is Action.REMOVED else diff.new
    value = change.old if change.action is Action.REMOVED else change.new
    entity_id = change.entity_id
    match change.entity:
        case Entity.RECIPIENT:
            recipient = policy.recipients.get(entity_id or "")
            if recipient is not None:
                return Subject(recipient.role.label(lang), entity_id, recipient.name.get(lang))
        case Entity.COOKIE:
            cookie = policy.cookies.get(entity_id or "")
            if cookie is not None:
                return Subject(cookie.type.label(lang), entity_id)
        case Entity.ACTIVITY:
            activity = policy.activities.activities.get(entity_id or "")
            if activity is not None:
                return Subject(word("entity.activity", lang), entity_id, activity.name.get(lang))
        case Entity.RIGHT:
            return Subject(word("entity.right", lang), entity_id, _right_name(entity_id, lang))
        case Entity.SECTION | Entity.SUBSECTION:
            title = _section_title(policy, entity_id or "", lang)
            return Subject(word(f"entity.{change.entity.value}", lang), entity_id, title)
        case Entity.CONTROLLER:
            return Subject(word("entity.controller", lang), None, policy.controller.legal_name)
        case Entity.ACTIVITIES | Entity.RIGHTS:
            # File-level facts: the field label says what changed; a nested "name" is no subject.
            return Subject(word(f"entity.{change.entity.value}", lang), None, None)
        case _:
            pass
    name = _text_of(_lookup(value, "name"), lang) if isinstance(value, dict) else None
    return Subject(word(f"entity.{change.entity.value}", lang), entity_id, name)


def _right_name(term: str | None, lang: Lang) -> str | None:
    try:
        return Right(term or "").label(lang)
    except ValueError:
        return term


def _section_title(policy: Policy, entity_id: str, lang: Lang) -> str | None:
    section_id, _, sub_id = entity_id.partition(".")
    section = policy.sections.get(section_id)
    if section is None:
        return None
    if not sub_id:
        return section.title.get(lang)
    sub = section.subsections.get(sub_id)
    return sub.title.get(lang) if sub is not None else None


def describe_change(change: Change, diff: PolicyDiff, lang: Lang) -> ChangeDescription:
    subject = subject_of(change, diff, lang)
    if change.action is Action.CHANGED:
        field = field_label(change.entity, change.field_name, lang)
        index = "".join(f"[{part + 1}]" for part in change.field if isinstance(part, int))
        # Paragraphs are numbered from 1 for a reader: "text [2] changed".
        shown = f"{field} {index}" if index else field
        summary = _capitalise(action_label(change.action, shown, lang))
        before = format_field(change.entity, change.field_name, change.old, diff.old, lang)
        after = format_field(change.entity, change.field_name, change.new, diff.new, lang)
        return ChangeDescription(change, subject, field, summary, before, after)
    summary = _capitalise(action_label(change.action, "", lang))
    if change.action is Action.ADDED:
        after = summarise_entity(change.entity, change.new, diff.new, lang)
        return ChangeDescription(change, subject, "", summary, "", after)
    before = summarise_entity(change.entity, change.old, diff.old, lang)
    return ChangeDescription(change, subject, "", summary, before, "")
