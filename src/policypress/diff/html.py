"""HTML output of the diff: the site fragment for a "what changed" page, and the standalone report.

Every string from the data is escaped: the templates autoescape, and the
word-diff markup is assembled with ``markupsafe`` from escaped parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..i18n import Lang
from ..render import Heading, template_environment
from .describe import Subject
from .labels import counted, summary, word
from .model import PolicyDiff
from .prose import Op, ParagraphDiff, Segment
from .views import LanguageView, ParagraphGroup, group_paragraphs, language_view

# On the site the theme's stylesheet knows nothing of our class, so the
# fragment carries the "visually hidden" rules itself; the report has them in <style>.
_SR_STYLE = (
    "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
    "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0"
)
FACTS_ID = "changed-facts"
WORDING_ID = "changed-wording"


def segments_html(segments: Sequence[Segment], lang: Lang, *, inline_style: bool = False) -> Markup:
    """Segments as HTML: ``<del>`` and ``<ins>``, each led by hidden text for screen readers,
    which announce neither element by default."""
    style = Markup(' style="{}"').format(_SR_STYLE) if inline_style else Markup("")
    out = []
    for segment in segments:
        if segment.op is Op.DELETE:
            tag, label = "del", word("mark.deleted", lang)
        elif segment.op is Op.INSERT:
            tag, label = "ins", word("mark.inserted", lang)
        else:
            out.append(escape(segment.text))
            continue
        out.append(
            Markup('<{0}><span class="pp-diff-sr"{1}>{2} </span>{3}</{0}>').format(
                Markup(tag), style, label, segment.text
            )
        )
    return Markup("").join(out)


def subject_html(subject: Subject) -> Markup:
    out = escape(subject.label)
    if subject.id is not None:
        out += Markup(" <code>{}</code>").format(subject.id)
    if subject.name and subject.name != subject.id:
        out += Markup(" ({})").format(subject.name)
    return out


@dataclass(frozen=True)
class _LanguageContext:
    """What the macros of ``diff_macros.j2`` need for one language."""

    view: LanguageView
    inline_style: bool
    facts_id: str = FACTS_ID
    wording_id: str = WORDING_ID

    @property
    def lang(self) -> str:
        return self.view.lang.value

    @property
    def language_name(self) -> str:
        return self.view.lang.native_name

    def w(self, key: str, **values: object) -> str:
        return word(key, self.view.lang, **values)

    def counted(self, key: str, count: int) -> str:
        return counted(key, count, self.view.lang)

    def seg(self, segments: Sequence[Segment]) -> Markup:
        return segments_html(segments, self.view.lang, inline_style=self.inline_style)

    def subject(self, subject: Subject) -> Markup:
        return subject_html(subject)

    def groups(self, paragraphs: tuple[ParagraphDiff, ...]) -> tuple[ParagraphGroup, ...]:
        return group_paragraphs(paragraphs)


# The view a page's fragment was rendered from, which its headings are then read from.
_last_view: list[tuple[PolicyDiff, Lang, LanguageView]] = []


def _view(diff: PolicyDiff, lang: Lang) -> LanguageView:
    """``language_view`` once for a fragment and its headings (the diff's prose is compared word by word)."""
    if _last_view and _last_view[0][0] is diff and _last_view[0][1] == lang:
        return _last_view[0][2]
    view = language_view(diff, lang)
    _last_view[:] = [(diff, lang, view)]
    return view


def render_changes_fragment(diff: PolicyDiff, lang: Lang) -> str:
    """The body of a "what changed" page in ``lang``: the changed facts, then the changed sections in full."""
    context = _LanguageContext(_view(diff, lang), inline_style=True)
    return template_environment().get_template("diff_fragment.html.j2").render(lang=lang.value, c=context)


def fragment_headings(diff: PolicyDiff, lang: Lang) -> tuple[Heading, ...]:
    """The headings of ``render_changes_fragment``, for the page's table of contents."""
    view = _view(diff, lang)
    headings = [Heading(2, FACTS_ID, word("facts.heading", lang))]
    if view.wording:
        headings.append(Heading(2, WORDING_ID, word("wording.heading", lang)))
    for section in view.prose.changed_sections:
        headings.append(Heading(2, section.anchor, section.title))
        headings += [Heading(3, sub.anchor, sub.title) for sub in section.changed_subsections]
    return tuple(headings)


def render_html_report(diff: PolicyDiff, old_label: str, new_label: str, langs: Sequence[Lang]) -> str:
    """A standalone HTML file for legal review: both languages, no external resources, printable."""
    langs = tuple(langs) or (Lang.EN,)
    first = langs[0]
    title = word("report.title", first, title=diff.new.meta.title.get(first), old=old_label, new=new_label)
    parts = [_LanguageContext(language_view(diff, lang), inline_style=False) for lang in langs]
    counts = {
        lang: summary(len(diff.changes), len(diff.fact_changes), len(diff.text_changes), lang) for lang in langs
    }
    return template_environment().get_template("diff_report.html.j2").render(
        lang=first.value,
        title=title,
        parts=parts,
        is_empty=diff.is_empty,
        summary=counts,
        compared={lang: word("report.compared", lang, old=old_label, new=new_label) for lang in langs},
        empty={lang: word("report.empty", lang) for lang in langs},
        languages_label=word("report.languages", first),
    )
