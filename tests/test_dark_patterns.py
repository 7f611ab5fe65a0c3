"""The banner's dark patterns (audit/darkpatterns.py): measured in Chromium, judged by darkpatterns_rules.py.

Hand-written banners (tests/fixtures/banners/) trip each rule or none; Material's banner as this
repository builds it, CookieConsent v3 and Klaro (their real code, from the locked copies) are
measured as they really are. What the managers' banners show was checked on screenshots.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from clirun import cli, cli_browser  # noqa: F401
from conftest import ROOT

from policypress.audit import MATERIAL, Timing, audit_site, custom_banner
from policypress.audit.autoconsent import Autoconsent, find_autoconsent
from policypress.audit.cdn import find_libraries
from policypress.audit.darkpatterns import rule_selectors
from policypress.audit.darkpatterns_rules import (
    AREA_RATIO,
    Banner,
    Box,
    Control,
    backdrop,
    contrast,
    judge,
    load_words,
)
from policypress.audit.findings import AuditReport, AuditRule
from policypress.audit.standins import load_standins
from policypress.loader import load_policy

BANNERS = ROOT / "tests" / "fixtures" / "banners"
MANAGERS = ROOT / "tests" / "fixtures" / "managers"
POLICY = MANAGERS / "policy_data"  # declares Google Analytics, optional: a banner is expected
TIMING = Timing(quiet_ms=200, max_ms=3000, page_timeout=10)
BANNER = replace(MATERIAL, timeout_ms=2000)
needs_tools = pytest.mark.skipif(
    find_autoconsent() is None or not find_libraries(), reason="run `make tools` (autoconsent, consent-libs)"
)


def _dark(report: AuditReport) -> set[tuple[str, str]]:
    return {(f.rule.value, f.severity.value) for f in report.findings if f.rule.value.startswith("audit-dark-")}


def _message(report: AuditReport, rule: AuditRule) -> str:
    return next(f.message for f in report.findings if f.rule is rule)


def _notes(report: AuditReport) -> list[str]:
    return [note for s in report.scenarios for note in s.notes if note.startswith("dark patterns:")]


def _audit(browser, target: Path, pages: list[str], policy: Path = POLICY, **options) -> AuditReport:
    return audit_site(target, load_policy(policy), scenarios=["before-consent"], pages=pages, browser=browser,
                      banner=options.pop("banner", BANNER), timing=TIMING, **options)


# --- the measurement's arithmetic -----------------------------------------------------------------

def test_wcag_contrast_ratios() -> None:
    assert contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast((64, 81, 181), (64, 81, 181)) == pytest.approx(1.0)
    # #767676 is the lightest grey that reaches 4.5:1 on white.
    assert contrast((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    # Half-transparent black over white is mid grey; a stack is drawn nearest last.
    assert backdrop([(0, 0, 0, 127.5)]) == pytest.approx((127.5, 127.5, 127.5))
    assert backdrop([(255, 0, 0, 255), (0, 0, 255, 255)]) == (255, 0, 0)


def test_word_lists_per_language() -> None:
    words = load_words()
    assert set(words.languages) >= {"en", "sv", "de", "fr"}
    assert words.for_lang("sv-SE")[0] == "sv"
    assert words.for_lang("nl")[0] == "en"  # not listed: English
    assert words.for_lang(None)[0] == "en"
    assert "okej" in words.for_lang("sv")[1].vague_accept
    assert "weiter" in words.for_lang("de")[1].vague_accept


def _control(role: str, text: str, *, w: float = 100, h: float = 40, size: float = 16, weight: float = 600,
             fill: tuple[float, float, float] = (26, 79, 160), colour: tuple[float, float, float] = (255, 255, 255),
             via: str = "selector") -> Control:
    norm = " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())
    return Control(role, via, text, norm, w, h, size, weight, (255, 255, 255), fill, colour)


def _judged(*controls: Control, lang: str = "en", boxes: tuple[Box, ...] = ()) -> set[str]:
    banner = Banner("/", lang, "div.banner", list(controls), list(boxes))
    return {f.rule.value for f in judge(banner, load_words())}


def test_prominence_thresholds() -> None:
    accept = _control("accept", "Accept all")
    assert _judged(accept, _control("reject", "Reject all")) == set()
    # Area: just under 1.5 times passes, 1.5 times trips.
    assert _judged(_control("accept", "Accept all", w=100 * AREA_RATIO - 1), _control("reject", "Reject all")) == set()
    assert _judged(_control("accept", "Accept all", w=100 * AREA_RATIO), _control("reject", "Reject all")) == {
        "audit-dark-prominence"}
    # Font: 1.2 times the size, or 200 heavier.
    assert _judged(_control("accept", "Accept all", size=19), _control("reject", "Reject all")) == set()
    assert _judged(_control("accept", "Accept all", size=19.2), _control("reject", "Reject all")) == {
        "audit-dark-prominence"}
    assert _judged(accept, _control("reject", "Reject all", weight=400)) == {"audit-dark-prominence"}
    assert _judged(accept, _control("reject", "Reject all", weight=500)) == set()
    # A light grey reject on the white banner: it hardly stands out, and its text is below 4.5:1.
    grey = _control("reject", "Reject all", fill=(255, 255, 255), colour=(170, 170, 170))
    assert _judged(accept, grey) == {"audit-dark-prominence"}
    # The same reject in a dark grey reads well and stands out as much: no finding.
    assert _judged(accept, _control("reject", "Reject all", fill=(255, 255, 255), colour=(26, 79, 160))) == set()


def test_wording_rules_by_language() -> None:
    reject = _control("reject", "Reject all")
    assert _judged(_control("accept", "OK"), reject) == {"audit-dark-misleading-wording"}
    assert _judged(_control("accept", "OK, accept all"), reject) == set()  # says what it does
    assert _judged(_control("accept", "Fortsätt"), _control("reject", "Avvisa alla"), lang="sv") == {
        "audit-dark-misleading-wording"}
    assert _judged(_control("accept", "Weiter"), _control("reject", "Ablehnen"), lang="de") == {
        "audit-dark-misleading-wording"}
    # "Fortsätt" is judged by the page's language only: an English page's list does not have it.
    assert _judged(_control("accept", "Fortsätt"), reject, lang="en") == set()
    # The site's reject control (its selector) worded as more information.
    assert _judged(_control("accept", "Accept all"), _control("reject", "Settings")) == {
        "audit-dark-misleading-wording"}


def test_pre_ticked_counts_optional_enabled_boxes_only() -> None:
    controls = (_control("accept", "Accept all"), _control("reject", "Reject all"))
    fine = (Box("Necessary", True, True, True), Box("Statistics", False, False, False))
    assert _judged(*controls, boxes=fine) == set()
    ticked = (*fine, Box("Marketing", True, False, False))
    banner = Banner("/", "en", "div.banner", list(controls), list(ticked))
    (finding,) = judge(banner, load_words())
    assert (finding.rule.value, finding.severity.value) == ("audit-dark-pre-ticked", "error")
    assert "'Marketing'" in finding.message and "Planet49" in finding.fix


def test_autoconsent_rules_give_single_click_selectors_only() -> None:
    rules = (
        {"name": "one", "detectCmp": [{"exists": "#one"}], "optIn": [{"waitForThenClick": "#one .yes"}],
         "optOut": [{"if": {"exists": "#one .no"}, "then": [{"click": "#one .no"}], "else": []}]},
        # Opting out takes two clicks (settings, then save): its first click is no reject control.
        {"name": "two", "detectCmp": [{"exists": "#two"}], "optIn": [{"click": "#two .yes"}],
         "optOut": [{"click": "#two .settings"}, {"click": "#two .save"}]},
    )
    fake = Autoconsent("", rules, "0")
    assert rule_selectors(fake, "http://127.0.0.1/") == [["#one", "#one .yes", "#one .no"]]
    assert rule_selectors(None, "http://127.0.0.1/") == []


# --- hand-written banners in Chromium -------------------------------------------------------------

NO_REJECT = ("audit-dark-no-reject-first-layer", "warning")
MORE_CLICKS = ("audit-dark-more-clicks-to-reject", "warning")
PRE_TICKED = ("audit-dark-pre-ticked", "error")
PROMINENCE = ("audit-dark-prominence", "warning")
WORDING = ("audit-dark-misleading-wording", "warning")


@pytest.mark.browser
@pytest.mark.parametrize(("page", "expected", "says"), [
    ("fair.html", set(), None),
    ("no-reject.html", {NO_REJECT}, "'Accept all' but no control to reject"),
    ("more-clicks.html", {NO_REJECT, MORE_CLICKS}, "rejecting takes 2 clicks ('Settings', then 'Reject all')"),
    ("save-only.html", {NO_REJECT, MORE_CLICKS, PRE_TICKED},
     "rejecting takes 3 clicks ('Manage preferences', unticking 1 category, then 'Save preferences')"),
    ("pre-ticked.html", {PRE_TICKED}, "switched on before the visitor chose: 'Statistics', 'Marketing'"),
    ("prominence.html", {PROMINENCE}, "'Accept all' is made more prominent than 'Reject all'"),
    ("vague-sv.html", {WORDING}, "says only 'Okej'"),
])
def test_each_rule_trips_on_its_banner_and_not_on_the_fair_one(browser, page: str, expected: set, says) -> None:
    report = _audit(browser, BANNERS, [page])

    assert _dark(report) == expected
    if says is not None:
        assert any(says in f.message for f in report.findings), [f.message for f in report.findings]
    assert len(_notes(report)) == 1  # measured once, and said so
    for finding in report.findings:
        assert finding.scenario == "before-consent" and finding.page == f"/{page}"
        assert "EDPB" in finding.fix  # each names its source


@pytest.mark.browser
def test_prominence_names_what_it_measured(browser) -> None:
    message = _message(_audit(browser, BANNERS, ["prominence.html"]), AuditRule.DARK_PROMINENCE)
    assert "its font is 22 px against reject's 13 px" in message
    assert "its font weight is 600 against reject's 400" in message
    assert "reject's text has a contrast of 1.9:1" in message  # #bbb on white


@pytest.mark.browser
def test_reject_selector_worded_as_learn_more(browser) -> None:
    fair = _audit(browser, BANNERS, ["fair.html"], banner=custom_banner("#accept", "#reject", None))
    assert _dark(fair) == set()
    report = _audit(browser, BANNERS, ["reject-learn-more.html"], banner=custom_banner("#yes", "#no", None))
    assert _dark(report) == {WORDING}
    assert "the control that rejects says 'Learn more'" in _message(report, AuditRule.DARK_WORDING)


@pytest.mark.browser
def test_measured_once_on_the_first_page_that_shows_a_banner(browser) -> None:
    # privacy.html has no banner; pre-ticked.html is the first with one; no-reject.html is not measured.
    report = _audit(browser, BANNERS, ["privacy.html", "pre-ticked.html", "no-reject.html"])

    assert _dark(report) == {PRE_TICKED}
    assert _notes(report) == [
        "dark patterns: measured the banner (div.banner) on /pre-ticked.html: accept 'Accept all', reject 'Reject all'"
    ]


@pytest.mark.browser
def test_a_layer_with_buttons_but_no_word_of_cookies_is_no_banner(browser) -> None:
    report = _audit(browser, BANNERS, ["sticky-header.html"])
    assert _dark(report) == set() and _notes(report) == []


@pytest.mark.browser
def test_not_run_without_the_before_consent_scenario_or_when_switched_off(browser) -> None:
    off = _audit(browser, BANNERS, ["pre-ticked.html"], dark_patterns=False)
    assert _dark(off) == set() and _notes(off) == []
    gpc = audit_site(BANNERS, load_policy(POLICY), scenarios=["gpc"], pages=["pre-ticked.html"], browser=browser,
                     banner=BANNER, timing=TIMING)
    assert _dark(gpc) == set() and _notes(gpc) == []


@pytest.mark.browser
def test_command_line_flag_and_exit_codes(cli_browser) -> None:  # noqa: F811
    common = ("audit", BANNERS, "--data", POLICY, "--scenario", "before-consent", "--format", "json",
              "--page-timeout", "10")

    def run(*args: str) -> tuple[int, list[str]]:
        code, out, err = cli_browser(*common, *args)
        return code, [f["rule"] for f in json.loads(out)["findings"]]

    assert run("--page", "pre-ticked.html") == (1, ["audit-dark-pre-ticked"])  # an error
    assert run("--page", "no-reject.html") == (0, ["audit-dark-no-reject-first-layer"])  # a warning
    assert run("--page", "pre-ticked.html", "--no-dark-patterns") == (0, [])


# --- real banners ---------------------------------------------------------------------------------

@pytest.mark.browser
def test_materials_banner_as_this_repository_builds_it_trips_none(browser, built_site: Path) -> None:
    report = _audit(browser, built_site, ["en/"], policy=ROOT / "policy_data", banner=MATERIAL)

    assert _dark(report) == set()
    # Accept, Reject and Manage settings on the first layer, alike; Analytics starts off.
    assert _notes(report) == [
        "dark patterns: measured the banner (aside.md-consent__inner) on /en/: accept 'Accept', reject 'Reject', "
        "settings 'Manage settings'"
    ]


@needs_tools
@pytest.mark.browser
def test_cookieconsent_v3_fixture_trips_none(browser) -> None:
    # Seen on a screenshot: a white card with "Accept all" and "Reject all" (the same dark filled buttons)
    # and a light "Settings" button, each as wide as the card.
    report = _audit(browser, MANAGERS / "cookieconsent3" / "pages", [""],
                    standins=load_standins(ROOT / "tests" / "fixtures" / "standins"))

    assert _dark(report) == set()
    assert _notes(report) == [
        "dark patterns: measured the banner (div.cm) on /: accept 'Accept all', reject 'Reject all', "
        "settings 'Settings'"
    ]


@needs_tools
@pytest.mark.browser
def test_klaro_fixture_says_thats_ok(browser) -> None:
    # Seen on a screenshot: a dark notice with a green "That's ok" button, a grey "I decline" button of
    # the same size (both with white text) and a green "Let me choose" link. Klaro's default accept
    # wording is what trips: it does not say the visitor consents.
    report = _audit(browser, MANAGERS / "klaro" / "pages", [""],
                    standins=load_standins(ROOT / "tests" / "fixtures" / "standins"))

    assert _dark(report) == {WORDING}
    assert "the accept control says only 'That's ok'" in _message(report, AuditRule.DARK_WORDING)
    assert _notes(report) == [
        "dark patterns: measured the banner (div.cookie-notice) on /: accept 'That's ok', reject 'I decline', "
        "settings 'Let me choose'"
    ]


def test_a_longer_accept_label_alone_is_no_prominence() -> None:
    """'Accept all cookies' beside 'Reject all', both sized by their text, as OneTrust's banner draws them."""
    from policypress.audit.darkpatterns_rules import Banner, Control, _prominence

    def control(role: str, text: str, width: float) -> Control:
        return Control(role=role, via="selector", text=text, norm=text.lower(), width=width, height=21, font_size=13,
                       font_weight=400, banner=(1, 1, 1), fill=(0.94, 0.94, 0.94), text_colour=(0, 0, 0))

    accept, reject = control("accept", "Accept all cookies", 123), control("reject", "Reject all", 71)
    banner = Banner(page="/", lang="en", container="div#onetrust-banner-sdk", controls=[accept, reject])
    assert _prominence(banner, accept, reject) == []
    # The same label in a button twice as wide is still reported.
    wide = control("accept", "Accept all cookies", 250)
    assert [f.rule.value for f in _prominence(banner, wide, reject)] == ["audit-dark-prominence"]
