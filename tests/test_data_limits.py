"""Hostile or broken data files: each is a DataError with file:line:col, never a traceback or a hang."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from policypress.errors import DataError
from policypress.loader import load_policy
from policypress.yamlsource import MAX_DEPTH, MAX_FILE_BYTES, MAX_STRING_CHARS

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "policy_data")
    monkeypatch.chdir(tmp_path)  # messages name files relative to the working directory
    return tmp_path / "policy_data"


def errors(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_policy(data)
    return [str(issue) for issue in caught.value.issues]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_nul_byte_is_reported_at_its_place(data):
    (data / "policy.yaml").write_bytes(b"title: {en: Privacy\x00 policy, sv: Integritetspolicy}\n")
    assert errors(data) == ["policy_data/policy.yaml:1:20: contains the control character U+0000; remove it"]


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85", "\x9b", "\u2028"])
def test_raw_control_characters_are_refused(data, char):
    replace(data / "controller.yaml", "Acme AB", f"Acme{char} AB")
    (line,) = errors(data)
    assert line == f"policy_data/controller.yaml:3:19: contains the control character U+{ord(char):04X}; remove it"


def test_control_characters_written_as_escapes_are_refused_with_their_path(data):
    replace(data / "controller.yaml", "legal_name: Acme AB", 'legal_name: "Acme\\x07 AB"')
    assert errors(data) == [
        "policy_data/controller.yaml:3:15: controller.legal_name: contains the control character U+0007 "
        "(written as an escape); remove it"
    ]


def test_deep_nesting_is_refused_not_a_recursion_error(data):
    (data / "policy.yaml").write_text("title: " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    (line,) = errors(data)
    assert line.startswith(f"policy_data/policy.yaml:1:{7 + MAX_DEPTH}: title[0][0]")
    assert line.endswith(f"nested more than {MAX_DEPTH} levels deep; refusing to read further")


def test_nesting_just_within_the_limit_is_read_and_checked(data):
    (data / "policy.yaml").write_text("title: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    assert errors(data) == ["policy_data/policy.yaml:1:1: title: expected a mapping (key: value), got a list"]


def test_aliases_that_nest_deeper_than_the_limit_are_refused(data):
    # The document itself is the first level. Each anchor is shallow, but every alias adds its depth to the next.
    levels = ["a0: &a0 x"] + [f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]" for i in range(1, 10)]
    (data / "policy.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    (line,) = errors(data)
    assert line == f"policy_data/policy.yaml:8:14: a7[0][0][0][0][0]: anchors and aliases nest values more than {MAX_DEPTH} levels deep"


def test_an_oversized_file_is_refused_unread(data):
    with open(data / "sections.yaml", "ab") as handle:
        handle.write(b"# padding\n" * (5 * 1024 * 1024))  # a 50 MB file
    assert errors(data) == [
        f"policy_data/sections.yaml: is {(data / 'sections.yaml').stat().st_size:,} bytes; "
        f"the limit for a data file is {MAX_FILE_BYTES:,} bytes (2 MiB)"
    ]


def test_a_long_text_is_refused(data):
    replace(data / "controller.yaml", "Acme AB", "A" * (MAX_STRING_CHARS + 1))
    assert errors(data) == [
        f"policy_data/controller.yaml:3:15: controller.legal_name: a text of {MAX_STRING_CHARS + 1:,} characters; "
        f"the limit is {MAX_STRING_CHARS:,}"
    ]


def test_latin1_utf16_and_a_folder_are_whole_file_errors(data):
    (data / "policy.yaml").write_bytes("title: {en: Privacy, sv: Integritetspolicy}\n".encode("utf-16"))
    (data / "controller.yaml").write_bytes("controller:\n  legal_name: Åre AB\n".encode("latin-1"))
    (data / "rights.yaml").unlink()
    (data / "rights.yaml").mkdir()
    assert errors(data) == [
        "policy_data/controller.yaml:2:15: not UTF-8 text (invalid continuation byte at byte 26); save it as UTF-8",
        "policy_data/policy.yaml: is UTF-16 text; save it as UTF-8",
        "policy_data/rights.yaml: is a folder, not a file",
    ]


def test_a_fifo_and_a_link_to_dev_zero_do_not_hang(data):
    (data / "policy.yaml").unlink()
    os.mkfifo(data / "policy.yaml")
    (data / "rights.yaml").unlink()
    (data / "rights.yaml").symlink_to("/dev/zero")
    message = "is not a regular file (a device, pipe or socket); policy data must be a plain file"
    assert errors(data) == [f"policy_data/policy.yaml: {message}", f"policy_data/rights.yaml: {message}"]


@pytest.mark.parametrize("content", [b"", b"# nothing here yet\n\n"])
def test_an_empty_file_says_so(data, content):
    (data / "policy.yaml").write_bytes(content)
    assert errors(data) == ["policy_data/policy.yaml: the file is empty (only comments or blank lines); it needs: title"]


def test_a_utf8_byte_order_mark_is_harmless(data):
    path = data / "policy.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_policy(data).meta.title.get("en") == "Privacy policy"


@pytest.mark.parametrize(
    "value,shown",
    [
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!python/object:os.system {}", "!!python/object:os.system"),
        ("!custom Acme", "!custom"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
        ("!!str Acme", "!!str"),
    ],
)
def test_tags_are_refused(data, value, shown):
    replace(data / "controller.yaml", "legal_name: Acme AB", f"legal_name: {value}")
    assert errors(data) == [
        f"policy_data/controller.yaml:3:15: controller.legal_name: the tag '{shown}' is not allowed: policy data "
        "is plain text, numbers, true/false, lists and mappings (put text in quotes instead of tagging it)"
    ]


def test_all_limit_errors_of_all_files_come_at_once(data):
    replace(data / "controller.yaml", "legal_name: Acme AB", "legal_name: !!binary aGVsbG8=")
    (data / "policy.yaml").write_bytes(b"title: \x00\n")
    replace(data / "cookies.yaml", "duration: P2Y", "duration: P200Y")
    lines = errors(data)
    assert [line.split(": ")[0] for line in lines] == [
        "policy_data/controller.yaml:3:15",
        "policy_data/cookies.yaml:7:5",
        "policy_data/policy.yaml:1:8",
    ]


def test_huge_integers_are_refused_not_a_conversion_crash(data):
    replace(data / "controller.yaml", "legal_name: Acme AB", "legal_name: " + "9" * 5000)
    (line,) = errors(data)
    assert line.startswith("policy_data/controller.yaml:3:15: the number 99999999999999999... is too large")


@pytest.mark.parametrize(
    "duration,message",
    [
        ("P\u0662Y", "'P\u0662Y' is not a duration: write an ISO 8601 duration"),
        ("P99999999999999999999Y", "'P99999999999999999999Y' is too long: a duration is at least 1 second (PT1S) "
         "and at most 100 years (P100Y)"),
        ("P101Y", "'P101Y' is too long: a duration is at least 1 second (PT1S) and at most 100 years (P100Y)"),
        ("P1300M", "'P1300M' is too long"),
    ],
)
def test_durations_are_ascii_iso_8601_within_a_century(data, duration, message):
    replace(data / "cookies.yaml", "duration: P2Y", f"duration: {duration}")
    (line,) = errors(data)
    assert line.startswith(f"policy_data/cookies.yaml:7:5: cookies._ga.duration: {message}")


def test_a_century_is_still_a_duration(data):
    replace(data / "cookies.yaml", "duration: P2Y", "duration: P100Y")
    assert load_policy(data).cookies["_ga"].duration.label("en") == "100 years"


@pytest.mark.parametrize(
    "name",
    ["_g\u202ea", "_g\u2066a", "_g\x01a", "a/b", "../_ga", "/../_ga", "_ga\\x", "_gä", "a b", "x" * 257],
)
def test_odd_cookie_names_are_refused(data, name):
    escaped = name.replace("\\", "\\\\").encode("unicode_escape").decode("ascii").replace("\\\\\\\\", "\\\\")
    replace(data / "cookies.yaml", "  _ga:", f'  "{escaped}":')
    (line,) = errors(data)
    assert line.startswith("policy_data/cookies.yaml:2:3: cookies")
    refusals = ("is not a valid cookie or storage-key name", "is too long: at most 256 characters", "control character")
    assert any(refusal in line for refusal in refusals), line


def test_a_storage_key_may_carry_a_path_scope_but_a_cookie_may_not(data):
    cookies = data / "cookies.yaml"
    replace(cookies, "  _ga:", '  "/docs/.__consent":')
    replace(cookies, "type: cookie", "type: localStorage")
    assert "/docs/.__consent" in load_policy(data).cookies
    replace(cookies, "type: localStorage", "type: cookie")
    assert errors(data) == [
        "policy_data/cookies.yaml:2:3: cookies[\"/docs/.__consent\"]: '/docs/.__consent' is a cookie, and a cookie "
        "name cannot contain '/' (only a localStorage or sessionStorage key may start with a path scope)"
    ]


@pytest.mark.parametrize("key", ["acm\u202ee", "acme/x", "a" * 65])
def test_odd_ids_are_refused(data, key):
    replace(data / "controller.yaml", "id: acme", f'id: "{key}"')
    (line,) = errors(data)
    assert line.startswith("policy_data/controller.yaml:2:3: controller.id: ")
    assert "is not a valid id" in line or "too long: at most 64 characters" in line


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<script>x</script>", "vbscript:x"])
def test_a_website_that_would_run_code_is_a_data_error(data, url):
    controller = data / "controller.yaml"
    text = controller.read_text(encoding="utf-8")
    controller.write_text(text.rstrip("\n") + f'\n  website: "{url}"\n', encoding="utf-8")
    assert any(
        line.startswith("policy_data/controller.yaml:") and "controller.website: a web address must be an http, "
        "https or mailto URL (or relative)" in line
        for line in errors(data)
    ), errors(data)


def test_an_https_website_is_accepted(data):
    controller = data / "controller.yaml"
    text = controller.read_text(encoding="utf-8")
    controller.write_text(text.rstrip("\n") + '\n  website: "https://example.org/"\n', encoding="utf-8")
    assert load_policy(data).controller.website == "https://example.org/"


def test_a_byte_order_mark_inside_a_file_is_refused_with_its_place(tmp_path) -> None:
    from policypress.yamlsource import read_source

    path = tmp_path / "recipients.yaml"
    path.write_text("\ufeffrecipients:\n  google:\n    \ufeffname: x\n", encoding="utf-8")
    text, issues = read_source(path, "recipients.yaml")
    assert text is None
    assert [(i.line, i.column) for i in issues] == [(3, 5)]
    assert "U+FEFF" in issues[0].message
