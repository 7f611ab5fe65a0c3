"""The tables generated from the data: what each row says, in one language.

Kept apart from the templates so that the wording of a cell (for example
"Not needed: stored within the EEA") is decided in one tested place.
"""

from __future__ import annotations

from dataclasses import dataclass

from .countries import country_name, is_in_eea
from .i18n import Lang
from .model import ActivityFact, GeneratedTable, Policy, ProcessingActivity, Recipient, RecipientFact, RightsFact
from .ui import ui
from .vocabulary import FactStatus, Party, StorageType
from .yamlsource import format_path


class Code(str):
    """A cell shown as code: a cookie or storage key name."""


@dataclass(frozen=True)
class Marked:
    """A cell shown with a mark beside it: a proposed fact (in previews), or a fact of a release
    that the data owner added to the published text (``kind`` is the CSS modifier)."""

    value: str | tuple[str, ...]
    mark: str
    kind: str  # "proposed" or "added"


Cell = str | tuple[str, ...] | Marked


def fact_cell(value: str | tuple[str, ...], proposed: bool, lang: Lang, preview: bool) -> Cell:
    """A confirmed fact as it is; a proposed one marked in previews, and "Not stated" elsewhere,
    so that no published page states it as true."""
    if not proposed:
        return value
    if preview:
        return Marked(value, FactStatus.PROPOSED.label(lang), "proposed")
    return ui("value.not_stated", lang)


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    kind: GeneratedTable
    caption: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]
    note: str = ""

    @property
    def anchor(self) -> str:
        return f"table-{self.kind.value}"


def _headers(prefix: str, keys: tuple[str, ...], lang: Lang) -> tuple[str, ...]:
    return tuple(ui(f"table.{prefix}.{key}", lang) for key in keys)


def _requirement_cell(activity: ProcessingActivity, lang: Lang) -> str:
    if activity.requirement is None:
        return ui("value.not_stated", lang)
    label = activity.requirement.label(lang)
    if activity.requirement_consequence is not None:
        return f"{label}. {activity.requirement_consequence.get(lang)}"
    return label


def activities_table(policy: Policy, lang: Lang, preview: bool = False) -> Table:
    # The column appears once any activity says whether its data must be provided.
    with_requirement = any(a.requirement is not None for a in policy.activities.activities.values())
    rows = []
    for activity_id, activity in policy.activities.activities.items():
        recipients = tuple(policy.recipients[r].name.get(lang) for r in activity.recipients)
        basis = activity.legal_basis.label(lang) if activity.legal_basis else ui("value.not_stated", lang)
        proposed_basis = activity.is_proposed(ActivityFact.LEGAL_BASIS)
        if activity.legitimate_interest is not None:
            basis = f"{basis}: {activity.legitimate_interest.get(lang)}"
            proposed_basis = proposed_basis or activity.is_proposed(ActivityFact.LEGITIMATE_INTEREST)
        rows.append(
            Row(
                id=f"activity-{activity_id}",
                cells=(
                    activity.name.get(lang),
                    activity.purpose.get(lang),
                    tuple(category.label(lang) for category in activity.data_categories),
                    activity.source.label(lang),
                    fact_cell(recipients or ui("value.none", lang), activity.is_proposed(ActivityFact.RECIPIENTS), lang, preview),
                    fact_cell(basis, proposed_basis, lang, preview),
                    *(
                        (fact_cell(_requirement_cell(activity, lang), activity.is_proposed(ActivityFact.REQUIREMENT), lang, preview),)
                        if with_requirement
                        else ()
                    ),
                ),
            )
        )
    keys: tuple[str, ...] = ("activity", "purpose", "data", "source", "recipients", "legal_basis")
    if with_requirement:
        keys += ("requirement",)
    automated = policy.activities.automated_decision_making
    note = automated.description.get(lang) if automated is not None else ""
    return Table(
        GeneratedTable.ACTIVITIES, ui("table.activities.caption", lang), _headers("activities", keys, lang), tuple(rows), note
    )


def storage_cell(recipient: Recipient, lang: Lang) -> str:
    countries = ", ".join(country_name(code, lang) for code in recipient.storage.countries)
    if recipient.storage.location is not None:
        location = recipient.storage.location.get(lang)
        return f"{location} ({countries})" if countries and countries not in location else location
    return countries or ui("value.unknown_location", lang)


def safeguard_cell(recipient: Recipient, lang: Lang) -> str:
    if recipient.transfer is not None:
        label = recipient.transfer.mechanism.label(lang)
        if recipient.transfer.reference is not None:
            return f"{label}: {recipient.transfer.reference.get(lang)}"
        return label
    countries = recipient.storage.countries
    if not countries:
        return ui("value.not_stated", lang)
    if all(is_in_eea(code) for code in countries):
        return ui("value.within_eea", lang)
    return ui("value.no_safeguard", lang)


