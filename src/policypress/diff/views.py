"""What every report shows in one language, independent of the output format.

Facts go in one table. Wording changes outside the sections (a recipient's
service, a cookie's purpose) go in a second one as word diffs, because the
prose diff only covers the sections.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Lang
from .describe import ChangeDescription, describe_change, format_field
from .model import Entity, PolicyDiff
from .prose import Op, ParagraphDiff, ProseDiff, Segment, prose_diff, word_diff

# Section texts are shown in the prose diff, in context; listing them again
# as table rows would double every correction.
_PROSE_ENTITIES = frozenset({Entity.SECTION, Entity.SUBSECTION})


@dataclass(frozen=True)
class WordingRow:
    description: ChangeDescription
    segments: tuple[Segment, ...]

    @property
    def changed_here(self) -> bool:
        """False when the text of this language is the same and only the other language changed."""
        return any(segment.op is not Op.EQUAL for segment in self.segments)


@dataclass(frozen=True)
class LanguageView:
    lang: Lang
    facts: tuple[ChangeDescription, ...]
    wording: tuple[WordingRow, ...]
    prose: ProseDiff
    diff_is_empty: bool

    @property
    def only_other_language(self) -> bool:
        """The versions differ, but not in this language: say so rather than "unchanged"."""
        return not (self.diff_is_empty or self.facts or self.wording or self.prose.changed_sections)


def language_view(diff: PolicyDiff, lang: Lang) -> LanguageView:
    facts = tuple(describe_change(change, diff, lang) for change in diff.fact_changes)
    wording = []
    for change in diff.text_changes:
        if change.entity in _PROSE_ENTITIES:
            continue
        old = format_field(change.entity, change.field_name, change.old, diff.old, lang)
        new = format_field(change.entity, change.field_name, change.new, diff.new, lang)
        row = WordingRow(describe_change(change, diff, lang), word_diff(old, new))
        # A text corrected only in the other language is not a change for this reader.
        if row.changed_here:
            wording.append(row)
    return LanguageView(lang, facts, tuple(wording), prose_diff(diff.old, diff.new, lang), diff.is_empty)


@dataclass(frozen=True)
class ParagraphGroup:
    """Consecutive list items form one list; any other paragraph stands alone."""

    is_list: bool
    paragraphs: tuple[ParagraphDiff, ...]


def group_paragraphs(paragraphs: tuple[ParagraphDiff, ...]) -> tuple[ParagraphGroup, ...]:
    groups: list[ParagraphGroup] = []
    for paragraph in paragraphs:
        if paragraph.is_list_item and groups and groups[-1].is_list:
            groups[-1] = ParagraphGroup(True, (*groups[-1].paragraphs, paragraph))
        else:
            groups.append(ParagraphGroup(paragraph.is_list_item, (paragraph,)))
    return tuple(groups)
