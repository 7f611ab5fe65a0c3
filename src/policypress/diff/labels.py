"""The words of the diff reports in every language.

Kept apart from ``ui.py`` because they are only used here. Swedish follows
the terms Integritetsskyddsmyndigheten (IMY) uses: personuppgiftsbiträde,
mottagare, ändamål, rättslig grund, lagringstid, tredjeland.
"""

from __future__ import annotations

from ..i18n import Lang, Text, text
from .model import Action, Entity

WORDS: dict[str, Text] = {
    "report.title": text("{title}: changes from {old} to {new}", "{title}: ändringar från {old} till {new}"),
    "report.summary": text(
        "{changes} changes: {facts} to facts, {texts} to wording only.",
        "{changes} ändringar: {facts} i sakuppgifter, {texts} endast i formuleringar.",
    ),
    "report.summary.one": text(
        "1 change: {facts} to facts, {texts} to wording only.",
        "1 ändring: {facts} i sakuppgifter, {texts} endast i formuleringar.",
    ),
    "report.empty": text("No changes: the two versions are identical.", "Inga ändringar: versionerna är identiska."),
    "report.legend": text(
        "Deleted text is struck through and marked “deleted:”; inserted text is underlined and marked “inserted:”.",
        "Borttagen text är överstruken och märkt ”borttaget:”; tillagd text är understruken och märkt ”tillagt:”.",
    ),
    "report.legend.markdown": text(
        "Deleted text is struck through; inserted text is underlined.",
        "Borttagen text är överstruken; tillagd text är understruken.",
    ),
    "report.legend.text": text(
        "Lines: - before, + after, ~ changed words: [-deleted-]{+inserted+}.",
        "Rader: - före, + efter, ~ ändrade ord: [-borttaget-]{+tillagt+}.",
    ),
    "report.languages": text("Languages", "Språk"),
    "facts.heading": text("Changed facts", "Ändrade sakuppgifter"),
    "facts.caption": text(
        "Facts that changed: recipients, cookies, purposes, legal bases, retention and more",
        "Sakuppgifter som har ändrats: mottagare, cookies, ändamål, rättslig grund, lagringstid med mera",
    ),
    "facts.none": text("No facts changed: only the wording.", "Inga sakuppgifter har ändrats: endast formuleringar."),
    "wording.heading": text("Other changes in wording", "Övriga ändringar i formuleringar"),
    "wording.caption": text(
        "Texts in the tables and details whose wording changed",
        "Texter i tabellerna och uppgifterna vars formulering har ändrats",
    ),
    "prose.none": text("The text of the sections is unchanged.", "Texten i avsnitten är oförändrad."),
    "prose.other_language": text(
        "Nothing changed in the English text: the changes in this version concern the Swedish text only.",
        "Inget har ändrats i den svenska texten: ändringarna i denna version gäller endast den engelska texten.",
    ),
    "prose.unchanged": text(
        "{count} unchanged sections are not shown.", "{count} oförändrade avsnitt visas inte."
    ),
    "prose.unchanged.one": text("1 unchanged section is not shown.", "1 oförändrat avsnitt visas inte."),
    "prose.unchanged_paragraphs": text("{count} unchanged paragraphs", "{count} oförändrade stycken"),
    "prose.unchanged_paragraphs.one": text("1 unchanged paragraph", "1 oförändrat stycke"),
    "prose.unchanged_subsections": text(
        "{count} unchanged subsections are not shown.", "{count} oförändrade underavsnitt visas inte."
    ),
    "prose.unchanged_subsections.one": text(
        "1 unchanged subsection is not shown.", "1 oförändrat underavsnitt visas inte."
    ),
    "prose.added": text("Added in the new version.", "Har lagts till i den nya versionen."),
    "prose.removed": text("Removed in the new version.", "Har tagits bort i den nya versionen."),
    "report.compared": text(
        "Compared: {old} (before) and {new} (after).", "Jämförda versioner: {old} (före) och {new} (efter)."
    ),
    "status.added": text("added", "tillagt"),
    "status.removed": text("removed", "borttaget"),
    "status.changed": text("changed", "ändrat"),
    "mark.deleted": text("deleted:", "borttaget:"),
    "mark.inserted": text("inserted:", "tillagt:"),
    "column.what": text("What", "Vad"),
    "column.change": text("Change", "Ändring"),
    "column.before": text("Before", "Före"),
    "column.after": text("After", "Efter"),
    "column.field": text("Field", "Uppgift"),
    "column.wording": text("Wording (deleted and inserted words marked)", "Formulering (borttagna och tillagda ord markerade)"),
    "action.added": text("added", "har lagts till"),
    "action.removed": text("removed", "har tagits bort"),
    "action.changed": text("{field} changed", "{field} har ändrats"),
    "action.text_changed": text("text changed", "texten har ändrats"),
    "value.none": text("none", "inga"),
    "value.not_stated": text("not stated", "anges inte"),
    "value.yes": text("yes", "ja"),
    "value.no": text("no", "nej"),
    "entity.policy": text("The policy", "Policyn"),
    "entity.controller": text("Controller", "Personuppgiftsansvarig"),
    "entity.activities": text("Processing activities (common)", "Behandlingar (gemensamt)"),
    "entity.activity": text("Processing activity", "Personuppgiftsbehandling"),
    "entity.recipient": text("Recipient", "Mottagare"),
    "entity.cookie": text("Cookie", "Cookie"),
    "entity.rights": text("Your rights (common)", "Dina rättigheter (gemensamt)"),
    "entity.right": text("Right", "Rättighet"),
    "entity.section": text("Section", "Avsnitt"),
    "entity.subsection": text("Subsection", "Underavsnitt"),
}

