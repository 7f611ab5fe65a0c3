"""`policypress check`: every problem in the data, with file:line:column, path and what was expected."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from clirun import Cli, CliResult, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"


@pytest.fixture
def check(cli: Cli) -> Callable[..., CliResult]:
    return lambda cwd, *args: cli("check", *args, cwd=cwd)


def data_with(tmp_path: Path, replacements: dict[str, str | None]) -> Path:
    """A copy of the minimal valid data with some files replaced (None deletes the file)."""
    target = tmp_path / "policy_data"
    shutil.copytree(MINIMAL, target)
    for name, content in replacements.items():
        if content is None:
            (target / name).unlink()
        else:
            (target / name).write_text(content, encoding="utf-8")
    return target


def error_lines(result: CliResult) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("policy_data/")]


BAD_DATA = [
    pytest.param(
        {
            "cookies.yaml": """\
cookies:
  _ga:
    provider: google
    party: first
    type: cookie
    category: analytic
    duration: P2Y
    purpose: {en: Counts visitors, sv: Räknar besökare}
    consent_required: true
"""
        },
        [
            "policy_data/cookies.yaml:6:5: cookies._ga.category: "
            "'analytic' is not one of necessary, preferences, analytics, marketing"
        ],
        id="unknown-category",
    ),
    pytest.param(
        {
            "activities.yaml": """\
activities:
  newsletter:
    name: {en: Newsletter}
    purpose: {en: To send you our newsletter., sv: För att skicka vårt nyhetsbrev till dig.}
    data_categories: [email, first_name]
    source: data_subject
    recipients: [mailchimp]
"""
        },
        [
            "policy_data/activities.yaml:3:5: activities.newsletter.name: "
            "no text for 'sv' (the policy's languages are en, sv)"
        ],
        id="missing-swedish",
    ),
    pytest.param(
        {
            "activities.yaml": """\
activities:
  newsletter:
    name: {en: Newsletter, sv: Nyhetsbrev}
    purpose: {en: To send you our newsletter., sv: För att skicka vårt nyhetsbrev till dig.}
    data_categories: [email, first_name]
    source: data_subject
    recipients: [mailchimp, sendgrid]
"""
        },
        [
            "policy_data/activities.yaml:7:29: activities.newsletter.recipients[1]: "
            "recipient 'sendgrid' is not declared in recipients.yaml (declared: google, mailchimp)"
        ],
        id="unknown-recipient",
    ),
    pytest.param(
        {
            "cookies.yaml": """\
cookies:
  _ga:
    provider: gogle
    party: first
    type: cookie
    category: analytics
    duration: P2Y
    purpose: {en: Counts visitors, sv: Räknar besökare}
    consent_required: true
"""
        },
        [
            "policy_data/cookies.yaml:3:5: cookies._ga.provider: "
            "provider 'gogle' is neither the controller nor a recipient (expected one of: acme, google, mailchimp)"
        ],
        id="unknown-provider",
    ),
    pytest.param(
        {
            "recipients.yaml": """\
recipients:
  mailchimp:
    name: {en: Mailchimp, sv: Mailchimp}
    role: processor
    service: {en: Sends the newsletter, sv: Skickar nyhetsbrevet}
  google:
    name: {en: Google Analytics, sv: Google Analytics}
    role: processor
    service: {en: Visitor statistics, sv: Besöksstatistik}
  mailchimp:
    name: {en: Intuit Mailchimp, sv: Intuit Mailchimp}
    role: processor
    service: {en: Newsletter, sv: Nyhetsbrev}
"""
        },
        [
            "policy_data/recipients.yaml:10:3: recipients.mailchimp: "
            "duplicate key 'mailchimp' (first on line 2); YAML would silently keep only the last one"
        ],
        id="duplicate-key",
    ),
    pytest.param(
        {
            "cookies.yaml": """\
cookies:
  _ga:
    provider: google
    party: first
    type: cookie
    category: analytics
    duration: 2 years
    purpose: {en: Counts visitors, sv: Räknar besökare}
    consent_required: true
