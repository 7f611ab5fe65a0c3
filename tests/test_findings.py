"""One findings core for scan, audit, lint and a11y: every checker in every format (text, JSON, JUnit XML,
SARIF 2.1.0), checked as a user or a CI system reads them.

SARIF is checked structurally, from the SARIF 2.1.0 specification (OASIS): the version and
``$schema``, each result's ``ruleId`` among ``tool.driver.rules`` (and ``ruleIndex`` pointing at
it), levels from the spec's four, URI references, and only properties the schema allows on the
objects written (the schema forbids any other: ``additionalProperties: false``).
"""

from __future__ import annotations

import dataclasses
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from clirun import Cli, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT
from policypress.a11y import Node, Report, Violation
from policypress.a11y import render as render_a11y
from policypress.audit.findings import AuditFinding, AuditReport, AuditRule, ScenarioSummary
from policypress.audit.report import TextProgress
from policypress.audit.report import render as render_audit
from policypress.findings import RuleInfo, Severity, rule_infos
from policypress.lint import Finding as LintFinding
from policypress.lint import LintReport, Location
from policypress.lint import render as render_lint
from policypress.lint.rules import RULES
from policypress.scan import Rule, ScanReport
from policypress.scan import Finding as ScanFinding
from policypress.scan.report import render as render_scan
from test_lint import write_data

FORMATS = ("text", "json", "junit", "sarif")
UNDECLARED = ["tests/fixtures/sites/undeclared-tracker/pages", "--data", "tests/fixtures/sites/undeclared-tracker/policy_data"]
HOSTILE = 'Quoted from the page: <script>alert(1)</script>\n::error::injected'

# SARIF 2.1.0 §3.27.10 (result.level), and the properties the schema allows on each object written.
LEVELS = {"none", "note", "warning", "error"}
ALLOWED = {
    "run": {"tool", "invocations", "conversion", "language", "versionControlProvenance", "originalUriBaseIds",
            "artifacts", "logicalLocations", "graphs", "results", "automationDetails", "runAggregates",
            "baselineGuid", "redactionTokens", "defaultEncoding", "defaultSourceLanguage", "newlineSequences",
            "columnKind", "externalPropertyFileReferences", "threadFlowLocations", "taxonomies", "addresses",
            "translations", "policies", "webRequests", "webResponses", "specialLocations", "properties"},
    "rule": {"id", "deprecatedIds", "guid", "deprecatedGuids", "name", "deprecatedNames", "shortDescription",
             "fullDescription", "messageStrings", "defaultConfiguration", "helpUri", "help", "relationships",
             "properties"},
    "result": {"ruleId", "ruleIndex", "rule", "kind", "level", "message", "analysisTarget", "locations", "guid",
               "correlationGuid", "occurrenceCount", "partialFingerprints", "fingerprints", "stacks", "codeFlows",
               "graphs", "graphTraversals", "relatedLocations", "suppressions", "baselineState", "rank",
               "attachments", "hostedViewerUri", "workItemUris", "provenance", "fixes", "taxa",
               "webRequest", "webResponse", "properties"},
    "location": {"id", "physicalLocation", "logicalLocations", "message", "annotations", "relationships",
                 "properties"},
    "physicalLocation": {"address", "artifactLocation", "region", "contextRegion", "properties"},
    "artifactLocation": {"uri", "uriBaseId", "index", "description", "properties"},
    "region": {"startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength", "byteOffset",
               "byteLength", "snippet", "message", "sourceLanguage", "properties"},
}


def check_sarif(text: str) -> dict[str, Any]:
    """The SARIF log's one run, after the structural checks."""
    assert "<script>" not in text  # a quoted page never reaches a viewer as markup
    log = json.loads(text)
    assert set(log) == {"$schema", "version", "runs"}
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    (run,) = log["runs"]
    assert set(run) <= ALLOWED["run"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "policypress" and driver["version"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids)), "rule ids are unique"
    for rule in driver["rules"]:
        assert set(rule) <= ALLOWED["rule"]
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in LEVELS
    bases = run.get("originalUriBaseIds", {})
    for base in bases.values():
        assert urlsplit(base["uri"]).scheme and base["uri"].endswith("/")  # §3.14.14: absolute, a folder
    for result in run["results"]:
        assert set(result) <= ALLOWED["result"]
        assert result["ruleId"] in ids and ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in LEVELS
        assert result["message"]["text"]
        assert all(isinstance(v, str) and len(v) == 64 for v in result["partialFingerprints"].values())
        for location in result.get("locations", []):
            assert set(location) <= ALLOWED["location"]
            physical = location.get("physicalLocation")
            if physical:
                assert set(physical) <= ALLOWED["physicalLocation"]
                artifact = physical["artifactLocation"]
                assert set(artifact) <= ALLOWED["artifactLocation"]
                assert " " not in artifact["uri"] and urlsplit(artifact["uri"]) is not None
                if "uriBaseId" in artifact:
                    assert artifact["uriBaseId"] in bases
                region = physical.get("region", {})
                assert set(region) <= ALLOWED["region"]
                assert region.get("startLine", 1) >= 1 and region.get("startColumn", 1) >= 1
    return run


