"""Gating read from code and from consent managers' markup: what `policypress scan` reports for each.

Each snippet follows the manager's own documentation (cited beside it). A tracker held back by
the manager gives no before-consent finding; the same tracker unheld gives the error; what the
scan cannot read is a gating-undecided warning that points to `policypress audit`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clirun import cli  # noqa: F401  (cli is a fixture)
from conftest import ROOT

DATA = ROOT / "tests" / "fixtures" / "sites" / "compliant" / "policy_data"
GATING_RULES = {"before-consent", "gating-undecided", "consent-mode-default-denied", "loads-before-manager"}
GTAG = "https://www.googletagmanager.com/gtag/js?id=G-TEST1"
INJECT_GA = (
    "var s = document.createElement('script'); s.async = true;\n"
    f"      s.src = '{GTAG}'; document.head.appendChild(s);\n"
    "      gtag('config', 'G-TEST1');"
)


def gating(cli, tmp_path: Path, body: str, vendor: str = "google_analytics") -> list[tuple[str, str]]:
    """(rule, severity) of the gating findings for ``vendor`` on a one-page site holding ``body``."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text(f"<!doctype html><html><head>{body}</head><body></body></html>", encoding="utf-8")
    code, out, err = cli("scan", str(site), "--data", str(DATA), "--format", "json")
    assert code in (0, 1), err
    return sorted((f["rule"], f["severity"]) for f in json.loads(out)["findings"]
                  if f["rule"] in GATING_RULES and f["vendor"] == vendor)


def finding(cli, tmp_path: Path, body: str, rule: str) -> dict:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text(f"<!doctype html><html><head>{body}</head><body></body></html>", encoding="utf-8")
    code, out, err = cli("scan", str(site), "--data", str(DATA), "--format", "json")
    return next(f for f in json.loads(out)["findings"] if f["rule"] == rule)


HELD_BY_CODE = {
    # vanilla-cookieconsent v3, "Callbacks and events" (cookieconsent.orestbida.com): onConsent with acceptedCategory.
    "vanilla-cookieconsent v3": f"""<script>
    CookieConsent.run({{
      categories: {{ necessary: {{ enabled: true, readOnly: true }}, analytics: {{}} }},
      onConsent: ({{cookie}}) => {{
        if (CookieConsent.acceptedCategory('analytics')) {{
          {INJECT_GA}
        }}
      }}
    }});</script>""",
    # The same, with the check as in orestbida/cookieconsent issue 602: cookie.categories.includes(...).
    "vanilla-cookieconsent v3 categories": f"""<script>
    CookieConsent.run({{ onConsent({{ cookie }}) {{
      if (cookie.categories.includes('analytics')) {{ {INJECT_GA} }}
    }} }});</script>""",
    # cookieconsent v2 (Osano), JavaScript API: onStatusChange with this.hasConsented().
    "cookieconsent v2": f"""<script>
    window.cookieconsent.initialise({{
      type: 'opt-in',
      onStatusChange: function (status, chosenBefore) {{
        if (this.hasConsented()) {{ {INJECT_GA} }}
      }}
    }});</script>""",
    # Cookiebot developer documentation (cookiebot.com/en/developer/): CookiebotOnAccept, Cookiebot.consent.statistics.
    "Cookiebot": f"""<script>
    window.addEventListener('CookiebotOnAccept', function (e) {{
      if (Cookiebot.consent.statistics) {{ {INJECT_GA} }}
    }}, false);</script>""",
    # OneTrust, "OnetrustActiveGroups - Using the Data Layer Object" (my.onetrust.com): groups in OptanonWrapper.
    "OneTrust": f"""<script>
    function OptanonWrapper() {{
      if (OnetrustActiveGroups.indexOf(',C0002,') > -1) {{ {INJECT_GA} }}
    }}</script>""",
    # Klaro's manager API (klaro.getManager().getConsent), as in its README's examples.
    "Klaro": f"""<script>
    var manager = klaro.getManager();
    if (manager.getConsent('google-analytics')) {{ {INJECT_GA} }}</script>""",
    # Usercentrics window event (usercentrics.com/docs/web/features/v2/events_v2/): ucEvent with the service's state.
    "Usercentrics": f"""<script>
    window.addEventListener('ucEvent', function (e) {{
      if (e.detail && e.detail.event === 'consent_status' && e.detail['Google Analytics'] === true) {{ {INJECT_GA} }}
    }});</script>""",
    # Didomi, "Programmatic API" (developers.didomi.io): didomiOnReady with the vendor's consent observable.
    "Didomi": f"""<script>
    window.didomiOnReady = window.didomiOnReady || [];
    window.didomiOnReady.push(function (Didomi) {{
      Didomi.getObservableOnUserConsentStatusForVendor('c:google-analytics')
        .filter(function (status) {{ return status === true; }}).first()
        .subscribe(function () {{ {INJECT_GA} }});
    }});</script>""",
    # A function of the site's own, called only from the consent callback.
    "function called from Cookiebot's callback": f"""<script>
    function loadAnalytics() {{ {INJECT_GA} }}
    window.addEventListener('CookiebotOnAccept', function () {{
      if (Cookiebot.consent.statistics) loadAnalytics();
    }});</script>""",
}


