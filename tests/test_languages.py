"""Any set of languages: tags checked with Babel, texts checked against the policy's languages,
the package's own texts in one locale file per language, and a site in three languages
(tests/fixtures/sites/three-languages: de, en, sv) with its pages, switcher and hreflang links."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from clirun import cli  # noqa: F401
from conftest import ROOT, run_mkdocs_build
from policypress.i18n import Lang, Text
from policypress.locales import SHIPPED_DIR, message
from policypress.release import ReleaseClass, create_release

FIXTURE = ROOT / "tests" / "fixtures" / "sites" / "three-languages"
PLACEHOLDER = re.compile(r"\{(\w+)\}")


# --- language tags -------------------------------------------------------------


@pytest.mark.parametrize(("tag", "normalised", "native", "english"), [
    ("en", "en", "English", "English"),
    ("sv", "sv", "Svenska", "Swedish"),
    ("de", "de", "Deutsch", "German"),
    ("pt-br", "pt-BR", "Português (Brasil)", "Portuguese (Brazil)"),
])
def test_a_language_is_a_bcp47_tag_named_by_babel(tag, normalised, native, english):
    lang = Lang(tag)
    assert lang == normalised and lang.value == normalised
    assert lang.native_name == native
    assert lang.english_name == english


@pytest.mark.parametrize("tag", ["xx", "en_GB", "english", "", "e"])
def test_what_is_not_a_language_tag_is_refused(tag):
    with pytest.raises(ValueError):
        Lang(tag)


def test_the_first_releases_keep_their_date_formats():
    assert Lang("en").babel_locale == "en_GB"
    assert Lang("sv").babel_locale == "sv_SE"
    assert Lang("de").babel_locale == "de"


def test_a_text_is_a_mapping_of_its_languages():
    value = Text(de="Zweck", en="Purpose")
    assert value.get("de") == "Zweck"
    assert value.languages == (Lang("de"), Lang("en"))
    assert value == Text({"de": "Zweck", "en": "Purpose"})
    with pytest.raises(KeyError, match="no text for 'sv'"):
        value.get("sv")


# --- the data: every text has exactly the policy's languages -------------------


def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "policy_data"
    shutil.copytree(FIXTURE / "policy_data", target)
    return target


def test_the_fixture_data_in_three_languages_is_valid(cli, tmp_path):
    data = data_copy(tmp_path)
    code, out, err = cli("check", "--data", data, cwd=tmp_path)
    assert code == 0, err
    assert "ok" in out


def test_each_missing_text_is_reported_with_its_place_all_at_once(cli, tmp_path):
    data = data_copy(tmp_path)
    (data / "policy.yaml").write_text(
        "languages: [en, sv, de]\ntitle: {en: Privacy policy, sv: Integritetspolicy}\n", encoding="utf-8"
    )
    rights = data / "rights.yaml"
    rights.write_text(rights.read_text(encoding="utf-8").replace("      de: Sie können eine Kopie Ihrer Daten verlangen.\n", ""),
                      encoding="utf-8")
    code, out, err = cli("check", "--data", data, cwd=tmp_path)
    assert code == 2
    wanted = "(the policy's languages are en, sv, de)"
    assert f"policy.yaml:2:1: title: no text for 'de' {wanted}" in err
    assert f"rights.yaml:3:5: rights.access.description: no text for 'de' {wanted}" in err
    assert "Traceback" not in err


def test_a_text_in_a_language_the_policy_does_not_have_is_reported(cli, tmp_path):
    data = data_copy(tmp_path)
    (data / "policy.yaml").write_text(
        "languages: [de, en]\ntitle: {de: Datenschutzerklärung, en: Privacy policy, sv: Integritetspolicy}\n",
        encoding="utf-8",
    )
    code, out, err = cli("check", "--data", data, cwd=tmp_path)
    assert code == 2
    assert "policy.yaml:2:55: title.sv: a text for 'sv', but the policy's languages are de, en" in err


def test_a_paragraph_block_is_checked_too(cli, tmp_path):
    data = data_copy(tmp_path)
    sections = data / "sections.yaml"
    sections.write_text(sections.read_text(encoding="utf-8").replace(
        "        sv: Denna policy beskriver hur vi behandlar personuppgifter.\n", ""), encoding="utf-8")
    code, out, err = cli("check", "--data", data, cwd=tmp_path)
    assert code == 2
    assert "sections.about.body[0]: no text for 'sv'" in err


def test_a_language_that_is_not_a_tag_is_a_data_error(cli, tmp_path):
    data = data_copy(tmp_path)
    (data / "policy.yaml").write_text("languages: [de, english]\ntitle: {de: A, english: B}\n", encoding="utf-8")
    code, out, err = cli("check", "--data", data, cwd=tmp_path)
    assert code == 2
    assert "'english' is not a language Babel knows" in err


def test_without_languages_a_policy_is_in_english_and_swedish(cli, tmp_path):
    # The releases 1.0 to 1.2 of this repository have no `languages`; their files are sealed.
    assert "languages" not in yaml.safe_load((ROOT / "policy_data/releases/1.0/policy.yaml").read_text(encoding="utf-8"))
    code, out, err = cli("check", "--data", ROOT / "policy_data", cwd=tmp_path)
    assert code == 0, err


# --- the package's own texts: one locale file per language ---------------------


def locale(code: str) -> dict[str, str]:
    return yaml.safe_load((SHIPPED_DIR / f"{code}.yaml").read_text(encoding="utf-8"))


def test_english_swedish_and_german_are_shipped():
    assert sorted(path.stem for path in SHIPPED_DIR.glob("*.yaml")) == ["de", "en", "sv"]


@pytest.mark.parametrize("code", ["sv", "de"])
def test_each_locale_has_the_keys_and_placeholders_of_english(code):
    reference, other = locale("en"), locale(code)
    assert list(other) == list(reference)  # the same keys, in the same order: easy to review side by side
    wrong = [key for key in reference
             if set(PLACEHOLDER.findall(reference[key])) != set(PLACEHOLDER.findall(other[key]))]
    assert wrong == []
    assert all(isinstance(value, str) and value.strip() for value in other.values())


@pytest.mark.parametrize("term", [
    "Verantwortlicher", "Auftragsverarbeiter", "betroffene Person", "Zweck", "Rechtsgrundlage", "Einwilligung",
    "Berechtigtes Interesse", "Empfänger", "Drittland", "Speicherdauer", "Recht auf Auskunft",
    "Recht auf Berichtigung", "Recht auf Löschung", "Recht auf Einschränkung der Verarbeitung",
    "Recht auf Datenübertragbarkeit", "Widerspruchsrecht", "Beschwerderecht bei einer Aufsichtsbehörde",
])
def test_german_uses_the_terms_of_the_german_gdpr_text(term):
    assert any(term in value for value in locale("de").values())


def test_vocabulary_labels_and_durations_come_from_the_locale():
    from policypress.durations import parse_duration
    from policypress.vocabulary import LegalBasis, RecipientRole

    assert RecipientRole.PROCESSOR.label("de") == "Auftragsverarbeiter"
    assert LegalBasis.CONSENT.label("sv") == "Samtycke (artikel 6.1 a GDPR)"
    assert parse_duration("P1Y6M").label("de") == "1 Jahr und 6 Monate"
    assert parse_duration("P2Y").label("en") == "2 years"


# --- the site in three languages -------------------------------------------------


def project(tmp_path: Path, mkdocs_extra: str = "") -> Path:
    target = tmp_path / "site-project"
    shutil.copytree(FIXTURE, target)
    summary = Text(de="Erste Version.", en="First version.", sv="Första versionen.")
    create_release(target / "policy_data", "1.0", dt.date(2026, 1, 1), ReleaseClass.MATERIAL, summary)
    if mkdocs_extra:
        config = target / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("  - policypress\n", mkdocs_extra),
                          encoding="utf-8")
    return target


BUILD_ENV = {"POLICY_DATE": "2026-06-01"}
POLICY_PAGES = {"de": "de/datenschutzerklaerung", "en": "en/privacy-policy", "sv": "sv/integritetspolicy"}
SEARCH = {"de": "Suche", "en": "Search", "sv": "Sök"}  # Material's own partials/languages/<lang>.html


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> Path:
    root = project(tmp_path_factory.mktemp("three"))
    result = run_mkdocs_build(root, root / "site", BUILD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("code", ["de", "en", "sv"])
def test_each_language_has_its_pages_in_its_language(three, code):
    for page in ("", "1.0/", {"de": "archiv/", "en": "archive/", "sv": "arkiv/"}[code]):
        html = soup(three / POLICY_PAGES[code] / page / "index.html")
        assert html.html["lang"] == code
    page = soup(three / POLICY_PAGES[code] / "index.html")
    headings = [th.get_text(strip=True) for th in page.select("#table-activities thead th")]
    assert headings[:2] == [message("table.activities.activity", code), message("table.activities.purpose", code)]
    assert page.select_one(".pp-version__line").get_text(" ", strip=True).startswith(
        message("version.line", code).split("{")[0].strip())
    assert page.select_one("input[data-md-component=search-query]")["placeholder"] == SEARCH[code]


def test_german_pages_read_german(three):
    page = soup(three / "de/datenschutzerklaerung/index.html")
    text = page.get_text(" ", strip=True)
    assert "Recht auf Auskunft (Art. 15 DSGVO)" in text
    assert "Berechtigtes Interesse (Art. 6 Abs. 1 lit. f DSGVO)" in text
    assert "30 Tage" in text


def test_the_banner_keeps_the_capital_of_a_german_noun(three):
    # "Mehr dazu in unserer Datenschutzerklärung": German writes every noun with a capital.
    page = (three / "de/datenschutzerklaerung/index.html").read_text(encoding="utf-8")
    assert '#table-cookies">Datenschutzerklärung</a>' in page
    assert '#table-cookies">privacy policy</a>' in (three / "en/privacy-policy/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", ["de", "en", "sv"])
def test_hreflang_links_every_language_and_the_default(three, code):
    page = soup(three / POLICY_PAGES[code] / "index.html")
    links = {link["hreflang"]: link["href"] for link in page.select('link[rel=alternate][hreflang]')}
    base = "../../"
    assert links == {
        "de": "./" if code == "de" else base + "de/datenschutzerklaerung/",
        "en": "./" if code == "en" else base + "en/privacy-policy/",
        "sv": "./" if code == "sv" else base + "sv/integritetspolicy/",
        "x-default": "./" if code == "de" else base + "de/datenschutzerklaerung/",  # the first language
    }


def test_the_switcher_has_the_three_languages_named_in_their_own(three):
    page = soup(three / "en/privacy-policy/index.html")
    entries = [(a["lang"], a.get_text(strip=True), a.get("aria-current")) for a in page.select("a.md-select__link")]
    assert entries == [("de", "Deutsch", None), ("en", "English", "true"), ("sv", "Svenska", None)]


def test_hand_written_pages_pair_with_their_translations(three):
    page = soup(three / "sv/index.html")
    assert page.html["lang"] == "sv"
    # In the policy's order (de, en, sv); each entry is the same page in that language.
    assert [a["href"] for a in page.select("a.md-select__link")] == ["../de/", "../en/", "./"]


def test_one_language_alone_builds_without_a_switcher(tmp_path):
    root = project(tmp_path, "  - policypress:\n      languages: [en]\n")
    result = run_mkdocs_build(root, root / "site", BUILD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    page = soup(root / "site/en/privacy-policy/index.html")
    assert page.html["lang"] == "en"
    assert page.select("a.md-select__link") == []
    assert page.select('link[rel=alternate][hreflang]') == []
    assert not (root / "site/de/datenschutzerklaerung").exists()


def test_a_plugin_language_the_policy_lacks_stops_the_build(tmp_path):
    root = project(tmp_path, "  - policypress:\n      languages: [en, fr]\n")
    result = run_mkdocs_build(root, root / "site", BUILD_ENV)
    assert result.returncode == 2
    assert "languages: fr not among the languages of release 1.0 (de, en, sv" in result.stderr
    assert "Traceback" not in result.stderr


def with_french(node):
    """A data file's texts with a French text beside each English one (copied: the test needs the key only)."""
    if isinstance(node, dict):
        node = {key: with_french(value) for key, value in node.items()}
        if isinstance(node.get("en"), str) and "sv" in node:
            node["fr"] = node["en"]
        return node
    if isinstance(node, list):
        return [with_french(item) for item in node]
    return node


