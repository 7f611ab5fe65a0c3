"""The sentence under the cookie table that says when and against how many pages the
build's own scan last checked it. The page is rendered before the scan runs, so it
carries a placeholder that the build fills in afterwards."""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import escape

from ..i18n import Lang
from ..locales import message
from ..localefacts import long_date
from .findings import ScanReport

PLACEHOLDER = '<p class="pp-scan-note" data-pp-scan-note></p>'

# The texts are in locales/<lang>.yaml: scan.note.checked, scan.note.unseen.
_CHECKED = "scan.note.checked"
_UNSEEN = "scan.note.unseen"


def scan_note(report: ScanReport, day: dt.date, lang: Lang) -> str:
    text = message(_CHECKED, lang).format(day=long_date(day, lang.babel_locale), pages=report.pages_scanned)
    unseen = len(report.warnings)
    if unseen:
        text += message(_UNSEEN, lang).format(count=unseen)
    return text


# The note as it is filled in: a page that a dirty build (`make serve`) did not render again still
# holds the last build's note, which the new one replaces.
_FILLED = re.compile(r'<p class="pp-scan-note">[^<]*</p>')


def fill_scan_note(html: str, note: str) -> str:
    filled = f'<p class="pp-scan-note">{escape(note)}</p>'
    if PLACEHOLDER in html:
        return html.replace(PLACEHOLDER, filled)
    return _FILLED.sub(lambda _: filled, html)
