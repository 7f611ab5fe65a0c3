"""`lint_policy`: each rule on a small data set that passes and one that fails, with rule id, severity,
file:line and whether only the data owner can supply the missing fact."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from conftest import ROOT
from policypress.lint import NEEDS_INPUT, RULES, Finding, LintReport, Severity, lint_policy, lint_summary
from policypress.loader import load_policy

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"

# A policy that satisfies every rule; each test breaks one fact of it.
COMPLETE = {
    "controller.yaml": """\
controller:
  id: acme
  legal_name: Acme AB
  organisation_number: "556677-8899"
  address: Storgatan 1, 111 22 Stockholm
  email: privacy@acme.example
  dpo:
    name: Jane Doe
    email: dpo@acme.example
""",
    "activities.yaml": """\
automated_decision_making:
  used: false
  description: {en: We make no automated decisions., sv: Vi fattar inga automatiserade beslut.}
activities:
  newsletter:
    name: {en: Newsletter, sv: Nyhetsbrev}
    purpose: {en: To send you our newsletter., sv: För att skicka vårt nyhetsbrev till dig.}
    data_categories: [email, first_name]
    source: data_subject
    recipients: [mailchimp]
    legal_basis: consent
    retention: {period: P2Y}
    requirement: voluntary
  statistics:
    name: {en: Statistics, sv: Statistik}
    purpose: {en: To count visitors., sv: För att räkna besökare.}
    data_categories: [online_identifier]
    source: automatically
    recipients: [google]
    legal_basis: legitimate_interests
    legitimate_interest: {en: Knowing which pages are read., sv: Att veta vilka sidor som läses.}
    retention:
      criteria: {en: Until the statistics are compiled., sv: Tills statistiken är sammanställd.}
""",
    "recipients.yaml": """\
recipients:
  mailchimp:
    name: {en: Mailchimp, sv: Mailchimp}
    role: processor
    service: {en: Sends the newsletter, sv: Skickar nyhetsbrevet}
    storage:
      countries: [US]
    transfer:
      mechanism: eu_us_dpf
  google:
    name: {en: Google Analytics, sv: Google Analytics}
    role: processor
    service: {en: Visitor statistics, sv: Besöksstatistik}
    storage:
      countries: [IE]
""",
    "rights.yaml": """\
supervisory_authority:
  name: {en: Swedish Authority for Privacy Protection (IMY), sv: Integritetsskyddsmyndigheten (IMY)}
  website: https://www.imy.se
rights:
  access: {description: {en: A copy., sv: En kopia.}}
  rectification: {description: {en: Correction., sv: Rättelse.}}
  erasure: {description: {en: Erasure., sv: Radering.}}
  restriction: {description: {en: Restriction., sv: Begränsning.}}
  objection: {description: {en: Objection., sv: Invändning.}}
  portability: {description: {en: Portability., sv: Dataportabilitet.}}
  withdraw_consent: {description: {en: Withdraw., sv: Återkalla.}}
  complaint: {description: {en: Complain to IMY., sv: Klaga hos IMY.}}
