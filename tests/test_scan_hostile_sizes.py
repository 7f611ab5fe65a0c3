"""Hostile or cut-off pages whose reading took time growing with the square of their size (or worse).

Each page here took the scan a minute or more before (measured: the same kind of page at a quarter
of the size took from 2 to 50 s) and takes well under a second now. Each is read in a thread that
must end within ``DEADLINE``, so a return of the old cost fails the test instead of holding the suite;
and what the page holds is still found, on its line.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from policypress.scan.consent_apis import NEGATED_AFTER
from policypress.scan.consent_code import Code
from policypress.scan.lookup import Regions
from policypress.scan.page import PageFindings, parse_page
from policypress.trackers.matching import compile_signatures
from policypress.trackers.signatures import load_signatures

MATCHERS = compile_signatures(load_signatures())
DEADLINE = 20
GTAG = "gtag('config','G-X');"


def script(body: str) -> str:
    return f"<html><body>\n<script>{body}</script></body></html>"


def fan_out(k: int) -> str:
    # f1 calls f0 k times, f2 calls f1 k times, ...: each call was judged again at every depth (k**4).
    calls = "".join(f"function f{i}(){{" + f"f{i - 1}();" * k + "}\n" for i in range(1, 5))
    return script(f"function f0(){{{GTAG}}}\n" + calls)


PAGES: dict[str, tuple[Callable[[], str], str, int]] = {
    # name: (the page, the vendor it holds, the line of its first sighting)
    "calls through four functions, 64 each": (lambda: fan_out(64), "google_analytics", 2),
    "20,000 start tags and nothing after them": (
        lambda: '<html><head>\n<script src="https://static.hotjar.com/c/hotjar-1.js"></script>\n<!-- ' + "<script " * 20_000,
        "hotjar", 2),
    "a callback calling a function 16,000 times, 16,000 times": (
        lambda: script(f"function f0(){{{GTAG}}}\nfunction f1(){{" + "f0();" * 16_000 + "}\n"
                       + "window.addEventListener('CookiebotOnAccept',function(){f1();});\n" * 16_000), "google_analytics", 2),
    "16,000 tags in a function never called": (lambda: script("function f(){" + GTAG * 16_000 + "}"), "google_analytics", 2),
    "16,000 checks in one condition": (
        lambda: script("if(" + "Cookiebot.consent.marketing " * 16_000 + "){" + GTAG + "}"), "google_analytics", 2),
    "16,000 guarded blocks": (lambda: script(("if(Cookiebot.consent.marketing){" + GTAG + "}\n") * 16_000), "google_analytics", 2),
    "32,000 callbacks": (
        lambda: script(("window.addEventListener('CookiebotOnAccept',function(){" + GTAG + "});\n") * 32_000),
        "google_analytics", 2),
    "32,000 Consent Mode defaults": (
        lambda: script("gtag('consent','default',{ad_storage:'denied'});\n" * 32_000 + GTAG), "google_analytics", 32_002),
    "80,000 storage writes": (lambda: script("localStorage.a=1;\n" * 80_000 + GTAG), "google_analytics", 80_002),
    "60,000 addresses in a style": (
        lambda: "<html><head>\n<style>" + "a{background:url(//fonts.googleapis.com/a.png)}\n" * 60_000 + "</style></head></html>",
        "google_fonts", 2),
    "8,000 images with a doubled src on one line": (
        lambda: "<html><body>\n" + '<img src="https://www.facebook.com/tr?id=1" src="//b.example/y.png">' * 8_000
        + "</body></html>", "meta_pixel", 2),
}


def read_within_deadline(html: str) -> PageFindings:
    found: list[PageFindings] = []
    thread = threading.Thread(target=lambda: found.append(parse_page(MATCHERS, "index.html", html)), daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert not thread.is_alive(), f"the page was not read within {DEADLINE} s"
    return found[0]


@pytest.mark.parametrize("name", PAGES)
def test_a_page_that_took_minutes_is_read_and_its_tracker_found_on_its_line(name: str) -> None:
    make, vendor, line = PAGES[name]
    found = read_within_deadline(make())
    lines = {hit.line for hit in found.hits if hit.compiled.vendor_id == vendor}
    assert lines and min(lines) == line, (name, sorted(lines)[:5])
    if name == "80,000 storage writes":
        assert [(write.name, write.line) for write in found.writes[::40_000]] == [("a", 2), ("a", 40_002)]


def test_the_negation_index_answers_as_the_negation_pattern() -> None:
    # lookup.Negations stands for NEGATED_AFTER.match(text[start:close]) without reading to close each time.
    rng = random.Random(2)
    pieces = ["=", "==", "===", "!", "!=", "<", "0", "-1", "false", "true", " ", "&", "|", "x", "(", ")", "\n"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        start = rng.randint(0, len(text))
        close = rng.randint(start, len(text))
        assert Code(text)._negated_after(start, close) == bool(NEGATED_AFTER.match(text[start:close])), (text, start, close)


def test_the_guard_index_finds_the_regions_around_a_place_as_reading_them_all() -> None:
    # lookup.Regions skips blocks of regions that end before the place; the answer must be the one a
    # reading of every region gives: those that hold the place, the last to start first, ties as given.
    rng = random.Random(9)
    for _ in range(500):
        size = rng.randint(1, 400)
        regions = []
        for _ in range(rng.randint(0, 120)):
            start = rng.randint(0, size)
            regions.append(Region(start, start + rng.choice([0, 1, 3, 10, 50, 400])))
        index = Regions(regions)
        for pos in range(0, size + 2, 7):
            every = sorted((i for i, r in enumerate(regions) if r.start <= pos < r.end), key=lambda i: -regions[i].start)
            assert [id(region) for region in index.around(pos)] == [id(regions[i]) for i in every], (regions, pos)


@dataclass(frozen=True)
class Region:
    start: int
    end: int