def junit_failures(text: str) -> list[tuple[ET.Element, ET.Element]]:
    """(testcase, failure) for each failed case, after checking the document parses and adds up."""
    root = ET.fromstring(text.split("\n", 1)[1])
    assert root.tag == "testsuites"
    pairs = []
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        failed = [(case, case.find("failure")) for case in cases if case.find("failure") is not None]
        assert int(suite.get("failures", "")) == len(failed) and int(suite.get("tests", "")) == len(cases)
        pairs += failed  # type: ignore[arg-type]
    return pairs


# --- scan: a real run on the fixture site with an undeclared tracker ------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_scan_in_each_format(cli: Cli, fmt: str) -> None:  # noqa: F811
    code, out, err = cli("scan", *UNDECLARED, "--format", fmt, cwd=ROOT)
    assert code == 1, err
    if fmt == "text":
        assert out.startswith("error[undeclared] tests/fixtures/sites/undeclared-tracker/pages/")
        assert "\n  fix: " in out
    elif fmt == "json":
        found = json.loads(out)["findings"]
        assert {(f["rule"], f["severity"]) for f in found} == {
            ("undeclared", "error"), ("ip-transfer-before-consent", "warning")}
    elif fmt == "junit":
        failures = junit_failures(out)
        assert {(case.get("classname"), failure.get("type")) for case, failure in failures} == {
            ("policypress.scan.undeclared", "error"), ("policypress.scan.ip-transfer-before-consent", "warning")}
        assert all(failure.get("message") and "fix: " in (failure.text or "") for _, failure in failures)
    else:
        run = check_sarif(out)
        assert {r["ruleId"] for r in run["results"]} == {"undeclared", "ip-transfer-before-consent"}
        assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {rule.value for rule in Rule}
        for result in run["results"]:
            physical = result["locations"][0]["physicalLocation"]
            assert physical["artifactLocation"]["uri"].startswith("tests/fixtures/sites/undeclared-tracker/pages/")
            assert physical["region"]["startLine"] >= 1


def test_scan_writes_sarif_to_a_file_and_junit_beside_it(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    sarif, junit = tmp_path / "scan.sarif", tmp_path / "ci" / "scan.xml"
    code, out, err = cli("scan", *UNDECLARED, "--format", "sarif", "-o", sarif, "--junit", junit, cwd=ROOT)
    assert code == 1 and out == ""
    assert err.splitlines()[-1].startswith(f"wrote {sarif} (sarif): scanned 2 pages")
    assert len(check_sarif(sarif.read_text(encoding="utf-8"))["results"]) == len(junit_failures(junit.read_text()))


def test_scan_fingerprints_ignore_the_line() -> None:
    def finding(line: int) -> ScanFinding:
        return ScanFinding(rule=Rule.UNDECLARED, severity=Severity.ERROR, message="m", fix="f", folder="site",
                           page="index.html", line=line, vendor="hotjar", key="_hjid")

    assert finding(3).fingerprint == finding(40).fingerprint
    other = ScanFinding(rule=Rule.UNDECLARED, severity=Severity.ERROR, message="m", fix="f", folder="site",
                        page="index.html", line=3, vendor="hotjar", key="_hjSession")
    assert other.fingerprint != finding(3).fingerprint


def test_an_audit_fingerprint_is_the_same_on_every_page_and_names_the_scenario_only_per_scenario() -> None:
    def finding(rule: AuditRule, scenario: str, page: str) -> AuditFinding:
        return AuditFinding(rule=rule, severity=Severity.ERROR, scenario=scenario, message="m", fix="f", page=page,
                            item="_ga", item_type="cookie", domain="127.0.0.1", vendor="google_analytics")

    gated = finding(AuditRule.BEFORE_CONSENT, "before-consent", "/")
    # The first page a finding is reported on changes with the pages audited: SARIF must still pair it.
    assert finding(AuditRule.BEFORE_CONSENT, "before-consent", "/about/").fingerprint == gated.fingerprint
    assert finding(AuditRule.BEFORE_CONSENT, "gpc", "/").fingerprint != gated.fingerprint  # per scenario
    undeclared = finding(AuditRule.UNDECLARED, "before-consent", "/")
    assert finding(AuditRule.UNDECLARED, "accept-all", "/en/").fingerprint == undeclared.fingerprint  # once
    assert undeclared.fingerprint != gated.fingerprint and len(gated.fingerprint) == 64
    broken = AuditFinding(rule=AuditRule.PAGE_ERROR, severity=Severity.WARNING, scenario="before-consent",
                          message="m", fix="f", page="/gone/")
    assert dataclasses.replace(broken, page="/lost/").fingerprint != broken.fingerprint  # the page is the finding


# --- audit: a finding constructed -------------------------------------------------------------


def audit_report(message: str = "The cookie '_ga' is written before the visitor consents.") -> AuditReport:
    finding = AuditFinding(
        rule=AuditRule.BEFORE_CONSENT, severity=Severity.ERROR, scenario="before-consent", message=message,
        fix="Hold Google Analytics until consent.", page="/en/", item="_ga", item_type="cookie",
        domain="127.0.0.1", vendor="google_analytics", vendor_name="Google Analytics",
    )
    scenarios = [ScenarioSummary("before-consent", 1, 0.5), ScenarioSummary("accept-all", 1, 0.4)]
    return AuditReport("site", "http://127.0.0.1:8123/", ["en/"], [finding], scenarios)


@pytest.mark.parametrize("fmt", FORMATS)
def test_audit_in_each_format(fmt: str) -> None:
    report = audit_report()
    out = render_audit(report, fmt)
    assert report.exit_code == 1
    if fmt == "text":
        assert out.startswith("error[audit-before-consent] before-consent /en/  Google Analytics cookie '_ga'\n")
    elif fmt == "json":
        (found,) = json.loads(out)["findings"]
        assert (found["rule"], found["severity"], found["scenario"]) == ("audit-before-consent", "error", "before-consent")
    elif fmt == "junit":
        ((case, failure),) = junit_failures(out)
        assert case.get("classname") == "policypress.audit.before-consent.audit-before-consent"
        assert failure.get("message") == report.findings[0].message
        suites = ET.fromstring(out.split("\n", 1)[1]).findall("testsuite")
        assert [s.get("name") for s in suites] == ["policypress audit before-consent", "policypress audit accept-all"]
    else:
        run = check_sarif(out)
        (result,) = run["results"]
        assert result["ruleId"] == "audit-before-consent"
        assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "en/", "uriBaseId": "SITE"}
        assert run["originalUriBaseIds"]["SITE"]["uri"] == "http://127.0.0.1:8123/"
        assert result["properties"]["vendor"] == "google_analytics"


