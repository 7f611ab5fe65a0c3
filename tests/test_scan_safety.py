"""The scan on hostile folders: FIFOs, devices, links out, huge files, other encodings, odd names."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from policypress.loader import load_policy
from policypress.model import Policy
from policypress.scan import ScanReport, scan_site
from policypress.scan import reading
from policypress.scan.reading import MAX_PAGE_BYTES, SkippedFile, decode_html, read_bytes
from policypress.scan.report import render_text

# Declares Klaro's cookie only, so Hotjar on a page is an undeclared vendor: proof the page was read.
DATA = ROOT / "tests" / "fixtures" / "sites" / "undeclared-tracker" / "policy_data"
HOTJAR = '<script src="https://static.hotjar.com/c/hotjar-3871245.js?sv=6"></script>'
CLEAN = "<!doctype html><html><head><title>Clean</title></head><body><p>Nothing here.</p></body></html>"
TIMEOUT = 20


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(DATA)


def page(title: str, head: str = "", body: str = "") -> str:
    return f"<!doctype html><html><head>{head}<title>{title}</title></head><body>{body}</body></html>"


def scan(folder: Path, policy: Policy) -> ScanReport:
    """``scan_site`` in a thread, so that a scan that blocks fails the test instead of hanging it."""
    result: list[ScanReport] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(scan_site(folder, policy, data_dir=DATA))
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert not thread.is_alive(), f"the scan of {folder} did not finish within {TIMEOUT} s"
    if errors:
        raise errors[0]
    return result[0]


def rules(report: ScanReport) -> set[tuple[str, str | None, str | None]]:
    return {(f.rule.value, f.page, f.vendor) for f in report.findings}


def skipped(report: ScanReport) -> dict[str, str]:
    return {f.page or "": f.message for f in report.findings if f.rule.value == "skipped-file"}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "about.html").write_text(page("About", body="<p>About us.</p>"), encoding="utf-8")
    return folder


def test_a_fifo_named_index_html_is_reported_not_waited_for(site: Path, policy: Policy) -> None:
    os.mkfifo(site / "index.html")
    report = scan(site, policy)
    assert report.pages_scanned == 1
    assert "index.html was not scanned: a named pipe (FIFO), not a regular file." in skipped(report)["index.html"]
    (finding,) = [f for f in report.findings if f.page == "index.html"]
    assert finding.severity.value == "warning"
    assert report.exit_code == 0


def test_a_fifo_swapped_in_after_the_check_does_not_block_the_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "index.html"
    os.mkfifo(fifo)
    regular = os.stat(__file__)
    # The check saw a regular file; by the open, a FIFO is there (the race O_NONBLOCK closes).
    monkeypatch.setattr(reading.os, "lstat", lambda path: regular)
    outcome: list[BaseException | bytes] = []

    def read() -> None:
        try:
            outcome.append(read_bytes(fifo, tmp_path))
        except BaseException as exc:  # noqa: BLE001
            outcome.append(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    if thread.is_alive():
        with open(fifo, "wb"):  # let the blocked open return, so the thread ends
            pass
        pytest.fail("opening a FIFO blocked")
    (result,) = outcome
    assert isinstance(result, SkippedFile) and "named pipe" in str(result)


def test_a_symlink_to_dev_zero_is_skipped(site: Path, policy: Policy) -> None:
    (site / "zero.html").symlink_to("/dev/zero")
    report = scan(site, policy)
    assert "a symbolic link to a place outside the scanned folder" in skipped(report)["zero.html"]
    assert report.pages_scanned == 1


def test_a_symlink_to_a_device_inside_the_folder_is_skipped(site: Path, policy: Policy) -> None:
    # Inside the folder, a link is followed, but only to a regular file.
    os.mkfifo(site / "pipe")
    (site / "index.html").symlink_to("pipe")
    report = scan(site, policy)
    assert "a named pipe (FIFO), not a regular file" in skipped(report)["index.html"]


def test_a_symlink_out_of_the_folder_is_skipped(site: Path, policy: Policy, tmp_path: Path) -> None:
    outside = tmp_path / "secret.html"
    outside.write_text(page("Secret", head=HOTJAR), encoding="utf-8")
    (site / "index.html").symlink_to(outside)
    report = scan(site, policy)
    assert "outside the scanned folder" in skipped(report)["index.html"]
    assert ("undeclared", "index.html", "hotjar") not in rules(report)


def test_a_symlink_inside_the_folder_is_followed(site: Path, policy: Policy) -> None:
    (site / "real.html").write_text(page("Real", head=HOTJAR), encoding="utf-8")
    (site / "index.html").symlink_to("real.html")
    report = scan(site, policy)
    assert skipped(report) == {}
    assert {page for rule, page, vendor in rules(report) if vendor == "hotjar"} == {"index.html"}
    assert report.vendors_seen["hotjar"] == 2


def test_a_script_linked_out_of_the_folder_is_not_read(site: Path, policy: Policy, tmp_path: Path) -> None:
    outside = tmp_path / "tracker.js"
    outside.write_text("var s='https://static.hotjar.com/c/hotjar-1.js';", encoding="utf-8")
    (site / "js").mkdir()
    (site / "js" / "app.js").symlink_to(outside)
    (site / "index.html").write_text(page("Home", head='<script src="/js/app.js"></script>'), encoding="utf-8")
    report = scan(site, policy)
    assert "outside the scanned folder" in skipped(report)["js/app.js"]
    assert "hotjar" not in report.vendors_seen


def test_a_20_mib_page_is_reported_and_not_read(site: Path, policy: Policy) -> None:
    big = site / "dump.html"
    with big.open("wb") as out:
        out.write(page("Dump", head=HOTJAR).encode())
        out.truncate(20 * 1024 * 1024)
    report = scan(site, policy)
    message = skipped(report)["dump.html"]
    assert f"{20 * 1024 * 1024} bytes, more than the {MAX_PAGE_BYTES}" in message
    assert "hotjar" not in report.vendors_seen


def test_a_file_that_grows_past_the_cap_is_never_read_past_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grown = tmp_path / "grown.html"
    grown.write_bytes(b"x" * 10_000)
    (tmp_path / "small").write_bytes(b"x" * 10)
    small = os.stat(tmp_path / "small")
    real_read = os.read
    read: list[int] = []

    def counting_read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        read.append(len(chunk))
        return chunk

    # When the check ran the file was small; it grew before the read.
    monkeypatch.setattr(reading.os, "lstat", lambda path: small)
    monkeypatch.setattr(reading.os, "read", counting_read)
    with pytest.raises(SkippedFile, match="more than the 50 bytes"):
        read_bytes(grown, tmp_path, limit=50)
    assert sum(read) == 51
    assert read_bytes(grown, tmp_path, limit=10_000) == b"x" * 10_000


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-8-sig"])
def test_a_page_with_a_byte_order_mark_is_decoded_by_it(site: Path, policy: Policy, codec: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00", "utf-8-sig": b""}
    text = page("Hem – Café", head='<meta charset="utf-8">' + HOTJAR)
    (site / "index.html").write_bytes(bom[codec] + text.encode(codec))
    report = scan(site, policy)
    assert ("undeclared", "index.html", "hotjar") in rules(report)
    found = [f for f in report.findings if f.page == "index.html" and f.vendor == "hotjar"]
    assert found and all(f.line == 1 and "static.hotjar.com" in (f.element or "") for f in found)


def test_start_tags_whose_quotes_never_close_are_read_once(site: Path, policy: Policy) -> None:
    # A cut-off or hostile page: after a tracker, 40,000 "<script" each with a quote and no ">" after them.
    # Looking for the tracker's start tag used to scan from each of them to the end of the page
    # (8,000 of them took 5.5 s, 40,000 would take minutes); the scan must finish within TIMEOUT.
    junk = '<script "\n' * 40_000
    (site / "index.html").write_text(f"<html><head>\n{HOTJAR}\n<!-- {junk}", encoding="utf-8")
    report = scan(site, policy)
    lines = {(f.page, f.line, f.element) for f in report.findings if f.vendor == "hotjar"}
    assert lines == {("index.html", 2, HOTJAR.removesuffix("</script>"))}


def test_an_address_of_template_openers_that_never_close_is_read_once(site: Path, policy: Policy) -> None:
    # 100,000 "{{" and no "}}" in one address: each placeholder opener used to be scanned to the end
    # of the value (20,000 took 5 s, time growing with their square); the scan must finish within TIMEOUT.
    junk = "{{" * 100_000
    (site / "index.html").write_text(page("Openers", head=HOTJAR, body=f'<img src="/img/{junk}.png">'), encoding="utf-8")
    report = scan(site, policy)
    assert ("undeclared", "index.html", "hotjar") in rules(report)


def test_meta_charset_windows_1252_is_honoured(site: Path, policy: Policy) -> None:
    script = '<script>localStorage.setItem("café_€", "1");</script>'
    html = page("Café", head='<meta charset="windows-1252">' + script)
    (site / "index.html").write_bytes(html.encode("cp1252"))
    report = scan(site, policy)
    keys = {f.key for f in report.findings if f.page == "index.html"}
    assert keys == {"café_€"}


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "café €"),  # latin-1 is cp1252
        ("<meta charset=iso-8859-15>", "café €"),  # latin-9: € is 0xA4 (in windows-1252 that is ¤)
        ('<!-- <meta charset="koi8-r"> --><meta charset="windows-1252">', "café €"),
        ('<meta charset="utf-16">', "caf\ufffd \ufffd"),  # the spec: a meta cannot say UTF-16; UTF-8 it is
        ("", "caf\ufffd \ufffd"),  # no BOM, no meta: UTF-8, bad bytes replaced
    ],
    ids=["http-equiv", "latin-9", "commented-out", "utf-16-claim", "nothing"],
)
def test_decoding_order(head: str, expected: str) -> None:
    data = f"<html><head>{head}</head><body>".encode("ascii") + b"caf\xe9 \x80" + b"</body></html>"
    if "8859-15" in head:
        data = data.replace(b"\x80", b"\xa4")
    text = decode_html(data)
    assert expected in text


def test_a_meta_charset_after_the_first_1024_bytes_is_not_used() -> None:
    data = b"<html><head><!--" + b" " * 1100 + b'--><meta charset="windows-1252"></head>caf\xe9'
    assert decode_html(data).endswith("caf\ufffd")


def test_a_file_name_with_a_line_break_is_printed_escaped(site: Path, policy: Policy) -> None:
    name = "evil\n::error::owned.html"
    (site / name).write_text(page("Evil", head=HOTJAR), encoding="utf-8")
    os.mkfifo(site / "x\n::warning::pipe.html")
    report = scan(site, policy)
    assert ("undeclared", name, "hotjar") in rules(report)  # the finding keeps the real name
    text = render_text(report)
    lines = text.splitlines()
    assert not [line for line in lines if line.startswith("::")], text
    assert "evil\\n::error::owned.html" in text
    assert "x\\n::warning::pipe.html was not scanned" in text


def test_a_clean_folder_has_no_skipped_files(site: Path, policy: Policy) -> None:
    (site / "index.html").write_text(CLEAN, encoding="utf-8")
    report = scan(site, policy)
    assert skipped(report) == {}
    assert report.pages_scanned == 2
