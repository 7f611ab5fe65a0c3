"""What the scan recognises in markup and code: names, URLs, consent gating, storage writes, signatures."""

from __future__ import annotations

import pytest

from policypress.scan.javascript import storage_writes
from policypress.trackers.matching import compile_signatures, parse_url
from policypress.trackers.names import names_overlap, parse_name
from policypress.scan.page import parse_page
from policypress.trackers.signatures import load_signatures
from policypress.vocabulary import CookieCategory

SIGNATURES = load_signatures()
MATCHERS = compile_signatures(SIGNATURES)


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("_ga_*", "_ga_<measurement-id>", True),  # declared pattern against a signature pattern
        ("_ga_ABC123", "_ga_<measurement-id>", True),
        ("_ga_*", "_ga", False),
        ("_ga", "_ga", True),
        ("_ga*", "_gat", True),
        ("_gat_gtag_*", "_ga_<measurement-id>", False),
        (".AspNetCore.Antiforgery.*", ".AspNetCore.Antiforgery.<suffix>", True),
        ("__RequestVerificationToken", ".AspNetCore.Antiforgery.<suffix>", False),
        ("/.__consent", "/<path>.__consent", True),
        ("/docs/.__consent", "/<path>.__consent", True),
        ("__consent", "/<path>.__consent", False),
        ("_ga_*", "/<path>.__palette", False),
        # "acb" fits both, but only with each pattern's wildcard swallowing the other's literal part
        # (see test_names.py): not an overlap of real names.
        ("a*b", "*c*", False),
        ("x*", "y*", False),
        ("*x", "*y", False),
        ("*", "anything", True),
    ],
)
def test_name_patterns_meet_both_ways(a: str, b: str, overlap: bool) -> None:
    assert names_overlap(parse_name(a), parse_name(b)) is overlap
    assert names_overlap(parse_name(b), parse_name(a)) is overlap


@pytest.mark.parametrize(
    ("value", "page_dir", "host", "rest"),
    [
        ("https://www.googletagmanager.com/gtag/js?id=G-1", "/", "www.googletagmanager.com", "/gtag/js?id=G-1"),
        ("//fonts.googleapis.com/css?family=Roboto", "/en/", "fonts.googleapis.com", "/css?family=Roboto"),
        ("HTTPS://User@Static.Hotjar.com:443/c/hotjar-1.js", "/", "static.hotjar.com", "/c/hotjar-1.js"),
        ("../../assets/javascripts/bundle.x.min.js", "/en/privacy", None, "/assets/javascripts/bundle.x.min.js"),
        ("/js/app.js?v=3#top", "/en", None, "/js/app.js?v=3"),
    ],
)
def test_urls_are_reduced_to_host_and_path(value: str, page_dir: str, host: str | None, rest: str) -> None:
    url = parse_url(value, page_dir)
    assert url is not None and (url.host, url.rest) == (host, rest)


@pytest.mark.parametrize("value", ["data:text/javascript,1", "javascript:void(0)", "mailto:a@b.se", "#top", ""])
def test_addresses_that_fetch_nothing_are_ignored(value: str) -> None:
    assert parse_url(value, "/") is None


def hits(html: str) -> list[tuple[str, bool, int]]:
    found = parse_page(MATCHERS, "index.html", html)
    return sorted((hit.compiled.vendor_id, hit.gate.held, hit.line) for hit in found.hits)


GA = "https://www.googletagmanager.com/gtag/js?id=G-TEST1"


@pytest.mark.parametrize(
    ("markup", "held"),
    [
        (f'<script async src="{GA}"></script>', False),
        (f'<script type="text/plain" data-category="analytics" src="{GA}"></script>', True),
        (f'<script type="text/plain" data-cookieconsent="statistics" src="{GA}"></script>', True),
        (f'<script type="text/plain" data-type="text/javascript" data-name="ga" data-src="{GA}"></script>', True),
        # Consent managers run these categories without asking.
        (f'<script type="text/plain" data-category="necessary" src="{GA}"></script>', False),
        (f'<script type="text/plain" data-cookieconsent="ignore" src="{GA}"></script>', False),
        # A consent attribute on a script the browser runs anyway holds nothing back.
        (f'<script data-category="analytics" src="{GA}"></script>', False),
    ],
)
def test_script_gating(markup: str, held: bool) -> None:
    assert hits(f"<html><head>\n{markup}\n</head></html>") == [("google_analytics", held, 2)]


@pytest.mark.parametrize(
    ("markup", "held"),
    [
        ('<iframe src="https://www.youtube.com/embed/x"></iframe>', False),
        ('<iframe data-name="youtube" data-src="https://www.youtube.com/embed/x"></iframe>', True),
        ('<iframe data-cookieblock-src="https://www.youtube.com/embed/x" data-cookieconsent="marketing"></iframe>', True),
        # data-src alone is how lazy loaders work: they load it without asking.
        ('<iframe class="lazyload" data-src="https://www.youtube.com/embed/x"></iframe>', False),
        ('<noscript><img src="https://www.facebook.com/tr?id=1&ev=PageView" height="1"></noscript>', False),
    ],
)
def test_embed_gating(markup: str, held: bool) -> None:
    (hit,) = hits(f"<html><body>\n{markup}\n</body></html>")
    assert hit[1] is held


