"""The legal vocabulary: closed lists of terms, each with its label in every language.

As in fideslang, the data may only use these terms, so a typo is an error and
every term renders in the wording a lawyer expects. Swedish labels follow the
terms used by Integritetsskyddsmyndigheten (IMY).
"""

from __future__ import annotations

from enum import StrEnum

from .i18n import Lang, Text, text


class Vocabulary(StrEnum):
    """Base of every term list: a value in the data, a label on the page."""

    @classmethod
    def labels(cls) -> dict[str, Text]:  # overridden per list
        raise NotImplementedError

    def label(self, lang: Lang | str) -> str:
        return self.labels()[self.value].get(lang)

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

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "consent": text("Consent (Art. 6(1)(a) GDPR)", "Samtycke (artikel 6.1 a GDPR)"),
            "contract": text(
                "Performance of a contract (Art. 6(1)(b) GDPR)", "Fullgörande av avtal (artikel 6.1 b GDPR)"
            ),
            "legal_obligation": text(
                "Legal obligation (Art. 6(1)(c) GDPR)", "Rättslig förpliktelse (artikel 6.1 c GDPR)"
            ),
            "vital_interests": text(
                "Vital interests (Art. 6(1)(d) GDPR)", "Grundläggande intressen (artikel 6.1 d GDPR)"
            ),
            "public_task": text(
                "Task in the public interest (Art. 6(1)(e) GDPR)",
                "Uppgift av allmänt intresse (artikel 6.1 e GDPR)",
            ),
            "legitimate_interests": text(
                "Legitimate interests (Art. 6(1)(f) GDPR)", "Berättigat intresse (artikel 6.1 f GDPR)"
            ),
        }


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

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "name": text("Name", "Namn"),
            "first_name": text("First name", "Förnamn"),
            "last_name": text("Last name", "Efternamn"),
            "email": text("E-mail address", "E-postadress"),
            "phone": text("Phone number", "Telefonnummer"),
            "company": text("Company", "Företag"),
            "postal_address": text("Postal address", "Postadress"),
            "payment_card": text("Payment card details", "Betalkortsuppgifter"),
            "message_content": text("Content of messages", "Innehåll i meddelanden"),
            "account_credentials": text("Account details", "Kontouppgifter"),
            "support_history": text("Support history", "Supportärenden"),
            "product_usage": text("Use of the product", "Användning av produkten"),
            "ip_address": text("IP address", "IP-adress"),
            "online_identifier": text("Online identifier (cookie ID)", "Onlineidentifikator (cookie-id)"),
            "browsing_behaviour": text("Pages visited", "Besökta sidor"),
            "approximate_location": text("Approximate location", "Ungefärlig plats"),
            "aggregated_statistics": text(
                "Aggregated statistics (no personal data)", "Sammanställd statistik (inga personuppgifter)"
            ),
        }


class DataSource(Vocabulary):
    DATA_SUBJECT = "data_subject"
    AUTOMATICALLY = "automatically"
    THIRD_PARTY = "third_party"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "data_subject": text("From you", "Från dig"),
            "automatically": text("Collected automatically", "Samlas in automatiskt"),
            "third_party": text("From a third party", "Från tredje part"),
        }


class RecipientRole(Vocabulary):
    PROCESSOR = "processor"
    INDEPENDENT_CONTROLLER = "independent_controller"
    RELATED_COMPANY = "related_company"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "processor": text("Processor", "Personuppgiftsbiträde"),
            "independent_controller": text("Independent controller", "Självständigt personuppgiftsansvarig"),
            "related_company": text("Related company", "Närstående bolag"),
        }


class TransferMechanism(Vocabulary):
    ADEQUACY_DECISION = "adequacy_decision"
    EU_US_DPF = "eu_us_dpf"
    STANDARD_CONTRACTUAL_CLAUSES = "standard_contractual_clauses"
    BINDING_CORPORATE_RULES = "binding_corporate_rules"
    DEROGATION = "derogation"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "adequacy_decision": text(
                "Adequacy decision (Art. 45 GDPR)", "Beslut om adekvat skyddsnivå (artikel 45 GDPR)"
            ),
            "eu_us_dpf": text(
                "EU–US Data Privacy Framework (adequacy decision (EU) 2023/1795)",
                "EU–US Data Privacy Framework (beslut om adekvat skyddsnivå (EU) 2023/1795)",
            ),
            "standard_contractual_clauses": text(
                "Standard contractual clauses (Art. 46(2)(c) GDPR)",
                "Standardavtalsklausuler (artikel 46.2 c GDPR)",
            ),
            "binding_corporate_rules": text(
                "Binding corporate rules (Art. 47 GDPR)", "Bindande företagsbestämmelser (artikel 47 GDPR)"
            ),
            "derogation": text(
                "Derogation for a specific situation (Art. 49 GDPR)",
                "Undantag i särskilda situationer (artikel 49 GDPR)",
            ),
        }


