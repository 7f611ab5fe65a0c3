"""The rules added after the review against the sources (Art. 13(1)(e)/(f), 13(3), 21(4), Chapter V, vague
retention), the false positives it found, and the rules' sources in every report and in README's table.

Each rule has a fixture that trips it and one that does not, built from test_lint's complete policy."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT
from policypress.lint import Severity, render_json, render_sarif, render_text
from policypress.lint.rules import RULES, rules_table
from test_lint import COMPLETE, assert_at, lint, only

SECTION = "      - en: This policy covers our website.\n        sv: Policyn gäller vår webbplats.\n"


def prose(en: str, sv: str) -> dict[str, str | tuple[str, str]]:
    """An edit that adds one paragraph to the fixture's only section."""
    return {"sections.yaml": (SECTION, SECTION + f"      - en: {en}\n        sv: {sv}\n")}


RELATED = """\
  related:
    name: {en: Related bodies corporate, sv: Närstående bolag}
    role: related_company
    service: {en: We may share data with them., sv: Vi kan dela uppgifter med dem.}
    storage:
      countries: [SE]
"""


def add_recipient(block: str) -> dict[str, str | tuple[str, str]]:
    return {"recipients.yaml": COMPLETE["recipients.yaml"] + block}


# --- Swedish national law: the organisation number -------------------------------------


def test_organisation_number_cites_the_swedish_e_commerce_act(tmp_path: Path) -> None:
    # Regression: the rule used to cite Art. 13(1)(a); the duty is national law, for a Swedish company.
    report = lint(tmp_path, {"controller.yaml": ('  organisation_number: "556677-8899"\n', '  organisation_number: ""\n')})
    finding = only(report, "se-ehandel-8-organisation-number")
    assert finding.severity is Severity.WARNING and finding.needs_input
    assert_at(finding, tmp_path, "controller.yaml", "organisation_number")
    assert finding.rule.article == "lagen (2002:562) om elektronisk handel 8 §"
    assert "2002:562" in finding.rule.source and "8 §" in finding.rule.source
    assert report.by_rule("art13-1a-controller-identity") == []


def test_organisation_number_not_asked_of_a_controller_outside_sweden(tmp_path: Path) -> None:
    edits: dict[str, str | tuple[str, str]] = {
        "controller.yaml": ('  legal_name: Acme AB\n  organisation_number: "556677-8899"\n',
                            '  legal_name: Acme GmbH\n  organisation_number: ""\n'),
        "rights.yaml": ("  website: https://www.imy.se\n", ""),
    }
    report = lint(tmp_path, edits)
    assert report.by_rule("se-ehandel-8-organisation-number") == []
    assert report.findings == (), [str(f) for f in report.findings]


# --- Art. 13(1)(e): specific recipients -----------------------------------------


def test_vague_recipient_category_is_an_error(tmp_path: Path) -> None:
    finding = only(lint(tmp_path, add_recipient(RELATED)), "art13-1e-recipient-specificity")
    assert finding.severity is Severity.ERROR and finding.needs_input
    assert finding.location.path == "recipients.related.name"
    assert "'Related bodies corporate'" in finding.message
    assert "WP260" in finding.rule.source


def test_swedish_vague_name_and_third_parties_trip_it(tmp_path: Path) -> None:
    block = RELATED.replace("Related bodies corporate", "Acme Holding AB").replace("Närstående bolag", "tredje parter")
    assert only(lint(tmp_path, add_recipient(block)), "art13-1e-recipient-specificity")
    block = RELATED.replace("Related bodies corporate", "Our partners").replace("Närstående bolag", "Våra partner")
    assert only(lint(tmp_path / "b", add_recipient(block)), "art13-1e-recipient-specificity")


def test_named_company_or_specific_category_passes(tmp_path: Path) -> None:
    block = RELATED.replace("Related bodies corporate", "Acme Holding AB (our parent company)").replace(
        "Närstående bolag", "Acme Holding AB (vårt moderbolag)")
    assert lint(tmp_path, add_recipient(block)).findings == ()
    block = RELATED.replace("Related bodies corporate", "Accounting firms").replace("Närstående bolag", "Redovisningsbyråer")
    assert lint(tmp_path / "b", add_recipient(block)).findings == ()


