"""Swedish a lawyer signs: the draft's Swedish texts, our interface texts and the built Swedish pages
use the terms of the Swedish GDPR text and IMY, never a known wrong variant (tests/fixtures/glossary-sv.yaml).
Frozen releases keep their text; their pages are checked only for our interface texts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from pydantic import BaseModel

from conftest import ROOT, run_mkdocs_build
from policypress.i18n import Text
from policypress.loader import load_policy
from policypress.locales import catalog
from policypress.model import Block

GLOSSARY = yaml.safe_load((ROOT / "tests" / "fixtures" / "glossary-sv.yaml").read_text(encoding="utf-8"))["terms"]
WRONG = [
    (entry["term"], re.compile(rf"(?<![\w-]){pattern}(?![\w-])", re.IGNORECASE))
    for entry in GLOSSARY
    for pattern in entry["wrong"]
]


def offences(text: str) -> list[str]:
    text = " ".join(text.split())
    return [f"{match.group(0)!r} (write: {term})" for term, pattern in WRONG for match in pattern.finditer(text)]


def test_the_glossary_has_the_terms_and_their_sources():
    terms = {entry["term"] for entry in GLOSSARY}
    for needed in ["personuppgiftsansvarig", "personuppgiftsbiträde", "den registrerade", "rättslig grund",
                   "berättigat intresse", "tredjeland", "lagringstid", "onlineidentifikator", "förstapartscookie",
                   "tredjepartscookie", "rätt till dataportabilitet"]:
        assert needed in terms
    assert all(entry["source"] for entry in GLOSSARY)


@pytest.mark.parametrize(
    "wrong",
    ["Online-identifierare (cookie-id)", "Cookie, förstapart", "Vad de gör åt oss", "rätt att lämna klagomål",
     "gäller sedan 25 november 2026", "Skyddsåtgärd vid överföring utanför EES", "Närstående företag",
     "Ändra cookie-inställningar", "Initialiserar sök"],
)
def test_the_errors_of_the_review_are_caught(wrong):
    assert offences(wrong)


def test_right_terms_pass():
    assert not offences("rätt att lämna in klagomål till Integritetsskyddsmyndigheten, gäller sedan den 25 november 2026")


def swedish_texts(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Every Swedish text in a loaded policy, with where it is."""
    if isinstance(value, Text):
        yield where, value.get("sv")
    elif isinstance(value, BaseModel):
        if isinstance(value, Block) and value.paragraph is not None:
            yield where, value.paragraph.get("sv")
        for name in type(value).model_fields:
            yield from swedish_texts(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from swedish_texts(item, f"{where}.{key}")
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from swedish_texts(item, f"{where}[{i}]")


def test_the_swedish_texts_of_the_draft():
    policy = load_policy(ROOT / "policy_data")
    parts = [policy.meta, policy.activities, policy.recipients, policy.cookies, policy.rights, policy.sections]
    texts = [pair for part in parts for pair in swedish_texts(part)]
    assert len(texts) > 100
    found = [f"{where}: {offence}" for where, text in texts for offence in offences(text)]
    assert found == []


def ui_texts() -> Iterator[tuple[str, str]]:
    """Every text of locales/sv.yaml: table headings, notices, vocabulary labels, Material corrections."""
    yield from catalog("sv").items()


def test_our_interface_texts():
    found = [f"{key}: {offence}" for key, text in ui_texts() for offence in offences(text)]
    assert found == []


@pytest.fixture(scope="module")
def preview_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("glossary") / "site"
    result = run_mkdocs_build(ROOT, site, {"POLICY_DATE": "2026-12-01", "POLICYPRESS_PREVIEW": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def page_text(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_the_built_swedish_draft_page(preview_site):
    soup = page_text(preview_site / "sv" / "integritetspolicy" / "draft" / "index.html")
    text = soup.get_text(" ", strip=True)
    assert "Förbereder sökningen" in str(soup)  # Material's search box, corrected
    assert offences(text + " " + str(soup.select_one("[data-md-component=search-result]") or "")) == []


def test_the_ui_texts_of_frozen_swedish_pages(preview_site):
    soup = page_text(preview_site / "sv" / "integritetspolicy" / "1.0" / "index.html")
    # Only our texts around the frozen data: the notices, the table headings and captions, the theme.
    ours = [*soup.select(".pp-version"), *soup.select("thead"), *soup.select("caption"),
            *soup.select("[data-md-component=search]")]
    assert ours
    assert offences(" ".join(part.get_text(" ", strip=True) for part in ours)) == []
    cells = [row.find_all("td")[1].get_text(" ", strip=True) for row in soup.select("#table-cookies tbody tr")]
    assert cells and all(cell.startswith("Förstapartscookie") or "," in cell for cell in cells)
