"""The plain-text (terminal) and Markdown (GitHub job summary) reports.

Unchanged paragraphs and sections are counted rather than shown: these
reports are read in a terminal or a CI log, where the context the HTML
report shows in full would bury the changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..escape import markdown, terminal
from ..i18n import Lang
from .describe import ChangeDescription, Subject
from .labels import counted, summary, word
from .model import PolicyDiff
from .prose import Op, ParagraphDiff, Segment, SectionDiff, Status
from .views import LanguageView, language_view

_SPACE = re.compile(r"\s+")


def clean(value: str) -> str:
    """One line of safe text: whitespace runs (line breaks included) made one space, then
    control and bidi characters shown escaped (``escape.terminal``), so no value from
    the data can rewrite the terminal or start a line (a CI workflow command)."""
    return terminal(_SPACE.sub(" ", value))


def _header(diff: PolicyDiff, old_label: str, new_label: str, lang: Lang) -> tuple[str, str]:
    title = word("report.title", lang, title=clean(diff.new.meta.title.get(lang)), old=old_label, new=new_label)
    if diff.is_empty:
        status = word("report.empty", lang)
    else:
        status = summary(len(diff.changes), len(diff.fact_changes), len(diff.text_changes), lang)
    return title, f"{word('report.compared', lang, old=old_label, new=new_label)} {status}"


@dataclass(frozen=True)
class _Skipped:
    """Unchanged paragraphs or subsections left out of the report, counted for the reader."""

    key: str
    count: int


def _collapse(paragraphs: Sequence[ParagraphDiff]) -> Iterator[ParagraphDiff | _Skipped]:
    """The changed paragraphs, with each run of unchanged ones replaced by its length."""
    run = 0
    for paragraph in paragraphs:
        if paragraph.changed:
            if run:
                yield _Skipped("prose.unchanged_paragraphs", run)
                run = 0
            yield paragraph
        else:
            run += 1
    if run:
        yield _Skipped("prose.unchanged_paragraphs", run)


def _walk_sections(sections: Sequence[SectionDiff]) -> Iterator[SectionDiff | _Skipped]:
    """Changed sections and their changed subsections in reading order."""
    for section in sections:
        yield section
        yield from section.changed_subsections
        if section.unchanged_subsection_count:
            yield _Skipped("prose.unchanged_subsections", section.unchanged_subsection_count)


# --- text --------------------------------------------------------------------


def text_segments(segments: Sequence[Segment]) -> str:
    """Like ``git diff --word-diff=plain``: ``[-old-]{+new+}``."""
    parts = []
    for segment in segments:
        value = clean(segment.text)
        if segment.op is Op.DELETE:
            parts.append(f"[-{value}-]")
        elif segment.op is Op.INSERT:
            parts.append(f"{{+{value}+}}")
        else:
            parts.append(value)
    return "".join(parts)


_TEXT_MARK = {Op.DELETE: "-", Op.INSERT: "+", Op.REPLACE: "~"}


def _text_subject(subject: Subject) -> str:
    return clean(subject.plain())


def _text_language(view: LanguageView) -> Iterator[str]:
    lang = view.lang
    yield f"=== {lang.native_name} ==="
    yield ""
    yield word("facts.heading", lang)
    if not view.facts:
        yield f"  {word('facts.none', lang)}"
    for description in view.facts:
        yield f"  * {_text_subject(description.subject)}: {clean(description.summary)}"
        if description.before:
            yield f"      - {clean(description.before)}"
        if description.after:
            yield f"      + {clean(description.after)}"
    if view.wording:
        yield ""
        yield word("wording.heading", lang)
        for row in view.wording:
            yield f"  * {_text_subject(row.description.subject)}: {clean(row.description.field)}"
            yield f"      ~ {text_segments(row.segments)}"
    yield ""
    changed = view.prose.changed_sections
    if not changed:
        yield word("prose.other_language" if view.only_other_language else "prose.none", lang)
    for item in _walk_sections(changed):
        if isinstance(item, _Skipped):
            yield f"({counted(item.key, item.count, lang)})"
            continue
        if item.status is Status.CHANGED:
            yield f"{'#' * item.level} {text_segments(item.title_segments)}"
        else:
            # Added or removed: the whole title would be one marker, the status says it.
            yield f"{'#' * item.level} {clean(item.title)} [{word('status.' + item.status.value, lang)}]"
        for paragraph in _collapse(item.paragraphs):
            if isinstance(paragraph, _Skipped):
                yield f"  ... {counted(paragraph.key, paragraph.count, lang)}"
                continue
            bullet = "* " if paragraph.is_list_item else ""
            # A whole paragraph added or removed is marked by its +/- alone.
            body = (
                text_segments(paragraph.segments)
                if paragraph.op is Op.REPLACE
                else clean("".join(segment.text for segment in paragraph.segments))
            )
            yield f"  {_TEXT_MARK[paragraph.op]} {bullet}{body}"
    if changed and view.prose.unchanged_count:
        yield counted("prose.unchanged", view.prose.unchanged_count, lang)


def render_text(diff: PolicyDiff, old_label: str, new_label: str, langs: Sequence[Lang]) -> str:
    title, status = _header(diff, clean(old_label), clean(new_label), langs[0])
    lines = [title, "=" * len(title), status]
    if not diff.is_empty:
        lines.append(word("report.legend.text", langs[0]))
        for lang in langs:
            lines += ["", *_text_language(language_view(diff, lang))]
    return "\n".join(lines) + "\n"


# --- markdown ----------------------------------------------------------------


def md(value: str) -> str:
    """Text from the data as Markdown that shows exactly that text (``escape.markdown``)."""
    return markdown(clean(value))


def md_segments(segments: Sequence[Segment]) -> str:
    # HTML tags rather than ~~ and **: emphasis markers do not open or close
    # next to punctuation in CommonMark ("de-identified**.**" stays literal),
    # and GitHub renders <del> struck through and <ins> underlined.
    parts = []
    for segment in segments:
        value = md(segment.text)
        if segment.op is Op.DELETE:
            parts.append(f"<del>{value}</del>")
        elif segment.op is Op.INSERT:
            parts.append(f"<ins>{value}</ins>")
        else:
            parts.append(value)
    return "".join(parts)


def _md_code(value: str) -> str:
    if any(ch in value for ch in "`<>&"):
        # Not a code span: GitHub would still show a tag in one, raw, to anyone copying it.
        return md(value)
    # A | ends a table cell even inside a code span in GitHub's tables.
    return f"`{clean(value).replace('|', chr(92) + '|')}`"


def _md_subject(subject: Subject) -> str:
    out = md(subject.label)
    if subject.id is not None:
        out += f" {_md_code(subject.id)}"
    if subject.name and subject.name != subject.id:
        out += f" ({md(subject.name)})"
    return out


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> Iterator[str]:
    yield _md_row([md(header) for header in headers])
    yield _md_row(["---"] * len(headers))
    for row in rows:
        yield _md_row(row)


def _md_fact_row(description: ChangeDescription) -> list[str]:
    return [_md_subject(description.subject), md(description.summary), md(description.before), md(description.after)]


def _md_language(view: LanguageView) -> Iterator[str]:
    lang = view.lang

    def w(key: str) -> str:
        return word(key, lang)

    yield f"## {lang.native_name}"
    yield ""
    yield f"### {w('facts.heading')}"
    yield ""
    if view.facts:
        headers = [w("column.what"), w("column.change"), w("column.before"), w("column.after")]
        yield from _md_table(headers, [_md_fact_row(description) for description in view.facts])
    else:
        yield f"_{w('facts.none')}_"
    if view.wording:
        yield ""
        yield f"### {w('wording.heading')}"
        yield ""
        headers = [w("column.what"), w("column.field"), w("column.wording")]
        rows = [
            [_md_subject(row.description.subject), md(row.description.field), md_segments(row.segments)]
            for row in view.wording
        ]
        yield from _md_table(headers, rows)
    changed = view.prose.changed_sections
    yield ""
    if not changed:
        yield f"_{w('prose.other_language' if view.only_other_language else 'prose.none')}_"
        return
    yield f"_{w('report.legend.markdown')}_"
    for item in _walk_sections(changed):
        yield ""
        if isinstance(item, _Skipped):
            yield f"_{counted(item.key, item.count, lang)}_"
            continue
        status = "" if item.status is Status.CHANGED else f" ({word('status.' + item.status.value, lang)})"
        yield f"{'#' * (item.level + 1)} {md_segments(item.title_segments)}{status}"
        for paragraph in _collapse(item.paragraphs):
            yield ""
            if isinstance(paragraph, _Skipped):
                yield f"_… {counted(paragraph.key, paragraph.count, lang)}_"
            else:
                yield f"{'- ' if paragraph.is_list_item else ''}{md_segments(paragraph.segments)}"
    if view.prose.unchanged_count:
        yield ""
        yield f"_{counted('prose.unchanged', view.prose.unchanged_count, lang)}_"


def render_markdown(diff: PolicyDiff, old_label: str, new_label: str, langs: Sequence[Lang]) -> str:
    title, status = _header(diff, old_label, new_label, langs[0])
    lines = [f"# {md(title)}", "", md(status)]
    if not diff.is_empty:
        for lang in langs:
            lines += ["", *_md_language(language_view(diff, lang))]
    return "\n".join(lines) + "\n"
