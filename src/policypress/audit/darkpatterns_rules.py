"""The dark-pattern rules: what the banner's first layer, as measured in the browser, is judged by.

The measurement (``darkpatterns.py``) gives the banner's controls (role, text, box, font, colours)
and its checkboxes; these functions turn it into findings. Every rule is a judgement about a design,
not a measured breach, so all are warnings, except an optional category ticked before the visitor
chose, which is no valid consent at all (CJEU C-673/17, Planet49). The sources are the EDPB's
"Report of the work undertaken by the Cookie Banner Taskforce" (adopted 17 January 2023), whose
practice types (A, B, D, E) are named in each fix, the EDPB's Guidelines 03/2022 on deceptive design
patterns for wording, and WCAG 2.2 for contrast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import DataError, DataIssue
from ..scan.findings import Severity
from ..schema_errors import issues_from_validation
from ..yamlsource import load_yaml
from .findings import AuditFinding, AuditRule
from .scenarios import Scenario

REPORT = "EDPB Cookie Banner Taskforce report (17 January 2023)"

# --- thresholds, and why ------------------------------------------------------------------------
# Accept at least 1.5 times the area of reject, beyond what its longer label explains: a button
# sized by its text ("Accept all cookies" against "Reject all" is 1.7 times as wide) is no design
# choice, so the width ratio is divided by the ratio of the labels' lengths when accept's is longer.
AREA_RATIO = 1.5
# Accept stands out from the banner at least 1.5 times as much as reject does (WCAG contrast
# ratios, each the larger of the control's fill and its text against the banner): the gap between
# a filled button and a grey link, not between two shades of the same colour.
SALIENCE_RATIO = 1.5
# WCAG 2.2 success criterion 1.4.3 (contrast, minimum): 4.5:1 for text of normal size. Reject's
# text below it while accept's is above is reject made hard to read (the report's type E).
TEXT_CONTRAST = 4.5
# A font one step up a type scale (1.2, a "minor third") or a weight two steps heavier (400 → 600):
# below that, rounding and fallback fonts differ more than designs do.
FONT_SIZE_RATIO = 1.2
FONT_WEIGHT_STEP = 200


# --- words --------------------------------------------------------------------------------------

class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    accept: tuple[str, ...]
    reject: tuple[str, ...]
    settings: tuple[str, ...]
    save: tuple[str, ...]
    necessary: tuple[str, ...]
    vague_accept: tuple[str, ...]
    topic: tuple[str, ...]


class _WordsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    languages: dict[str, _Words]


@dataclass(frozen=True)
class Words:
    """The word lists per language; ``for_lang`` picks the page's, ``detection`` merges them all."""

    languages: dict[str, _Words]

    def for_lang(self, lang: str | None) -> tuple[str, _Words]:
        code = (lang or "").split("-")[0].strip().lower()
        return (code, self.languages[code]) if code in self.languages else ("en", self.languages["en"])

    def detection(self) -> dict[str, list[str]]:
        """Every language's phrases by kind, for finding the controls in the page."""
        merged: dict[str, list[str]] = {}
        for words in self.languages.values():
            for kind, phrases in words.model_dump().items():
                merged.setdefault(kind, [])
                merged[kind].extend(p for p in phrases if p not in merged[kind])
        return merged


@lru_cache(maxsize=1)
def load_words() -> Words:
    display = "policypress/data/darkpatterns.yaml"
    with resources.as_file(resources.files("policypress").joinpath("data", "darkpatterns.yaml")) as path:
        doc = load_yaml(path, display)
    if doc.issues or doc.data is None:
        raise DataError(doc.issues or [DataIssue(display, 0, 0, "", "the file is empty")])
    try:
        parsed = _WordsFile.model_validate(doc.data)
    except ValidationError as exc:
        raise DataError(issues_from_validation(exc, doc, _WordsFile)) from None
    if "en" not in parsed.languages:
        raise DataError([doc.issue(("languages",), "English (en) is the fallback and must be listed")])
    return Words(dict(parsed.languages))


# --- colours (WCAG 2.2 relative luminance and contrast ratio) ------------------------------------

RGBA = tuple[int, int, int, int]  # 0–255 each, alpha included
WHITE: tuple[float, float, float] = (255.0, 255.0, 255.0)  # the canvas under a page that paints none


def over(colour: Sequence[float], below: tuple[float, float, float]) -> tuple[float, float, float]:
    """``colour`` (r, g, b, a) drawn over the opaque ``below``."""
    alpha = colour[3] / 255
    r, g, b = (colour[i] * alpha + below[i] * (1 - alpha) for i in range(3))
    return (r, g, b)