def french(tmp_path: Path) -> Path:
    """The fixture with French added to its data."""
    root = tmp_path / "site-project"
    shutil.copytree(FIXTURE, root)
    for path in (root / "policy_data").glob("*.yaml"):
        data = with_french(yaml.safe_load(path.read_text(encoding="utf-8")))
        if path.name == "policy.yaml":
            data["languages"] = ["de", "en", "sv", "fr"]
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = Text(de="Erste Version.", en="First version.", sv="Första versionen.", fr="Première version.")
    create_release(root / "policy_data", "1.0", dt.date(2026, 1, 1), ReleaseClass.MATERIAL, summary)
    return root


def test_a_language_without_a_locale_names_the_shipped_ones(tmp_path):
    root = french(tmp_path)
    result = run_mkdocs_build(root, root / "site", BUILD_ENV)
    assert result.returncode == 2
    assert "no locale file for 'fr': policypress ships en, de, sv" in result.stderr
    assert "locales_dir" in result.stderr


def test_the_project_gives_its_own_locale(tmp_path):
    root = french(tmp_path)
    (root / "locales").mkdir()
    french_texts = {**locale("en"), "table.activities.activity": "Traitement", "site.slug.policy": "confidentialite"}
    (root / "locales/fr.yaml").write_text(yaml.safe_dump(french_texts, allow_unicode=True), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - policypress\n", "  - policypress:\n      locales_dir: locales\n"), encoding="utf-8")
    result = run_mkdocs_build(root, root / "site", BUILD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    page = soup(root / "site/fr/confidentialite/index.html")
    assert page.html["lang"] == "fr"
    assert page.select_one("#table-activities thead th").get_text(strip=True) == "Traitement"


def test_an_incomplete_project_locale_lists_what_it_lacks(tmp_path):
    root = french(tmp_path)
    (root / "locales").mkdir()
    (root / "locales/fr.yaml").write_text("table.activities.activity: Traitement\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - policypress\n", "  - policypress:\n      locales_dir: locales\n"), encoding="utf-8")
    result = run_mkdocs_build(root, root / "site", BUILD_ENV)
    assert result.returncode == 2
    assert "fr.yaml: no text for 'policy.contents'" in result.stderr


def test_a_release_takes_a_summary_in_each_of_the_policys_languages(cli, tmp_path):
    data = data_copy(tmp_path)
    common = ("release", "1.0", "--effective", "2026-01-01", "--class", "material", "--data", data)
    code, out, err = cli(*common, "--summary-en", "First version.", "--summary-sv", "Första versionen.", cwd=tmp_path)
    assert code == 2
    assert "the summary needs exactly the policy's languages (de, en, sv): give --summary de TEXT" in err
    assert not (data / "releases").exists()
    code, out, err = cli(*common, "--summary", "de", "Erste Version.", "--summary", "en", "First version.",
                         "--summary", "sv", "Första versionen.", cwd=tmp_path)
    assert code == 0, err
    manifest = yaml.safe_load((data / "releases/1.0/manifest.yaml").read_text(encoding="utf-8"))
    assert manifest["summary"] == {"de": "Erste Version.", "en": "First version.", "sv": "Första versionen."}