# --- Art. 13(1)(f): the third country, and a copy of the safeguards ---------------


def test_mechanism_without_a_third_country(tmp_path: Path) -> None:
    report = lint(tmp_path, {"recipients.yaml": ("countries: [US]", "countries: []")})
    finding = only(report, "art13-1f-third-country")
    assert finding.severity is Severity.ERROR
    assert finding.location.path == "recipients.mailchimp.storage.countries"
    assert "eu_us_dpf" in finding.message


def test_location_saying_outside_the_eea_needs_a_country(tmp_path: Path) -> None:
    location = "countries: []\n      location: {en: Servers outside the EEA., sv: Servrar utanför EES.}"
    report = lint(tmp_path, {"recipients.yaml": ("countries: [IE]", location)})
    finding = only(report, "art13-1f-third-country")
    assert "'outside the EEA'" in finding.message


def test_outside_sweden_alone_is_not_a_third_country(tmp_path: Path) -> None:
    # "Outside Sweden" may still be inside the EEA: only the storage-location warning applies.
    location = "countries: []\n      location: {en: Servers outside Sweden., sv: Servrar utanför Sverige.}"
    report = lint(tmp_path, {"recipients.yaml": ("countries: [IE]", location)})
    assert report.by_rule("art13-1f-third-country") == []
    assert only(report, "art13-1f-storage-location")


SCC = ("mechanism: eu_us_dpf", "mechanism: standard_contractual_clauses")


def test_standard_clauses_without_a_way_to_get_a_copy(tmp_path: Path) -> None:
    finding = only(lint(tmp_path, {"recipients.yaml": SCC}), "art13-1f-safeguard-copy")
    assert finding.severity is Severity.ERROR
    assert finding.location.path == "recipients.mailchimp.transfer.reference"
    assert "standard_contractual_clauses" in finding.message


def test_a_copy_offered_in_prose_or_a_link_passes(tmp_path: Path) -> None:
    edits = {**add_recipient(""), **prose("You can ask us for a copy of the safeguards.",
                                          "Du kan begära en kopia av skyddsåtgärderna.")}
    edits["recipients.yaml"] = COMPLETE["recipients.yaml"].replace(*SCC)
    assert lint(tmp_path, edits).findings == ()
    linked = SCC[1] + "\n      reference: {en: 'The clauses: https://example.com/scc', sv: 'Klausulerna: https://example.com/scc'}"
    assert lint(tmp_path / "b", {"recipients.yaml": (SCC[0], linked)}).findings == ()


def test_adequacy_decision_needs_no_copy(tmp_path: Path) -> None:
    assert lint(tmp_path).by_rule("art13-1f-safeguard-copy") == []  # eu_us_dpf is Art. 45


# --- Art. 44/46 and 49: unprotected transfers, derogations ------------------------


ACKNOWLEDGE = (
    "You acknowledge that these parties may not in all cases be subject to the specific requirements of "
    "Swedish or European privacy laws.",
    "Du bekräftar att de inte i samtliga fall omfattas av de särskilda kraven i europeisk dataskyddslagstiftning.",
)


def test_prose_admitting_an_unprotected_transfer(tmp_path: Path) -> None:
    finding = only(lint(tmp_path, prose(*ACKNOWLEDGE)), "art44-transfer-without-safeguard")
    assert finding.severity is Severity.ERROR
    assert finding.location.path == "sections.scope.body[1]"
    assert finding.location.file.endswith("policy_data/sections.yaml") and finding.location.line == 7  # the new paragraph's "- en:"
    assert "Art. 44" in finding.rule.source and "Art. 46" in finding.rule.source


def test_swedish_admission_alone_trips_it(tmp_path: Path) -> None:
    assert only(lint(tmp_path, prose("Some recipients are abroad.", ACKNOWLEDGE[1])), "art44-transfer-without-safeguard")


def test_prose_describing_the_safeguards_passes(tmp_path: Path) -> None:
    edits = prose(
        "Transfers outside the EEA are subject to the standard contractual clauses, as the GDPR requires.",
        "Överföringar utanför EES omfattas av standardavtalsklausuler, så som dataskyddsförordningen kräver.",
    )
    assert lint(tmp_path, edits).findings == ()


