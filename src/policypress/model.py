"""The policy as typed data: one model per file of ``policy_data/``, and the whole ``Policy``.

Mappings are keyed by stable ids, so that a diff between two versions can say
"processor ``mailchimp`` moved from X to Y" instead of "item 3 changed".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import SerializerFunctionWrapHandler, model_serializer
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StringConstraints, model_validator

from .countries import CountryCode
from .dpv_purposes import DpvPurpose
from .durations import DurationField
from .escape import UnsafeURL, safe_url
from .i18n import DEFAULT_LANGUAGES, Lang, NonEmptyStr, Text
from .vocabulary import (
    CookieCategory,
    DataCategory,
    DataSource,
    FactStatus,
    LegalBasis,
    Party,
    RecipientRole,
    Requirement,
    Right,
    StorageType,
    TransferMechanism,
)

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
MAX_ID_CHARS = 64
# A cookie name is an RFC 6265 token (ASCII, no separators, no controls), with '*' as a
# wildcard. A storage key may start with a path scope such as Material's '/docs/.__consent';
# '/' appears nowhere else and no scope segment starts with '.', so no '..' either.
# ASCII only: bidi overrides (U+202A-U+202E, U+2066-U+2069) could make a name read as another.
COOKIE_NAME_PATTERN = r"^(/([A-Za-z0-9_~-][A-Za-z0-9_.~-]*/)*)?[!#$%&'*+.^_`|~0-9A-Za-z-]+$"
MAX_COOKIE_NAME_CHARS = 256

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=MAX_ID_CHARS)]
CookieName = Annotated[str, StringConstraints(pattern=COOKIE_NAME_PATTERN, max_length=MAX_COOKIE_NAME_CHARS)]


def _web_url(value: str) -> str:
    # The pages and feeds link these: a `javascript:` or `data:` URL would run in the reader's browser.
    if not value:
        return value
    try:
        return safe_url(value)
    except UnsafeURL:
        raise ValueError("a web address must be an http, https or mailto URL (or relative)") from None


WebURL = Annotated[str, AfterValidator(_web_url)]


class Model(BaseModel):
    # defer_build: the validators are built when data is first validated, not at import: a build whose
    # draft and releases come from the cache (buildcache) validates none of these models.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# --- facts awaiting the data owner's confirmation ----------------------------


class ActivityFact(StrEnum):
    """The facts of a processing activity that can be proposed rather than confirmed."""

    LEGAL_BASIS = "legal_basis"
    LEGITIMATE_INTEREST = "legitimate_interest"
    RETENTION = "retention"
    RECIPIENTS = "recipients"
    REQUIREMENT = "requirement"


class RecipientFact(StrEnum):
    """The facts of a recipient that can be proposed rather than confirmed."""

    ROLE = "role"
    STORAGE = "storage"
    TRANSFER = "transfer"


class RightsFact(StrEnum):
    HOW_TO_EXERCISE = "how_to_exercise"


class CookieFact(StrEnum):
    """The facts of a cookie declaration that can be proposed (drafted from an audit) rather than confirmed."""

    CATEGORY = "category"
    DURATION = "duration"
    PURPOSE = "purpose"


class Reviewable(Model):
    """Base of the models with a ``status`` (and ``review``): a dump leaves them out while they hold
    their defaults, so that confirmed data dumps (diffs, exports) exactly as before they existed."""

    @model_serializer(mode="wrap")
    def _omit_defaults(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            if data.get("status") in ({}, FactStatus.CONFIRMED.value, FactStatus.CONFIRMED):
                del data["status"]
            if "review" in data and data["review"] is None:
                del data["review"]
        return data


STATUS_DESCRIPTION = (
    "Which of this item's facts are only proposed, by field name, e.g. {transfer: proposed}. "
    "A fact not listed is confirmed by the data owner. A proposed fact is shown only in previews, "
    "marked 'Proposed, not confirmed by the data owner'; published pages show it as not stated, "
    "and the draft cannot be released while any fact is proposed."
)



# --- policy.yaml -------------------------------------------------------------


class PolicyMeta(Model):
    title: Text
    languages: tuple[Lang, ...] = Field(
        default=DEFAULT_LANGUAGES,
        json_schema_extra={"minItems": 1},  # checked below: pydantic's own check repeats every bad tag's error
        description="The languages of the policy, as BCP 47 tags (en, sv, de, pt-BR): every text of the data "
        "has exactly these, and the site has pages in each (the first is the default). "
        "Absent: en and sv, the languages of the releases made before this key existed.",
    )

    @model_validator(mode="after")
    def _distinct_languages(self) -> PolicyMeta:
        if not self.languages:
            raise ValueError("'languages' needs at least one language")
        if len(set(self.languages)) != len(self.languages):
            raise ValueError("each language is listed once in 'languages'")
        return self


# --- controller.yaml ---------------------------------------------------------


class DataProtectionOfficer(Model):
    name: str = ""
    email: str = ""
    phone: str = ""


class Controller(Model):
    """The personuppgiftsansvarig. Plain strings: names and numbers are not translated."""

    id: Id
    legal_name: NonEmptyStr
    short_name: str = ""
    organisation_number: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    website: WebURL = Field("", description="the controller's website, linked from the pages (http, https or mailto)")
    dpo: DataProtectionOfficer | None = None


class ControllerFile(Model):
    controller: Controller


# --- activities.yaml ---------------------------------------------------------


class Retention(Model):
    """How long data is kept: a period, or the criteria that decide it."""

    period: DurationField | None = None
    criteria: Text | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Retention:
        if (self.period is None) == (self.criteria is None):
            raise ValueError("write either 'period' (such as P2Y) or 'criteria' (a text), not both or neither")
        return self


class ProcessingActivity(Reviewable):
    name: Text
    purpose: Text
    dpv_purpose: DpvPurpose | None = Field(
        default=None,
        description="The purpose in the W3C Data Privacy Vocabulary (DPV 2.3) that this purpose is, "
        "such as dpv:DirectMarketing or dpv:CustomerCare; the JSON-LD states it (optional).",
    )
    data_categories: tuple[DataCategory, ...] = ()
    source: DataSource
    recipients: tuple[Id, ...] = ()
    legal_basis: LegalBasis | None = None
    legitimate_interest: Text | None = None
    retention: Retention | None = None
    # Art. 13(2)(e): must the data be provided, and what happens if it is not.
    requirement: Requirement | None = None
    requirement_consequence: Text | None = None
    status: dict[ActivityFact, FactStatus] = Field(default_factory=dict, description=STATUS_DESCRIPTION)

    def is_proposed(self, fact: ActivityFact) -> bool:
        return self.status.get(fact) is FactStatus.PROPOSED


class AutomatedDecisions(Model):
    """Art. 13(2)(f): automated decision-making, including profiling, or that there is none."""

    used: StrictBool
    description: Text


class ActivitiesFile(Model):
    general_retention: Text | None = None
    automated_decision_making: AutomatedDecisions | None = None
    activities: dict[Id, ProcessingActivity]


# --- recipients.yaml ---------------------------------------------------------


class Storage(Model):
    countries: tuple[CountryCode, ...] = ()
    location: Text | None = None


class Transfer(Model):
    mechanism: TransferMechanism
    reference: Text | None = None


class Recipient(Reviewable):
    name: Text
    role: RecipientRole
    service: Text
    storage: Storage = Storage()
    transfer: Transfer | None = None
    status: dict[RecipientFact, FactStatus] = Field(default_factory=dict, description=STATUS_DESCRIPTION)

    def is_proposed(self, fact: RecipientFact) -> bool:
        return self.status.get(fact) is FactStatus.PROPOSED


class RecipientsFile(Model):
    recipients: dict[Id, Recipient]


# --- cookies.yaml ------------------------------------------------------------


class CookieDeclaration(Reviewable):
    """A cookie or browser-storage key. Its id is its name, or a pattern such as ``_ga_*``."""

    provider: Id
    party: Party
    type: StorageType
    category: CookieCategory
    duration: DurationField
    purpose: Text
    consent_required: StrictBool
    status: dict[CookieFact, FactStatus] = Field(default_factory=dict, description=STATUS_DESCRIPTION)

    def is_proposed(self, fact: CookieFact) -> bool:
        return self.status.get(fact) is FactStatus.PROPOSED


class CookiesFile(Model):
    cookies: dict[CookieName, CookieDeclaration]


# --- rights.yaml -------------------------------------------------------------


class RightStatement(Model):
    description: Text


class SupervisoryAuthority(Model):
    """Where a complaint can be lodged (Art. 13(2)(d)), e.g. Integritetsskyddsmyndigheten."""

    name: Text
    website: WebURL = Field("", description="the authority's website, linked from the pages (http, https or mailto)")


class RightsFile(Reviewable):
    how_to_exercise: Text | None = None
    supervisory_authority: SupervisoryAuthority | None = None
    rights: dict[Right, RightStatement]
    status: dict[RightsFact, FactStatus] = Field(default_factory=dict, description=STATUS_DESCRIPTION)

    def is_proposed(self, fact: RightsFact) -> bool:
        return self.status.get(fact) is FactStatus.PROPOSED


# --- sections.yaml -----------------------------------------------------------


class GeneratedTable(StrEnum):
    """Tables built from the data, placed after a section's prose."""

    ACTIVITIES = "activities"
    RECIPIENTS = "recipients"
    COOKIES = "cookies"
    RETENTION = "retention"
    RIGHTS = "rights"