"""
        },
        [
            "policy_data/cookies.yaml:7:5: cookies._ga.duration: '2 years' is not a duration: "
            "write an ISO 8601 duration such as P2Y, P13M, P30D or PT30M, or 'session' "
            "(or 'persistent' for browser storage kept until cleared)"
        ],
        id="bad-duration",
    ),
    pytest.param(
        {
            "recipients.yaml": """\
recipients:
  mailchimp:
    name: {en: Mailchimp, sv: Mailchimp}
    role: processor
    service: {en: Sends the newsletter, sv: Skickar nyhetsbrevet}
    storage:
      countries: [UK]
  google:
    name: {en: Google Analytics, sv: Google Analytics}
    role: processor
    service: {en: Visitor statistics, sv: Besöksstatistik}
"""
        },
        [
            "policy_data/recipients.yaml:7:19: recipients.mailchimp.storage.countries[0]: "
            "'UK' is not an ISO 3166-1 alpha-2 country code (did you mean GB?)"
        ],
        id="bad-country",
    ),
    pytest.param(
        {
            "recipients.yaml": """\
recipients:
  mailchimp:
    name: {en: Mailchimp, sv: Mailchimp}
    role: processor
    service: {en: Sends the newsletter, sv: Skickar nyhetsbrevet}
    storage:
      countrys: [US]
  google:
    name: {en: Google Analytics, sv: Google Analytics}
    role: processor
    service: {en: Visitor statistics, sv: Besöksstatistik}
"""
        },
        [
            "policy_data/recipients.yaml:7:7: recipients.mailchimp.storage.countrys: "
            "unknown key 'countrys'; did you mean 'countries'?"
        ],
        id="unknown-key",
    ),
    pytest.param(
        {
            "activities.yaml": """\
activities:
  News Letter:
    name: {en: Newsletter, sv: Nyhetsbrev}
    purpose: {en: To send you our newsletter., sv: För att skicka vårt nyhetsbrev till dig.}
    source: data_subject
"""
        },
        [
            'policy_data/activities.yaml:2:3: activities["News Letter"]: '
            "key 'News Letter' is not a valid id: use lowercase letters, digits and '_', starting with a letter"
        ],
        id="bad-id",
    ),
    pytest.param(
        {"rights.yaml": "rights:\n  access:\n    description: {en: A copy., sv: En kopia.\n"},
        ["policy_data/rights.yaml:4:1: invalid YAML: expected ',' or '}', but got '<stream end>'"],
        id="yaml-syntax",
    ),
    pytest.param(
        {"sections.yaml": None},
        ["policy_data/sections.yaml: file is missing"],
        id="missing-file",
    ),
    pytest.param(
        {"rights.yaml": "rights:\n  - access\n  - erasure\n"},
        ["policy_data/rights.yaml:1:1: rights: expected a mapping (key: value), got a list"],
        id="list-instead-of-mapping",
    ),
    pytest.param(
        {
            "cookies.yaml": """\
cookies:
  _ga:
    provider: google
    party: first
    type: cookie
    category: analytics
    duration: P2Y
    purpose: {en: Counts visitors, sv: Räknar besökare}
    consent_required: yes
"""
        },
        ["policy_data/cookies.yaml:9:5: cookies._ga.consent_required: expected true or false, got the text 'yes'"],
        id="yaml-1.1-boolean",
    ),
]


@pytest.mark.parametrize(("replacements", "expected"), BAD_DATA)
def test_bad_data_is_reported_with_file_line_and_path(check, tmp_path, replacements, expected):
    data_with(tmp_path, replacements)
    result = check(tmp_path, "--data", "policy_data")
    assert result.returncode == 2, result.stderr
    assert error_lines(result) == expected
    assert result.stdout == ""


def test_all_errors_of_all_files_are_reported_in_one_run(check, tmp_path):
    data_with(
        tmp_path,
        {
            "policy.yaml": "title: {en: Privacy policy}\n",
            "cookies.yaml": """\
cookies:
  _ga:
    provider: google
    party: somewhere
    type: cookie
    category: analytics
    duration: forever
    purpose: {en: Counts visitors, sv: Räknar besökare}
    consent_required: true