@pytest.mark.parametrize("name", sorted(HELD_BY_CODE))
def test_a_tracker_injected_only_after_the_managers_check_is_held(cli, tmp_path: Path, name: str) -> None:
    assert gating(cli, tmp_path, HELD_BY_CODE[name]) == []


def test_the_same_tracker_outside_the_callback_is_an_error(cli, tmp_path: Path) -> None:
    assert gating(cli, tmp_path, f"<script>{INJECT_GA}</script>") == [("before-consent", "error")]


@pytest.mark.parametrize(
    "script",
    [
        # OptanonWrapper runs on every page load ("called after banner script execution"): no group checked.
        f"function OptanonWrapper() {{ {INJECT_GA} }}",
        # The group check negated: runs exactly when performance cookies are refused.
        f"function OptanonWrapper() {{ if (OnetrustActiveGroups.indexOf(',C0002,') === -1) {{ {INJECT_GA} }} }}",
        # Didomi calls didomiOnReady once the SDK is ready, before any choice.
        f"window.didomiOnReady = window.didomiOnReady || []; window.didomiOnReady.push(function (Didomi) {{ {INJECT_GA} }});",
        # Checking the necessary category holds nothing.
        f"if (Cookiebot.consent.necessary) {{ {INJECT_GA} }}",
        # One held copy does not excuse another that runs at once.
        f"if (Cookiebot.consent.statistics) {{ {INJECT_GA} }}\n gtag('config', 'G-TEST1');",
    ],
)
def test_callbacks_that_run_before_any_choice_do_not_hold(cli, tmp_path: Path, script: str) -> None:
    assert gating(cli, tmp_path, f"<script>{script}</script>") == [("before-consent", "error")]


@pytest.mark.parametrize(
    "markup",
    [
        # OneTrust, "Client-Side Cookie Management": JavaScript type re-writing.
        f'<script type="text/plain" class="optanon-category-C0002" src="{GTAG}"></script>',
        # Usercentrics, "Manually blocking services prior consent".
        f'<script type="text/plain" data-usercentrics="Google Analytics" src="{GTAG}"></script>',
        # Complianz: type text/plain with its category.
        f'<script type="text/plain" data-category="statistics" src="{GTAG}"></script>',
        # CookieYes, held by type as well as by its attribute.
        f'<script type="text/plain" data-cookieyes="cookieyes-analytics" src="{GTAG}"></script>',
        # iubenda, "Prior Blocking of Cookies: Manual Tagging" (iubenda.com/en/help/1229); purpose 4 is measurement.
        f'<script type="text/plain" class="_iub_cs_activate" data-iub-purposes="4" src="{GTAG}"></script>',
        # Didomi's custom script tags.
        f'<script type="didomi/javascript" data-vendor="c:google-analytics" src="{GTAG}"></script>',
        # Borlabs Cookie's script blocker rewrites the tag to text/template and moves src.
        f'<script type="text/template" data-borlabs-cookie-script-blocker-id="ga" '
        f'data-borlabs-cookie-script-blocker-src="{GTAG}"></script>',
    ],
)
def test_managers_markup_holds_the_tag(cli, tmp_path: Path, markup: str) -> None:
    assert gating(cli, tmp_path, markup) == []


@pytest.mark.parametrize(
    "markup",
    [
        f'<script class="optanon-category-C0002" src="{GTAG}"></script>',  # no text/plain: runs at once
        f'<script type="text/plain" class="optanon-category-C0001" src="{GTAG}"></script>',  # strictly necessary
        f'<script type="text/plain" data-iub-purposes="1" src="{GTAG}"></script>',  # iubenda: strictly necessary
    ],
)
def test_managers_markup_that_runs_at_once_is_an_error(cli, tmp_path: Path, markup: str) -> None:
    assert gating(cli, tmp_path, markup) == [("before-consent", "error")]


def test_cookieyes_attribute_alone_is_undecided(cli, tmp_path: Path) -> None:
    # CookieYes' own example puts data-cookieyes on a script that keeps its type: CookieYes must intercept it.
    assert gating(cli, tmp_path, f'<script async data-cookieyes="cookieyes-analytics" src="{GTAG}"></script>') == [
        ("gating-undecided", "warning")
    ]


def test_trackers_after_onetrust_autoblock_are_undecided(cli, tmp_path: Path) -> None:
    autoblock = '<script src="https://cdn.cookielaw.org/consent/0000-test/OtAutoBlock.js"></script>'
    stub = '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="0000-test"></script>'
    assert gating(cli, tmp_path, f'{autoblock}{stub}<script async src="{GTAG}"></script>') == [
        ("gating-undecided", "warning")
    ]
    shown = finding(cli, tmp_path, f'{autoblock}{stub}<script async src="{GTAG}"></script>', "gating-undecided")
    assert "gated by auto-block" in shown["message"] and "policypress audit" in shown["fix"]


