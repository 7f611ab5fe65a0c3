"""Nothing third-party passes silently: hosts no signature knows, IP addresses sent to font hosts and CDNs,
and URLs still holding template placeholders (pages read from a site's repository)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from clirun import Cli, cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT
from policypress.trackers.domains import is_third_party, registrable_domain
from policypress.trackers.matching import compile_signatures, parse_url
from policypress.trackers.signatures import load_signatures
from policypress.scan.page import parse_page

DATA = ROOT / "tests" / "fixtures" / "sites" / "declared-not-observed" / "policy_data"
MATCHERS = compile_signatures(load_signatures())


def page(tmp_path: Path, body: str, name: str = "index.html") -> Path:
    site = tmp_path / "site"
    (site / name).parent.mkdir(parents=True, exist_ok=True)
    (site / name).write_text(f"<!doctype html><html><head>\n{body}\n</head><body></body></html>\n", encoding="utf-8")
    return site


def scan(cli: Cli, site: Path, *extra: str | Path, data: Path = DATA) -> tuple[int, list[dict]]:  # noqa: F811
    code, out, err = cli("scan", site, "--data", data, "--format", "json", *extra)
    assert code in (0, 1), err
    return code, json.loads(out)["findings"]


def rules(findings: list[dict]) -> set[tuple[str, str]]:
    return {(f["rule"], f["severity"]) for f in findings}


# --- registrable domains --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.googletagmanager.com", "googletagmanager.com"),
        ("static.hotjar.com", "hotjar.com"),
        ("news.bbc.co.uk", "bbc.co.uk"),  # co.uk is a public suffix
        ("cmt-konsult.github.io", "cmt-konsult.github.io"),  # so is github.io (the list's private part)
        ("WWW.Example.COM.", "example.com"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("localhost", "localhost"),
    ],
)
def test_registrable_domains_come_from_the_public_suffix_list(host: str, domain: str) -> None:
    assert registrable_domain(host) == domain


def test_a_subdomain_of_the_site_is_not_another_party() -> None:
    assert not is_third_party("cdn.cmt.se", ["www.cmt.se"])
    assert is_third_party("cmt.se.evil.example", ["cmt.se"])
    assert is_third_party("other.github.io", ["cmt.github.io"])
    assert is_third_party("cdn.cmt.se", [])


# --- template placeholders --------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "https://www.googletagmanager.com/gtag/js?id={{ site.gtag }}",  # Jekyll, Hugo, Jinja
        "https://www.googletagmanager.com/gtag/js?id={{env('GA_MEASUREMENT_ID')}}",  # Nunjucks/Eleventy
        "https://www.googletagmanager.com/gtag/js?id={% gtag_id %}",  # Django, Liquid tags
        "https://www.googletagmanager.com/gtag/js?id=<?php echo $gtag; ?>",  # PHP
        "https://www.googletagmanager.com/gtag/js?id=<?= $gtag ?>",
        "https://www.googletagmanager.com/gtag/js?id=<%= gtag_id %>",  # ERB, EJS
        "https://www.googletagmanager.com/gtag/js?id=${GTAG_ID}",  # JavaScript template literals
        "https://www.googletagmanager.com/gtag/js?id={{ site.gtag }}&l=dataLayer",
    ],
)
def test_a_placeholder_in_the_query_still_names_the_vendor(value: str) -> None:
    found = parse_page(MATCHERS, "index.html", f'<script async src="{value}"></script>')
    assert [hit.compiled.vendor_id for hit in found.hits] == ["google_analytics"]
    assert found.strangers == []


def test_a_placeholder_that_is_a_measurement_id_of_another_kind_is_still_read_literally() -> None:
    found = parse_page(MATCHERS, "index.html", '<script src="https://www.googletagmanager.com/gtm.js?id={{ gtm }}"></script>')
    assert [hit.compiled.vendor_id for hit in found.hits] == ["google_tag_manager"]


@pytest.mark.parametrize(
    ("value", "host", "rest"),
    [
        ("https://{{ cdn }}/x.js", "*", "/x.js"),
        ("https://cdn.example.net/{{ v }}/x.js", "cdn.example.net", "/*/x.js"),
        ("{{ base_url }}/assets/app.js", None, "/assets/app.js"),  # a base URL is the site's own
        ("{{ site.url }}{{ site.baseurl }}/js/app.js", None, "/js/app.js"),
        ("https://www.google-\nanalytics.com/analytics.js", "www.google-analytics.com", "/analytics.js"),
    ],
)
def test_placeholders_and_line_breaks_in_urls(value: str, host: str | None, rest: str) -> None:
    url = parse_url(value, "/en/")
    assert url is not None and (url.host, url.rest) == (host, rest)


def test_a_path_chosen_by_a_template_names_no_vendor_of_the_site() -> None:
    # "{{ x }}.js" could be any file: no host-less pattern may claim it.
    found = parse_page(MATCHERS, "index.html", '<script src="{{ x }}.js"></script><script src="{{ y }}"></script>')
    assert found.hits == []


def test_protocol_relative_analytics_is_universal_analytics() -> None:
    found = parse_page(MATCHERS, "index.html", '<script src="//www.google-analytics.com/analytics.js"></script>')
    assert [hit.compiled.vendor_id for hit in found.hits] == ["universal_analytics"]


def test_a_template_source_is_judged_like_its_build(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    site = page(tmp_path, '<script async src="https://www.googletagmanager.com/gtag/js?id={{ site.gtag }}"></script>')
    code, findings = scan(cli, site)
    assert code == 1
    assert ("before-consent", "google_analytics") in {(f["rule"], f["vendor"]) for f in findings}
    assert not any("no tracker signature knows" in f["message"] for f in findings)


def test_a_host_chosen_by_a_template_is_reported_as_such(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    code, findings = scan(cli, page(tmp_path, '<script src="https://{{ cdn }}/x.js"></script>'))
    assert code == 1
    (finding,) = [f for f in findings if f["rule"] == "unknown-third-party"]
    assert finding["severity"] == "error"
    assert "a host chosen by a template" in finding["message"]
    assert finding["element"] == '<script src="https://{{ cdn }}/x.js">'
    assert "the site's configuration" in finding["fix"]


# --- unknown-third-party ----------------------------------------------------------------------


def test_an_unknown_script_before_consent_is_an_error_naming_its_domain(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    site = page(tmp_path, '<script src="https://stats.tracker-example.net/t.js"></script>\n'
                          '<img src="https://img.tracker-example.net/p.gif">')
    code, findings = scan(cli, site)
    assert code == 1
    (finding,) = [f for f in findings if f["rule"] == "unknown-third-party"]
    assert finding["severity"] == "error"
    assert finding["message"] == (
        "A script and an image from tracker-example.net (stats.tracker-example.net, img.tracker-example.net), "
        "which no tracker signature knows, runs before the visitor consents."
    )
    assert (finding["page"], finding["line"]) == ("index.html", 2)
    assert finding["element"] == '<script src="https://stats.tracker-example.net/t.js">'
    assert "--signatures FILE" in finding["fix"] and "recipients.yaml" in finding["fix"]


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="https://img.tracker-example.net/p.gif">',
        '<link rel="stylesheet" href="https://css.tracker-example.net/a.css">',
        '<link rel="preconnect" href="https://css.tracker-example.net">',
        '<script type="text/plain" data-category="analytics" src="https://stats.tracker-example.net/t.js"></script>',
    ],
)
def test_unknown_content_that_runs_no_code_before_consent_is_a_warning(cli: Cli, tmp_path: Path, markup: str) -> None:  # noqa: F811
    code, findings = scan(cli, page(tmp_path, markup))
    assert code == 0
    assert rules([f for f in findings if f["rule"] == "unknown-third-party"]) == {("unknown-third-party", "warning")}


def test_a_form_to_an_unknown_host_is_a_warning(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    site = page(tmp_path, '<form action="https://forms.tracker-example.net/submit" method="post"></form>')
    code, findings = scan(cli, site)
    (finding,) = [f for f in findings if f["rule"] == "unknown-third-party"]
    assert code == 0 and finding["severity"] == "warning"
    assert finding["message"].startswith("A form from tracker-example.net (forms.tracker-example.net)")
    assert "receives what visitors send" in finding["message"]


def test_the_sites_own_hosts_are_not_another_party(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    data = tmp_path / "policy_data"
    shutil.copytree(DATA, data)
    (data / "controller.yaml").write_text(
        "controller:\n  id: cmt\n  legal_name: CMT Konsult AB\n  website: https://www.cmt-example.se/\n", encoding="utf-8"
    )
    site = page(tmp_path, '<script src="https://static.cmt-example.se/js/app.js"></script>\n'
                          '<img src="https://www.cmt-example.se/logo.png">')
    code, findings = scan(cli, site, data=data)
    assert code == 0
    assert [f for f in findings if f["rule"] == "unknown-third-party"] == []
    # Without the website, the same page is another party's.
    code, findings = scan(cli, site)
    assert code == 1 and ("unknown-third-party", "error") in rules(findings)


def test_a_signature_of_ones_own_makes_a_self_hosted_tool_known(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    # A host of "*" matches the path on any host: software the site runs itself on a host of its own.
    signatures = tmp_path / "mine.yaml"
    signatures.write_text(
        "version: 1\nvendors:\n  acme_stats:\n    name: Acme Stats\n    category: analytics\n"
        "    detect:\n      - script: '*/acme-stats.js'\n"
        "    storage:\n      - {name: acme_id, type: cookie, party: first, duration: P1Y, purpose: A visitor id.}\n",
        encoding="utf-8",
    )
    site = page(tmp_path, '<script src="https://stats.some-host.example/acme-stats.js"></script>')
    _, without = scan(cli, site)
    assert ("unknown-third-party", "error") in rules(without)
    code, with_own = scan(cli, site, "--signatures", signatures)
    assert code == 1
    errors = {(f["rule"], f["vendor"]) for f in with_own if f["severity"] == "error"}
    assert errors == {("before-consent", "acme_stats"), ("undeclared", "acme_stats")}


# --- ip-transfer-before-consent ---------------------------------------------------------------

FONTS = '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">'


def test_fonts_before_consent_are_a_warning_with_the_self_hosting_fix(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    code, findings = scan(cli, page(tmp_path, FONTS))
    assert code == 0
    (finding,) = [f for f in findings if f["vendor"]]
    assert (finding["rule"], finding["severity"], finding["vendor"]) == (
        "ip-transfer-before-consent", "warning", "google_fonts"
    )
    assert "before any consent" in finding["message"] and "accepted ids: google_fonts, google" in finding["message"]
    assert "privacy plugin (plugins: [privacy])" in finding["fix"]
    assert "recipients.yaml as 'google'" in finding["fix"]


def test_fonts_are_an_error_when_strict(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    code, findings = scan(cli, page(tmp_path, FONTS), "--strict")
    assert code == 1
    assert ("ip-transfer-before-consent", "error") in rules(findings)


def test_naming_the_recipient_silences_the_ip_transfer(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    data = tmp_path / "policy_data"
    shutil.copytree(DATA, data)
    with (data / "recipients.yaml").open("a", encoding="utf-8") as recipients:
        recipients.write(
            "  google:\n    name: {en: Google, sv: Google}\n    role: processor\n"
            "    service: {en: Serves the fonts, sv: Levererar typsnitten}\n"
        )
    code, findings = scan(cli, page(tmp_path, FONTS), data=data)
    assert code == 0
    assert [f for f in findings if f["vendor"] == "google_fonts"] == []


def test_new_rules_show_in_text_and_junit(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    site = page(tmp_path, FONTS + '\n<script src="https://evil.tracker-example.net/\n\x1bt.js"></script>')
    junit = tmp_path / "scan.xml"
    code, out, _ = cli("scan", site, "--data", DATA, "--junit", junit)
    assert code == 1
    blocks = out.split("\n\n")
    assert blocks[0].startswith("error[unknown-third-party] ")
    assert blocks[1].startswith("warning[ip-transfer-before-consent] ") and "Google Fonts" in blocks[1]
    # The browser drops the line break; the escape character is shown escaped, never sent to the terminal.
    assert "\x1b" not in out and "evil.tracker-example.net" in blocks[0]
    cases = ET.parse(junit).getroot().iter("testcase")
    assert {case.get("classname") for case in cases} >= {
        "policypress.scan.unknown-third-party", "policypress.scan.ip-transfer-before-consent",
    }


def test_site_host_makes_the_sites_own_absolute_links_its_own(tmp_path: Path, cli: Cli) -> None:  # noqa: F811
    # A wget mirror keeps absolute links to the site itself; they are no third party once named.
    site = page(tmp_path, '<script src="https://static.shop.example/js/app.js"></script>')
    _, findings = scan(cli, site)
    assert ("unknown-third-party", "error") in rules(findings)
    _, findings = scan(cli, site, "--site-host", "www.shop.example")
    assert not any(f["rule"] == "unknown-third-party" for f in findings), findings
