"""The scan on sites it was not written against: the real policy site, and the site's own code."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ROOT

from policypress.loader import load_policy

SITES = ROOT / "tests" / "fixtures" / "sites"


def scan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "policypress"), "scan", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_real_site_loads_nothing_before_consent(built_site: Path, tmp_path: Path) -> None:
    result = scan(str(built_site), "--format", "json")
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert not [f for f in report["findings"] if f["rule"] in ("before-consent", "unknown-third-party")]
    assert "material" in report["vendors_seen"]
    assert set(report["vendors_seen"]) <= {"material", "google_fonts"}

    # Material's own keys are all that the data may lack: declared, nothing undeclared is left.
    data = tmp_path / "policy_data"
    shutil.copytree(ROOT / "policy_data", data, ignore=shutil.ignore_patterns("releases"))
    controller = load_policy(ROOT / "policy_data").controller.id
    with (data / "cookies.yaml").open("a", encoding="utf-8") as cookies:
        for key in ("/.__consent", "/.__palette"):
            if key not in load_policy(ROOT / "policy_data").cookies:
                cookies.write(
                    f"\n  {key}:\n    provider: {controller}\n    party: first\n    type: localStorage\n"
                    "    category: necessary\n    duration: P1Y\n    purpose: {en: Test, sv: Test}\n"
                    "    consent_required: false\n"
                )
    result = scan(str(built_site), "--data", str(data), "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0, [f["message"] for f in report["findings"]]


def test_vendor_loaded_from_the_sites_own_script(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "js").mkdir(parents=True)
    (site / "index.html").write_text(
        "<!doctype html>\n<html><head>\n<title>x</title>\n<script src=\"js/tracking.js\"></script>\n</head></html>\n",
        encoding="utf-8",
    )
    (site / "js" / "tracking.js").write_text(
        "// our bundle\n(function(c,l,a,r,i,t,y){t=l.createElement(r);t.src=\"https://www.clarity.ms/tag/\"+i;"
        "})(window,document,\"clarity\",\"script\",\"abc\");\n",
        encoding="utf-8",
    )
    result = scan(str(site), "--data", str(SITES / "declared-not-observed" / "policy_data"), "--format", "json")
    report = json.loads(result.stdout)
    before = [f for f in report["findings"] if f["rule"] == "before-consent"]
    assert [(f["vendor"], f["page"], f["line"]) for f in before] == [("microsoft_clarity", "index.html", 4)]
    assert "js/tracking.js:2" in before[0]["message"]
    undeclared = {f["vendor"] for f in report["findings"] if f["rule"] == "undeclared"}
    assert undeclared == {"microsoft_clarity"}


def test_fonts_in_the_sites_own_stylesheet(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "css").mkdir(parents=True)
    (site / "index.html").write_text(
        '<html><head><link rel="stylesheet" href="css/site.css"></head></html>\n', encoding="utf-8"
    )
    (site / "css" / "site.css").write_text(
        "body { color: black }\n@import url(\"https://fonts.googleapis.com/css2?family=Inter\");\n", encoding="utf-8"
    )
    result = scan(str(site), "--data", str(SITES / "undeclared-tracker" / "policy_data"), "--format", "json")
    report = json.loads(result.stdout)
    errors = [f for f in report["findings"] if f["vendor"] == "google_fonts"]
    assert [(f["rule"], f["severity"], f["page"]) for f in errors] == [
        ("ip-transfer-before-consent", "warning", "index.html")
    ]
    # The page's <link> is what loads the stylesheet that fetches the fonts.
    assert errors[0]["element"] == '<link rel="stylesheet" href="css/site.css">'
