"""The legal vocabulary: closed lists of terms, each with its label in every language.

As in fideslang, the data may only use these terms, so a typo is an error and
every term renders in the wording a lawyer expects. The labels are in
``locales/<lang>.yaml`` (``vocabulary.<list>.<term>``): Swedish follows the terms used by
Integritetsskyddsmyndigheten (IMY), German those of the German GDPR text.
"""

from __future__ import annotations

import re
from enum import StrEnum

from .i18n import Lang, Text
from .locales import locale_text, message


class Vocabulary(StrEnum):
    """Base of every term list: a value in the data, a label on the page."""

    @classmethod
    def labels(cls) -> dict[str, Text]:
        """Each term's label in every language (``vocabulary.<list>.<term>`` in locales/<lang>.yaml)."""
        return {member.value: locale_text(member.locale_key) for member in cls}

    @property
    def locale_key(self) -> str:
        """``vocabulary.legal_basis.consent``: the list's name in snake case, then the term."""
        return f"vocabulary.{re.sub(r'(?<!^)(?=[A-Z])', '_', type(self).__name__).lower()}.{self.value}"

    def label(self, lang: Lang | str) -> str:
        return message(self.locale_key, lang)

    def label_text(self, languages: tuple[Lang, ...]) -> Text:
        """The label in each of a policy's languages (an export says no more than the policy does)."""
        return Text({lang.value: self.label(lang) for lang in languages})

    @classmethod
    def choices(cls) -> str:
        return ", ".join(member.value for member in cls)


class LegalBasis(Vocabulary):
    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    VITAL_INTERESTS = "vital_interests"
    PUBLIC_TASK = "public_task"
    LEGITIMATE_INTERESTS = "legitimate_interests"



class DataCategory(Vocabulary):
    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    EMAIL = "email"
    PHONE = "phone"
    COMPANY = "company"
    POSTAL_ADDRESS = "postal_address"
    PAYMENT_CARD = "payment_card"
    MESSAGE_CONTENT = "message_content"
    ACCOUNT_CREDENTIALS = "account_credentials"
    SUPPORT_HISTORY = "support_history"
    PRODUCT_USAGE = "product_usage"
    IP_ADDRESS = "ip_address"
    ONLINE_IDENTIFIER = "online_identifier"
    BROWSING_BEHAVIOUR = "browsing_behaviour"
    APPROXIMATE_LOCATION = "approximate_location"
    AGGREGATED_STATISTICS = "aggregated_statistics"



class DataSource(Vocabulary):
    DATA_SUBJECT = "data_subject"
    AUTOMATICALLY = "automatically"
    THIRD_PARTY = "third_party"



class RecipientRole(Vocabulary):
    PROCESSOR = "processor"
    INDEPENDENT_CONTROLLER = "independent_controller"
    RELATED_COMPANY = "related_company"



class TransferMechanism(Vocabulary):
    ADEQUACY_DECISION = "adequacy_decision"
    EU_US_DPF = "eu_us_dpf"
    STANDARD_CONTRACTUAL_CLAUSES = "standard_contractual_clauses"
    BINDING_CORPORATE_RULES = "binding_corporate_rules"
    DEROGATION = "derogation"



class FactStatus(Vocabulary):
    """Whether the data owner has confirmed a fact, or someone proposed it for them to confirm.

    A proposed fact is shown only in previews, marked as such; a published page never states it
    as true, and a release cannot be made while the draft has one (see ``policypress.proposed``).
    """

    CONFIRMED = "confirmed"
    PROPOSED = "proposed"



class CookieCategory(Vocabulary):
    NECESSARY = "necessary"
    PREFERENCES = "preferences"
    ANALYTICS = "analytics"
    MARKETING = "marketing"



class StorageType(Vocabulary):
    COOKIE = "cookie"
    LOCAL_STORAGE = "localStorage"
    SESSION_STORAGE = "sessionStorage"



class Party(Vocabulary):
    FIRST = "first"
    THIRD = "third"



class Right(Vocabulary):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    OBJECTION = "objection"
    WITHDRAW_CONSENT = "withdraw_consent"
    COMPLAINT = "complaint"



class Requirement(Vocabulary):
    """Whether the data subject must provide the data (Art. 13(2)(e) GDPR)."""

    STATUTORY = "statutory"
    CONTRACTUAL = "contractual"
    CONTRACT_PREREQUISITE = "contract_prerequisite"
    VOLUNTARY = "voluntary"

