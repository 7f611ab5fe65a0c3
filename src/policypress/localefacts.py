"""What the pages take from Babel's locale data (a long date, a language's own name), kept between builds.

Babel reads and merges a locale's whole data (for English dates ``root``, ``en``, ``en_001``
and ``en_GB``) the first time a process formats anything in it: about 25 ms a build for a
few dates and two language names. Each answer is kept like a frozen release's output
(``buildcache.rendered``), under a key naming Babel's version, the locale and the question,
so a separate build reads back a few short texts instead. Without a cache folder
(``use_cache_dir``, set by the build) every answer is Babel's own, remembered in this process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

_cache_dir: Path | None = None


def use_cache_dir(cache_dir: Path | None) -> None:
    """Keep the answers in ``cache_dir/pages`` (a build's ``.cache/policypress``) from now on; None: in memory."""
    global _cache_dir
    _cache_dir = cache_dir


def _kept(question: str, locale: str, argument: str, ask: Callable[[], str]) -> str:
    if _cache_dir is None:
        return ask()
    # Imported here: buildcache needs the model, which needs the languages (i18n), which use this module.
    from .buildcache import as_text, babel_version, rendered  # noqa: PLC0415

    return rendered(f"babel-{question}", [babel_version, locale, argument], ask, _cache_dir,
                    encode=lambda text: text, decode=as_text)


@lru_cache(maxsize=1024)
def long_date(day: dt.date, locale: str) -> str:
    """``day`` as the pages write it: Babel's long format in ``locale`` ("2 December 2026")."""
    def ask() -> str:
        from babel.dates import format_date  # noqa: PLC0415 - only when the answer is not kept

        return format_date(day, format="long", locale=locale)

    return _kept("long-date", locale, day.isoformat(), ask)


@lru_cache(maxsize=256)
def display_name(tag: str) -> str:
    """The language of BCP 47 ``tag`` named in itself ("svenska", "English"), or the tag when Babel has no name."""
    def ask() -> str:
        from .i18n import Lang  # noqa: PLC0415

        locale = Lang(tag).locale
        return locale.get_display_name(locale) or tag

    return _kept("own-name", tag, tag, ask)