class FactStatus(Vocabulary):
    """Whether the data owner has confirmed a fact, or someone proposed it for them to confirm.

    A proposed fact is shown only in previews, marked as such; a published page never states it
    as true, and a release cannot be made while the draft has one (see ``policypress.proposed``).
    """

    CONFIRMED = "confirmed"
    PROPOSED = "proposed"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "confirmed": text("Confirmed by the data owner", "Bekräftat av den personuppgiftsansvarige"),
            "proposed": text(
                "Proposed, not confirmed by the data owner",
                "Föreslaget, inte bekräftat av den personuppgiftsansvarige",
            ),
        }


class CookieCategory(Vocabulary):
    NECESSARY = "necessary"
    PREFERENCES = "preferences"
    ANALYTICS = "analytics"
    MARKETING = "marketing"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "necessary": text("Necessary", "Nödvändiga cookies"),
            "preferences": text("Preferences", "Inställningscookies"),
            "analytics": text("Analytics", "Statistikcookies"),
            "marketing": text("Marketing", "Marknadsföringscookies"),
        }


class StorageType(Vocabulary):
    COOKIE = "cookie"
    LOCAL_STORAGE = "localStorage"
    SESSION_STORAGE = "sessionStorage"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "cookie": text("Cookie", "Cookie"),
            "localStorage": text("Local storage", "Lokal lagring (localStorage)"),
            "sessionStorage": text("Session storage", "Sessionslagring (sessionStorage)"),
        }


class Party(Vocabulary):
    FIRST = "first"
    THIRD = "third"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "first": text("First party", "Förstapart"),
            "third": text("Third party", "Tredjepart"),
        }


class Right(Vocabulary):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    ERASURE = "erasure"
    RESTRICTION = "restriction"
    PORTABILITY = "portability"
    OBJECTION = "objection"
    WITHDRAW_CONSENT = "withdraw_consent"
    COMPLAINT = "complaint"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "access": text("Right of access (Art. 15 GDPR)", "Rätt till tillgång (artikel 15 GDPR)"),
            "rectification": text("Right to rectification (Art. 16 GDPR)", "Rätt till rättelse (artikel 16 GDPR)"),
            "erasure": text("Right to erasure (Art. 17 GDPR)", "Rätt till radering (artikel 17 GDPR)"),
            "restriction": text(
                "Right to restriction of processing (Art. 18 GDPR)", "Rätt till begränsning av behandling (artikel 18 GDPR)"
            ),
            "portability": text(
                "Right to data portability (Art. 20 GDPR)", "Rätt till dataportabilitet (artikel 20 GDPR)"
            ),
            "objection": text("Right to object (Art. 21 GDPR)", "Rätt att göra invändningar (artikel 21 GDPR)"),
            "withdraw_consent": text(
                "Right to withdraw consent (Art. 7(3) GDPR)", "Rätt att återkalla samtycke (artikel 7.3 GDPR)"
            ),
            "complaint": text(
                "Right to lodge a complaint with a supervisory authority (Art. 77 GDPR)",
                "Rätt att lämna in klagomål till en tillsynsmyndighet (artikel 77 GDPR)",
            ),
        }


class Requirement(Vocabulary):
    """Whether the data subject must provide the data (Art. 13(2)(e) GDPR)."""

    STATUTORY = "statutory"
    CONTRACTUAL = "contractual"
    CONTRACT_PREREQUISITE = "contract_prerequisite"
    VOLUNTARY = "voluntary"

    @classmethod
    def labels(cls) -> dict[str, Text]:
        return {
            "statutory": text("Required by law", "Krävs enligt lag"),
            "contractual": text("Required by a contract", "Krävs enligt avtal"),
            "contract_prerequisite": text(
                "Needed to enter into a contract with us", "Behövs för att ingå avtal med oss"
            ),
            "voluntary": text("Voluntary", "Frivilligt"),
        }
