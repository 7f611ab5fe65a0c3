"""The context escapers in policypress.escape, each with its edge cases."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from policypress import escape
from policypress.errors import DataIssue

HOSTILE = "'\"><img src=x onerror=alert(1)></script>\u2028\n::error::x & y"


def test_html_escapes_markup_and_both_quotes() -> None:
    out = str(escape.html(HOSTILE))
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out and "&amp; y" in out


@pytest.mark.parametrize("value", [HOSTILE, {"k</script>": ["<!--", "\u2029", "a&b"]}])
def test_script_json_cannot_close_a_script_and_stays_json(value: object) -> None:
    out = escape.script_json(value)
    assert not any(ch in out for ch in "<>&\u2028\u2029")
    assert json.loads(out) == value


def test_script_json_compact_drops_spaces() -> None:
    assert escape.script_json({"a": [1, 2]}, compact=True) == '{"a":[1,2]}'


def test_script_regex_escapes_what_would_end_the_literal_or_the_script() -> None:
    import re

    source = "^" + re.escape("a/b</script>\n&") + "$"
    out = escape.script_regex(source)
    assert out.startswith("/^") and out.endswith("$/")
    assert "</" not in out and "\n" not in out and "&" not in out
    # Every slash inside is escaped, so the literal ends only at the last one.
    assert out[1:-1].replace("\\/", "").count("/") == 0


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x00javascript:alert(1)",
        "java\u202escript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "1javascript:alert(1)",
        "http://[::1",
    ],
)
def test_safe_url_refuses_script_schemes_and_controls(url: str) -> None:
    with pytest.raises(escape.UnsafeURL):
        escape.safe_url(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://imy.se/", "https://imy.se/"),
        ("HTTP://example.com", "HTTP://example.com"),
        ("mailto:privacy@example.com", "mailto:privacy@example.com"),
        ("  https://example.com/a?b=c:d  ", "https://example.com/a?b=c:d"),
        ("//cdn.example.com/x", "//cdn.example.com/x"),  # protocol-relative: http(s) only
        ("../privacy-policy/#table-cookies", "../privacy-policy/#table-cookies"),
        ("page?x=a:b", "page?x=a:b"),
        ("", ""),
    ],
)
def test_safe_url_passes_web_links(url: str, expected: str) -> None:
    assert escape.safe_url(url) == expected


def test_unsafe_url_message_is_one_line() -> None:
    with pytest.raises(escape.UnsafeURL) as info:
        escape.safe_url("javascript:\n::error::x")
    assert "\n" not in str(info.value)


def test_xml_escapes_and_drops_what_xml_cannot_carry() -> None:
    value = "a <b> & \"c\" 'd' ]]> \x00\x1b\ufffe end"
    out = escape.xml(value)
    root = ET.fromstring(f'<r a="{out}">{out}</r>')
    assert root.text == root.get("a") == "a <b> & \"c\" 'd' ]]>  end"
    assert escape.xml_text("x\x01\ny\U0001f600") == "x\ny\U0001f600"


def test_markdown_escapes_markup_and_keeps_one_line() -> None:
    out = escape.markdown("# <img src=x> | *a* [l](javascript:x)\n- item")
    assert "<" not in out and "\n" not in out
    assert out.startswith("\\#") and "\\|" in out and "\\*a\\*" in out and "\\[l\\](" in out
    # Line-start markers are escaped only where a line starts; version numbers stay readable.
    assert escape.markdown("1. first") == "1\\. first" and escape.markdown("Version 1.0") == "Version 1.0"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a\n::error title=X::owned", "a\\n::error title=X::owned"),
        ("a\r\n::add-mask::x", "a\\r\\n::add-mask::x"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("tab\there", "tab\\there"),
        ("next\x85line", "next\\x85line"),
        ("sep\u2028line", "sep\\u2028line"),
        ("bidi \u202egnp.exe", "bidi \\u202egnp.exe"),
        ("isolate \u2066x\u2069", "isolate \\u2066x\\u2069"),
        ("family \U0001f468\u200d\U0001f469", "family \U0001f468\u200d\U0001f469"),  # ZWJ emoji stay
        ("åäö ÅÄÖ", "åäö ÅÄÖ"),
    ],
)
def test_terminal_shows_controls_escaped(value: str, shown: str) -> None:
    assert escape.terminal(value) == shown


def test_data_issue_is_one_line_whatever_the_data_holds() -> None:
    issue = DataIssue("cookies.yaml", 3, 5, 'cookies["a"].category', "'x\n::error title=X::owned' is not one of necessary")
    text = str(issue)
    assert "\n" not in text
    assert text == "cookies.yaml:3:5: cookies[\"a\"].category: 'x\\n::error title=X::owned' is not one of necessary"
