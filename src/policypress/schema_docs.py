"""The words an editor shows when hovering over a key of a data file.

Kept apart from the models so that the models stay about validation; the JSON
Schemas of ``policypress schema`` merge these into what pydantic generates. Keys
are the names of the pydantic models (as in the schemas' ``$defs``), then fields.
"""

from __future__ import annotations

_NONE_WHEN_UNKNOWN = '; "" when unknown: the page leaves it out'
_ID = "a stable id: lower-case letters, digits and _, starting with a letter"

# Each data file's own description, shown for the file as a whole.
FILE_DESCRIPTIONS: dict[str, str] = {
    "policy.yaml": "The title of the privacy policy page, and the languages of the policy.",
    "controller.yaml": "The controller (personuppgiftsansvarig): the organisation responsible for the personal data.",
    "activities.yaml": "The processing activities: purpose, personal data, source, recipients, legal basis, retention.",
    "recipients.yaml": "Processors and other recipients: what they do, where data is stored, transfer safeguards.",
    "cookies.yaml": "Cookies and browser-storage keys: provider, category, duration, purpose, consent.",
    "rights.yaml": "The data-subject rights the policy states, and how to exercise them.",
    "sections.yaml": "The prose of the policy, section by section in reading order, and where the tables go.",
    "manifest.yaml": "The manifest of a release, written by `policypress release`; its data files are frozen.",
}