def test_audit_junit_drops_characters_xml_cannot_carry() -> None:
    # A cookie name quoted from the audited site may hold an ESC; written raw, no XML parser reads the file.
    out = render_audit(audit_report("The cookie '\x1b[31m_ga' is written before consent."), "junit")
    ((_, failure),) = junit_failures(out)
    assert failure.get("message") == "The cookie '[31m_ga' is written before consent."


def test_audit_progress_on_a_terminal_shows_the_page_escaped() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    TextProgress(stream)("gpc", "/\x1b[2Jcleared/", 1, 2)
    assert "\x1b[2J" not in stream.getvalue() and "\\x1b[2Jcleared/" in stream.getvalue()


def test_a_rule_added_with_only_a_comment_still_has_a_sarif_rule() -> None:
    from enum import StrEnum

    class Rules(StrEnum):
        KNOWN = "known"
        NEW = "audit-new"  # added in a hurry, no description yet

    infos = rule_infos(Rules, {Rules.KNOWN: RuleInfo(id="known", title="A known rule")})
    assert [(info.id, info.title) for info in infos] == [("known", "A known rule"), ("audit-new", "audit-new")]
    assert {info.id for info in audit_report().rules()} == {rule.value for rule in AuditRule}


# --- lint: a fixture data folder ------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_lint_in_each_format(cli: Cli, tmp_path: Path, fmt: str) -> None:  # noqa: F811
    write_data(tmp_path, {"controller.yaml": ("  email: privacy@acme.example\n", '  email: ""\n')})
    code, out, err = cli("lint", "--format", fmt, cwd=tmp_path)
    assert code == 1, err
    if fmt == "text":
        assert "  error   policy_data/controller.yaml:" in out and "  controller.email" in out
    elif fmt == "json":
        found = [f for f in json.loads(out)["findings"] if f["rule"] == "art13-1a-controller-contact"]
        assert [(f["severity"], f["path"]) for f in found] == [("error", "controller.email")]
    elif fmt == "junit":
        failures = {case.get("classname"): (case, failure) for case, failure in junit_failures(out)}
        case, failure = failures["policypress.lint.art13-1a-controller-contact"]
        assert case.get("file") == "policy_data/controller.yaml" and int(case.get("line", "0")) >= 1
        assert "fix: " in (failure.text or "") and failure.get("type") == "error"
    else:
        run = check_sarif(out)
        assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [rule.id for rule in RULES]
        result = next(r for r in run["results"] if r["ruleId"] == "art13-1a-controller-contact")
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "policy_data/controller.yaml"
        assert run["automationDetails"]["id"] == "policypress-lint/draft/"


