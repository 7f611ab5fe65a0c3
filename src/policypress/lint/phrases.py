"""Phrase lists, per language, for the rules that read prose. Each list is matched case-insensitively.

The lists are deliberately narrow: a rule that reads prose must not fire on a sentence that is fine,
so each pattern names the wording a reviewer would strike, not a topic.
"""

from __future__ import annotations

import functools
import re

from ..i18n import Lang, Text

Phrases = dict[Lang, re.Pattern[str]]


def phrases(en: list[str], sv: list[str]) -> Phrases:
    def join(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    return {Lang.EN: join(en), Lang.SV: join(sv)}


# Kept by pattern and text: `mkdocs serve` lints the draft after each save, and a save changes a text or two.
@functools.lru_cache(maxsize=8192)
def _first(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group(0) if match else None


def found(patterns: Phrases, value: Text | None) -> str | None:
    """The first phrase of ``value`` that matches, in any language, quoted as written; else None."""
    if value is None:
        return None
    for lang, written in value.items():
        match = _first(patterns[lang], written) if lang in patterns else None
        if match is not None:
            return match
    return None


def missing_in(patterns: Phrases, value: Text) -> list[Lang]:
    """The languages of ``value`` in which no phrase matches (each reader must be told, not just one)."""
    # Phrases exist for English and Swedish only: other languages are not judged.
    return [lang for lang, written in value.items() if lang in patterns and _first(patterns[lang], written) is None]


# Art. 13(2)(a), WP260 Annex "Storage period": retention that gives the reader no period to work out.
VAGUE_RETENTION = phrases(
    en=[
        r"\bas long as (?:is |it is |they are |(?:the |your )?(?:personal )?(?:information|data) (?:is|are) )?"
        r"(?:strictly |reasonably )?(?:necessary|needed|relevant|useful|appropriate)\b",
        r"\bas long as (?:is )?required\b(?! by\b| under\b)",
        r"\bas long as we (?:need|consider|deem|think)\b",
        r"\bno longer (?:relevant|necessary|needed|required|useful)\b",
        r"\bnot (?:be )?relevant to keep\b",
        r"\blong enough\b",
        r"\bfor a reasonable (?:period|time)\b",
    ],
    sv=[
        r"\bså länge (?:som )?(?:det |de |uppgifterna |dina personuppgifter |personuppgifterna )?"
        r"(?:behövs|krävs|är nödvändig\w*|är relevant\w*|är befogat)",
        r"\bså länge vi (?:behöver|anser|bedömer)\b",
        r"\binte längre (?:är )?(?:relevant\w*|behövs|nödvändig\w*)",
        r"\bunder rimlig tid\b",
    ],
)

# Art. 44/46: prose admitting that recipients abroad are outside the protection of the GDPR.
UNPROTECTED_TRANSFER = phrases(
    en=[
        r"\bnot\b[^.;]{0,60}?\bsubject to\b[^.;]{0,80}?\b(?:privacy|data protection|data-protection)\s+"
        r"(?:laws?|legislation|rules|requirements|standards)\b",
        r"\bnot\b[^.;]{0,40}?\b(?:protected|covered) by\b[^.;]{0,40}?\b(?:GDPR|European|EU|Swedish)\b"
        r"[^.;]{0,40}?\b(?:laws?|legislation|rules|regulation)\b",
    ],
    sv=[
        r"\binte\b[^.;]{0,60}?\bomfattas\b[^.;]{0,80}?\b(?:dataskydds|integritetsskydds)\w*",
        r"\binte\b[^.;]{0,40}?\bskyddas av\b[^.;]{0,40}?\b(?:GDPR|dataskyddsförordningen|dataskydds\w*)",
    ],
)

# Art. 13(1)(f): a location text that says the data leaves the EEA (not merely "outside Sweden").
LEAVES_EEA = phrases(
    en=[
        r"\boutside (?:of )?the (?:EU/EEA|EEA|EU|European (?:Union|Economic Area))\b",
        r"\bthird countr(?:y|ies)\b",
    ],
    sv=[r"\butanför (?:EU/EES|EES|EU|Europeiska (?:unionen|ekonomiska samarbetsområdet))\b", r"\btredjeland\w*"],
)

# Art. 13(1)(f): where or how the reader gets a copy of the Art. 46/47 safeguards.
SAFEGUARD_COPY = phrases(
    en=[
        r"\bcopy of (?:the |these |our |its )?(?:safeguards?|standard contractual clauses|clauses|"
        r"binding corporate rules)\b",
        r"\b(?:safeguards?|clauses|binding corporate rules)\b[^.]{0,60}\b(?:are |is )?(?:made )?available\b",
    ],
    sv=[
        r"\bkopia av (?:skyddsåtgärderna|skyddsåtgärden|standardavtalsklausulerna|klausulerna|"
        r"de bindande företagsbestämmelserna)",
        r"\b(?:skyddsåtgärderna|standardavtalsklausulerna|klausulerna)\b[^.]{0,60}\bfinns tillgängliga\b",
    ],
)

# Art. 6(3): a disclosure made to comply with the law (to authorities, courts) is under EU or Member State law.
LEGAL_DISCLOSURE = phrases(
    en=[r"\bcomply with (?:the )?(?:law|legal obligations?)\b", r"\bcourt proceedings\b", r"\brequired by law\b"],
    sv=[r"\bfölja lagen\b", r"\bdomstolsförfarand\w*", r"\bkrävs enligt lag\b", r"\brättslig förpliktelse\b"],
)

# Art. 13(1)(e), WP260 Annex "Recipients": a bare category that says nothing of who the recipient is.
# Matched against the whole name (an optional "our"/"other"/"selected" in front).
VAGUE_RECIPIENT = phrases(
    en=[
        r"^(?:our |other |selected |trusted |certain )*(?:third[- ]part(?:y|ies)(?: companies)?|"
        r"(?:business )?partners?|related (?:bodies corporate|companies|entities|parties)|affiliates?|"
        r"affiliated companies|group companies|companies in our group|subsidiaries)$",
    ],
    sv=[
        r"^(?:våra |andra |utvalda |vissa )*(?:tredje ?parter?|tredjeparter|(?:affärs)?partners?|affärspartner|"
        r"närstående (?:bolag|företag)|koncernbolag|bolag inom koncernen|dotterbolag)$",
    ],
)

# Art. 21(4): the right to object and direct marketing, in the reader's language.
OBJECT = phrases(en=[r"\bobject"], sv=[r"\binvänd"])
DIRECT_MARKETING = phrases(
    en=[r"\bdirect marketing\b", r"\bmarketing (?:e-?mails?|messages|communications)\b",
        r"\bkeep you informed about our products\b"],
    sv=[r"\bdirektmarknadsföring\w*", r"\bmarknadsföringsutskick\w*", r"\bhålla dig informerad om våra produkter\b"],
)
# Inside the text of the right to object, the word alone is explicit enough: the sentence is about objecting.
MARKETING_WORD = phrases(en=[r"\bmarketing\b"], sv=[r"marknadsföring"])

# Art. 13(3): a reservation to use data for another purpose, and a promise to tell the reader first.
FURTHER_PROCESSING = phrases(
    en=[
        r"\bfurther process\w*",
        r"\b(?:for|to) (?:other|another|new|additional|compatible) purposes?\b",
        r"\bcompatible purposes?\b",
        r"\bpurposes? (?:other than|compatible with)\b",
    ],
    sv=[
        r"\bvidarebehandl\w*",
        r"\bför (?:andra|annat|nya|ett nytt|ett annat|förenliga) ändamål\b",
        r"\bförenliga? ändamål\b",
    ],
)
INFORM_BEFORE = phrases(
    en=[r"\b(?:inform|tell|notify) you\b[^.]{0,80}\bbefore\b", r"\bbefore\b[^.]{0,80}\b(?:inform|tell|notify) you\b"],
    sv=[r"\b(?:informera|meddela|underrätta)r? (?:vi )?dig\b[^.]{0,80}\binnan\b",
        r"\binnan\b[^.]{0,80}\b(?:informera|meddela|underrätta)r? (?:vi )?dig\b"],
)
