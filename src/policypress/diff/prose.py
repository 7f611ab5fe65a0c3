"""Word-level diff of the prose, section by section, in one language.

Paragraphs are aligned first (list items count as paragraphs of their own),
then each pair of changed paragraphs is compared word by word, so that a
one-letter fix reads as ``<del>manor</del><ins>manner</ins>`` rather than a
whole paragraph struck out and written again.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from ..i18n import Lang
from ..model import Block, Policy, Subsection
from .structured import merged_keys

# Words, runs of whitespace, and each punctuation mark on its own: "MailChimp's"
# -> MailChimp ' s, so adding an apostrophe changes one word, not the sentence.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
# Between two changes, a space or a comma left unchanged only cuts the change
# in pieces; it is folded into one deletion and one insertion.
_GLUE = re.compile(r"^[^\w]{1,3}$")
# Below this share of common words two paragraphs are a rewrite, shown whole.
_REWRITE_RATIO = 0.4


class Op(StrEnum):
    EQUAL = "equal"
    DELETE = "delete"
    INSERT = "insert"
    REPLACE = "replace"


class Status(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Segment:
    op: Op  # EQUAL, DELETE or INSERT
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    is_list_item: bool = False


@dataclass(frozen=True)
class ParagraphDiff:
    op: Op
    is_list_item: bool
    segments: tuple[Segment, ...]

    @property
    def changed(self) -> bool:
        return self.op is not Op.EQUAL


@dataclass(frozen=True)
class SectionDiff:
    """A section or subsection in one language, with its title and paragraphs compared."""

    id: str  # "scope", or "scope.cookies" for a subsection
    anchor: str  # the id of the heading on the policy page: "scope", "scope--cookies"
    level: int
    status: Status
    title_segments: tuple[Segment, ...]
    paragraphs: tuple[ParagraphDiff, ...]
    subsections: tuple[SectionDiff, ...] = ()

    @property
    def title(self) -> str:
        """The title as it reads now, or as it read for a removed section."""
        dropped = Op.INSERT if self.status is Status.REMOVED else Op.DELETE
        return "".join(segment.text for segment in self.title_segments if segment.op is not dropped)

    @property
    def title_changed(self) -> bool:
        return any(segment.op is not Op.EQUAL for segment in self.title_segments)

    @property
    def changed_subsections(self) -> tuple[SectionDiff, ...]:
        return tuple(sub for sub in self.subsections if sub.status is not Status.UNCHANGED)

    @property
    def unchanged_subsection_count(self) -> int:
        return len(self.subsections) - len(self.changed_subsections)


@dataclass(frozen=True)
class ProseDiff:
    lang: Lang
    sections: tuple[SectionDiff, ...]

    @property
    def changed_sections(self) -> tuple[SectionDiff, ...]:
        return tuple(section for section in self.sections if section.status is not Status.UNCHANGED)

    @property
    def unchanged_count(self) -> int:
        return len(self.sections) - len(self.changed_sections)


def tokenise(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _merge(segments: Iterable[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for segment in segments:
        if not segment.text:
            continue
        if out and out[-1].op is segment.op:
            out[-1] = Segment(segment.op, out[-1].text + segment.text)
        else:
            out.append(segment)
    return out


def _fold_runs(segments: list[Segment]) -> list[Segment]:
    """Turn interleaved edits separated by glue (spaces, a comma) into one deletion and one insertion."""
    out: list[Segment] = []
    index = 0
    while index < len(segments):
        if segments[index].op is Op.EQUAL:
            out.append(segments[index])
            index += 1
            continue
        end = index
        # Extend over change segments and glue that has a change on its right.
        while end + 1 < len(segments) and (
            segments[end + 1].op is not Op.EQUAL
            or (
                _GLUE.match(segments[end + 1].text)
                and end + 2 < len(segments)
                and segments[end + 2].op is not Op.EQUAL
            )
        ):
            end += 1
        run = segments[index : end + 1]
        if any(s.op is Op.DELETE for s in run) and any(s.op is Op.INSERT for s in run):
            old = "".join(s.text for s in run if s.op is not Op.INSERT)
            new = "".join(s.text for s in run if s.op is not Op.DELETE)
            out += [Segment(Op.DELETE, old), Segment(Op.INSERT, new)]
        else:
            out += run
        index = end + 1
    return _merge(out)


# Kept by their texts: `mkdocs serve` compares the draft with the release again after each save,
# and a save changes a paragraph or two; releases in a row share most of theirs.
@functools.lru_cache(maxsize=4096)
def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """``old`` -> ``new`` as equal, deleted and inserted runs of text."""
    a, b = tokenise(old), tokenise(new)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append(Segment(Op.EQUAL, "".join(a[i1:i2])))
            continue
        # Deletion before insertion, so the old words are read first.
        raw.append(Segment(Op.DELETE, "".join(a[i1:i2])))
        raw.append(Segment(Op.INSERT, "".join(b[j1:j2])))
    return tuple(_fold_runs(_merge(raw)))


@functools.lru_cache(maxsize=4096)
def word_ratio(old: str, new: str) -> float:
    """The share of words two texts have in common, ignoring spaces and punctuation."""
    a, b = _WORD.findall(old.lower()), _WORD.findall(new.lower())
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def paragraphs(blocks: Iterable[Block], lang: Lang) -> list[Paragraph]:
    out = []
    for block in blocks:
        if block.list is not None:
            out += [Paragraph(item.get(lang), True) for item in block.list]
        elif block.paragraph is not None:
            out.append(Paragraph(block.paragraph.get(lang)))
    return out


def _whole(op: Op, paragraph: Paragraph) -> ParagraphDiff:
    return ParagraphDiff(op, paragraph.is_list_item, (Segment(op, paragraph.text),))


def diff_paragraphs(old: list[Paragraph], new: list[Paragraph]) -> tuple[ParagraphDiff, ...]:
    out: list[ParagraphDiff] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += [_whole(Op.EQUAL, paragraph) for paragraph in old[i1:i2]]
            continue
        olds, news = old[i1:i2], new[j1:j2]
        # Pair the paragraphs in order (an edit keeps its place); what is left
        # over on either side was deleted or inserted.
        for old_paragraph, new_paragraph in zip(olds, news):
            if word_ratio(old_paragraph.text, new_paragraph.text) < _REWRITE_RATIO:
                out += [_whole(Op.DELETE, old_paragraph), _whole(Op.INSERT, new_paragraph)]
            else:
                segments = word_diff(old_paragraph.text, new_paragraph.text)
                out.append(ParagraphDiff(Op.REPLACE, new_paragraph.is_list_item, segments))
        pairs = min(len(olds), len(news))
        out += [_whole(Op.DELETE, paragraph) for paragraph in olds[pairs:]]
        out += [_whole(Op.INSERT, paragraph) for paragraph in news[pairs:]]
    return tuple(out)


def _title_segments(old: Subsection | None, new: Subsection | None, lang: Lang) -> tuple[Segment, ...]:
    if old is None and new is not None:
        return (Segment(Op.INSERT, new.title.get(lang)),)
    if new is None and old is not None:
        return (Segment(Op.DELETE, old.title.get(lang)),)
    assert old is not None and new is not None
    return word_diff(old.title.get(lang), new.title.get(lang))


def _section_diff(
    section_id: str,
    anchor: str,
    level: int,
    old: Subsection | None,
    new: Subsection | None,
    lang: Lang,
    subsections: tuple[SectionDiff, ...] = (),
) -> SectionDiff:
    title = _title_segments(old, new, lang)
    body = diff_paragraphs(
        paragraphs(old.body, lang) if old is not None else [],
        paragraphs(new.body, lang) if new is not None else [],
    )
    if old is None:
        status = Status.ADDED
    elif new is None:
        status = Status.REMOVED
    elif (
        any(segment.op is not Op.EQUAL for segment in title)
        or any(paragraph.changed for paragraph in body)
        or any(sub.status is not Status.UNCHANGED for sub in subsections)
    ):
        status = Status.CHANGED
    else:
        status = Status.UNCHANGED
    return SectionDiff(section_id, anchor, level, status, title, body, subsections)


def _subsections(
    section_id: str, old: Mapping[str, Subsection], new: Mapping[str, Subsection], lang: Lang
) -> tuple[SectionDiff, ...]:
    return tuple(
        _section_diff(f"{section_id}.{sub_id}", f"{section_id}--{sub_id}", 3, old.get(sub_id), new.get(sub_id), lang)
        for sub_id in merged_keys(old, new)
    )


def prose_diff(old: Policy, new: Policy, lang: Lang) -> ProseDiff:
    """Every section of either version, in reading order, compared in ``lang``."""
    sections = []
    for section_id in merged_keys(old.sections, new.sections):
        old_section, new_section = old.sections.get(section_id), new.sections.get(section_id)
        subs = _subsections(
            section_id,
            old_section.subsections if old_section is not None else {},
            new_section.subsections if new_section is not None else {},
            lang,
        )
        sections.append(_section_diff(section_id, section_id, 2, old_section, new_section, lang, subs))
    return ProseDiff(lang, tuple(sections))