# The name of each field a reader may see changed, by entity and field path.
FIELDS: dict[tuple[Entity, str], Text] = {
    (Entity.POLICY, "title"): text("title", "titel"),
    (Entity.CONTROLLER, "id"): text("id", "id"),
    (Entity.CONTROLLER, "legal_name"): text("legal name", "firma (juridiskt namn)"),
    (Entity.CONTROLLER, "short_name"): text("short name", "kortnamn"),
    (Entity.CONTROLLER, "organisation_number"): text("organisation number", "organisationsnummer"),
    (Entity.CONTROLLER, "address"): text("address", "adress"),
    (Entity.CONTROLLER, "email"): text("e-mail address", "e-postadress"),
    (Entity.CONTROLLER, "phone"): text("phone number", "telefonnummer"),
    (Entity.CONTROLLER, "website"): text("website", "webbplats"),
    (Entity.CONTROLLER, "dpo"): text("data protection officer", "dataskyddsombud"),
    (Entity.CONTROLLER, "dpo.name"): text("data protection officer's name", "dataskyddsombudets namn"),
    (Entity.CONTROLLER, "dpo.email"): text("data protection officer's e-mail", "dataskyddsombudets e-post"),
    (Entity.CONTROLLER, "dpo.phone"): text("data protection officer's phone", "dataskyddsombudets telefon"),
    (Entity.ACTIVITIES, "general_retention"): text("general retention rule", "allmän regel för lagringstid"),
    (Entity.ACTIVITIES, "automated_decision_making"): text(
        "automated decision-making", "automatiserat beslutsfattande"
    ),
    (Entity.ACTIVITIES, "automated_decision_making.used"): text(
        "automated decisions are made", "automatiserade beslut fattas"
    ),
    (Entity.ACTIVITIES, "automated_decision_making.description"): text(
        "statement on automated decision-making", "uppgift om automatiserat beslutsfattande"
    ),
    (Entity.ACTIVITY, "requirement"): text(
        "whether the data must be provided", "om uppgifterna måste lämnas"
    ),
    (Entity.ACTIVITY, "requirement_consequence"): text(
        "consequence of not providing the data", "följd av att uppgifterna inte lämnas"
    ),
    (Entity.ACTIVITY, "name"): text("name", "namn"),
    (Entity.ACTIVITY, "purpose"): text("purpose", "ändamål"),
    (Entity.ACTIVITY, "data_categories"): text("categories of personal data", "kategorier av personuppgifter"),
    (Entity.ACTIVITY, "source"): text("source of the data", "varifrån uppgifterna kommer"),
    (Entity.ACTIVITY, "recipients"): text("recipients", "mottagare"),
    (Entity.ACTIVITY, "legal_basis"): text("legal basis", "rättslig grund"),
    (Entity.ACTIVITY, "legitimate_interest"): text("legitimate interest", "berättigat intresse"),
    (Entity.ACTIVITY, "retention"): text("retention period", "lagringstid"),
    (Entity.RECIPIENT, "name"): text("name", "namn"),
    (Entity.RECIPIENT, "role"): text("role", "roll"),
    (Entity.RECIPIENT, "service"): text("service provided", "tjänst som utförs"),
    (Entity.RECIPIENT, "storage"): text("storage", "lagring"),
    (Entity.RECIPIENT, "storage.countries"): text("storage countries", "länder där uppgifterna lagras"),
    (Entity.RECIPIENT, "storage.location"): text("storage location", "plats där uppgifterna lagras"),
    (Entity.RECIPIENT, "transfer"): text(
        "safeguard for transfer to a third country", "skyddsåtgärd vid överföring till tredjeland"
    ),
    (Entity.RECIPIENT, "transfer.mechanism"): text(
        "transfer mechanism (third country)", "överföringsmekanism (tredjeland)"
    ),
    (Entity.RECIPIENT, "transfer.reference"): text(
        "reference for the transfer safeguard", "hänvisning för skyddsåtgärden vid överföring"
    ),
    (Entity.COOKIE, "provider"): text("provider", "leverantör"),
    (Entity.COOKIE, "party"): text("first or third party", "första- eller tredjepart"),
    (Entity.COOKIE, "type"): text("type", "typ"),
    (Entity.COOKIE, "category"): text("category", "kategori"),
    (Entity.COOKIE, "duration"): text("duration", "lagringstid"),
    (Entity.COOKIE, "purpose"): text("purpose", "ändamål"),
    (Entity.COOKIE, "consent_required"): text("consent required", "kräver samtycke"),
    (Entity.RIGHTS, "how_to_exercise"): text("how to exercise them", "hur du utövar dem"),
    (Entity.RIGHTS, "supervisory_authority"): text("supervisory authority", "tillsynsmyndighet"),
    (Entity.RIGHTS, "supervisory_authority.name"): text("supervisory authority", "tillsynsmyndighet"),
    (Entity.RIGHTS, "supervisory_authority.website"): text(
        "supervisory authority's website", "tillsynsmyndighetens webbplats"
    ),
    (Entity.RIGHT, "description"): text("description", "beskrivning"),
    (Entity.SECTION, "title"): text("title", "rubrik"),
    (Entity.SECTION, "body"): text("text", "text"),
    (Entity.SECTION, "tables"): text("tables shown", "tabeller som visas"),
    (Entity.SUBSECTION, "title"): text("title", "rubrik"),
    (Entity.SUBSECTION, "body"): text("text", "text"),
    (Entity.SUBSECTION, "tables"): text("tables shown", "tabeller som visas"),
}

