"""Version 1.0 reproduces the published policy: every sentence of the seed is on the English page.

The seed (tests/fixtures/seed/privacy-policy-v1.txt) is the policy as CMT Konsult AB
published it, kept here verbatim so the test does not depend on anything outside
the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT

SEED = ROOT / "tests" / "fixtures" / "seed" / "privacy-policy-v1.txt"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def seed_statements() -> list[str]:
    """Each heading, bullet and sentence of the seed, in order."""
    statements = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = normalise(line.lstrip(" \u2022\t"))
        if not line:
            continue
        statements.extend(part for part in re.split(r"(?<=[.!?])\s+(?=[A-Z])", line) if part)
    return statements


# Version 1.0's frozen page: it shows 1.0 whatever the date of the build.
PAGE = "en/privacy-policy/1.0/index.html"


def english_page_text(site: Path) -> str:
    html = BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "html.parser")
    article = html.select_one("article")
    return normalise(article.get_text(""))


def test_seed_has_the_statements_we_expect():
    # Guards the splitter itself: a broken split would make the next test vacuous.
    statements = seed_statements()
    assert len(statements) > 70
    assert "Our product are hosted on a datacenter near Stockholm in Sweden." in statements
    assert "be de-identified; or" in statements


@pytest.mark.parametrize("statement", seed_statements())
def test_every_seed_statement_is_on_the_english_page(built_site, statement):
    assert statement in english_page_text(built_site)


def test_storage_facts_are_in_the_recipients_table(built_site):
    html = BeautifulSoup((built_site / PAGE).read_text(encoding="utf-8"), "html.parser")
    rows = {
        row.th.get_text(strip=True): normalise(row.get_text(" "))
        for row in html.select("#table-recipients tbody tr")
    }
    assert "Ireland" in rows["Microsoft (Office 365)"]
    assert "United States" in rows["MailChimp"]
    assert "Sweden" in rows["Datacenter near Stockholm"]


def test_google_analytics_opt_out_is_a_link(built_site):
    html = BeautifulSoup((built_site / PAGE).read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in html.select(".pp-policy a")]
    assert "https://tools.google.com/dlpage/gaoptout" in links
