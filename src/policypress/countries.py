"""Countries: ISO 3166-1 alpha-2 codes, their names in each language, and the EEA."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from babel import Locale
from pydantic import AfterValidator

from .i18n import Lang

# EU member states plus Iceland, Liechtenstein and Norway.
EEA = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split()
)
# Common non-codes people write, and the code they meant.
_HINTS = {"UK": "GB", "EL": "GR", "USA": "US", "SW": "SE", "SWE": "SE"}


@cache
def _territories(lang: Lang) -> dict[str, str]:
    names = Locale.parse(lang.babel_locale).territories
    return {code: name for code, name in names.items() if len(code) == 2 and code.isalpha()}


def country_name(code: str, lang: Lang | str) -> str:
    return _territories(Lang(lang)).get(code, code)


def is_in_eea(code: str) -> bool:
    return code in EEA


def check_country(code: str) -> str:
    if code in _territories(Lang.EN) and code not in ("ZZ", "EU", "EZ", "UN", "QO"):
        return code
    hint = _HINTS.get(code.upper()) or (code.upper() if code.upper() in _territories(Lang.EN) else None)
    suggestion = f" (did you mean {hint}?)" if hint else ""
    raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code{suggestion}")


CountryCode = Annotated[str, AfterValidator(check_country)]
