"""The vocabulary's terms in the W3C Data Privacy Vocabulary 2.3, and the project's own terms.

Every DPV term here exists in DPV 2.3 and none is sunset (``tests/test_dpv.py`` checks
them against the term list taken from w3c/dpv, ``tests/fixtures/dpv-2.3-terms.txt``).
Where DPV has no term, the project mints its own under ``own_namespace``, each with the
broader DPV term it narrows (README, "Linked data").
"""

from __future__ import annotations

from ..vocabulary import (
    DataCategory,
    DataSource,
    LegalBasis,
    RecipientRole,
    Right,
    StorageType,
    TransferMechanism,
)

DPV = "https://w3id.org/dpv#"

# Static prefixes; ``policypress`` is added per document (``own_namespace``).
CONTEXT: dict[str, str] = {
    "dpv": DPV,
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "pd": "https://w3id.org/dpv/pd#",
    "tech": "https://w3id.org/dpv/tech#",
    "loc": "https://w3id.org/dpv/loc#",
    "dct": "http://purl.org/dc/terms/",
    # dcat:version: DCAT 3 (W3C Recommendation, 2024) added it because dct:hasVersion relates
    # a resource to another resource (a version of it), not to a version number.
    "dcat": "http://www.w3.org/ns/dcat#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}

# The project's own terms live at ``{site_url}/vocab#``: an address the site owner controls.
OWN_VOCAB_PATH = "vocab#"
# A build that knows no address of its own (no site_url, the page not yet placed) has no
# namespace it may mint terms under: RFC 2606 reserves .invalid so this one never resolves
# and cannot collide with a real one. Set site_url to publish linked data.
UNPUBLISHED_NAMESPACE = "https://policypress.invalid/vocab#"


def own_namespace(site_url: str | None) -> str:
    """``https://example.org/vocab#`` for the site at ``https://example.org/``."""
    if not site_url:
        return UNPUBLISHED_NAMESPACE
    return site_url.split("#", 1)[0].rstrip("/") + "/" + OWN_VOCAB_PATH


def context(own: str) -> dict[str, str]:
    return {**CONTEXT, "policypress": own}


# Art. 6(1) GDPR: the DPV concept and the GDPR article. DPV has no "public task" concept:
# Art. 6(1)(e) is "public interest or official authority", both of which DPV has.
LEGAL_BASIS_TERMS: dict[LegalBasis, tuple[str, ...]] = {
    LegalBasis.CONSENT: ("dpv:Consent", "eu-gdpr:A6-1-a"),
    LegalBasis.CONTRACT: ("dpv:Contract", "eu-gdpr:A6-1-b"),
    LegalBasis.LEGAL_OBLIGATION: ("dpv:LegalObligation", "eu-gdpr:A6-1-c"),
    LegalBasis.VITAL_INTERESTS: ("dpv:VitalInterest", "eu-gdpr:A6-1-d"),
    LegalBasis.PUBLIC_TASK: ("dpv:PublicInterest", "dpv:OfficialAuthorityOfController", "eu-gdpr:A6-1-e"),
    LegalBasis.LEGITIMATE_INTERESTS: ("dpv:LegitimateInterest", "eu-gdpr:A6-1-f"),
}

# Personal data: the DPV PD term that means the same, where there is one (British
# spellings since DPV 2.2: pd:BrowsingBehaviour).
DATA_CATEGORY_TERMS: dict[DataCategory, str] = {
    DataCategory.NAME: "pd:Name",
    DataCategory.EMAIL: "pd:EmailAddress",
    DataCategory.PHONE: "pd:TelephoneNumber",
    DataCategory.POSTAL_ADDRESS: "pd:PhysicalAddress",
    DataCategory.PAYMENT_CARD: "pd:PaymentCard",
    DataCategory.MESSAGE_CONTENT: "pd:Communication",
    DataCategory.PRODUCT_USAGE: "pd:ServiceConsumptionBehaviour",
    DataCategory.IP_ADDRESS: "pd:IPAddress",
    DataCategory.BROWSING_BEHAVIOUR: "pd:BrowsingBehaviour",
}
# The others are our own terms, each narrower than a DPV term where one fits.
DATA_CATEGORY_BROADER: dict[DataCategory, str] = {
    DataCategory.FIRST_NAME: "pd:Name",
    DataCategory.LAST_NAME: "pd:Name",
    DataCategory.COMPANY: "pd:Professional",
    DataCategory.ACCOUNT_CREDENTIALS: "pd:Identifying",
    DataCategory.SUPPORT_HISTORY: "pd:Communication",
    DataCategory.ONLINE_IDENTIFIER: "pd:Identifier",
    DataCategory.APPROXIMATE_LOCATION: "pd:Location",
    DataCategory.AGGREGATED_STATISTICS: "dpv:NonPersonalData",
}
# Not personal data once aggregated: stated with dpv:hasData, not dpv:hasPersonalData.
NON_PERSONAL: frozenset[DataCategory] = frozenset({DataCategory.AGGREGATED_STATISTICS})

DATA_SOURCE_TERMS: dict[DataSource, str] = {
    DataSource.DATA_SUBJECT: "dpv:DataSubjectDataSource",
    DataSource.THIRD_PARTY: "dpv:ThirdPartyDataSource",
}

RECIPIENT_TYPES: dict[RecipientRole, tuple[str, ...]] = {
    RecipientRole.PROCESSOR: ("dpv:DataProcessor",),
    RecipientRole.INDEPENDENT_CONTROLLER: ("dpv:ThirdParty", "dpv:DataController"),
    RecipientRole.RELATED_COMPANY: ("dpv:ThirdParty",),
}

# The legal basis of a transfer (Art. 45, 46, 49 GDPR). SCCs and BCRs are not legal bases
# in DPV but eu-gdpr: organisational measures (TRANSFER_MEASURES); Art. 46(2)(c) and (b) are
# the bases they give. The DPF is an adequacy decision: our own term, narrower than
# eu-gdpr:AdequacyDecision (DPV 2.3 has no term for a particular decision).
TRANSFER_TERMS: dict[TransferMechanism, tuple[str, ...]] = {
    TransferMechanism.ADEQUACY_DECISION: ("eu-gdpr:A45-3",),
    TransferMechanism.EU_US_DPF: ("eu-gdpr:A45-3", "policypress:eu_us_dpf"),
    TransferMechanism.STANDARD_CONTRACTUAL_CLAUSES: ("eu-gdpr:A46-2-c",),
    TransferMechanism.BINDING_CORPORATE_RULES: ("eu-gdpr:A46-2-b",),
    TransferMechanism.DEROGATION: ("policypress:derogation",),
}
TRANSFER_MEASURES: dict[TransferMechanism, str] = {
    # Decision (EU) 2021/914: clauses adopted by the Commission, Art. 46(2)(c).
    TransferMechanism.STANDARD_CONTRACTUAL_CLAUSES: "eu-gdpr:SCCByCommission",
    TransferMechanism.BINDING_CORPORATE_RULES: "eu-gdpr:BindingCorporateRules",
}
# Our own transfer terms and the DPV term each narrows.
TRANSFER_BROADER: dict[TransferMechanism, str] = {
    TransferMechanism.EU_US_DPF: "eu-gdpr:AdequacyDecision",
    # Art. 49 has seven derogations (eu-gdpr:A49-1-a ...); the data does not say which.
    TransferMechanism.DEROGATION: "dpv:DataTransferLegalBasis",
}

# DPV TECH has Cookie; localStorage and sessionStorage are narrower than its LocalStorage.
STORAGE_TYPE_TERMS: dict[StorageType, str] = {StorageType.COOKIE: "tech:Cookie"}
STORAGE_TYPE_BROADER: dict[StorageType, str] = {
    StorageType.LOCAL_STORAGE: "tech:LocalStorage",
    StorageType.SESSION_STORAGE: "tech:LocalStorage",
}

RIGHT_TERMS: dict[Right, str] = {
    Right.ACCESS: "eu-gdpr:A15",
    Right.RECTIFICATION: "eu-gdpr:A16",
    Right.ERASURE: "eu-gdpr:A17",
    Right.RESTRICTION: "eu-gdpr:A18",
    Right.PORTABILITY: "eu-gdpr:A20",
    Right.OBJECTION: "eu-gdpr:A21",
    Right.WITHDRAW_CONSENT: "eu-gdpr:A7-3",
    Right.COMPLAINT: "eu-gdpr:A77",
}

# The authority a complaint goes to (Art. 77): DPV has no "SupervisoryAuthority"; GDPR's
# supervisory authority is eu-gdpr:DataProtectionAuthority, narrower than DPV's.
AUTHORITY_TYPES: tuple[str, ...] = ("dpv:DataProtectionAuthority", "eu-gdpr:DataProtectionAuthority")

# The project's own properties and the DPV term each says more precisely (README).
OWN_PROPERTIES: dict[str, str] = {
    "role": "dpv:Recipient",
    "transferMechanism": "dpv:DataTransferLegalBasis",
    "source": "dpv:DataSource",
    "requirement": "dpv:Necessity",
    "requirementConsequence": "dpv:Necessity",
    "consentRequired": "dpv:Consent",
    "party": "tech:Provider",
    "cookieCategory": "dpv:Purpose",
    "howToExercise": "dpv:RightExerciseNotice",
    "generalRetention": "dpv:StorageDuration",
    "automatedDecisionMaking": "dpv:AutomatedDecisionMaking",
    "used": "dpv:AutomatedDecisionMaking",
    "storage": "dpv:Technology",
}


def data_category_term(category: DataCategory) -> str:
    """The compact IRI for a data category: a DPV term, else ``policypress:<id>``."""
    return DATA_CATEGORY_TERMS.get(category, f"policypress:{category.value}")


def storage_type_term(kind: StorageType) -> str:
    return STORAGE_TYPE_TERMS.get(kind, f"policypress:{kind.value}")
