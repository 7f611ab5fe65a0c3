"""Storage durations: ISO 8601 periods (``P2Y``, ``P13M``, ``PT30M``), ``session``, or
``persistent`` (localStorage, which has no expiry and stays until the visitor clears it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

from .i18n import Lang

_ISO = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?$"
)
_UNITS = ("years", "months", "weeks", "days", "hours", "minutes", "seconds")
_SECONDS = {
    "years": 365 * 86400,
    "months": 30 * 86400,
    "weeks": 7 * 86400,
    "days": 86400,
    "hours": 3600,
    "minutes": 60,
    "seconds": 1,
}
_NAMES = {
    Lang.EN: {
        "years": ("year", "years"),
        "months": ("month", "months"),
        "weeks": ("week", "weeks"),
        "days": ("day", "days"),
        "hours": ("hour", "hours"),
        "minutes": ("minute", "minutes"),
        "seconds": ("second", "seconds"),
    },
    Lang.SV: {
        "years": ("år", "år"),
        "months": ("månad", "månader"),
        "weeks": ("vecka", "veckor"),
        "days": ("dag", "dagar"),
        "hours": ("timme", "timmar"),
        "minutes": ("minut", "minuter"),
        "seconds": ("sekund", "sekunder"),
    },
}
_PERSISTENT = {
    Lang.EN: "Until you clear your browser's storage",
    Lang.SV: "Tills du rensar webbläsarens lagring",
}
_SESSION = {Lang.EN: "Session (deleted when the browser closes)", Lang.SV: "Sessionen (raderas när webbläsaren stängs)"}
_AND = {Lang.EN: "and", Lang.SV: "och"}


@dataclass(frozen=True)
class Duration:
    """How long a cookie or a record is kept. ``parts`` is empty for a session."""

    source: str
    parts: tuple[tuple[str, int], ...] = ()
    persistent: bool = False  # localStorage: kept until the visitor clears it

    @property
    def is_session(self) -> bool:
        return not self.parts and not self.persistent

    @property
    def seconds(self) -> int:
        """Approximate length (a year is 365 days, a month 30), for comparisons only."""
        return sum(_SECONDS[unit] * n for unit, n in self.parts)

    def label(self, lang: Lang | str) -> str:
        lang = Lang(lang)
        if self.persistent:
            return _PERSISTENT[lang]
        if self.is_session:
            return _SESSION[lang]
        words = [f"{n} {_NAMES[lang][unit][0 if n == 1 else 1]}" for unit, n in self.parts]
        if len(words) == 1:
            return words[0]
        return f"{', '.join(words[:-1])} {_AND[lang]} {words[-1]}"

    def __str__(self) -> str:
        return self.source


def parse_duration(value: object) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a duration such as P2Y or 'session', got {type(value).__name__}")
    raw = value.strip()
    if raw.lower() == "session":
        return Duration(source="session")
    if raw.lower() == "persistent":
        return Duration(source="persistent", persistent=True)
    match = _ISO.match(raw)
    if not match:
        raise ValueError(
            f"'{value}' is not a duration: write an ISO 8601 duration such as P2Y, P13M, P30D or PT30M, or 'session'"
            " (or 'persistent' for browser storage kept until cleared)"
        )
    parts = tuple((unit, int(match[unit])) for unit in _UNITS if match[unit] is not None)
    if not any(n for _, n in parts):
        raise ValueError(f"'{value}' is a duration of zero; write 'session' for cookies that end with the session")
    return Duration(source=raw, parts=parts)


DurationField = Annotated[Duration, BeforeValidator(parse_duration), PlainSerializer(str, return_type=str)]
