"""The rule catalogue. Ids are stable: code scanning and reviewers track findings by them.

Each rule carries its source as data (``source``, ``help_uri``): the text, JSON and SARIF reports
show it, and README's rule table is generated from it (``rules_table``), so the two cannot drift.
"""

from __future__ import annotations

from .findings import Rule, Severity

# Where a reviewer reads the source; EUR-Lex ELI addresses are the stable ones for EU acts.
GDPR = "https://eur-lex.europa.eu/eli/reg/2016/679/oj"
EPRIVACY = "https://eur-lex.europa.eu/eli/dir/2002/58/oj"
WP260 = "https://ec.europa.eu/newsroom/article29/items/622227"
EDPB_2_2018 = (
    "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/"
    "guidelines-22018-derogations-article-49-under-regulation_en"
)
SFS_2002_562 = (
    "https://www.riksdagen.se/sv/dokument-och-lagar/dokument/svensk-forfattningssamling/"
    "lag-2002562-om-elektronisk-handel-och-andra_sfs-2002-562/"
)

CONTROLLER_IDENTITY = Rule(
    "art13-1a-controller-identity",
    "GDPR Art. 13(1)(a)",
    "Controller identity",
    "The policy must identify the controller by its legal name.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(a)",
    satisfied_by="the controller's registered name in `controller.legal_name`",
    help_uri=GDPR,
)
ORGANISATION_NUMBER = Rule(
    "se-ehandel-8-organisation-number",
    "lagen (2002:562) om elektronisk handel 8 §",
    "The organisation number of a Swedish company",
    "A Swedish company that offers services on a website must show its organisation number there "
    "(Swedish national law, not Art. 13 GDPR). Checked only when the controller is established in Sweden.",
    Severity.WARNING,
    source="Lag (2002:562) om elektronisk handel och andra informationssamhällets tjänster, 8 § (Sweden)",
    satisfied_by="`controller.organisation_number` (NNNNNN-NNNN), when the controller is Swedish",
    help_uri=SFS_2002_562,
)
CONTROLLER_CONTACT = Rule(
    "art13-1a-controller-contact",
    "GDPR Art. 13(1)(a)",
    "Controller contact details",
    "The policy must give the controller's contact details: a postal address and an e-mail address.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(a)",
    satisfied_by="`controller.address` and `controller.email`",
    help_uri=GDPR,
)
DPO_CONTACT = Rule(
    "art13-1b-dpo-contact",
    "GDPR Art. 13(1)(b)",
    "Contact details of the data protection officer",
    "Where a data protection officer is designated, the policy must give the DPO's contact details.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(b)",
    satisfied_by="no `controller.dpo`, or one with an e-mail address or phone number",
    help_uri=GDPR,
)
LEGAL_BASIS = Rule(
    "art13-1c-legal-basis",
    "GDPR Art. 13(1)(c)",
    "Legal basis of every purpose",
    "Every processing activity must state its legal basis under Art. 6(1)(a)-(f) GDPR.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(c), Art. 6(1)",
    satisfied_by="`legal_basis` on every activity",
    help_uri=GDPR,
)
LEGITIMATE_INTEREST = Rule(
    "art13-1d-legitimate-interest",
    "GDPR Art. 13(1)(d)",
    "The legitimate interest pursued",
    "Where the legal basis is legitimate interests (Art. 6(1)(f)), the policy must say what the interest is.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(d)",
    satisfied_by="`legitimate_interest` on every activity based on `legitimate_interests`",
    help_uri=GDPR,
)
RECIPIENTS = Rule(
    "art13-1e-recipients",
    "GDPR Art. 13(1)(e)",
    "Recipients or categories of recipients",
    "The policy must state the recipients or categories of recipients, and each activity that shares data its recipients.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(e)",
    satisfied_by="at least one recipient, and `recipients` on every activity whose purpose says data is shared",
    help_uri=GDPR,
)
RECIPIENT_SPECIFICITY = Rule(
    "art13-1e-recipient-specificity",
    "GDPR Art. 13(1)(e)",
    "Each recipient named, or a specific category",
    "A recipient must be named, or be a category specific enough to tell what kind of recipient it is "
    "(by the activity it carries out, its sector and location); 'third parties', 'partners' or "
    "'related bodies corporate' say nothing the reader can act on.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(e); WP260 rev.01, Annex, row 'Recipients (or categories of recipients)'",
    satisfied_by="a recipient name that is a company or a specific category, not a bare word such as 'partners'",
    help_uri=WP260,
)
TRANSFER_MECHANISM = Rule(
    "art13-1f-transfer-mechanism",
    "GDPR Art. 13(1)(f)",
    "Safeguard for a transfer outside the EEA",
    "Every recipient that stores data outside the EEA needs a transfer mechanism: an adequacy decision "
    "(such as the EU-US Data Privacy Framework), standard contractual clauses or binding corporate rules; "
    "an Art. 49 derogation only for an occasional transfer.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(f), Art. 44-49",
    satisfied_by="`transfer.mechanism` on every recipient with a storage country outside the EEA",
    help_uri=GDPR,
)
THIRD_COUNTRY = Rule(
    "art13-1f-third-country",
    "GDPR Art. 13(1)(f)",
    "The third country of each transfer is named",
    "A transfer outside the EEA must name the country it goes to: whether an adequacy decision exists, "
    "and what the safeguard is worth, depends on the country.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(f); WP260 rev.01, Annex, row 'Details of transfers to third countries'",
    satisfied_by="a country outside the EEA in `storage.countries` of every recipient with a transfer mechanism "
    "or whose location says data leaves the EEA",
    help_uri=WP260,
)
SAFEGUARD_COPY = Rule(
    "art13-1f-safeguard-copy",
    "GDPR Art. 13(1)(f)",
    "How to obtain a copy of the safeguards",
    "For a transfer on appropriate safeguards (Art. 46) or binding corporate rules (Art. 47), the policy must "
    "say how to obtain a copy of them or where they have been made available.",
    Severity.ERROR,
    source="GDPR Art. 13(1)(f) ('the means by which to obtain a copy of them or where they have been made available')",
    satisfied_by="a link in `transfer.reference`, or prose saying how to ask for a copy of the safeguards",
    help_uri=GDPR,
)
STORAGE_LOCATION = Rule(
    "art13-1f-storage-location",
    "GDPR Art. 13(1)(f)",
    "Where a recipient stores data",
    "Without the storage countries of a recipient nobody can tell whether data leaves the EEA. Authorities "
    "and courts to which data is disclosed under a legal obligation are exempt: that obligation must be Union "
    "or Member State law (Art. 6(3)), so they are in the EEA.",
    Severity.WARNING,
    source="GDPR Art. 13(1)(f); Art. 6(3) for authorities",
    satisfied_by="`storage.countries` on every recipient, except an independent controller that receives data "
    "only under a legal obligation (authorities, courts)",
    help_uri=GDPR,
)
TRANSFER_WITHOUT_SAFEGUARD = Rule(
    "art44-transfer-without-safeguard",
    "GDPR Art. 44, 46",
    "A transfer the policy admits is unprotected",
    "Prose that tells the reader the recipients 'may not be subject to European privacy laws' announces a "
    "transfer without the protection Chapter V requires; an acknowledgement by the reader cannot replace a "
    "safeguard.",
    Severity.ERROR,
    source="GDPR Art. 44 (general principle for transfers), Art. 46 (appropriate safeguards)",
    satisfied_by="no such sentence in `sections.yaml`; a safeguard per transfer in `recipients.yaml` instead",
    help_uri=GDPR,
)
SYSTEMATIC_DEROGATION = Rule(
    "art49-systematic-derogation",
    "GDPR Art. 49(1)",
    "A derogation used for a systematic transfer",
    "The derogations of Art. 49 are for occasional, non-repetitive transfers and must be read restrictively; "
    "a recipient that processes data for an ongoing activity, or as a processor, needs an adequacy decision "
    "or an Art. 46 safeguard.",
    Severity.ERROR,
    source="GDPR Art. 49(1); EDPB Guidelines 2/2018 on derogations of Article 49, section 1 (occasional and not repetitive)",
    satisfied_by="`derogation` only on a recipient that is not a processor and that no activity lists",
    help_uri=EDPB_2_2018,
)
RETENTION = Rule(
    "art13-2a-retention",
    "GDPR Art. 13(2)(a)",
    "Retention period or criteria per activity",
    "Every processing activity must state how long its data is kept, or the criteria that decide it; "
    "a general statement for all purposes is not enough.",
    Severity.ERROR,
    source="GDPR Art. 13(2)(a)",
    satisfied_by="`retention` (a `period` or `criteria`) on every activity",
    help_uri=GDPR,
)
VAGUE_RETENTION = Rule(
    "art13-2a-vague-retention",
    "GDPR Art. 13(2)(a)",
    "Retention stated as 'as long as necessary'",
    "Retention must be a period, or criteria concrete enough for the reader to work the period out; "
    "'as long as necessary' or 'as long as relevant' is neither.",
    Severity.ERROR,
    source="GDPR Art. 13(2)(a); WP260 rev.01, Annex, row 'Storage period': it is not sufficient to state "
    "that data is kept as long as necessary for the legitimate purposes",
    satisfied_by="retention texts without phrases such as 'as long as necessary' or 'så länge det är relevant'",
    help_uri=WP260,
)
RIGHTS = Rule(
    "art13-2b-rights",
    "GDPR Art. 13(2)(b)",
    "The data subject's rights",
    "The policy must state the rights of access, rectification, erasure, restriction, objection and portability.",
    Severity.ERROR,
    source="GDPR Art. 13(2)(b)",
    satisfied_by="`access`, `rectification`, `erasure`, `restriction`, `objection` and `portability` in `rights.yaml`",
    help_uri=GDPR,
)
OBJECTION_SEPARATE = Rule(
    "art21-4-objection",
    "GDPR Art. 21(4)",
    "The right to object, explicitly and separately",
    "Where processing rests on legitimate interests or a public task, or data is used for direct marketing, the "
    "right to object must be brought to the reader's attention explicitly, clearly and separately from other "
    "information, at the latest at the first communication.",
    Severity.ERROR,
    source="GDPR Art. 21(4), with Art. 21(1) and 21(2)",
    satisfied_by="an `objection` right of its own whose text speaks of objecting, and of direct marketing where "
    "there is any",
    help_uri=GDPR,
)
WITHDRAW_CONSENT = Rule(
    "art13-2c-withdraw-consent",
    "GDPR Art. 13(2)(c)",
    "The right to withdraw consent",
    "Where consent is a basis of any processing, the policy must state the right to withdraw it at any time.",
    Severity.ERROR,
    source="GDPR Art. 13(2)(c), Art. 7(3)",
    satisfied_by="`withdraw_consent` in `rights.yaml` where an activity or a cookie relies on consent",
    help_uri=GDPR,
)
COMPLAINT = Rule(
    "art13-2d-complaint",
    "GDPR Art. 13(2)(d)",
    "The right to complain to a named supervisory authority",
    "The policy must state the right to lodge a complaint and name the supervisory authority "
    "(in Sweden, Integritetsskyddsmyndigheten, IMY).",
    Severity.ERROR,
    source="GDPR Art. 13(2)(d), Art. 77",
    satisfied_by="`complaint` in `rights.yaml` and a `supervisory_authority`",
    help_uri=GDPR,
)
REQUIREMENT = Rule(
    "art13-2e-requirement",
    "GDPR Art. 13(2)(e)",
    "Whether providing the data is required",
    "For data collected from the data subject, the policy must say whether providing it is a statutory or "
    "contractual requirement, and what happens if it is not provided.",
    Severity.ERROR,
    source="GDPR Art. 13(2)(e)",
    satisfied_by="`requirement` on every activity whose source is the data subject, and "
    "`requirement_consequence` where the data is required",
    help_uri=GDPR,
)
AUTOMATED_DECISIONS = Rule(
    "art13-2f-automated-decisions",
    "GDPR Art. 13(2)(f)",
    "Automated decision-making",
    "The policy must say whether automated decision-making, including profiling, is used, or that it is not.",
    Severity.ERROR,
    source="GDPR Art. 13(2)(f), Art. 22",
    satisfied_by="`automated_decision_making` in `activities.yaml`",
    help_uri=GDPR,
)
FURTHER_PROCESSING = Rule(
    "art13-3-further-processing",
    "GDPR Art. 13(3)",
    "Information before further processing for another purpose",
    "A policy that reserves the use of data for other or compatible purposes must promise to inform the data "
    "subject of the new purpose, and the other Art. 13(2) information, before that further processing starts.",
    Severity.ERROR,
    source="GDPR Art. 13(3)",
    satisfied_by="no reservation of further processing, or prose promising information before it starts",
    help_uri=GDPR,
)
COOKIE_CONSENT = Rule(
    "cookie-consent-required",
    "ePrivacy Directive Art. 5(3)",
    "Consent for cookies that are not necessary",
    "Only strictly necessary cookies may be set without consent; every other category must require it.",
    Severity.ERROR,
    source="Directive 2002/58/EC Art. 5(3); in Sweden lagen (2022:482) om elektronisk kommunikation 9 kap. 28 §",
    satisfied_by="`consent_required: true` on every cookie whose category is not `necessary`",
    help_uri=EPRIVACY,
)
PAYMENT_CARD_RECIPIENT = Rule(
    "payment-card-recipient",
    "GDPR Art. 13(1)(e)",
    "Recipients of card data",
    "Card payments are normally processed by a payment service provider or an acquiring bank, which receives "
    "the card data; where one is used it must be stated, by name or as a category of recipients.",
    Severity.WARNING,
    source="GDPR Art. 13(1)(e) ('the recipients or categories of recipients')",
    satisfied_by="a recipient on every activity that uses `payment_card` data",
    help_uri=GDPR,
)
PAYMENT_PROVIDER_NAMED = Rule(
    "payment-provider-named",
    "GDPR Art. 13(1)(e)",
    "The payment provider among the recipients",
    "When card data is used, one of the activity's recipients should be recognisably the one that processes "
    "payments: a named provider, or the category 'payment service provider'.",
    Severity.WARNING,
    source="GDPR Art. 13(1)(e) ('the recipients or categories of recipients')",
    satisfied_by="a recipient of the card-data activity whose name or service speaks of payments or cards",
    help_uri=GDPR,
)

