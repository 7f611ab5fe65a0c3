"""The package's own interface texts (table headings, labels), in every language.

Policy content comes from ``policy_data/``; these are the words around it.
"""

from __future__ import annotations

from .i18n import Lang, Text, text

UI: dict[str, Text] = {
    "policy.contents": text("Contents", "Innehåll"),
    "controller.heading": text("Controller", "Personuppgiftsansvarig"),
    "controller.intro": text(
        "The controller responsible for the processing of your personal data is:",
        "Personuppgiftsansvarig för behandlingen av dina personuppgifter är:",
    ),
    "controller.organisation_number": text("Organisation number", "Organisationsnummer"),
    "controller.address": text("Address", "Adress"),
    "controller.email": text("E-mail", "E-post"),
    "controller.phone": text("Phone", "Telefon"),
    "controller.website": text("Website", "Webbplats"),
    "controller.dpo": text("Data protection officer", "Dataskyddsombud"),
    "table.activities.caption": text(
        "How we use personal data: purposes and the data we process",
        "Hur vi använder personuppgifter: ändamål och de uppgifter vi behandlar",
    ),
    "table.activities.activity": text("Activity", "Behandling"),
    "table.activities.purpose": text("Purpose", "Ändamål"),
    "table.activities.data": text("Personal data", "Personuppgifter"),
    "table.activities.source": text("Source", "Källa"),
    "table.activities.recipients": text("Recipients", "Mottagare"),
    "table.activities.legal_basis": text("Legal basis", "Rättslig grund"),
    "table.activities.requirement": text("Must you provide it?", "Måste du lämna uppgifterna?"),
    "rights.complaint": text(
        "You can also lodge a complaint with the supervisory authority, {authority}.",
        "Du kan också lämna in klagomål till tillsynsmyndigheten, {authority}.",
    ),
    "table.recipients.caption": text(
        "Who receives personal data from us, and where it is stored",
        "Vilka som tar emot personuppgifter från oss, och var de lagras",
    ),
    "table.recipients.name": text("Recipient", "Mottagare"),
    "table.recipients.role": text("Role", "Roll"),
    "table.recipients.service": text("What they do for us", "Vad de gör för oss"),
    "table.recipients.storage": text("Where data is stored", "Var uppgifterna lagras"),
    "table.recipients.safeguard": text(
        "Safeguard for transfers outside the EEA", "Skyddsåtgärd vid överföring till tredjeland"
    ),
    "table.cookies.caption": text(
        "Cookies and similar browser storage on our website",
        "Cookies och liknande lagring i webbläsaren på vår webbplats",
    ),
    "table.cookies.name": text("Name", "Namn"),
    "table.cookies.provider": text("Provider", "Leverantör"),
    "table.cookies.type": text("Type", "Typ"),
    "table.cookies.category": text("Category", "Kategori"),
    "table.cookies.duration": text("Duration", "Lagringstid"),
    "table.cookies.purpose": text("Purpose", "Ändamål"),
    "table.cookies.consent": text("Consent needed", "Kräver samtycke"),
    "table.retention.caption": text(
        "How long we keep personal data", "Hur länge vi sparar personuppgifter (lagringstid)"
    ),
    "table.retention.activity": text("Activity", "Behandling"),
    "table.retention.retention": text("Retention", "Lagringstid"),
    "table.rights.caption": text("Your rights", "Dina rättigheter"),
    "table.rights.right": text("Right", "Rättighet"),
    "table.rights.description": text("What it means for you", "Vad den innebär för dig"),
    "value.yes": text("Yes", "Ja"),
    "value.no": text("No", "Nej"),
    "value.not_stated": text("Not stated", "Anges inte"),
    "value.none": text("None", "Inga"),
    "value.unknown_location": text("Not stated", "Anges inte"),
    "value.within_eea": text("Not needed: stored within the EEA", "Behövs inte: lagras inom EES"),
    "value.no_safeguard": text("None stated", "Ingen angiven"),
    "value.general_retention": text("General rule:", "Allmän regel:"),
    "value.general_retention_applies": text(
        "No period of its own: the general rule below applies",
        "Ingen egen lagringstid: den allmänna regeln nedan gäller",
    ),
    "consent.title": text("Cookie consent", "Samtycke till cookies"),
    "consent.description": text(
        "We use necessary cookies so that the website works. With your consent we also use "
        "the categories below. Nothing that needs consent is stored until you accept, and you "
        "can change your choice at any time. Read more in our",
        "Vi använder nödvändiga cookies för att webbplatsen ska fungera. Med ditt samtycke "
        "använder vi även kategorierna nedan. Inget som kräver samtycke lagras innan du har "
        "godkänt, och du kan när som helst ändra ditt val. Läs mer i vår",
    ),
    "consent.settings": text("Change cookie settings", "Ändra cookieinställningar"),
    "language.switch": text("Language", "Språk"),
    "feed.title": text("Privacy policy: new versions", "Integritetspolicy: nya versioner"),
    "version.line": text("Version {version} · in effect from {effective}", "Version {version} · gäller från den {effective}"),
    "version.all": text("All versions", "Alla versioner"),
    "version.upcoming": text(
        "A new version, {version}, applies from {effective}.", "En ny version, {version}, gäller från den {effective}."
    ),
    "version.upcoming.link": text("See what changes", "Se vad som ändras"),
    "version.release.current": text(
        "This is version {version}, the version in effect since {effective}.",
        "Detta är version {version}, den version som gäller sedan den {effective}.",
    ),
    "version.release.superseded": text(
        "This is version {version}. It was in effect from {effective} until {until}, when version {next} replaced it.",
        "Detta är version {version}. Den gällde från den {effective} till den {until}, då version {next} ersatte den.",
    ),
    # A successor that takes effect on the same day: "from X until X" would claim a day in effect.
    "version.release.superseded_same_day": text(
        "This is version {version}. It was superseded on its publication day, {effective}, by version {next}.",
        "Detta är version {version}. Den ersattes samma dag som den publicerades, den {effective}, av version {next}.",
    ),
    "version.release.upcoming": text(
        "This is version {version}. It applies from {effective}; until then the current version applies.",
        "Detta är version {version}. Den gäller från den {effective}; fram till dess gäller den nuvarande versionen.",
    ),
    "version.current.link": text("Read the current version", "Läs den gällande versionen"),
    "version.draft": text(
        "Draft: not in effect. This is the unreleased working copy of the next version, shown for review only.",
        "Utkast: gäller inte. Detta är det ännu inte publicerade arbetsexemplaret av nästa version, som visas endast för granskning.",
    ),
    "version.draft.title": text("Draft", "Utkast"),
    "version.draft.changes": text("See the changes against version {version}", "Se ändringarna jämfört med version {version}"),
    "archive.intro": text(
        "Every version of this privacy policy that has been published, with the date it took effect. "
        "Each version stays available at its own address.",
        "Alla versioner av denna integritetspolicy som har publicerats, med det datum då de började gälla. "
        "Varje version finns kvar på sin egen adress.",
    ),
    "archive.caption": text("Published versions", "Publicerade versioner"),
    "archive.version": text("Version", "Version"),
    "archive.effective": text("In effect from", "Gäller från"),
    "archive.class": text("Kind of change", "Typ av ändring"),
    "archive.status": text("Status", "Status"),
    "archive.summary": text("Summary", "Sammanfattning"),
    "archive.changes": text("What changed", "Vad som ändrats"),
    "archive.read": text("Read version {version}", "Läs version {version}"),
    "archive.changes.link": text("Changes from {old}", "Ändringar från {old}"),
    "archive.first": text("First version", "Första versionen"),
    "status.current": text("In effect", "Gäller"),
    "status.upcoming": text("Upcoming", "Kommande"),
    "status.superseded": text("Replaced", "Ersatt"),
    "class.editorial": text("Editorial: wording only", "Redaktionell: endast formuleringar"),
    "class.material": text("Material: changes the content", "Väsentlig: ändrar innehållet"),
    "changes.intro": text(
        "Version {new} applies from {effective}. Kind of change: {kind}.",
        "Version {new} gäller från den {effective}. Typ av ändring: {kind}.",
    ),
    "changes.intro.draft": text(
        "The draft is not in effect: these are the changes it would make to version {old}.",
        "Utkastet gäller inte: detta är de ändringar som det skulle göra i version {old}.",
    ),
    "changes.provenance": text(
        "Added by the data owner: these facts of version {version} are not in the text published on the website; "
        "the data owner supplied them when the policy was turned into data.",
        "Tillagt av den personuppgiftsansvarige: dessa uppgifter i version {version} finns inte i den text som "
        "publicerades på webbplatsen; den personuppgiftsansvarige lade till dem när policyn gjordes om till data.",
    ),
    "provenance.mark": text(
        "Added by the data owner, not in the published text",
        "Tillagt av den personuppgiftsansvarige, finns inte i den publicerade texten",
    ),
    "review.title": text("For the legal review", "För den juridiska granskningen"),
    "cookie.kind.first": text("Cookie, first party", "Förstapartscookie"),
    "cookie.kind.third": text("Cookie, third party", "Tredjepartscookie"),
    "storage.kind": text("{type}, {party}", "{type}, {party}"),
    "changes.links": text("Read version {old} · Read version {new}", "Läs version {old} · Läs version {new}"),
}


# Material's own theme texts that read wrong in a language, by Material's key; the theme's
# partials/language.html looks here first (through the page context), then in Material's file.
THEME_TEXTS: dict[Lang, dict[str, str]] = {
    Lang.EN: {},
    Lang.SV: {
        "search.result.initializer": "Förbereder sökningen",
    },
}


def ui(key: str, lang: Lang | str) -> str:
    return UI[key].get(lang)


def theme_texts(lang: Lang) -> dict[str, str]:
    return THEME_TEXTS[lang]
