"""The sentence under the cookie table that says when and against how many pages the
build's own scan last checked it. The page is rendered before the scan runs, so it
carries a placeholder that the build fills in afterwards."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from markupsafe import escape

from ..i18n import Lang
from .findings import ScanReport

PLACEHOLDER = '<p class="pp-scan-note" data-pp-scan-note></p>'

_CHECKED = {
    Lang.EN: "This table was checked on {day} against the {pages} pages of this website by the build's consent scan: "
    "no undeclared cookie or storage and nothing loaded before consent.",
    Lang.SV: "Tabellen kontrollerades den {day} mot webbplatsens {pages} sidor av byggets samtyckesgranskning: "
    "inga oredovisade cookies eller lagring och inget som laddas före samtycke.",
}
_UNSEEN = {
    Lang.EN: " {count} declared items were not seen on these pages (they may be set by our other websites).",
    Lang.SV: " {count} redovisade poster syntes inte på dessa sidor (de kan sättas av våra andra webbplatser).",
}


def scan_note(report: ScanReport, day: dt.date, lang: Lang) -> str:
    text = _CHECKED[lang].format(day=format_date(day, format="long", locale=lang.babel_locale), pages=report.pages_scanned)
    unseen = len(report.warnings)
    if unseen:
        text += _UNSEEN[lang].format(count=unseen)
    return text


def fill_scan_note(html: str, note: str) -> str:
    return html.replace(PLACEHOLDER, f'<p class="pp-scan-note">{escape(note)}</p>')