def test_onetrust_scripts_are_not_unknown_third_parties(cli, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<html><head><script src="https://cdn.cookielaw.org/consent/0000-test/OtAutoBlock.js"></script>'
        '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js"></script></head></html>',
        encoding="utf-8",
    )
    code, out, err = cli("scan", str(site), "--data", str(DATA), "--format", "json")
    assert not [f for f in json.loads(out)["findings"] if "cookielaw" in f["message"]], err


def test_an_async_autoblock_blocks_nothing(cli, tmp_path: Path) -> None:
    # OneTrust: "If the async attribute of the OtAutoBlock script is added … tags may fire."
    autoblock = '<script async src="https://cdn.cookielaw.org/consent/0000-test/OtAutoBlock.js"></script>'
    assert gating(cli, tmp_path, f'{autoblock}<script src="{GTAG}"></script>') == [("before-consent", "error")]


FONTS = '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">'


@pytest.mark.parametrize(
    "manager",
    [
        '<script id="Cookiebot" src="https://consent.cookiebot.com/uc.js" data-cbid="00000000-0000-0000-0000-000000000000"></script>',
        '<script src="https://cdn.cookielaw.org/scripttemplates/otSDKStub.js" data-domain-script="0000-test"></script>',
    ],
)
def test_google_fonts_before_cookiebot_or_onetrust_is_reported(cli, tmp_path: Path, manager: str) -> None:
    assert gating(cli, tmp_path, f"{FONTS}\n{manager}", "google_fonts") == [("loads-before-manager", "warning")]
    assert gating(cli, tmp_path, f"{manager}\n{FONTS}", "google_fonts") == []


CONSENT_DEFAULT = """<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('consent', 'default', {{ {values} }});
</script>"""
# Google's snippet order (developers.google.com/tag-platform/security/guides/consent): default, then the tag.
TAG = f"""<script async src="{GTAG}"></script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date()); gtag('config', 'G-TEST1');</script>"""
DENIED = "'ad_storage': 'denied', 'ad_user_data': 'denied', 'ad_personalization': 'denied', 'analytics_storage': 'denied'"


def test_consent_mode_default_denied_is_its_own_warning(cli, tmp_path: Path) -> None:
    body = CONSENT_DEFAULT.format(values=DENIED) + TAG
    assert gating(cli, tmp_path, body) == [("consent-mode-default-denied", "warning")]
    shown = finding(cli, tmp_path, body, "consent-mode-default-denied")
    assert "cookieless pings" in shown["message"] and "IP address" in shown["message"]
    assert "developers.google.com/tag-platform/security/guides/consent" in shown["fix"]


@pytest.mark.parametrize(
    "before",
    [
        CONSENT_DEFAULT.format(values=DENIED.replace("'analytics_storage': 'denied'", "'analytics_storage': 'granted'")),
        "",  # no default at all
        # A denied default granted again at once, by no choice of the visitor's.
        CONSENT_DEFAULT.format(values=DENIED) + "<script>gtag('consent', 'update', {'analytics_storage': 'granted'});</script>",
    ],
)
def test_consent_mode_granted_or_missing_is_before_consent(cli, tmp_path: Path, before: str) -> None:
    assert gating(cli, tmp_path, before + TAG) == [("before-consent", "error")]


def test_consent_mode_default_after_the_tag_does_not_count(cli, tmp_path: Path) -> None:
    assert gating(cli, tmp_path, TAG + CONSENT_DEFAULT.format(values=DENIED)) == [("before-consent", "error")]


@pytest.mark.parametrize(
    "script",
    [
        # A function the script defines but never calls: called from elsewhere, or never.
        f"function loadAnalytics() {{ {INJECT_GA} }}",
        # Behind a condition about consent that no manager documents.
        f"if (window.myConsentStore.get('stats')) {{ {INJECT_GA} }}",
        # A custom function called behind such a condition.
        f"function loadAnalytics() {{ {INJECT_GA} }}\nif (hasCookieConsent()) loadAnalytics();",
        # A callback that checks no category: runs after whichever choice.
        f"window.addEventListener('CookiebotOnAccept', function () {{ {INJECT_GA} }});",
    ],
)
def test_what_the_scan_cannot_read_is_undecided(cli, tmp_path: Path, script: str) -> None:
    assert gating(cli, tmp_path, f"<script>{script}</script>") == [("gating-undecided", "warning")]
    shown = finding(cli, tmp_path, f"<script>{script}</script>", "gating-undecided")
    assert "cannot tell" in shown["message"] and "policypress audit" in shown["fix"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (f"window.addEventListener('CookiebotOnAccept', function () {{ if (Cookiebot.consent.statistics) {{ {INJECT_GA} }} }});", []),
        (INJECT_GA, [("before-consent", "error")]),
    ],
)
def test_the_sites_own_script_files_are_read_the_same_way(cli, tmp_path: Path, code: str, expected: list) -> None:
    (tmp_path / "site" / "js").mkdir(parents=True)
    (tmp_path / "site" / "js" / "consent.js").write_text(code, encoding="utf-8")
    assert gating(cli, tmp_path, '<script src="/js/consent.js"></script>') == expected