# The generated tables, as a reader knows them (sections list them by key).
TABLES: dict[str, Text] = {
    "activities": text("processing activities", "personuppgiftsbehandlingar"),
    "recipients": text("recipients", "mottagare"),
    "cookies": text("cookies", "cookies"),
    "retention": text("retention", "lagringstid"),
    "rights": text("rights", "rättigheter"),
}


def word(key: str, lang: Lang | str, **values: object) -> str:
    value = WORDS[key].get(lang)
    return value.format(**values) if values else value


def counted(key: str, count: int, lang: Lang | str) -> str:
    """``key`` for a count: the ``.one`` form for exactly one."""
    if count == 1 and f"{key}.one" in WORDS:
        return word(f"{key}.one", lang)
    return word(key, lang, count=count)


def summary(changes: int, facts: int, texts: int, lang: Lang | str) -> str:
    key = "report.summary.one" if changes == 1 else "report.summary"
    return word(key, lang, changes=changes, facts=facts, texts=texts)


def field_label(entity: Entity, field_name: str, lang: Lang | str) -> str:
    label = FIELDS.get((entity, field_name))
    return label.get(lang) if label is not None else field_name


def action_label(action: Action, field_label_text: str, lang: Lang | str) -> str:
    if action is Action.CHANGED:
        return word("action.changed", lang, field=field_label_text)
    return word(f"action.{action.value}", lang)
