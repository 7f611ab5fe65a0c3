"""``policypress audit --evidence DIR`` and the TCF rule, on a real audit of the fixture site ``audit-sites/tcf``.

Its page carries a hand-written ``__tcfapi`` (``tcf.js``) that hands out a real TC string granting consent
before the visitor answers (IAB's own test string: purposes 2 and 10, special feature 1) and a real string
without any consent after Reject (see ``tests/fixtures/audit-sites/README.md``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from clirun import cli, cli_browser  # noqa: F401
from conftest import ROOT

SITE = ROOT / "tests" / "fixtures" / "audit-sites" / "tcf" / "pages"
DATA = ROOT / "tests" / "fixtures" / "audit-sites" / "compliant" / "policy_data"
STANDINS = ROOT / "tests" / "fixtures" / "standins"
BANNER = ("--accept-selector", "#cookie-accept", "--reject-selector", "#cookie-reject",
          "--reopen-selector", "#cookie-settings")
SCENARIOS = ("--scenario", "before-consent", "--scenario", "accept-all", "--scenario", "reject-all")
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.browser
def test_evidence_folder_and_the_tcf_rule(cli_browser, tmp_path: Path) -> None:  # noqa: F811
    evidence = tmp_path / "evidence"
    code, out, err = cli_browser("audit", SITE, "--data", DATA, "--standins", STANDINS, *BANNER, *SCENARIOS,
                         "--jobs", "1", "--format", "json", "--evidence", evidence)
    assert code == 1, err
    report = json.loads(out)

    # The rule: consent signalled before the visitor answered, none after Reject.
    tcf = [f for f in report["findings"] if f["rule"] == "audit-tcf-consent-without-choice"]
    assert [(f["scenario"], f["severity"], f["item"]) for f in tcf] == [("before-consent", "error", "__tcfapi getTCData")]
    assert tcf[0]["message"].startswith("A TCF signal of consent the visitor did not give")
    assert "purpose 2 Use limited data to select advertising" in tcf[0]["message"]
    assert "purpose 10 Develop and improve services" in tcf[0]["message"]
    assert "special feature 1 Use precise geolocation data" in tcf[0]["message"]
    # The summary of what each scenario's string grants.
    grants = {s["scenario"]: s["tcf"] for s in report["scenarios"]}
    assert grants["accept-all"][0]["purposes_consent"] == [
        "2 Use limited data to select advertising", "10 Develop and improve services"]
    assert grants["reject-all"][0]["purposes_consent"] == []
    assert grants["reject-all"][0]["vendors_with_consent"] == 0

    # The folder: a screenshot per scenario, the banner, what the browser held, what was stopped.
    files = sorted(p.relative_to(evidence).as_posix() for p in evidence.rglob("*") if p.is_file())
    per_scenario = [f"{s}/{name}" for s in ("accept-all", "before-consent", "reject-all")
                    for name in ("cookies.json", "index.png", "requests.json", "storage.json")]
    assert files == sorted(["MANIFEST.sha256", "banner.png", "findings.json", "run.json", *per_scenario])
    for png in ("banner.png", "before-consent/index.png", "accept-all/index.png"):
        assert (evidence / png).read_bytes().startswith(PNG)
    accepted = {c["name"]: c for c in json.loads((evidence / "accept-all" / "cookies.json").read_text())}
    assert {"_ga", "_ga_FIXTURE1"} <= set(accepted) and accepted["_ga"]["domain"] == "127.0.0.1"
    assert accepted["_ga"]["value"].startswith("GA1.")
    assert json.loads((evidence / "before-consent" / "cookies.json").read_text()) == []
    storage = json.loads((evidence / "reject-all" / "storage.json").read_text())
    assert storage[0]["localStorage"] == {"cmt-consent": "rejected"}
    requests = json.loads((evidence / "accept-all" / "requests.json").read_text())
    gtag = [r for r in requests if "www.googletagmanager.com/gtag/js" in r["url"]]
    assert gtag and gtag[0]["stand_in"] is True and gtag[0]["resource_type"] == "script"
    assert json.loads((evidence / "findings.json").read_text()) == report
    run = json.loads((evidence / "run.json").read_text())
    assert run["tool"] == "policypress" and run["scenarios"] == ["before-consent", "accept-all", "reject-all"]
    assert run["chromium"] and run["started"].endswith("Z") and run["target"] == str(SITE)
    assert run["options"]["accept_selector"] == "#cookie-accept"

    # The manifest holds up under the real sha256sum, and catches a change.
    sha256sum = shutil.which("sha256sum")
    assert sha256sum is not None
    checked = subprocess.run([sha256sum, "-c", "MANIFEST.sha256"], cwd=evidence, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(files) - 1
    (evidence / "before-consent" / "cookies.json").write_text("[]\n\n")
    tampered = subprocess.run([sha256sum, "-c", "MANIFEST.sha256"], cwd=evidence, capture_output=True, text=True)
    assert tampered.returncode == 1 and "before-consent/cookies.json: FAILED" in tampered.stdout


def test_a_folder_that_holds_anything_is_refused(cli, tmp_path: Path) -> None:  # noqa: F811
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "earlier.txt").write_text("kept\n")
    code, out, err = cli("audit", SITE, "--data", DATA, "--evidence", evidence)
    assert code == 2
    assert out == ""
    assert err.strip().count("\n") == 0 and "is not empty" in err and "never overwritten" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in evidence.iterdir()) == ["earlier.txt"]
    assert (evidence / "earlier.txt").read_text() == "kept\n"


def test_a_file_in_its_place_is_refused(cli, tmp_path: Path) -> None:  # noqa: F811
    target = tmp_path / "evidence"
    target.write_text("not a folder\n")
    code, _out, err = cli("audit", SITE, "--data", DATA, "--evidence", target)
    assert code == 2 and "is not a folder" in err
    assert target.read_text() == "not a folder\n"