""",
        },
    )
    result = check(tmp_path, "--data", "policy_data")
    assert result.returncode == 2
    assert error_lines(result) == [
        "policy_data/cookies.yaml:4:5: cookies._ga.party: 'somewhere' is not one of first, third",
        "policy_data/cookies.yaml:7:5: cookies._ga.duration: 'forever' is not a duration: "
        "write an ISO 8601 duration such as P2Y, P13M, P30D or PT30M, or 'session' "
            "(or 'persistent' for browser storage kept until cleared)",
        "policy_data/policy.yaml:1:1: title: no text for 'sv' (the policy's languages are en, sv)",
    ]
    assert result.stderr.rstrip().endswith("3 errors in policy_data")


def test_alias_bomb_is_refused_not_expanded(check, tmp_path):
    bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        bomb.append(f"a{level}: &a{level} [{refs}]")
    bomb.append("title: {en: Privacy policy, sv: Integritetspolicy, boom: *a8}")
    data_with(tmp_path, {"policy.yaml": "\n".join(bomb) + "\n"})
    result = check(tmp_path, "--data", "policy_data")
    assert result.returncode == 2
    assert error_lines(result) == [
        "policy_data/policy.yaml:1:1: anchors and aliases expand to more than 100,000 values; "
        "refusing to read it (write the data out instead of nesting aliases)"
    ]


def test_small_anchors_are_allowed(check, tmp_path):
    data_with(
        tmp_path,
        {
            "policy.yaml": "shared: &title {en: Privacy policy, sv: Integritetspolicy}\ntitle: *title\n",
        },
    )
    result = check(tmp_path, "--data", "policy_data")
    # The alias itself is fine; the stray top-level key is what the schema refuses.
    assert error_lines(result) == ["policy_data/policy.yaml:1:1: shared: unknown key 'shared'; expected one of: title, languages"]


def test_country_code_no_stays_norway(check, tmp_path):
    replaced = (MINIMAL / "recipients.yaml").read_text().replace("countries: [US]", "countries: [NO]")
    data_with(tmp_path, {"recipients.yaml": replaced})
    result = check(tmp_path, "--data", "policy_data")
    assert result.returncode == 0, result.stderr


def test_valid_data_exits_zero_with_a_summary(check, tmp_path):
    data_with(tmp_path, {})
    result = check(tmp_path, "--data", "policy_data")
    assert result.returncode == 0
    assert result.stdout.strip() == "policy_data: ok (1 activities, 2 recipients, 1 cookies, 1 rights, 1 sections, 0 releases)"


def test_the_repository_data_is_valid(check):
    result = check(ROOT)
    assert result.returncode == 0, result.stderr


def test_json_format_lists_each_error(check, tmp_path):
    data_with(tmp_path, {"sections.yaml": None})
    result = check(tmp_path, "--data", "policy_data", "--format", "json")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report == {
        "ok": False,
        "errors": [
            {"file": "policy_data/sections.yaml", "line": 0, "column": 0, "path": "", "message": "file is missing"}
        ],
    }


def test_missing_folder_is_a_usage_error(check, tmp_path):
    result = check(tmp_path, "--data", "no_such_dir")
    assert result.returncode == 2
    assert "no_such_dir: no such folder" in result.stderr


def test_the_positional_folder_still_works_as_a_deprecated_alias(tmp_path, check):
    data_with(tmp_path, {})
    result = check(tmp_path, "policy_data")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("policy_data: ok (")
    broken = check(tmp_path, "no_such_dir")
    assert broken.returncode == 2 and "no_such_dir: no such folder" in broken.stderr


def test_the_folder_given_twice_differently_is_a_usage_error(tmp_path, check):
    data_with(tmp_path, {})
    result = check(tmp_path, "--data", "policy_data", "other_data")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "policypress: check: give the data folder once, as --data (not both --data policy_data and other_data)"
    ]


def test_help_says_the_positional_folder_is_deprecated(check):
    result = check(ROOT, "--help")
    assert result.returncode == 0
    assert "deprecated" in result.stdout and "--data DATA_DIR" in result.stdout
