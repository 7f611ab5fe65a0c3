"""Languages and the bilingual text type that every human-readable string uses."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class Lang(StrEnum):
    """The languages a policy is written in. Every text has all of them."""

    EN = "en"
    SV = "sv"

    @property
    def native_name(self) -> str:
        return {"en": "English", "sv": "Svenska"}[self.value]

    @property
    def english_name(self) -> str:
        return {"en": "English", "sv": "Swedish"}[self.value]

    @property
    def babel_locale(self) -> str:
        return {"en": "en_GB", "sv": "sv_SE"}[self.value]


DEFAULT_LANG = Lang.EN

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Text(BaseModel):
    """A human-readable string in every language: ``{en: ..., sv: ...}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    en: NonEmptyStr
    sv: NonEmptyStr

    def get(self, lang: Lang | str) -> str:
        return str(getattr(self, Lang(lang).value))


def text(en: str, sv: str) -> Text:
    """Shorthand for the package's own bilingual labels."""
    return Text(en=en, sv=sv)
