"""The browser audit's parts that need no browser: stand-ins, targets, banners, attribution, wording."""

from __future__ import annotations

import subprocess
from pathlib import Path, PurePosixPath

import pytest

from conftest import BIN, ROOT

from policypress.audit.banner import MATERIAL, custom_banner
from policypress.audit.classify import Classifier
from policypress.audit.observations import StoredItem
from policypress.audit.standins import JAVASCRIPT, StandIns, load_standins
from policypress.audit.target import check_local_url, folder_pages, normalise_pages, page_path, same_origin_pages
from policypress.audit.wording import suggest_duration
from policypress.errors import UsageError
from policypress.loader import load_policy
from policypress.trackers.signatures import load_signatures
from policypress.vocabulary import StorageType

STANDINS = ROOT / "tests" / "fixtures" / "standins"
AUDIT_SITES = ROOT / "tests" / "fixtures" / "audit-sites"


# --- stand-ins ------------------------------------------------------------------------------------


def test_standin_answers_its_path_and_below_whatever_the_query() -> None:
    standins = StandIns({"https://www.googletagmanager.com/gtag/js": b"js", "connect.facebook.net": b"fb"})
    found = standins.find("https://www.googletagmanager.com/gtag/js?id=G-TEST123")
    assert found is not None and found.body == b"js" and found.content_type == JAVASCRIPT
    assert standins.find("https://www.googletagmanager.com/gtag/js/more") is not None
    assert standins.find("https://www.googletagmanager.com/gtm.js?id=GTM-1") is None
    assert standins.find("https://www.googletagmanager.com/gtag/jsx") is None
    host_wide = standins.find("https://connect.facebook.net/en_US/fbevents.js")
    assert host_wide is not None and host_wide.body == b"fb" and host_wide.content_type == JAVASCRIPT


def test_the_longest_standin_key_wins() -> None:
    standins = StandIns({"example.test": b"host", "example.test/a": b"a", "example.test/a/b": b"ab"})
    assert standins.find("https://example.test/a/b/c").body == b"ab"  # type: ignore[union-attr]
    assert standins.find("https://example.test/a/x").body == b"a"  # type: ignore[union-attr]
    assert standins.find("https://example.test/z").body == b"host"  # type: ignore[union-attr]


def test_standins_folder_layout(tmp_path: Path) -> None:
    standins = load_standins(STANDINS)
    assert "www.googletagmanager.com/gtag/js" in standins.keys
    assert not [key for key in standins.keys if "README" in key]
    player = standins.find("https://www.youtube.com/embed/M7lc1UVf-VE")
    assert player is not None and player.content_type.startswith("text/html")
    (tmp_path / "cdn.example.test").mkdir()
    (tmp_path / "cdn.example.test" / "style.css").write_text("body{}")
    css = load_standins(tmp_path).find("https://cdn.example.test/style.css")
    assert css is not None and css.content_type.startswith("text/css")