def test_scripts_that_never_run_are_not_trackers() -> None:
    page = (
        f'<noscript><script src="{GA}"></script></noscript>\n'
        f'<script type="application/ld+json">{{"url": "{GA}"}}</script>\n'
    )
    assert hits(page) == []


def test_inline_snippet_line_is_the_line_of_the_loader() -> None:
    page = (
        "<html><head>\n"
        "<script>\n"
        "  var x = 1;\n"
        "  (function(h,o,t,j,a,r){h._hjSettings={hjid:1,hjsv:6};})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');\n"
        "</script>\n"
    )
    assert hits(page) == [("hotjar", False, 4)]


def test_material_consent_check_in_code_holds_a_vendor_back() -> None:
    page = (
        '<script>var consent = __md_get("__consent");\n'
        "if (consent && consent.analytics) { var s = document.createElement('script');\n"
        "  s.src = 'https://static.hotjar.com/c/hotjar-1.js?sv=6'; }</script>\n"
    )
    assert hits(page) == [("hotjar", True, 3)]


def test_umbraco_token_tells_aspnet_core_from_mvc() -> None:
    core = parse_page(MATCHERS, "c.html", '<input name="__RequestVerificationToken" type="hidden" value="CfDJ8abc">')
    mvc = parse_page(MATCHERS, "m.html", '<input name="__RequestVerificationToken" type="hidden" value="x9Yq-abc">')
    assert [hit.compiled.detector.sets for hit in core.hits] == [(".AspNetCore.Antiforgery.<suffix>",)]
    assert [hit.compiled.detector.sets for hit in mvc.hits] == [("__RequestVerificationToken",)]


def test_fonts_imported_from_a_style_block_are_seen() -> None:
    page = "<style>\n@import url('https://fonts.googleapis.com/css2?family=Inter');\n</style>"
    assert hits(page) == [("google_fonts", False, 2)]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ('document.cookie = "lang=sv; path=/";', [("cookie", "lang")]),
        ("document.cookie = 'cmt_seen=' + Date.now();", [("cookie", "cmt_seen")]),
        ('localStorage.setItem("theme", "dark");', [("localStorage", "theme")]),
        ("window.sessionStorage.setItem('step', 2);", [("sessionStorage", "step")]),
        ('localStorage["recent"] = "[]";', [("localStorage", "recent")]),
        ("sessionStorage.cartId = id;", [("sessionStorage", "cartId")]),
        # Reads, comparisons and names built at run time are not literal writes.
        ('localStorage.getItem("theme"); if (document.cookie == "a=b") {}', []),
        ("document.cookie = name + '=' + value;", []),
        ("localStorage.setItem(`${prefix}-x`, 1);", []),
        ('t.setItem(a.pathname+"."+e, JSON.stringify(_))', []),
    ],
)
def test_literal_storage_writes(code: str, expected: list[tuple[str, str]]) -> None:
    assert [(write.type.value, write.name) for write in storage_writes(code)] == expected


def test_signatures_cover_the_vendors_the_issue_names() -> None:
    required = {
        "google_analytics", "google_tag_manager", "universal_analytics", "google_ads", "meta_pixel",
        "linkedin_insight", "microsoft_clarity", "hotjar", "hubspot", "mailchimp_forms", "youtube",
        "youtube_nocookie", "vimeo", "google_recaptcha", "google_fonts", "umbraco_forms", "cloudflare", "material",
    }
    assert required <= set(SIGNATURES.vendors)
    assert SIGNATURES.vendors["google_fonts"].transfers_ip and not SIGNATURES.vendors["google_fonts"].storage
    cloudflare = {entry.name for entry in SIGNATURES.vendors["cloudflare"].storage}
    assert {"__cf_bm", "cf_clearance", "_cfuvid"} <= cloudflare


def test_material_storage_matches_its_bundle() -> None:
    # Checked against Material 9.8's bundle: which keys, and in which storage.
    material = {entry.name.split(".", 1)[1]: entry.type.value for entry in SIGNATURES.vendors["material"].storage}
    assert material == {
        "__consent": "localStorage",
        "__palette": "localStorage",
        "__tabs": "localStorage",
        "__announce": "localStorage",
        "__outdated": "sessionStorage",
        "__source": "sessionStorage",
    }


def test_trackers_need_consent_and_plumbing_does_not() -> None:
    vendors = SIGNATURES.vendors
    assert vendors["hotjar"].category is CookieCategory.ANALYTICS
    assert vendors["meta_pixel"].category is CookieCategory.MARKETING
    assert vendors["umbraco_forms"].category is CookieCategory.NECESSARY
    assert vendors["material"].category is CookieCategory.NECESSARY
