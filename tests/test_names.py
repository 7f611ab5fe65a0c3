"""Storage-name patterns: when a declared name and a vendor's name can be the same cookie.

Every pair below was worked out by hand: "overlap" means a real name fits both, made from one
of them with its variable parts left empty or filled (the name in the comment).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clirun import Cli, cli  # noqa: F401  (cli is a fixture)
from policypress.trackers.names import globs_intersect, names_overlap, parse_name

PAIRS = [
    # (a, b, overlap): concrete names against patterns
    ("_ga", "_ga", True),
    ("_ga", "_gat", False),
    ("_ga_ABC123", "_ga_<measurement-id>", True),
    ("_ga_ABC123", "_ga_*", True),
    ("_gat", "_ga*", True),
    ("_ga", "_ga_*", False),  # the underscore is literal
    ("/docs/.__consent", "/<path>.__consent", True),
    ("__consent", "/<path>.__consent", False),  # Material's key always starts with its scope's "/"
    ("_hjSessionUser_123456", "*.__consent", False),
    # patterns against patterns
    ("*.__consent", "_hjSessionUser_<site-id>", False),  # the false error of issue 12
    ("*.__consent", "_hjSession_<site-id>", False),
    ("*.__consent", "/<path>.__consent", True),  # "/0.__consent"
    ("*.__palette", "/<path>.__consent", False),
    ("_ga_*", "_ga_<measurement-id>", True),  # "_ga_0"
    ("_ga*", "_gat_gtag_<property-id>", True),  # "_gat_gtag_0"
    ("_gat_gtag_UA_*", "_gat_gtag_<property-id>", True),  # "_gat_gtag_UA_0"
    ("_gat_gtag_*", "_ga_<measurement-id>", False),  # "_gat" against "_ga_": the fourth letter differs
    ("_pk_id.*", "_pk_id.<site-id>.<domain-hash>", True),  # "_pk_id.0.0"
    ("_pk_ses.*", "_pk_id.<site-id>.<domain-hash>", False),
    ("x*", "y*", False),
    ("*x", "*y", False),
    ("*", "_ga_<measurement-id>", True),
    # Each could swallow the other's literal part ("acb", "_fbp_.__consent"): no real name is made so.
    ("a*b", "*c*", False),
    ("_fbp*", "*.__consent", False),
]


@pytest.mark.parametrize(("a", "b", "overlap"), PAIRS)
def test_name_pairs_checked_by_hand(a: str, b: str, overlap: bool) -> None:
    assert names_overlap(parse_name(a), parse_name(b)) is overlap
    assert names_overlap(parse_name(b), parse_name(a)) is overlap


@pytest.mark.parametrize(
    ("a", "b", "meet"),
    [
        # URLs with a template placeholder (as *) against a signature's path (a prefix: a last empty part).
        (("/gtag/js?id=", ""), ("/gtag/js?id=G-", ""), True),
        (("/gtag/js?id=", "&l=dataLayer"), ("/gtag/js?id=G-", ""), True),  # "/gtag/js?id=G-&l=dataLayer"
        (("/gtag/js?id=", ""), ("/gtm.js", ""), False),
        (("/", ".js"), ("/c/hotjar-", ""), True),
        (("/x.js",), ("/y.js", ""), False),
    ],
)
def test_url_globs_intersect_by_language(a: tuple[str, ...], b: tuple[str, ...], meet: bool) -> None:
    assert globs_intersect(a, b) is meet
    assert globs_intersect(b, a) is meet


def test_long_urls_do_not_exhaust_the_stack() -> None:
    long = ("/" + "a" * 20_000, "")
    assert globs_intersect(long, ("/a", "")) is True
    assert globs_intersect(long, ("/b", "")) is False


COOKIES = """\
cookies:
  "*.__consent":
    provider: cmt
    party: first
    type: localStorage
    category: necessary
    duration: P1Y
    purpose: {en: Remembers the visitor's consent choices., sv: Kommer ihåg besökarens samtyckesval.}
    consent_required: false
"""

HOTJAR = (
    "<!doctype html><html><head>\n"
    '<script type="text/plain" data-category="analytics" src="https://static.hotjar.com/c/hotjar-1.js?sv=6"></script>\n'
    "</head></html>\n"
)


def _data_with_consent_pattern(tmp_path: Path) -> Path:
    data = tmp_path / "policy_data"
    source = Path(__file__).parent / "fixtures" / "sites" / "compliant" / "policy_data"
    data.mkdir()
    for path in source.iterdir():
        if path.is_file():
            (data / path.name).write_bytes(path.read_bytes())
    (data / "cookies.yaml").write_text(COOKIES, encoding="utf-8")
    return data


def test_a_hotjar_cookie_is_not_a_wrongly_typed_consent_key(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    # Before: "'*.__consent' is declared as localStorage, but Hotjar stores '_hjSessionUser_*' in cookie".
    data = _data_with_consent_pattern(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(HOTJAR, encoding="utf-8")
    code, out, err = cli("scan", site, "--data", data, "--format", "json")
    assert code == 1, err  # Hotjar's cookies are undeclared: that is real
    findings = json.loads(out)["findings"]
    assert [f for f in findings if f["rule"] == "wrong-type"] == []
    undeclared = {f["vendor"] for f in findings if f["rule"] == "undeclared"}
    assert undeclared == {"hotjar"}
    # Nothing on the page sets the declared key: that is all the scan says about it.
    assert {f["rule"] for f in findings if "*.__consent" in f["message"]} == {"declared-not-observed"}