def test_standins_folder_must_exist_and_hold_something(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        load_standins(tmp_path / "missing")
    (tmp_path / "README.md").write_text("nothing")
    with pytest.raises(UsageError, match="no stand-ins"):
        load_standins(tmp_path)


# --- targets --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "http://localhost:8000/docs/", "http://127.0.0.1:9"])
def test_local_urls_are_accepted(url: str) -> None:
    assert check_local_url(url).startswith(url)


@pytest.mark.parametrize(
    "url", ["https://example.com/", "http://example.com/", "http://127.0.0.1.example.com/", "https://127.0.0.1/",
            "ftp://127.0.0.1/", "http://10.0.0.5:8000/"],
)
def test_other_hosts_are_refused(url: str) -> None:
    with pytest.raises(UsageError, match="only visits sites on this machine"):
        check_local_url(url)


def test_folder_pages_start_page_first() -> None:
    pages = folder_pages(AUDIT_SITES / "compliant" / "pages")
    assert pages == ["", "about/"]
    assert page_path(PurePosixPath("en/privacy-policy/index.html")) == "en/privacy-policy/"
    assert page_path(PurePosixPath("404.html")) == "404.html"
    assert normalise_pages(["/", "index.html", "/en/index.html", "en/", "sv/x.html"]) == ["", "en/", "sv/x.html"]


def test_folder_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        folder_pages(tmp_path / "site")
    with pytest.raises(UsageError, match="no .html pages"):
        folder_pages(tmp_path)


def test_same_origin_links_only_and_bounded() -> None:
    hrefs = ["about/", "/docs/contact/", "https://example.com/", "http://127.0.0.1:8000/other/", "file.pdf",
             "#top", "about/", "/elsewhere/", "news/?page=2"]
    assert same_origin_pages("http://127.0.0.1:8000/docs/", hrefs, 10) == [
        "", "about/", "contact/", "news/?page=2",
    ]
    assert same_origin_pages("http://127.0.0.1:8000/docs/", hrefs, 2) == ["", "about/"]


# --- banners --------------------------------------------------------------------------------------


def test_material_banner_and_custom_selectors() -> None:
    assert MATERIAL.reopen_hash == "__consent" and MATERIAL.can_reopen
    assert custom_banner(None, None, None) is MATERIAL
    custom = custom_banner("#accept", "#reject", "#settings")
    assert (custom.accept, custom.reject, custom.reopen) == ("#accept", "#reject", "#settings")
    assert custom.reopen_hash is None
    partial = custom_banner("#yes", None, None)
    assert partial.reject == MATERIAL.reject and partial.reopen_hash == "__consent"


# --- attribution ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(load_policy(AUDIT_SITES / "necessary-analytics" / "policy_data"), load_signatures())


def test_vendor_of_a_request(classifier: Classifier) -> None:
    ga = classifier.vendor_of_url("https://www.googletagmanager.com/gtag/js?id=G-TEST123")
    assert ga is not None and ga.vendor_id == "google_analytics" and not ga.by_host
    by_host = classifier.vendor_of_url("https://www.googletagmanager.com/something/else.js")
    assert by_host is not None and by_host.by_host and not by_host.necessary
    youtube = classifier.vendor_of_url("https://www.youtube.com/embed/abc")
    assert youtube is not None and youtube.vendor_id == "youtube"
    assert classifier.vendor_of_url("https://tracker.example.test/p.gif") is None
    # A host that serves everything says nothing about the vendor.
    assert classifier.vendor_of_url("https://s3.amazonaws.com/some-bucket/dist/lib.js") is None
    # jsDelivr itself has a signature (it receives the visitor's IP address): necessary, whatever it serves.
    cdn = classifier.vendor_of_url("https://cdn.jsdelivr.net/npm/some-library/dist/lib.js")
    assert cdn is not None and cdn.vendor_id == "jsdelivr" and cdn.necessary


def test_vendor_of_a_cookie_prefers_one_the_page_loaded(classifier: Classifier) -> None:
    ga = StoredItem(StorageType.COOKIE, "_ga", "127.0.0.1", expires=-1)
    loaded_ua = classifier.vendor_of_item(ga, {"universal_analytics"})
    assert loaded_ua is not None and loaded_ua.vendor_id == "universal_analytics"
    assert classifier.vendor_of_item(ga).vendor_id == "google_analytics"  # type: ignore[union-attr]
    ga4 = StoredItem(StorageType.COOKIE, "_ga_TEST123", "127.0.0.1")
    assert classifier.vendor_of_item(ga4).vendor_id == "google_analytics"  # type: ignore[union-attr]
    consent = StoredItem(StorageType.LOCAL_STORAGE, "/.__consent", "127.0.0.1")
    assert classifier.vendor_of_item(consent).vendor_id == "material"  # type: ignore[union-attr]
    assert classifier.vendor_of_item(StoredItem(StorageType.COOKIE, "/.__consent", "127.0.0.1")) is None


def test_what_needs_consent(classifier: Classifier) -> None:
    def optional(kind: StorageType, name: str) -> bool | None:
        item = StoredItem(kind, name, "127.0.0.1")
        return classifier.optional(item, classifier.vendor_of_item(item))

    # Declared as necessary, but Google Analytics' signature says analytics: still needs consent.
    assert optional(StorageType.COOKIE, "_ga") is True
    assert optional(StorageType.COOKIE, "_ga_FIXTURE1") is True  # declared analytics
    assert optional(StorageType.LOCAL_STORAGE, "cmt-consent") is False  # declared necessary, no vendor
    assert optional(StorageType.LOCAL_STORAGE, "/.__consent") is False  # undeclared, Material: necessary
    assert optional(StorageType.LOCAL_STORAGE, "recentlyViewed") is None  # nothing says


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(400 * 86400, "P400D"), (365 * 86400, "P1Y"), (730 * 86400 - 5, "P2Y"), (30 * 86400, "P1M"),
     (3 * 86400 + 7200, "P4D"), (365 * 86400 + 2, "P1Y"), (3600, "P1D")],
)
def test_suggested_durations(seconds: float, expected: str) -> None:
    assert suggest_duration(seconds) == expected