NEEDS_CONFIRMATION = Rule(
    "needs-confirmation",
    "GDPR Art. 13(1)-(2)",
    "Facts confirmed by the data owner",
    "A fact marked proposed (for example a transfer safeguard or a legal basis written for the data owner to "
    "check) is information the controller has not yet given; the policy must not state it as true.",
    Severity.WARNING,
    source="GDPR Art. 13(1) and (2) (the information the controller shall provide); Art. 5(1)(a) (transparency)",
    satisfied_by="no `status: {field: proposed}` on an item and no `status: proposed` on a paragraph",
    help_uri=GDPR,
)
LEGAL_REVIEW_NOTE = Rule(
    "legal-review-note",
    "GDPR Art. 12(1)",
    "Open questions of the legal review",
    "A paragraph carries a review note: a sentence the legal review should strike or reword before it is published.",
    Severity.WARNING,
    source="GDPR Art. 12(1) (concise, transparent, intelligible information in clear and plain language)",
    satisfied_by="no `review:` note on any paragraph of `sections.yaml`",
    help_uri=GDPR,
)

RULES: tuple[Rule, ...] = (
    CONTROLLER_IDENTITY,
    CONTROLLER_CONTACT,
    DPO_CONTACT,
    LEGAL_BASIS,
    LEGITIMATE_INTEREST,
    RECIPIENTS,
    RECIPIENT_SPECIFICITY,
    TRANSFER_MECHANISM,
    THIRD_COUNTRY,
    SAFEGUARD_COPY,
    STORAGE_LOCATION,
    TRANSFER_WITHOUT_SAFEGUARD,
    SYSTEMATIC_DEROGATION,
    RETENTION,
    VAGUE_RETENTION,
    RIGHTS,
    OBJECTION_SEPARATE,
    WITHDRAW_CONSENT,
    COMPLAINT,
    REQUIREMENT,
    AUTOMATED_DECISIONS,
    FURTHER_PROCESSING,
    COOKIE_CONSENT,
    PAYMENT_CARD_RECIPIENT,
    PAYMENT_PROVIDER_NAMED,
    ORGANISATION_NUMBER,
    NEEDS_CONFIRMATION,
    LEGAL_REVIEW_NOTE,
)


def rules_table() -> str:
    """README's rule table, in Markdown: one row per rule, in the order of the reports.

    The cells are the package's own constants, written as Markdown (``satisfied_by`` uses code spans),
    not data, so they are not escaped; a test keeps ``|`` and line breaks out of them.
    """
    rows = ["| rule | severity | source | satisfied by |", "| --- | --- | --- | --- |"]
    for rule in RULES:
        cells = (f"`{rule.id}`", rule.severity.value, f"[{rule.source}]({rule.help_uri})", rule.satisfied_by)
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"