FIELD_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Duration": {
        "": "An ISO 8601 period (P2Y, P13M, P30D, PT30M), session (deleted when the browser closes) "
        "or persistent (browser storage kept until the visitor clears it).",
    },
    "PolicyMeta": {"title": "The title of the policy page."},
    "ControllerFile": {"controller": "The controller (personuppgiftsansvarig)."},
    "Controller": {
        "id": f"The controller's id, {_ID}: the provider of its own cookies in cookies.yaml; not a recipient id.",
        "legal_name": "The registered name of the organisation, e.g. Example AB.",
        "short_name": "A short name used in the text, e.g. Example (optional).",
        "organisation_number": "Organisationsnummer, NNNNNN-NNNN" + _NONE_WHEN_UNKNOWN + ".",
        "address": "Postal address of the registered office" + _NONE_WHEN_UNKNOWN + ".",
        "email": "E-mail address for privacy requests" + _NONE_WHEN_UNKNOWN + ".",
        "phone": "Phone number, if it is to be published" + _NONE_WHEN_UNKNOWN + ".",
        "website": "Address of the website, https://..." + _NONE_WHEN_UNKNOWN + ".",
        "dpo": "The data protection officer (dataskyddsombud), if one is appointed; null otherwise.",
    },
    "DataProtectionOfficer": {
        "": "The data protection officer (dataskyddsombud).",
        "name": "Name of the data protection officer.",
        "email": "E-mail address of the data protection officer.",
        "phone": "Phone number of the data protection officer.",
    },
    "ActivitiesFile": {
        "general_retention": "How long data is kept, shown for the activities that state no retention of their own.",
        "automated_decision_making": "Whether decisions are made by automated means, including profiling "
        "(Art. 13(2)(f) GDPR); state it also when there is none.",
        "activities": f"The processing activities, each keyed by {_ID}; shown in this order.",
    },
    "ProcessingActivity": {
        "": "A processing activity: what personal data is used, why, from where and by whom.",
        "name": "A short name of the activity.",
        "purpose": "Why the personal data is processed.",
        "data_categories": "The categories of personal data processed.",
        "source": "Where the personal data comes from.",
        "recipients": "Ids of the recipients in recipients.yaml who receive the data.",
        "legal_basis": "The legal basis (rättslig grund) under Art. 6 GDPR; null when the policy states none.",
        "legitimate_interest": "The legitimate interest pursued, when the legal basis is legitimate_interests.",
        "retention": "How long the data is kept; null to use general_retention.",
        "requirement": "Whether the data must be provided: by law, by contract, to enter a contract, "
        "or voluntarily (Art. 13(2)(e) GDPR).",
        "requirement_consequence": "What happens if the data is not provided.",
    },
    "AutomatedDecisions": {
        "": "Automated decision-making, including profiling (Art. 22 GDPR), or a statement that there is none.",
        "used": "true when decisions with legal or similarly significant effects are made by automated means.",
        "description": "The logic involved and its consequences, or the statement that no such decisions are made.",
    },
    "Retention": {
        "": "How long data is kept: write either period or criteria, not both.",
        "period": "A fixed period, ISO 8601: P2Y is two years, P6M six months, P30D thirty days.",
        "criteria": "The criteria that decide how long data is kept, when there is no fixed period.",
    },
    "RecipientsFile": {"recipients": f"Processors and other recipients, each keyed by {_ID}; shown in this order."},
    "Recipient": {
        "": "A recipient of personal data: a processor, an independent controller or a related company.",
        "name": "The recipient's name, e.g. the company and its service.",
        "role": "The recipient's role under the GDPR.",
        "service": "What the recipient does for the controller.",
        "storage": "Where the recipient stores the data.",
        "transfer": "The safeguard for a transfer outside the EEA; null when the data stays in the EEA or none is stated.",
    },
    "Storage": {
        "countries": "ISO 3166-1 alpha-2 codes of the countries where data is stored, e.g. [SE, IE, US].",
        "location": "Where the data is stored, in words, e.g. Microsoft's servers in Ireland.",
    },
    "Transfer": {
        "mechanism": "The transfer mechanism under Chapter V GDPR.",
        "reference": "Where the safeguard can be read, e.g. a link to the clauses.",
    },
    "CookiesFile": {
        "cookies": "Cookies and browser-storage keys, keyed by their name or a pattern with * such as _ga_*; "
        "shown in this order.",
    },
    "CookieDeclaration": {
        "provider": "Who sets it: a recipient id from recipients.yaml, or the controller's id for our own.",
        "party": "Whose domain it belongs to: first party (the site's own) or third party.",
        "type": "Where the browser keeps it.",
        "category": "The consent category; every category except necessary gets a switch in the consent banner.",
        "duration": "How long it is kept: an ISO 8601 period (P2Y, P13M, P30D, PT30M), session "
        "(deleted when the browser closes) or persistent (browser storage kept until cleared).",
        "purpose": "What it is for.",
        "consent_required": "true when it is set only after the visitor has consented.",
    },
    "RightsFile": {
        "how_to_exercise": "How a data subject exercises the rights, e.g. by e-mail to the controller.",
        "supervisory_authority": "Where a complaint can be lodged, e.g. Integritetsskyddsmyndigheten (IMY).",
        "rights": "The data-subject rights the policy states, each with its description.",
    },
    "RightStatement": {"description": "What the right means for the reader."},
    "SupervisoryAuthority": {
        "": "The supervisory authority to which a complaint can be lodged.",
        "name": "The authority's name, e.g. Integritetsskyddsmyndigheten (IMY).",
        "website": "The authority's website, https://...",
    },
    "SectionsFile": {"sections": f"The sections of the policy, each keyed by {_ID}; shown in this order."},
    "Section": {
        "title": "The section's heading.",
        "body": "Paragraphs and lists, in reading order.",
        "tables": "Generated tables shown after the prose; each table appears at most once in the policy.",
        "subsections": f"Subsections, each keyed by {_ID}; shown in this order.",
    },
    "Subsection": {
        "title": "The subsection's heading.",
        "body": "Paragraphs and lists, in reading order.",
        "tables": "Generated tables shown after the prose; each table appears at most once in the policy.",
    },
    "Block": {
        "": "A paragraph, one text per language of the policy ({en: ..., sv: ...}), "
        "or a bulleted list {list: [{en: ..., sv: ...}, ...]}.",
        "list": "The items of a bulleted list, each in every language of the policy.",
    },
    "ReleaseManifest": {
        "version": "The version, MAJOR.MINOR such as 1.2; the same as the folder name.",
        "effective": "The day the version takes effect, YYYY-MM-DD.",
        "supersedes": "The version released before this one; null for the first release.",
        "class": "editorial for wording only; material for anything a reader must be told about in advance.",
        "summary": "What changed, in every language of the policy.",
        "files": "The sha256 of each frozen data file; the build fails when a file no longer matches.",
    },
}

GENERATED_TABLES: dict[str, str] = {
    "activities": "The processing activities (activities.yaml).",
    "recipients": "The recipients, where data is stored and transfer safeguards (recipients.yaml).",
    "cookies": "The cookies and browser storage (cookies.yaml).",
    "retention": "How long data is kept, per activity (activities.yaml).",
    "rights": "The data-subject rights (rights.yaml).",
}
