"""The engine without MkDocs: durations, links in text, the consent settings, page pairing."""

from __future__ import annotations

import pytest

from conftest import ROOT
from policypress.consent import material_consent
from policypress.durations import parse_duration
from policypress.i18n import Lang
from policypress.loader import load_policy
from policypress.render import linkify, render_policy_page
from policypress.site import PageRef, alternates, index_translations, translation_key

MINIMAL = ROOT / "tests" / "fixtures" / "data" / "minimal"


@pytest.mark.parametrize(
    "source,en,sv",
    [
        ("P2Y", "2 years", "2 år"),
        ("P1Y", "1 year", "1 år"),
        ("P13M", "13 months", "13 månader"),
        ("PT30M", "30 minutes", "30 minuter"),
        ("P1DT12H", "1 day and 12 hours", "1 dag och 12 timmar"),
        ("session", "Session (deleted when the browser closes)", "Sessionen (raderas när webbläsaren stängs)"),
        ("persistent", "Until you clear your browser's storage", "Tills du rensar webbläsarens lagring"),
    ],
)
def test_durations_read_naturally_in_both_languages(source, en, sv):
    duration = parse_duration(source)
    assert duration.label(Lang.EN) == en
    assert duration.label(Lang.SV) == sv


def test_a_year_is_longer_than_a_month():
    assert parse_duration("P1Y").seconds > parse_duration("P13M").seconds - 40 * 86400
    assert parse_duration("session").seconds == 0


@pytest.mark.parametrize("bad", ["2 years", "P", "PT", "P0D", "1Y", "P2Y3"])
def test_malformed_durations_are_refused(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_linkify_links_urls_and_escapes_everything_else():
    html = str(linkify('See <b>this</b> & https://example.org/a?b=1&c="2". Done'))
    assert html == (
        'See &lt;b&gt;this&lt;/b&gt; &amp; '
        '<a href="https://example.org/a?b=1&amp;c=">https://example.org/a?b=1&amp;c=</a>&#34;2&#34;. Done'
    )


def test_url_at_the_end_of_a_sentence_keeps_the_full_stop_outside():
    assert str(linkify("Visit https://example.org/x.")) == 'Visit <a href="https://example.org/x">https://example.org/x</a>.'


def test_rendered_page_has_headings_for_the_table_of_contents():
    policy = load_policy(MINIMAL)
    page = render_policy_page(policy, Lang.SV)
    assert page.title == "Integritetspolicy"
    assert [(h.level, h.id, h.title) for h in page.headings] == [
        (2, "scope", "Omfattning"),
        (2, "controller", "Personuppgiftsansvarig"),
    ]
    assert {"table-cookies", "table-recipients", "scope"} <= page.anchor_ids


def test_safeguard_outside_the_eea_without_mechanism_is_shown_as_missing():
    policy = load_policy(MINIMAL)
    html = render_policy_page(policy, Lang.EN).html
    assert "None stated" in html  # Mailchimp, US, no transfer mechanism


def test_consent_settings_offer_one_switch_per_optional_category():
    policy = load_policy(MINIMAL)
    consent = material_consent(policy, Lang.SV, policy_url="../integritetspolicy/", cookie_anchor="table-cookies")
    assert consent["cookies"] == {"analytics": {"name": "Statistikcookies", "checked": False}}
    assert consent["actions"] == ["accept", "reject", "manage"]
    assert 'href="../integritetspolicy/#table-cookies"' in consent["description"]


def test_pages_pair_with_their_translation_or_fall_back_to_the_language_home():
    refs = [
        (PageRef("en/index.md", "en/"), translation_key("en/index.md")),
        (PageRef("sv/index.md", "sv/"), translation_key("sv/index.md")),
        (PageRef("en/about.md", "en/about/"), translation_key("en/about.md")),
        (PageRef("en/privacy-policy.md", "en/privacy-policy/"), translation_key("en/privacy-policy.md", "policy")),
        (PageRef("sv/integritetspolicy.md", "sv/integritetspolicy/"), translation_key("x", "policy")),
    ]
    table = index_translations(refs)
    assert [a.link for a in alternates("policy", table)] == ["en/privacy-policy/", "sv/integritetspolicy/"]
    assert [a.link for a in alternates("index.md", table)] == ["en/", "sv/"]
    assert [a.link for a in alternates("about.md", table)] == ["en/about/", "sv/"]