def recipients_table(policy: Policy, lang: Lang, preview: bool = False) -> Table:
    rows = tuple(
        Row(
            id=f"recipient-{recipient_id}",
            cells=(
                recipient.name.get(lang),
                fact_cell(recipient.role.label(lang), recipient.is_proposed(RecipientFact.ROLE), lang, preview),
                recipient.service.get(lang),
                fact_cell(storage_cell(recipient, lang), recipient.is_proposed(RecipientFact.STORAGE), lang, preview),
                fact_cell(safeguard_cell(recipient, lang), recipient.is_proposed(RecipientFact.TRANSFER), lang, preview),
            ),
        )
        for recipient_id, recipient in policy.recipients.items()
    )
    keys = ("name", "role", "service", "storage", "safeguard")
    return Table(GeneratedTable.RECIPIENTS, ui("table.recipients.caption", lang), _headers("recipients", keys, lang), rows)


def added_cell(value: str, path: str, added: frozenset[str], lang: Lang) -> Cell:
    """``value`` marked when the provenance says the data owner added the fact at ``path``."""
    if path in added:
        return Marked(value, ui("provenance.mark", lang), "added")
    return value


def cookie_kind(storage: StorageType, party: Party, lang: Lang) -> str:
    """"Cookie, first party"; Swedish compounds it for cookies ("förstapartscookie")."""
    if storage is StorageType.COOKIE:
        return ui(f"cookie.kind.{party.value}", lang)
    return ui("storage.kind", lang).format(type=storage.label(lang), party=party.label(lang).lower())


def cookies_table(
    policy: Policy, lang: Lang, preview: bool = False, added: frozenset[str] = frozenset()
) -> Table:
    rows = tuple(
        Row(
            id=f"cookie-{index}",
            cells=(
                added_cell(Code(name), format_path(("cookies", name)), added, lang),
                policy.provider_name(cookie.provider, lang),
                cookie_kind(cookie.type, cookie.party, lang),
                cookie.category.label(lang),
                added_cell(cookie.duration.label(lang), format_path(("cookies", name, "duration")), added, lang),
                cookie.purpose.get(lang),
                ui("value.yes" if cookie.consent_required else "value.no", lang),
            ),
        )
        for index, (name, cookie) in enumerate(policy.cookies.items(), start=1)
    )
    keys = ("name", "provider", "type", "category", "duration", "purpose", "consent")
    return Table(GeneratedTable.COOKIES, ui("table.cookies.caption", lang), _headers("cookies", keys, lang), rows)


def retention_table(policy: Policy, lang: Lang, preview: bool = False) -> Table:
    general = policy.activities.general_retention
    rows = []
    for activity_id, activity in policy.activities.activities.items():
        retention = activity.retention
        if retention is not None and retention.period is not None:
            cell = retention.period.label(lang)
        elif retention is not None and retention.criteria is not None:
            cell = retention.criteria.get(lang)
        elif general is not None:
            cell = ui("value.general_retention_applies", lang)
        else:
            cell = ui("value.not_stated", lang)
        shown = fact_cell(cell, activity.is_proposed(ActivityFact.RETENTION), lang, preview)
        rows.append(Row(id=f"retention-{activity_id}", cells=(activity.name.get(lang), shown)))
    keys = ("activity", "retention")
    note = f"{ui('value.general_retention', lang)} {general.get(lang)}" if general is not None else ""
    return Table(
        GeneratedTable.RETENTION, ui("table.retention.caption", lang), _headers("retention", keys, lang), tuple(rows), note
    )


def rights_table(policy: Policy, lang: Lang, preview: bool = False) -> Table:
    rows = tuple(
        Row(id=f"right-{right.value}", cells=(right.label(lang), statement.description.get(lang)))
        for right, statement in policy.rights.rights.items()
    )
    how = policy.rights.how_to_exercise
    notes = []
    if how is not None:
        # A note is plain text: a proposed one carries its mark in previews and is left out elsewhere.
        if not policy.rights.is_proposed(RightsFact.HOW_TO_EXERCISE):
            notes.append(how.get(lang))
        elif preview:
            notes.append(f"{how.get(lang)} ({FactStatus.PROPOSED.label(lang)})")
    authority = policy.rights.supervisory_authority
    if authority is not None:
        where = f" ({authority.website})" if authority.website else ""
        notes.append(ui("rights.complaint", lang).format(authority=authority.name.get(lang) + where))
    note = " ".join(notes)
    keys = ("right", "description")
    return Table(GeneratedTable.RIGHTS, ui("table.rights.caption", lang), _headers("rights", keys, lang), rows, note)


TABLE_BUILDERS = {
    GeneratedTable.ACTIVITIES: activities_table,
    GeneratedTable.RECIPIENTS: recipients_table,
    GeneratedTable.COOKIES: cookies_table,
    GeneratedTable.RETENTION: retention_table,
    GeneratedTable.RIGHTS: rights_table,
}


def build_table(
    kind: GeneratedTable, policy: Policy, lang: Lang, *, preview: bool = False, added: frozenset[str] = frozenset()
) -> Table:
    """``preview``: show proposed facts, marked; otherwise they read "Not stated".
    ``added``: data paths the data owner added to a release's published text, marked."""
    if kind is GeneratedTable.COOKIES:
        return cookies_table(policy, lang, preview, added)
    return TABLE_BUILDERS[kind](policy, lang, preview)