DEROGATION = ("mechanism: eu_us_dpf", "mechanism: derogation")


def test_derogation_refused_for_a_systematic_transfer(tmp_path: Path) -> None:
    finding = only(lint(tmp_path, {"recipients.yaml": DEROGATION}), "art49-systematic-derogation")
    assert finding.severity is Severity.ERROR
    assert finding.location.path == "recipients.mailchimp.transfer.mechanism"
    assert "processor" in finding.message
    assert "EDPB Guidelines 2/2018" in finding.rule.source and "Art. 49(1)" in finding.rule.source


def test_derogation_for_an_occasional_recipient_passes(tmp_path: Path) -> None:
    block = """\
  foreign_court:
    name: {en: A court in the USA in a dispute, sv: En domstol i USA vid en tvist}
    role: independent_controller
    service: {en: Decides a legal claim., sv: Avgör ett rättsligt anspråk.}
    storage:
      countries: [US]
    transfer:
      mechanism: derogation
"""
    assert lint(tmp_path, add_recipient(block)).findings == ()


# --- false positive: authorities and courts -----------------------------------------

AUTHORITIES = """\
  authorities:
    name: {en: Authorities and courts, sv: Myndigheter och domstolar}
    role: independent_controller
    service:
      en: We disclose data when we must to comply with the law or facilitate court proceedings.
      sv: Vi lämnar ut uppgifter när vi måste för att följa lagen eller underlätta domstolsförfaranden.
    storage:
      countries: []
"""


def test_no_storage_warning_for_authorities_receiving_data_under_the_law(tmp_path: Path) -> None:
    # Regression: 1.0's "Authorities and courts" got the storage-location warning.
    assert lint(tmp_path, add_recipient(AUTHORITIES)).findings == ()


def test_the_exemption_comes_from_role_and_service_not_name(tmp_path: Path) -> None:
    as_processor = AUTHORITIES.replace("role: independent_controller", "role: processor")
    assert only(lint(tmp_path, add_recipient(as_processor)), "art13-1f-storage-location")
    other_service = AUTHORITIES.replace("comply with the law or facilitate court proceedings", "run campaigns").replace(
        "följa lagen eller underlätta domstolsförfaranden", "driva kampanjer")
    assert only(lint(tmp_path / "b", add_recipient(other_service)), "art13-1f-storage-location")


# --- Art. 13(2)(a): vague retention --------------------------------------------------


def test_vague_retention_criteria_in_english(tmp_path: Path) -> None:
    vague = "criteria: {en: As long as the information is relevant to the matter., sv: Tills ärendet är avslutat.}"
    report = lint(tmp_path, {"activities.yaml": ("criteria: {en: Until the statistics are compiled., sv: Tills statistiken är sammanställd.}", vague)})
    finding = only(report, "art13-2a-vague-retention")
    assert finding.severity is Severity.ERROR and finding.needs_input
    assert finding.location.path == "activities.statistics.retention.criteria"
    assert "'As long as the information is relevant'" in finding.message
    assert "WP260" in finding.rule.source


def test_vague_retention_in_swedish_and_in_the_general_statement(tmp_path: Path) -> None:
    vague = "criteria: {en: Until the statistics are compiled., sv: Så länge som behövs.}"
    old = "criteria: {en: Until the statistics are compiled., sv: Tills statistiken är sammanställd.}"
    assert "'Så länge som behövs'" in only(lint(tmp_path, {"activities.yaml": (old, vague)}), "art13-2a-vague-retention").message
    general = "general_retention: {en: As long as necessary., sv: Så länge det är relevant.}\nactivities:"
    finding = only(lint(tmp_path / "b", {"activities.yaml": ("activities:", general)}), "art13-2a-vague-retention")
    assert finding.location.path == "general_retention" and not finding.needs_input


def test_concrete_criteria_pass(tmp_path: Path) -> None:
    old = "criteria: {en: Until the statistics are compiled., sv: Tills statistiken är sammanställd.}"
    concrete = ("criteria: {en: As long as required by the Swedish Bookkeeping Act (seven years)., "
                "sv: Så länge som bokföringslagen kräver (sju år).}")
    assert lint(tmp_path, {"activities.yaml": (old, concrete)}).findings == ()