# --- a11y: a Violation ---------------------------------------------------------------------


def a11y_report(help_text: str = "Images must have alternative text") -> Report:
    violation = Violation(
        page="en/", state="", rule="image-alt", impact="critical", help=help_text,
        help_url="https://dequeuniversity.com/rules/axe/4.10/image-alt",
        nodes=(Node("main > img", '<img src="x.png">', "Fix any of the following:\n  Element has no alt attribute"),),
    )
    return Report(pages=["", "en/"], violations=[violation], seconds=1.0, site="site")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a11y_in_each_format(fmt: str) -> None:
    report = a11y_report()
    out = render_a11y(report, fmt)
    assert report.exit_code == 1
    if fmt == "text":
        assert out.startswith("/en/\n  image-alt (critical): Images must have alternative text\n")
    elif fmt == "json":
        (found,) = json.loads(out)["violations"]
        assert (found["rule"], found["severity"], found["impact"]) == ("image-alt", "error", "critical")
    elif fmt == "junit":
        ((case, failure),) = junit_failures(out)
        assert case.get("classname") == "policypress.a11y.image-alt"
        assert failure.get("message") == "Images must have alternative text (critical): main > img"
        assert "Element has no alt attribute" in (failure.text or "")
    else:
        run = check_sarif(out)
        (rule,) = run["tool"]["driver"]["rules"]
        assert rule["id"] == "image-alt" and rule["helpUri"].startswith("https://dequeuniversity.com/")
        (result,) = run["results"]
        assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "en/", "uriBaseId": "SITE"}
        assert result["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "main > img"}]


def test_a11y_without_violations_is_one_passing_case() -> None:
    out = render_a11y(Report(pages=[""], site="site"), "junit")
    assert junit_failures(out) == []
    assert "no serious or critical violations" in out


@pytest.mark.parametrize("command", ["a11y", "audit"])
def test_browser_commands_accept_every_format_and_refuse_bad_input(cli: Cli, tmp_path: Path, command: str) -> None:  # noqa: F811
    code, out, err = cli(command, tmp_path / "missing", "--format", "sarif", cwd=tmp_path)
    assert code == 2 and out == "" and "no such folder" in err and "Traceback" not in err


# --- escaping: one hostile message through every checker and every format ------------------


def rendered(checker: str, fmt: str) -> str:
    """The report of ``checker`` with one finding whose message quotes a page, in ``fmt``."""
    if checker == "scan":
        finding = ScanFinding(rule=Rule.UNKNOWN_THIRD_PARTY, severity=Severity.WARNING, message=HOSTILE,
                              fix="Name the host.", folder="site", page="index.html", line=3)
        return render_scan(ScanReport([finding], 1, ["site"]), fmt)
    if checker == "audit":
        return render_audit(audit_report(HOSTILE), fmt)
    if checker == "lint":
        where = Location("policy_data/controller.yaml", 2, 3, "controller.legal_name")
        lint_finding = LintFinding(rule=RULES[0], severity=Severity.ERROR, message=HOSTILE, fix="Name it",
                                   location=where)
        return render_lint(LintReport((lint_finding,), "draft", "policy_data"), fmt)
    return render_a11y(a11y_report(HOSTILE), fmt)


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return []


@pytest.mark.parametrize("checker", ["scan", "audit", "lint", "a11y"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_script_and_a_newline_in_a_message_come_out_escaped(checker: str, fmt: str) -> None:
    out = rendered(checker, fmt)
    if fmt == "text":
        # On a terminal the message stays one line: no CI workflow command can start from the data.
        assert "\\n::error::injected" in out
        assert not any(line.lstrip().startswith("::error::") for line in out.splitlines())
        return
    assert "<script>" not in out
    if fmt == "junit":
        assert "&lt;script&gt;" in out
        ((_, failure),) = junit_failures(out)
        assert HOSTILE in (failure.get("message") or "")  # escaped on the way out, the same text once parsed
    else:
        assert "\\u003cscript\\u003e" in out
        assert not any(line.lstrip().startswith("::error::") for line in out.splitlines())
        assert any(HOSTILE in text for text in strings(json.loads(out)))


def test_wrapping_never_starts_a_line_with_a_workflow_command() -> None:
    # The runner trims leading spaces before it looks for "::" (actions/runner, ActionCommand.TryParseV2).
    message = "word " * 21 + "::error::quoted-from-a-page " + "more " * 30
    report = ScanReport([ScanFinding(rule=Rule.UNKNOWN_THIRD_PARTY, severity=Severity.WARNING, message=message,
                                     fix="f", folder="site", page="index.html")], 1, ["site"])
    text = render_scan(report, "text")
    assert "::error::quoted-from-a-page" in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
