"""The words of the diff reports in every language (``diff.*`` in locales/<lang>.yaml).

Kept apart from ``ui.py`` because they are only used here. Swedish follows
the terms Integritetsskyddsmyndigheten (IMY) uses: personuppgiftsbiträde,
mottagare, ändamål, rättslig grund, lagringstid, tredjeland.
"""

from __future__ import annotations

from ..i18n import Lang
from ..locales import catalog, message
from .model import Action, Entity

# The words are in locales/<lang>.yaml: diff.<key>, diff.field.<entity>.<field>, diff.table.<table>.


def word(key: str, lang: Lang | str, **values: object) -> str:
    return message(f"diff.{key}", lang, **values)


def counted(key: str, count: int, lang: Lang | str) -> str:
    """``key`` for a count: the ``.one`` form for exactly one."""
    if count == 1 and f"diff.{key}.one" in catalog(lang):
        return word(f"{key}.one", lang)
    return word(key, lang, count=count)


def summary(changes: int, facts: int, texts: int, lang: Lang | str) -> str:
    key = "report.summary.one" if changes == 1 else "report.summary"
    return word(key, lang, changes=changes, facts=facts, texts=texts)


def field_label(entity: Entity, field_name: str, lang: Lang | str) -> str:
    return catalog(lang).get(f"diff.field.{entity.value}.{field_name}", field_name)


def action_label(action: Action, field_label_text: str, lang: Lang | str) -> str:
    if action is Action.CHANGED:
        return word("action.changed", lang, field=field_label_text)
    return word(f"action.{action.value}", lang)


def table_label(table: str, lang: Lang | str) -> str:
    """A generated table as a reader knows it ("processing activities"); an unknown key as written."""
    return catalog(lang).get(f"diff.table.{table}", table)
