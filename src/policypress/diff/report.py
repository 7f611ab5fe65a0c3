"""``render_diff``: one entry point for every report format."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum

from ..i18n import Lang
from .describe import describe_change
from .html import render_html_report
from .model import JSON, Change, PolicyDiff
from .textual import render_markdown, render_text

JSON_SCHEMA_VERSION = 1


class DiffFormat(StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"


def change_record(change: Change, diff: PolicyDiff, langs: Sequence[Lang]) -> dict[str, JSON]:
    """One change for other tools. Keys in a fixed order, so equal diffs give equal files."""
    description: dict[str, JSON] = {}
    for lang in langs:
        described = describe_change(change, diff, lang)
        description[lang.value] = f"{described.subject.plain()}: {described.summary}"
    return {
        "kind": change.kind,
        "path": change.display_path,
        "path_parts": list(change.path),
        "entity": change.entity.value,
        "entity_id": change.entity_id,
        "action": change.action.value,
        "is_text": change.is_text,
        "old": change.old,
        "new": change.new,
        "description": description,
    }


def render_json(diff: PolicyDiff, old_label: str, new_label: str, langs: Sequence[Lang]) -> str:
    document: dict[str, JSON] = {
        "schema": JSON_SCHEMA_VERSION,
        "old": old_label,
        "new": new_label,
        "is_empty": diff.is_empty,
        "counts": {
            "changes": len(diff.changes),
            "fact_changes": len(diff.fact_changes),
            "text_changes": len(diff.text_changes),
        },
        "changes": [change_record(change, diff, langs) for change in diff.changes],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def render_diff(
    diff: PolicyDiff,
    old_label: str,
    new_label: str,
    fmt: DiffFormat | str,
    langs: Sequence[Lang] = (Lang.EN, Lang.SV),
) -> str:
    """The report of ``diff`` in ``fmt`` (text, markdown, html or json), in the languages ``langs``.

    ``old_label``/``new_label`` name the two sides for the reader: "1.0", "draft", a git revision.
    """
    try:
        chosen = DiffFormat(fmt)
    except ValueError:
        choices = ", ".join(member.value for member in DiffFormat)
        raise ValueError(f"unknown diff format '{fmt}': choose one of {choices}") from None
    languages = tuple(Lang(lang) for lang in langs) or (Lang.EN,)
    if chosen is DiffFormat.TEXT:
        return render_text(diff, old_label, new_label, languages)
    if chosen is DiffFormat.MARKDOWN:
        return render_markdown(diff, old_label, new_label, languages)
    if chosen is DiffFormat.HTML:
        return render_html_report(diff, old_label, new_label, languages)
    return render_json(diff, old_label, new_label, languages)