class Block(Reviewable):
    """A paragraph (``{en: ..., sv: ...}``, one key per language of the policy) or a bulleted
    list (``{list: [{en: ..., sv: ...}, ...]}``)."""

    # The paragraph's languages are its keys: whichever languages the policy has.
    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)
    __pydantic_extra__: dict[str, NonEmptyStr] = Field(init=False)

    list: tuple[Text, ...] | None = None
    status: FactStatus = Field(
        default=FactStatus.CONFIRMED,
        description="'proposed' when the data owner has not confirmed what this paragraph or list states: "
        "it is then shown only in previews, marked, and left out of published pages.",
    )
    review: Text | None = Field(
        default=None,
        description="A question for the legal review about this paragraph or list (e.g. a sentence to strike "
        "or reword). Shown only in previews; the lint lists it, and the draft cannot be released with it.",
    )

    @model_validator(mode="before")
    @classmethod
    def _language_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in data:
                if key not in cls.model_fields:
                    try:
                        Lang(key)
                    except ValueError:
                        raise ValueError(
                            f"unknown key '{key}': a block has one text per language (such as en, sv), "
                            "or a 'list', and may have 'status' and 'review'"
                        ) from None
        return data

    @model_validator(mode="after")
    def _paragraph_or_list(self) -> Block:
        langs = self.__pydantic_extra__ or {}
        if self.list is not None:
            if langs:
                raise ValueError("a block is either a paragraph (one text per language) or a list, not both")
        elif not langs:
            raise ValueError("a block needs a paragraph (one text per language, such as en and sv) or a 'list'")
        return self

    @property
    def paragraph(self) -> Text | None:
        if self.list is not None:
            return None
        return Text(self.__pydantic_extra__ or {})


class Subsection(Model):
    title: Text
    body: tuple[Block, ...] = ()
    tables: tuple[GeneratedTable, ...] = ()


class Section(Subsection):
    subsections: dict[Id, Subsection] = {}


class SectionsFile(Model):
    sections: dict[Id, Section]


# --- the whole policy --------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Everything in one ``policy_data/`` folder, validated and cross-checked."""

    meta: PolicyMeta
    controller: Controller
    activities: ActivitiesFile
    recipients: dict[str, Recipient]
    cookies: dict[str, CookieDeclaration]
    rights: RightsFile
    sections: dict[str, Section]

    @property
    def languages(self) -> tuple[Lang, ...]:
        """The policy's languages (``policy.yaml``), the first being the default."""
        return self.meta.languages

    def provider_name(self, provider_id: str, lang: Lang | str) -> str:
        if provider_id == self.controller.id:
            return self.controller.legal_name
        return self.recipients[provider_id].name.get(lang)

    @property
    def cookie_categories(self) -> list[CookieCategory]:
        """The categories that have at least one declaration, in the vocabulary's order."""
        used = {cookie.category for cookie in self.cookies.values()}
        return [category for category in CookieCategory if category in used]