# --- Art. 21(4): the right to object ----------------------------------------------------

OBJECTION = "  objection: {description: {en: Objection., sv: Invändning.}}\n"


def test_objection_missing_where_legitimate_interests_are_a_basis(tmp_path: Path) -> None:
    report = lint(tmp_path, {"rights.yaml": (OBJECTION, "")})
    finding = only(report, "art21-4-objection")
    assert finding.severity is Severity.ERROR
    assert "activity 'statistics' relies on legitimate_interests" in finding.message
    assert finding.rule.article == "GDPR Art. 21(4)"


def test_objection_not_required_without_legitimate_interests_or_marketing(tmp_path: Path) -> None:
    edits: dict[str, str | tuple[str, str]] = {
        "rights.yaml": (OBJECTION, ""),
        "activities.yaml": COMPLETE["activities.yaml"].replace("legal_basis: legitimate_interests", "legal_basis: consent"),
    }
    assert lint(tmp_path, edits).by_rule("art21-4-objection") == []


def test_direct_marketing_needs_an_explicit_objection_in_every_language(tmp_path: Path) -> None:
    marketing = prose("We use your e-mail address for direct marketing.",
                      "Vi använder din e-postadress för direktmarknadsföring.")
    finding = only(lint(tmp_path, marketing), "art21-4-objection")
    assert finding.location.path == "rights.objection.description"
    assert "(en, sv)" in finding.message and "direct marketing" in finding.message
    explicit = ("  objection: {description: {en: You can object to direct marketing at any time., "
                "sv: Du kan när som helst invända mot direktmarknadsföring.}}\n")
    assert lint(tmp_path / "b", {**marketing, "rights.yaml": (OBJECTION, explicit)}).findings == ()
    english_only = explicit.replace("invända mot direktmarknadsföring", "invända")
    finding = only(lint(tmp_path / "c", {**marketing, "rights.yaml": (OBJECTION, english_only)}), "art21-4-objection")
    assert "(sv)" in finding.message


# --- Art. 13(3): further processing ----------------------------------------------------


def test_further_processing_without_prior_information(tmp_path: Path) -> None:
    report = lint(tmp_path, prose("We may also use your data for other purposes.",
                                  "Vi kan också använda dina uppgifter för andra ändamål."))
    finding = only(report, "art13-3-further-processing")
    assert finding.severity is Severity.ERROR
    assert finding.location.path == "sections.scope.body[1]"
    assert "'for other purposes'" in finding.message


def test_further_processing_announced_beforehand_passes(tmp_path: Path) -> None:
    edits = prose(
        "If we want to use your data for another purpose, we will inform you of it before we do so.",
        "Om vi vill använda dina uppgifter för ett annat ändamål informerar vi dig om det innan vi gör det.",
    )
    assert lint(tmp_path, edits).findings == ()


# --- sources in the reports and in README ---------------------------------------------


def test_reports_show_each_rules_source(tmp_path: Path) -> None:
    report = lint(tmp_path, prose(*ACKNOWLEDGE))
    rule = only(report, "art44-transfer-without-safeguard").rule
    assert f"source: {rule.source} <{rule.help_uri}>" in render_text(report)
    finding = json.loads(render_json(report))["findings"][0]
    assert (finding["source"], finding["help_uri"]) == (rule.source, rule.help_uri)
    driver = json.loads(render_sarif(report))["runs"][0]["tool"]["driver"]
    sarif_rule = next(r for r in driver["rules"] if r["id"] == rule.id)
    assert sarif_rule["helpUri"] == rule.help_uri and sarif_rule["properties"]["source"] == rule.source
    assert all(r["helpUri"].startswith("https://") for r in driver["rules"])


def test_readme_rule_table_is_the_generated_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- lint-rules:start -->\n", "<!-- lint-rules:end -->"
    assert readme[readme.index(start) + len(start):readme.index(end)] == rules_table()


def test_rule_table_cells_stay_in_their_cells() -> None:
    for rule in RULES:
        for cell in (rule.source, rule.satisfied_by, rule.help_uri):
            assert "|" not in cell and "\n" not in cell, rule.id
    assert rules_table().count("\n") == len(RULES) + 2
