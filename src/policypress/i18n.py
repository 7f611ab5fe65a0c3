"""Languages (BCP 47 tags checked with Babel) and the text type that every human-readable
string uses: one non-empty string per language of the policy.

Which languages a policy has is data (``policy.yaml`` ``languages``), not code: ``Lang`` is a
small value class, not an enum, and ``Text`` is a mapping. The loader checks that every
text has exactly the policy's languages (``loader.language_issues``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Annotated, Any, ClassVar

from babel import Locale, UnknownLocaleError
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .localefacts import display_name

# Only the shape of a tag: whether Babel knows the language is checked by Lang() itself.
TAG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

# The regional form whose dates and numbers the pages use when a tag names no region: the
# two languages of the first releases keep the formats they were published with.
_BABEL_LOCALES = {"en": "en_GB", "sv": "sv_SE"}
_NOUNS_CAPITALISED = frozenset({"de", "lb"})


@lru_cache(maxsize=None)
def _parse(code: str) -> tuple[str, Locale]:
    if not isinstance(code, str) or "_" in code:
        raise ValueError(f"'{code}' is not a BCP 47 language tag (such as en, sv, de or pt-BR)")
    try:
        locale = Locale.parse(code, sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"'{code}' is not a language Babel knows (a BCP 47 tag such as en, sv, de or pt-BR)") from None
    tag = "-".join(part for part in (locale.language, locale.script, locale.territory, locale.variant) if part)
    return tag, locale


class Lang(str):
    """A language of the policy: its BCP 47 tag (``en``, ``sv``, ``de``, ``pt-BR``), validated
    and normalised with Babel. It is the tag itself (a ``str``), so it keys dicts and prints as the tag."""

    EN: ClassVar[Lang]
    SV: ClassVar[Lang]

    def __new__(cls, code: str) -> Lang:
        if isinstance(code, Lang):
            return code
        tag, _ = _parse(code)
        return super().__new__(cls, tag)

    @property
    def value(self) -> str:
        return str.__str__(self)

    @property
    def locale(self) -> Locale:
        return _parse(self.value)[1]

    @property
    def native_name(self) -> str:
        """The language's name in itself, as a switcher shows it: "Svenska", "Deutsch"."""
        name = display_name(self.value)
        return name[:1].upper() + name[1:]

    @property
    def english_name(self) -> str:
        return self.locale.get_display_name("en") or self.value

    @property
    def babel_locale(self) -> str:
        """The Babel locale for dates on the pages."""
        return _BABEL_LOCALES.get(self.value, str(self.locale))

    def in_sentence(self, title: str) -> str:
        """A title as it reads inside a sentence ("Read more in our privacy policy"): in lower case,
        except in the languages that write every noun with a capital (German, Luxembourgish)."""
        return title if self.locale.language in _NOUNS_CAPITALISED else title.lower()

    def __repr__(self) -> str:
        return f"Lang({self.value!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # No pattern here: Babel's verdict (in __new__) is the message a user needs.
        return core_schema.no_info_after_validator_function(
            cls, core_schema.str_schema(), serialization=core_schema.plain_serializer_function_ser_schema(str)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "pattern": TAG_PATTERN}


Lang.EN = Lang("en")
Lang.SV = Lang("sv")
DEFAULT_LANG = Lang.EN
# The languages of a policy whose policy.yaml names none: every release before `languages`
# existed (1.0 to 1.2) is in English and Swedish, and those files are sealed.
DEFAULT_LANGUAGES: tuple[Lang, ...] = (Lang.EN, Lang.SV)


def languages_list(languages: Iterator[Lang] | tuple[Lang, ...] | list[Lang]) -> str:
    """``en, sv, de``: for messages."""
    return ", ".join(lang.value for lang in languages)


NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Text:
    """A human-readable string in each of the policy's languages: ``{en: ..., sv: ..., de: ...}``.

    Immutable and hashable (the models are frozen). Which languages it must have is the
    policy's business: the loader compares ``languages`` with ``policy.yaml``.
    """

    __slots__ = ("_texts",)

    def __init__(self, texts: Mapping[str, str] | None = None, /, **by_code: str) -> None:
        merged = {**(texts or {}), **by_code}
        self._texts: dict[Lang, str] = {Lang(code): value for code, value in merged.items()}

    def get(self, lang: Lang | str) -> str:
        try:
            return self._texts[Lang(lang)]
        except KeyError:
            raise KeyError(f"no text for '{lang}' (this text has {languages_list(self.languages)})") from None

    @property
    def languages(self) -> tuple[Lang, ...]:
        return tuple(self._texts)

    def items(self) -> Iterator[tuple[Lang, str]]:
        return iter(self._texts.items())

    def as_dict(self) -> dict[str, str]:
        return {lang.value: value for lang, value in self._texts.items()}

    def __contains__(self, lang: object) -> bool:
        return lang in self._texts

    def __iter__(self) -> Iterator[Lang]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and self._texts == other._texts

    def __hash__(self) -> int:
        return hash(frozenset(self._texts.items()))

    def __repr__(self) -> str:
        return f"Text({self.as_dict()!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        as_dict = core_schema.dict_schema(
            keys_schema=handler.generate_schema(Lang),
            values_schema=core_schema.str_schema(strip_whitespace=True, min_length=1),
            min_length=1,
        )
        def validate(value: Any, handler: core_schema.ValidatorFunctionWrapHandler) -> Text:
            # A Text passes as it is; anything else is read as a mapping (one error path, not a union's two).
            return value if isinstance(value, Text) else cls(handler(value))

        return core_schema.no_info_wrap_validator_function(
            validate, as_dict, serialization=core_schema.plain_serializer_function_ser_schema(lambda value: value.as_dict())
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {
            "description": "A text in each language of the policy (policy.yaml languages), {en: ..., sv: ...}. "
            "Plain text: no Markdown or HTML; URLs become links.",
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": TAG_PATTERN},
            # \S: a text of blanks is empty once stripped, as the model reads it.
            "additionalProperties": {"type": "string", "minLength": 1, "pattern": r"\S"},
        }


def language_tag(code: str) -> Lang:
    """A language given on the command line: a usage error (exit 2) when it is not a tag."""
    from .errors import UsageError  # errors has no dependencies; imported here to keep i18n first

    try:
        return Lang(code)
    except ValueError as exc:
        raise UsageError(f"--lang: {exc}") from None


def policy_language(code: str, languages: tuple[Lang, ...]) -> Lang:
    """One of the policy's languages, given on the command line."""
    from .errors import UsageError

    lang = language_tag(code)
    if lang not in languages:
        raise UsageError(f"--lang: '{code}' is not one of the policy's languages ({languages_list(languages)})")
    return lang