# --- the command line without a browser -----------------------------------------------------------


def _audit(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [str(BIN / "policypress"), "audit", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_cli_refuses_a_url_off_this_machine() -> None:
    result = _audit("https://www.example.com/")
    assert result.returncode == 2
    assert "only visits sites on this machine" in result.stderr


def test_cli_without_chromium_says_make_browser(tmp_path: Path) -> None:
    site = AUDIT_SITES / "compliant"
    result = _audit(str(site / "pages"), "--data", str(site / "policy_data"),
                    env={"POLICYPRESS_CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.returncode == 2
    assert "Chromium not found" in result.stderr and "make browser" in result.stderr


def test_cli_bad_input(tmp_path: Path) -> None:
    site = AUDIT_SITES / "compliant"
    assert _audit(str(tmp_path / "nothing"), "--data", str(site / "policy_data")).returncode == 2
    result = _audit(str(site / "pages"), "--data", str(site / "policy_data"), "--standins", str(tmp_path / "none"))
    assert result.returncode == 2 and "--standins" in result.stderr
    result = _audit(str(site / "pages"), "--data", str(site / "policy_data"), "--scenario", "sometimes")
    assert result.returncode == 2


# --- the rules on made-up observations ------------------------------------------------------------


def _checked(policy_dir: Path, *records: tuple[str, str, list[StoredItem]]) -> list[tuple[str, str, str | None]]:
    import time

    from policypress.audit.checks import Checker
    from policypress.audit.observations import ScenarioRun
    from policypress.audit.scenarios import Phase, Scenario

    policy = load_policy(policy_dir)
    classifier = Classifier(policy, load_signatures())
    runs: dict[str, ScenarioRun] = {}
    for scenario, phase, items in records:
        run = runs.setdefault(scenario, ScenarioRun(Scenario(scenario)))
        record = run.record(Phase(phase))
        for item in items:
            record.add_item(item, "/", time.time())
    findings = Checker(policy, classifier, banner_name="custom").run(list(runs.values()))
    return [(f.rule.value, f.scenario, f.item) for f in findings]


def test_rules_on_made_up_observations() -> None:
    import time

    data = AUDIT_SITES / "lifetime" / "policy_data"  # cmt_lang: necessary cookie, P30D; cmt-consent: localStorage
    found = _checked(
        data,
        ("before-consent", "no-consent", [
            StoredItem(StorageType.COOKIE, "cmt_lang", "127.0.0.1", expires=time.time() + 29 * 86400),  # within P30D
            StoredItem(StorageType.COOKIE, "cmt-consent", "127.0.0.1", expires=-1),  # declared as localStorage
            StoredItem(StorageType.COOKIE, "_hjSession_1", "127.0.0.1", expires=time.time() + 1800),  # Hotjar
        ]),
        ("accept-all", "accepted", [
            StoredItem(StorageType.COOKIE, "_ga_FIXTURE1", "127.0.0.1", expires=time.time() + 800 * 86400),
            StoredItem(StorageType.COOKIE, "_hjSession_1", "127.0.0.1", expires=time.time() + 1800),
        ]),
    )
    assert sorted(found) == [
        ("audit-before-consent", "before-consent", "_hjSession_1"),  # analytics, before consent
        ("audit-lifetime", "accept-all", "_ga_FIXTURE1"),  # 800 days against P2Y
        ("audit-undeclared", "before-consent", "_hjSession_1"),  # once, at the first scenario
        ("audit-undeclared", "before-consent", "cmt-consent"),  # a cookie of that name is not declared
    ]


def test_optional_storage_without_consent_and_after_withdrawal() -> None:
    found = _checked(
        ROOT / "tests" / "fixtures" / "sites" / "compliant" / "policy_data",
        ("reject-all", "no-consent", [
            StoredItem(StorageType.LOCAL_STORAGE, "cmt-font-size", "127.0.0.1"),  # the site's own, preferences
            StoredItem(StorageType.COOKIE, "cc_cookie", "127.0.0.1", expires=-1),  # necessary
        ]),
        ("accept-then-withdraw", "withdrawn", [StoredItem(StorageType.COOKIE, "_ga", "127.0.0.1", expires=-1)]),
        ("gpc", "no-consent", [StoredItem(StorageType.COOKIE, "_ga", "127.0.0.1", expires=-1)]),
    )
    assert sorted(found) == [
        ("audit-before-consent", "gpc", "_ga"),
        ("audit-before-consent", "reject-all", "cmt-font-size"),
        ("audit-not-withdrawn", "accept-then-withdraw", "_ga"),
    ]


def test_each_request_url_is_matched_against_the_signatures_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from policypress.audit.checks import Checker
    from policypress.audit.observations import ScenarioRun, ThirdPartyRequest
    from policypress.audit.scenarios import Phase, Scenario

    policy = load_policy(ROOT / "tests" / "fixtures" / "sites" / "compliant" / "policy_data")
    classifier = Classifier(policy, load_signatures())
    asked: list[str] = []
    match = classifier.vendor_of_url
    monkeypatch.setattr(classifier, "vendor_of_url", lambda url: asked.append(url) or match(url))
    urls = ["https://www.googletagmanager.com/gtag/js?id=G-TEST1", "https://consent.cookiebot.com/uc.js",
            "https://unknown.example/a.js"]
    runs = []
    for scenario, phase in (("before-consent", "no-consent"), ("accept-all", "accepted")):
        run = ScenarioRun(Scenario(scenario))
        record = run.record(Phase(phase))
        for page in ("/", "/about/"):
            for url in urls:
                record.add_request(ThirdPartyRequest(url, "script", "stand-in"), page)
        record.add_item(StoredItem(StorageType.COOKIE, "_ga", "127.0.0.1", expires=-1), "/", time.time())
        runs.append(run)
    checker = Checker(policy, classifier, banner_name="custom")
    reported = checker.run(runs)
    findings = [(f.rule.value, f.scenario, f.item, f.vendor, f.pages_count) for f in reported]
    assert findings == [
        ("audit-before-consent", "before-consent", "_ga", "google_analytics", 1),  # its vendor: the one requested
        ("audit-before-consent", "before-consent", "www.googletagmanager.com/gtag/js", "google_analytics", 2),
        ("audit-unknown-host", "before-consent", "unknown.example/a.js", None, 2),
    ]
    assert checker.managers == {"cookiebot": "Cookiebot consent banner"}  # the fixes use its syntax
    assert sorted(asked) == sorted(urls)  # was 18: three passes over every record's requests
    assert "data-cookieconsent" in reported[0].fix
