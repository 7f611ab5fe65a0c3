"""The rule catalogue. Ids are stable: code scanning and reviewers track findings by them."""

from __future__ import annotations

from .findings import Rule, Severity

CONTROLLER_IDENTITY = Rule(
    "art13-1a-controller-identity",
    "GDPR Art. 13(1)(a)",
    "Controller identity",
    "The policy must identify the controller: its legal name and, for a Swedish company, its organisation number.",
    Severity.WARNING,
)
CONTROLLER_CONTACT = Rule(
    "art13-1a-controller-contact",
    "GDPR Art. 13(1)(a)",
    "Controller contact details",
    "The policy must give the controller's contact details: a postal address and an e-mail address.",
    Severity.ERROR,
)
DPO_CONTACT = Rule(
    "art13-1b-dpo-contact",
    "GDPR Art. 13(1)(b)",
    "Contact details of the data protection officer",
    "Where a data protection officer is designated, the policy must give the DPO's contact details.",
    Severity.ERROR,
)
LEGAL_BASIS = Rule(
    "art13-1c-legal-basis",
    "GDPR Art. 13(1)(c)",
    "Legal basis of every purpose",
    "Every processing activity must state its legal basis under Art. 6(1)(a)-(f) GDPR.",
    Severity.ERROR,
)
LEGITIMATE_INTEREST = Rule(
    "art13-1d-legitimate-interest",
    "GDPR Art. 13(1)(d)",
    "The legitimate interest pursued",
    "Where the legal basis is legitimate interests (Art. 6(1)(f)), the policy must say what the interest is.",
    Severity.ERROR,
)
RECIPIENTS = Rule(
    "art13-1e-recipients",
    "GDPR Art. 13(1)(e)",
    "Recipients or categories of recipients",
    "The policy must state the recipients or categories of recipients, and each activity that shares data its recipients.",
    Severity.ERROR,
)
TRANSFER_MECHANISM = Rule(
    "art13-1f-transfer-mechanism",
    "GDPR Art. 13(1)(f)",
    "Safeguard for a transfer outside the EEA",
    "Every recipient that stores data outside the EEA needs a transfer mechanism: an adequacy decision "
    "(such as the EU-US Data Privacy Framework), standard contractual clauses, binding corporate rules or a derogation.",
    Severity.ERROR,
)
STORAGE_LOCATION = Rule(
    "art13-1f-storage-location",
    "GDPR Art. 13(1)(f)",
    "Where a recipient stores data",
    "Without the storage countries of a recipient nobody can tell whether data leaves the EEA.",
    Severity.WARNING,
)
RETENTION = Rule(
    "art13-2a-retention",
    "GDPR Art. 13(2)(a)",
    "Retention period or criteria per activity",
    "Every processing activity must state how long its data is kept, or the criteria that decide it; "
    "a general statement for all purposes is not enough.",
    Severity.ERROR,
)
RIGHTS = Rule(
    "art13-2b-rights",
    "GDPR Art. 13(2)(b)",
    "The data subject's rights",
    "The policy must state the rights of access, rectification, erasure, restriction, objection and portability.",
    Severity.ERROR,
)
WITHDRAW_CONSENT = Rule(
    "art13-2c-withdraw-consent",
    "GDPR Art. 13(2)(c)",
    "The right to withdraw consent",
    "Where consent is a basis of any processing, the policy must state the right to withdraw it at any time.",
    Severity.ERROR,
)
COMPLAINT = Rule(
    "art13-2d-complaint",
    "GDPR Art. 13(2)(d)",
    "The right to complain to a named supervisory authority",
    "The policy must state the right to lodge a complaint and name the supervisory authority "
    "(in Sweden, Integritetsskyddsmyndigheten, IMY).",
    Severity.ERROR,
)
REQUIREMENT = Rule(
    "art13-2e-requirement",
    "GDPR Art. 13(2)(e)",
    "Whether providing the data is required",
    "For data collected from the data subject, the policy must say whether providing it is a statutory or "
    "contractual requirement, and what happens if it is not provided.",
    Severity.ERROR,
)
AUTOMATED_DECISIONS = Rule(
    "art13-2f-automated-decisions",
    "GDPR Art. 13(2)(f)",
    "Automated decision-making",
    "The policy must say whether automated decision-making, including profiling, is used, or that it is not.",
    Severity.ERROR,
)
COOKIE_CONSENT = Rule(
    "cookie-consent-required",
    "ePrivacy Directive Art. 5(3)",
    "Consent for cookies that are not necessary",
    "Only strictly necessary cookies may be set without consent; every other category must require it.",
    Severity.ERROR,
)
PAYMENT_CARD_RECIPIENT = Rule(
    "payment-card-recipient",
    "GDPR Art. 13(1)(e)",
    "A recipient that processes card data",
    "An activity that uses payment card details must list the recipient that processes the payments.",
    Severity.ERROR,
)
PAYMENT_PROVIDER_NAMED = Rule(
    "payment-provider-named",
    "GDPR Art. 13(1)(e)",
    "The payment provider is named",
    "When card data is used, one of the activity's recipients should be recognisably the payment provider.",
    Severity.WARNING,
)

RULES: tuple[Rule, ...] = (
    CONTROLLER_IDENTITY,
    CONTROLLER_CONTACT,
    DPO_CONTACT,
    LEGAL_BASIS,
    LEGITIMATE_INTEREST,
    RECIPIENTS,
    TRANSFER_MECHANISM,
    STORAGE_LOCATION,
    RETENTION,
    RIGHTS,
    WITHDRAW_CONSENT,
    COMPLAINT,
    REQUIREMENT,
    AUTOMATED_DECISIONS,
    COOKIE_CONSENT,
    PAYMENT_CARD_RECIPIENT,
    PAYMENT_PROVIDER_NAMED,
)
