"""Storage durations: ISO 8601 periods (``P2Y``, ``P13M``, ``PT30M``), ``session``, or
``persistent`` (localStorage, which has no expiry and stays until the visitor clears it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer

from .i18n import Lang
from .locales import message

# ASCII digits only: Python's \d would also take '٢' (Arabic-Indic two) and int() would read it.
_ISO = re.compile(
    r"^P(?!$)(?:(?P<years>[0-9]+)Y)?(?:(?P<months>[0-9]+)M)?(?:(?P<weeks>[0-9]+)W)?(?:(?P<days>[0-9]+)D)?"
    r"(?:T(?=[0-9])(?:(?P<hours>[0-9]+)H)?(?:(?P<minutes>[0-9]+)M)?(?:(?P<seconds>[0-9]+)S)?)?$"
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
# The longest storage a policy may declare: a century (a year counted as 365 days) is
# already far beyond any honest retention; anything longer is a typo or "forever".
MAX_YEARS = 100
MAX_SECONDS = MAX_YEARS * _SECONDS["years"]
_RANGE = f"a duration is at least 1 second (PT1S) and at most {MAX_YEARS} years (P{MAX_YEARS}Y)"

# The words (unit names, singular and plural, "and") are in locales/<lang>.yaml under duration.*.


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
            return message("duration.persistent", lang)
        if self.is_session:
            return message("duration.session", lang)
        words = [f"{n} {message(f'duration.{unit}.' + ('one' if n == 1 else 'other'), lang)}" for unit, n in self.parts]
        if len(words) == 1:
            return words[0]
        return f"{', '.join(words[:-1])} {message('duration.and', lang)} {words[-1]}"

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
    if any(len(match[unit].lstrip("0")) > 12 for unit in _UNITS if match[unit] is not None):
        raise ValueError(f"'{value}' is too long: {_RANGE}")  # before int(), which has limits of its own
    parts = tuple((unit, int(match[unit])) for unit in _UNITS if match[unit] is not None)
    if not any(n for _, n in parts):
        raise ValueError(f"'{value}' is a duration of zero; write 'session' for cookies that end with the session")
    duration = Duration(source=raw, parts=parts)
    if duration.seconds > MAX_SECONDS:
        raise ValueError(f"'{value}' is too long: {_RANGE}; write 'persistent' for storage kept until cleared")
    return duration


DurationField = Annotated[Duration, BeforeValidator(parse_duration), PlainSerializer(str, return_type=str)]