def backdrop(layers: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """The colour of the nearest-first stack of backgrounds ``layers``, over white."""
    colour = WHITE
    for layer in reversed(layers):
        colour = over(layer, colour)
    return colour


def luminance(rgb: Sequence[float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Sequence[float], b: Sequence[float]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# --- the measurement ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Control:
    role: str  # accept, reject, settings, save or other
    via: str  # "selector" (Material's, --accept/--reject, autoconsent's rule) or "text"
    text: str
    norm: str  # the text as the word lists compare it
    width: float
    height: float
    font_size: float
    font_weight: float
    banner: tuple[float, float, float]  # what the control is drawn on
    fill: tuple[float, float, float]  # its own background, over the banner
    text_colour: tuple[float, float, float]

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def fill_contrast(self) -> float:
        return contrast(self.fill, self.banner)

    @property
    def text_contrast(self) -> float:
        """Its text against its own background: legibility (WCAG 1.4.3)."""
        return contrast(self.text_colour, self.fill)

    @property
    def salience(self) -> float:
        """How much it stands out from the banner: its fill, or (a link, an outlined button) its text."""
        return max(self.fill_contrast, contrast(self.text_colour, self.banner))

    @classmethod
    def from_page(cls, raw: dict[str, Any]) -> Control:
        banner = backdrop([_rgba(layer) for layer in raw.get("backdrop") or ()])
        fill = over(_rgba(raw["fill"]), banner)
        text_colour = over(_rgba(raw["color"]), fill)
        return cls(
            role=str(raw["role"]), via=str(raw["via"]), text=str(raw["text"]), norm=str(raw["norm"]),
            width=float(raw["w"]), height=float(raw["h"]), font_size=float(raw["fontSize"]),
            font_weight=float(raw["fontWeight"]), banner=banner, fill=fill, text_colour=text_colour,
        )


def _rgba(value: Sequence[Any]) -> tuple[float, ...]:
    return tuple(float(v) for v in value)


@dataclass(frozen=True)
class Box:
    label: str
    checked: bool
    disabled: bool
    necessary: bool  # its label names a necessary category


@dataclass
class Banner:
    """The first layer as measured, and (when it was counted) what rejecting takes."""

    page: str
    lang: str | None
    container: str
    controls: list[Control]
    boxes: list[Box] = field(default_factory=list)
    # None: not counted (the first layer has a reject, or no settings control to open); else the clicks
    # rejecting took, or 0 when no way to reject was found after opening the settings.
    reject_clicks: int | None = None
    reject_route: str = ""

    def first(self, role: str) -> Control | None:
        chosen = [c for c in self.controls if c.role == role]
        chosen.sort(key=lambda c: c.via != "selector")  # a selector's match before a guess from its text
        return chosen[0] if chosen else None

    @property
    def pre_ticked(self) -> list[Box]:
        return [b for b in self.boxes if b.checked and not b.disabled and not b.necessary]


def parse(raw: dict[str, Any], page: str) -> Banner:
    controls = [Control.from_page(c) for c in raw.get("controls") or ()]
    boxes = [Box(str(b["label"]), bool(b["checked"]), bool(b["disabled"]), bool(b["necessary"]))
             for b in raw.get("boxes") or ()]
    lang = raw.get("lang")
    return Banner(page, str(lang) if lang else None, str(raw.get("container", "")), controls, boxes)


# --- the rules ----------------------------------------------------------------------------------

def _finding(rule: AuditRule, banner: Banner, message: str, fix: str, severity: Severity = Severity.WARNING,
             item: str | None = None) -> AuditFinding:
    return AuditFinding(rule=rule, severity=severity, scenario=Scenario.BEFORE_CONSENT.value,
                        message=message, fix=fix, page=banner.page, item=item)


def _quote(control: Control) -> str:
    return f"'{control.text}'"


def judge(banner: Banner, words: Words) -> list[AuditFinding]:
    """The dark-pattern findings for one measured banner (nothing when it has no accept control)."""
    accept, reject, settings = banner.first("accept"), banner.first("reject"), banner.first("settings")
    found: list[AuditFinding] = []
    if banner.pre_ticked:
        names = ", ".join(f"'{b.label}'" for b in banner.pre_ticked)
        found.append(_finding(
            AuditRule.DARK_PRE_TICKED, banner,
            f"the banner ({banner.container}) has optional categories switched on before the visitor chose: {names}",
            "Start every optional category off; only the visitor's own action may switch it on. Pre-ticked boxes "
            f"are no valid consent (CJEU C-673/17, Planet49; {REPORT}, type B practice: pre-ticked boxes).",
            severity=Severity.ERROR, item=names,
        ))
    if accept is None:
        return found
    if reject is None:
        route = f"; the first layer offers {_quote(settings)} instead" if settings else ""
        found.append(_finding(
            AuditRule.DARK_NO_REJECT, banner,
            f"the banner's first layer has {_quote(accept)} but no control to reject or keep to what is "
            f"necessary{route}",
            "Put a reject control ('Reject all', 'Only necessary') next to the accept control, on the same layer. "
            f"Source: {REPORT}, section 3.1, type A practice (no reject button on the first layer).",
        ))
    if reject is None and banner.reject_clicks is not None:
        if banner.reject_clicks:
            message = (f"rejecting takes {banner.reject_clicks} clicks ({banner.reject_route}); accepting takes 1 "
                       f"({_quote(accept)})")
        else:
            message = (f"after {banner.reject_route}, no control to reject or to save a choice was found; "
                       f"accepting takes 1 click ({_quote(accept)})")
        found.append(_finding(
            AuditRule.DARK_MORE_CLICKS, banner, message,
            "Make refusing as easy as accepting: one click on the first layer. Counted by clicking the settings "
            f"control in a fresh browser. Source: {REPORT}, section 3.1, type A practice (no reject button on the "
            "first layer).",
        ))
    if reject is not None:
        found.extend(_prominence(banner, accept, reject))
    found.extend(_wording(banner, words, accept, reject))
    return found


def _label_ratio(accept: Control, reject: Control) -> float:
    """How much longer accept's label is than reject's (at least 1): the width its text alone explains."""
    return max(1.0, len(accept.text.strip()) / max(1, len(reject.text.strip())))


def _prominence(banner: Banner, accept: Control, reject: Control) -> list[AuditFinding]:
    reasons = []
    if reject.area > 0 and accept.area / reject.area / _label_ratio(accept, reject) >= AREA_RATIO:
        reasons.append(f"its area is {accept.area / reject.area:.1f} times reject's ({accept.width:.0f}×"
                       f"{accept.height:.0f} against {reject.width:.0f}×{reject.height:.0f} px)")
    if reject.salience > 0 and accept.salience / reject.salience >= SALIENCE_RATIO:
        reasons.append(f"it stands out from the banner {accept.salience:.1f}:1 against reject's "
                       f"{reject.salience:.1f}:1")
    if reject.text_contrast < TEXT_CONTRAST <= accept.text_contrast:
        reasons.append(f"reject's text has a contrast of {reject.text_contrast:.1f}:1 (WCAG asks 4.5:1), "
                       f"accept's {accept.text_contrast:.1f}:1")
    if reject.font_size > 0 and accept.font_size / reject.font_size >= FONT_SIZE_RATIO:
        reasons.append(f"its font is {accept.font_size:g} px against reject's {reject.font_size:g} px")
    if accept.font_weight - reject.font_weight >= FONT_WEIGHT_STEP:
        reasons.append(f"its font weight is {accept.font_weight:g} against reject's {reject.font_weight:g}")
    if not reasons:
        return []
    return [_finding(
        AuditRule.DARK_PROMINENCE, banner,
        f"{_quote(accept)} is made more prominent than {_quote(reject)}: " + "; ".join(reasons),
        "Give accept and reject the same size, weight and colours, so that neither is the obvious click. "
        f"Source: {REPORT}, type D and E practices (deceptive button colours and contrast); WCAG 2.2 1.4.3.",
    )]


def _wording(banner: Banner, words: Words, accept: Control, reject: Control | None) -> list[AuditFinding]:
    code, lists = words.for_lang(banner.lang)
    problems = []
    if accept.norm in lists.vague_accept:
        problems.append(f"the accept control says only {_quote(accept)}, which does not say the visitor consents")
    if reject is not None and reject.via == "selector" and any(_has(reject.norm, p) for p in lists.settings) \
            and not any(_has(reject.norm, p) for p in lists.reject):
        problems.append(f"the control that rejects says {_quote(reject)}, which reads as more information, "
                        "not as a refusal")
    if not problems:
        return []
    return [_finding(
        AuditRule.DARK_WORDING, banner,
        "; ".join(problems) + f" (judged by the '{code}' word list)",
        "Word the choices as what they do: 'Accept all' and 'Reject all' (in the page's language). Source: EDPB "
        "Guidelines 03/2022 on deceptive design patterns ('ambiguous wording or information'); GDPR Art. 4(11) "
        "(consent is an unambiguous indication).",
    )]


def _has(text: str, phrase: str) -> bool:
    return f" {phrase} " in f" {text} "