""",
}


def write_data(tmp_path: Path, edits: Mapping[str, str | tuple[str, str]] | None = None) -> Path:
    """The minimal fixture made complete, then edited: a new text, or (old, new) replaced once."""
    target = tmp_path / "policy_data"
    shutil.copytree(MINIMAL, target)
    for name, content in COMPLETE.items():
        (target / name).write_text(content, encoding="utf-8")
    for name, edit in (edits or {}).items():
        path = target / name
        if isinstance(edit, tuple):
            old, new = edit
            current = path.read_text(encoding="utf-8")
            assert current.count(old) == 1, f"{old!r} is not once in {name}"
            path.write_text(current.replace(old, new), encoding="utf-8")
        else:
            path.write_text(edit, encoding="utf-8")
    return target


def lint(tmp_path: Path, edits: Mapping[str, str | tuple[str, str]] | None = None) -> LintReport:
    data_dir = write_data(tmp_path, edits)
    return lint_policy(load_policy(data_dir), data_dir)


def line_of(data_dir: Path, name: str, needle: str) -> int:
    lines = (data_dir / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def only(report: LintReport, rule_id: str) -> Finding:
    found = report.by_rule(rule_id)
    assert len(found) == 1, [str(f) for f in report.findings]
    return found[0]


def assert_at(finding: Finding, tmp_path: Path, name: str, needle: str) -> None:
    data_dir = tmp_path / "policy_data"
    assert finding.location.file.endswith(f"policy_data/{name}")
    assert finding.location.line == line_of(data_dir, name, needle)
    assert finding.location.column >= 1


def test_complete_policy_has_no_findings(tmp_path: Path) -> None:
    report = lint(tmp_path)
    assert report.findings == (), [str(f) for f in report.findings]
    assert lint_summary(report) == "lint: 0 errors, 0 warnings"


def test_rule_ids_are_unique_and_name_their_article() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(rule.article and rule.source and rule.satisfied_by for rule in RULES)
    assert all(rule.help_uri.startswith("https://") for rule in RULES)


# --- Art. 13(1) ------------------------------------------------------------


def test_controller_contact_missing_email_is_error_needing_input(tmp_path: Path) -> None:
    report = lint(tmp_path, {"controller.yaml": ("  email: privacy@acme.example\n", '  email: ""\n')})
    finding = only(report, "art13-1a-controller-contact")
    assert finding.severity is Severity.ERROR
    assert finding.needs_input and NEEDS_INPUT in finding.message
    assert finding.location.path == "controller.email"
    assert_at(finding, tmp_path, "controller.yaml", "email: \"\"")
    assert finding.rule.article == "GDPR Art. 13(1)(a)"


def test_controller_missing_address_key_points_at_controller(tmp_path: Path) -> None:
    report = lint(tmp_path, {"controller.yaml": ("  address: Storgatan 1, 111 22 Stockholm\n", "")})
    finding = only(report, "art13-1a-controller-contact")
    assert finding.location.path == "controller.address"
    assert (finding.location.line, finding.location.column) == (1, 1)  # the nearest existing parent


def test_dpo_without_contact(tmp_path: Path) -> None:
    report = lint(tmp_path, {"controller.yaml": ("    email: dpo@acme.example\n", "")})
    finding = only(report, "art13-1b-dpo-contact")
    assert finding.severity is Severity.ERROR and finding.needs_input
    assert_at(finding, tmp_path, "controller.yaml", "dpo:")


def test_no_dpo_designated_passes(tmp_path: Path) -> None:
    report = lint(tmp_path, {"controller.yaml": ("  dpo:\n    name: Jane Doe\n    email: dpo@acme.example\n", "")})
    assert report.by_rule("art13-1b-dpo-contact") == []


def test_legal_basis_missing(tmp_path: Path) -> None:
    report = lint(tmp_path, {"activities.yaml": ("    legal_basis: consent\n", "")})
    finding = only(report, "art13-1c-legal-basis")
    assert finding.severity is Severity.ERROR and not finding.needs_input
    assert finding.location.path == "activities.newsletter.legal_basis"
    assert_at(finding, tmp_path, "activities.yaml", "  newsletter:")
    assert "legitimate_interests (Art. 6(1)(f))" in finding.fix


def test_legitimate_interest_missing(tmp_path: Path) -> None:
    report = lint(tmp_path, {"activities.yaml": ("    legitimate_interest: {en: Knowing which pages are read., sv: Att veta vilka sidor som läses.}\n", "")})
    finding = only(report, "art13-1d-legitimate-interest")
    assert finding.severity is Severity.ERROR
    assert_at(finding, tmp_path, "activities.yaml", "  statistics:")


NO_RECIPIENTS: dict[str, str | tuple[str, str]] = {
    "recipients.yaml": "recipients: {}\n",
    "activities.yaml": COMPLETE["activities.yaml"].replace("[mailchimp]", "[]").replace("[google]", "[]"),
    "cookies.yaml": ("provider: google", "provider: acme"),
}


def test_no_recipients_declared(tmp_path: Path) -> None:
    report = lint(tmp_path, NO_RECIPIENTS)
    finding = only(report, "art13-1e-recipients")
    assert finding.severity is Severity.ERROR
    assert_at(finding, tmp_path, "recipients.yaml", "recipients:")


def test_activity_that_shares_data_lists_recipients(tmp_path: Path) -> None:
    edits = {"activities.yaml": ("{en: To count visitors., ", "{en: To count visitors; shared with partners., ")}
    report = lint(tmp_path, edits)
    assert report.by_rule("art13-1e-recipients") == []  # google is listed
    text = COMPLETE["activities.yaml"].replace("{en: To count visitors., ", "{en: To count visitors; shared with partners., ")
    report = lint(tmp_path / "b", {"activities.yaml": text.replace("[google]", "[]")})
    finding = only(report, "art13-1e-recipients")
    assert finding.severity is Severity.WARNING
    assert finding.location.path == "activities.statistics.recipients"
    assert finding.location.line == line_of(tmp_path / "b" / "policy_data", "activities.yaml", "recipients: []")


def test_aggregated_statistics_may_be_shared_without_recipients(tmp_path: Path) -> None:
    text = (
        COMPLETE["activities.yaml"]
        .replace("{en: To count visitors., ", "{en: Statistics may be shared with partners., ")
        .replace("[google]", "[]")
        .replace("[online_identifier]", "[aggregated_statistics]")
    )
    assert lint(tmp_path, {"activities.yaml": text}).by_rule("art13-1e-recipients") == []


def test_transfer_outside_eea_without_mechanism(tmp_path: Path) -> None:
    report = lint(tmp_path, {"recipients.yaml": ("    transfer:\n      mechanism: eu_us_dpf\n", "")})
    finding = only(report, "art13-1f-transfer-mechanism")
    assert finding.severity is Severity.ERROR
    assert finding.location.path == "recipients.mailchimp.transfer"
    assert_at(finding, tmp_path, "recipients.yaml", "  mailchimp:")
    assert "US" in finding.message


def test_recipient_inside_eea_needs_no_mechanism(tmp_path: Path) -> None:
    report = lint(tmp_path, {"recipients.yaml": ("countries: [US]\n    transfer:\n      mechanism: eu_us_dpf\n", "countries: [IE, SE]\n")})
    assert report.findings == ()


def test_recipient_with_unknown_storage(tmp_path: Path) -> None:
    report = lint(tmp_path, {"recipients.yaml": ("      countries: [IE]\n", "      countries: []\n")})
    finding = only(report, "art13-1f-storage-location")
    assert finding.severity is Severity.WARNING and finding.needs_input
    assert_at(finding, tmp_path, "recipients.yaml", "countries: []")


# --- Art. 13(2) ------------------------------------------------------------


def test_retention_missing_without_general_statement(tmp_path: Path) -> None:
    report = lint(tmp_path, {"activities.yaml": ("    retention: {period: P2Y}\n", "")})
    finding = only(report, "art13-2a-retention")
    assert finding.severity is Severity.ERROR
    assert_at(finding, tmp_path, "activities.yaml", "  newsletter:")


def test_general_retention_is_not_per_purpose(tmp_path: Path) -> None:
    edits = {
        "activities.yaml": (
            "    retention: {period: P2Y}\n",
            "",
        )
    }
    data_dir = write_data(tmp_path, edits)
    path = data_dir / "activities.yaml"
    path.write_text("general_retention: {en: Until no longer needed., sv: Tills de inte behövs.}\n" + path.read_text(), encoding="utf-8")
    report = lint_policy(load_policy(data_dir), data_dir)
    finding = only(report, "art13-2a-retention")
    assert finding.severity is Severity.WARNING
    assert "not a period per purpose" in finding.message


def test_rights_missing(tmp_path: Path) -> None:
    text = COMPLETE["rights.yaml"]
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("  objection", "  portability"))) + "\n"
    report = lint(tmp_path, {"rights.yaml": text})
    finding = only(report, "art13-2b-rights")
    assert finding.severity is Severity.ERROR
    assert "objection, portability" in finding.message
    assert_at(finding, tmp_path, "rights.yaml", "rights:")


def test_withdraw_consent_required_where_consent_is_a_basis(tmp_path: Path) -> None:
    drop = "  withdraw_consent: {description: {en: Withdraw., sv: Återkalla.}}\n"
    report = lint(tmp_path, {"rights.yaml": (drop, "")})
    finding = only(report, "art13-2c-withdraw-consent")
    assert finding.severity is Severity.ERROR
    assert "newsletter" in finding.message
    assert_at(finding, tmp_path, "rights.yaml", "rights:")


def test_withdraw_consent_not_needed_without_consent(tmp_path: Path) -> None:
    drop = "  withdraw_consent: {description: {en: Withdraw., sv: Återkalla.}}\n"
    edits: dict[str, str | tuple[str, str]] = {
        "rights.yaml": (drop, ""),
        "activities.yaml": ("legal_basis: consent", "legal_basis: contract"),
        "cookies.yaml": ("category: analytics", "category: necessary"),
    }
    data_dir = write_data(tmp_path, edits)
    cookies = data_dir / "cookies.yaml"
    cookies.write_text(cookies.read_text().replace("consent_required: true", "consent_required: false"), encoding="utf-8")
    report = lint_policy(load_policy(data_dir), data_dir)
    assert report.by_rule("art13-2c-withdraw-consent") == []


def test_complaint_and_supervisory_authority(tmp_path: Path) -> None:
    drop_right = "  complaint: {description: {en: Complain to IMY., sv: Klaga hos IMY.}}\n"
    report = lint(tmp_path, {"rights.yaml": (drop_right, "")})
    finding = only(report, "art13-2d-complaint")
    assert finding.severity is Severity.ERROR and finding.location.path == "rights.complaint"
    drop_authority = (
        "supervisory_authority:\n"
        "  name: {en: Swedish Authority for Privacy Protection (IMY), sv: Integritetsskyddsmyndigheten (IMY)}\n"
        "  website: https://www.imy.se\n"
    )
    report = lint(tmp_path / "b", {"rights.yaml": (drop_authority, "")})
    finding = only(report, "art13-2d-complaint")
    assert finding.location.path == "supervisory_authority"
    assert finding.location.line == 1


def test_requirement_missing_for_data_from_the_data_subject(tmp_path: Path) -> None:
    report = lint(tmp_path, {"activities.yaml": ("    requirement: voluntary\n", "")})
    finding = only(report, "art13-2e-requirement")
    assert finding.severity is Severity.ERROR
    assert_at(finding, tmp_path, "activities.yaml", "  newsletter:")


def test_required_data_states_the_consequence(tmp_path: Path) -> None:
    report = lint(tmp_path, {"activities.yaml": ("requirement: voluntary", "requirement: contractual")})
    finding = only(report, "art13-2e-requirement")
    assert finding.severity is Severity.WARNING
    assert finding.location.path == "activities.newsletter.requirement_consequence"
    consequence = "requirement: contractual\n    requirement_consequence: {en: No newsletter., sv: Inget nyhetsbrev.}"
    assert lint(tmp_path / "b", {"activities.yaml": ("requirement: voluntary", consequence)}).findings == ()


def test_automated_decision_making_not_stated(tmp_path: Path) -> None:
    drop = (
        "automated_decision_making:\n  used: false\n"
        "  description: {en: We make no automated decisions., sv: Vi fattar inga automatiserade beslut.}\n"
    )
    report = lint(tmp_path, {"activities.yaml": (drop, "")})
    finding = only(report, "art13-2f-automated-decisions")
    assert finding.severity is Severity.ERROR
    assert finding.location.line == 1


# --- consistency -----------------------------------------------------------


def test_non_necessary_cookie_without_consent(tmp_path: Path) -> None:
    report = lint(tmp_path, {"cookies.yaml": ("consent_required: true", "consent_required: false")})
    finding = only(report, "cookie-consent-required")
    assert finding.severity is Severity.ERROR
    assert finding.rule.article == "ePrivacy Directive Art. 5(3)"
    assert_at(finding, tmp_path, "cookies.yaml", "consent_required")


def test_card_data_without_any_recipient(tmp_path: Path) -> None:
    edits = {"activities.yaml": ("data_categories: [online_identifier]\n    source: automatically\n    recipients: [google]",
                                 "data_categories: [payment_card]\n    source: automatically\n    recipients: []")}
    report = lint(tmp_path, edits)
    finding = only(report, "payment-card-recipient")
    # Regression: was an error; Art. 13(1)(e) allows categories of recipients and no provider is mandatory.
    assert finding.severity is Severity.WARNING and finding.needs_input
    assert "categories of recipients" in finding.rule.source
    assert finding.location.path == "activities.statistics.recipients"


def test_card_data_without_a_named_payment_provider(tmp_path: Path) -> None:
    edits = {"activities.yaml": ("data_categories: [online_identifier]", "data_categories: [payment_card]")}
    report = lint(tmp_path, edits)
    finding = only(report, "payment-provider-named")
    assert finding.severity is Severity.WARNING and finding.needs_input
    assert NEEDS_INPUT in finding.message
    assert_at(finding, tmp_path, "activities.yaml", "recipients: [google]")


def test_card_data_with_a_payment_provider_passes(tmp_path: Path) -> None:
    edits: dict[str, str | tuple[str, str]] = {
        "activities.yaml": ("data_categories: [online_identifier]", "data_categories: [payment_card]"),
        "recipients.yaml": ("service: {en: Visitor statistics, sv: Besöksstatistik}",
                            "service: {en: Card payments, sv: Kortbetalningar}"),
    }
    report = lint(tmp_path, edits)
    assert report.by_rule("payment-provider-named") == [] and report.by_rule("payment-card-recipient") == []


def test_summary_counts_and_needs_input(tmp_path: Path) -> None:
    edits: dict[str, str | tuple[str, str]] = {
        "controller.yaml": ("  email: privacy@acme.example\n", ""),
        "recipients.yaml": ("      countries: [IE]\n", "      countries: []\n"),
        "activities.yaml": ("    legal_basis: consent\n", ""),
    }
    report = lint(tmp_path, edits)
    assert report.counts == {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}
    assert report.needs_input_count == 2
    assert lint_summary(report) == "lint: 2 errors, 1 warning (2 need input from the data owner)"


def test_proposed_fact_needs_confirmation(tmp_path: Path) -> None:
    edits = {"recipients.yaml": ("    transfer:\n      mechanism: eu_us_dpf\n",
                                 "    transfer:\n      mechanism: eu_us_dpf\n    status: {transfer: proposed}\n")}
    report = lint(tmp_path, edits)
    finding = only(report, "needs-confirmation")
    assert finding.severity is Severity.WARNING
    assert "recipients.mailchimp.transfer is proposed, not confirmed (needs input from the data owner)" in finding.message
    assert_at(finding, tmp_path, "recipients.yaml", "status: {transfer: proposed}")
    assert lint_summary(report) == "lint: 0 errors, 1 warning (1 needs input from the data owner)"


def test_review_note_is_listed_for_the_lawyer(tmp_path: Path) -> None:
    data_dir = write_data(tmp_path)
    sections = (data_dir / "sections.yaml").read_text(encoding="utf-8")
    paragraph = next(line for line in sections.splitlines() if line.lstrip().startswith("sv:"))
    indent = paragraph[: len(paragraph) - len(paragraph.lstrip())]
    note = f"{paragraph}\n{indent}review: {{en: Strike this, sv: Stryk detta}}"
    (data_dir / "sections.yaml").write_text(sections.replace(paragraph, note, 1), encoding="utf-8")
    report = lint_policy(load_policy(data_dir), data_dir)
    finding = only(report, "legal-review-note")
    assert finding.severity is Severity.WARNING
    assert_at(finding, tmp_path, "sections.yaml", "review: {en: Strike this")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_has_a_failing_case_above(rule: object) -> None:
    # A rule without a test that makes it fire would silently rot; this keeps the list honest.
    here = Path(__file__).parent
    source = "".join((here / name).read_text(encoding="utf-8") for name in ("test_lint.py", "test_lint_rules.py"))
    assert f'"{rule.id}"' in source  # type: ignore[attr-defined]
