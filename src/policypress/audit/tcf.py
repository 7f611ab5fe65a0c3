"""IAB TCF v2 TC strings, decoded: what a consent manager's signal says the visitor agreed to.

The format is IAB Tech Lab's "Transparency and Consent String with Global Vendor List Format"
(v2.2, with the segment types of v2.3): a core segment, then optional segments joined by dots,
each base64url without padding. Fields are big-endian bit fields, numbered left to right.
Pure Python, so the decoder is used (and tested) without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..errors import TCStringError

# The official short names, as the IAB Europe TCF Policies (v2.2, Appendix A) and the Global Vendor
# List (v3, gvlSpecificationVersion 3) give them.
PURPOSES: dict[int, str] = {
    1: "Store and/or access information on a device",
    2: "Use limited data to select advertising",
    3: "Create profiles for personalised advertising",
    4: "Use profiles to select personalised advertising",
    5: "Create profiles to personalise content",
    6: "Use profiles to select personalised content",
    7: "Measure advertising performance",
    8: "Measure content performance",
    9: "Understand audiences through statistics or combinations of data from different sources",
    10: "Develop and improve services",
    11: "Use limited data to select content",
}
SPECIAL_FEATURES: dict[int, str] = {
    1: "Use precise geolocation data",
    2: "Actively scan device characteristics for identification",
}
# SegmentType of the segments after the core one (0 is the core, which is never marked).
SEGMENT_TYPES: dict[int, str] = {1: "disclosed vendors", 2: "allowed vendors", 3: "publisher TC"}
RESTRICTION_TYPES: dict[int, str] = {0: "not allowed", 1: "require consent", 2: "require legitimate interest"}

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {char: i for i, char in enumerate(_ALPHABET)}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A TC string fits in a cookie; anything much longer is not one, and is not decoded bit by bit.
MAX_LENGTH = 100_000


@dataclass(frozen=True)
class PublisherRestriction:
    purpose: int
    restriction: int  # a key of RESTRICTION_TYPES
    vendors: frozenset[int]


@dataclass(frozen=True)
class PublisherTC:
    """The publisher's own purposes (segment type 3)."""

    purposes_consent: frozenset[int]
    purposes_li_transparency: frozenset[int]
    custom_purposes_consent: frozenset[int]
    custom_purposes_li_transparency: frozenset[int]


@dataclass(frozen=True)
class TCString:
    raw: str
    version: int
    created: datetime
    last_updated: datetime
    cmp_id: int
    cmp_version: int
    consent_screen: int
    consent_language: str
    vendor_list_version: int
    tcf_policy_version: int
    is_service_specific: bool
    use_non_standard_texts: bool
    special_feature_opt_ins: frozenset[int]
    purposes_consent: frozenset[int]
    purposes_li_transparency: frozenset[int]
    purpose_one_treatment: bool
    publisher_cc: str
    vendor_consents: frozenset[int]
    vendor_legitimate_interests: frozenset[int]
    publisher_restrictions: tuple[PublisherRestriction, ...] = ()
    segment_types: tuple[int, ...] = ()  # of the segments after the core, in the string's order
    disclosed_vendors: frozenset[int] | None = None
    allowed_vendors: frozenset[int] | None = None
    publisher_tc: PublisherTC | None = field(default=None)

    @property
    def grants_consent(self) -> bool:
        """Whether the string says the visitor consented to anything: a purpose, a special feature or a vendor."""
        return bool(self.purposes_consent or self.special_feature_opt_ins or self.vendor_consents
                    or (self.publisher_tc is not None and (self.publisher_tc.purposes_consent
                                                           or self.publisher_tc.custom_purposes_consent)))

    def grants(self) -> dict[str, object]:
        """What the string grants, for a report: purposes and special features by name, vendors counted."""
        return {
            "cmp_id": self.cmp_id,
            "created": self.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "purposes_consent": [purpose_name(p) for p in sorted(self.purposes_consent)],
            "purposes_legitimate_interest": [purpose_name(p) for p in sorted(self.purposes_li_transparency)],
            "special_features": [special_feature_name(f) for f in sorted(self.special_feature_opt_ins)],
            "vendors_with_consent": len(self.vendor_consents),
            "vendors_with_legitimate_interest": len(self.vendor_legitimate_interests),
            "segments": [SEGMENT_TYPES.get(t, f"type {t}") for t in self.segment_types],
        }


def purpose_name(purpose: int) -> str:
    return f"{purpose} {PURPOSES[purpose]}" if purpose in PURPOSES else f"{purpose} (not a purpose of TCF v2.2)"


def special_feature_name(feature: int) -> str:
    name = SPECIAL_FEATURES.get(feature)
    return f"{feature} {name}" if name else f"{feature} (not a special feature of TCF v2.2)"


class _Bits:
    """One segment's bits, read left to right; reading past the end is a malformed string."""

    def __init__(self, segment: str, which: str) -> None:
        self.which = which
        value = 0
        for char in segment.rstrip("="):  # padding is not part of the format; some writers add it anyway
            digit = _VALUE.get(char)
            if digit is None:
                raise TCStringError(f"the TC string's {which} holds {char!r}, which is not a base64url character")
            value = (value << 6) | digit
        self.length = 6 * len(segment.rstrip("="))
        self.value = value
        self.pos = 0

    def number(self, bits: int, name: str) -> int:
        if self.pos + bits > self.length:
            raise TCStringError(
                f"the TC string's {self.which} ends at bit {self.length}, before its field {name} "
                f"(bits {self.pos}-{self.pos + bits - 1})"
            )
        self.pos += bits
        return (self.value >> (self.length - self.pos)) & ((1 << bits) - 1)

    def flag(self, name: str) -> bool:
        return self.number(1, name) == 1

    def flags(self, bits: int, name: str) -> frozenset[int]:
        """A bit field: bit 0 (leftmost) is id 1."""
        value = self.number(bits, name)
        return frozenset(i + 1 for i in range(bits) if value >> (bits - 1 - i) & 1)

    def date(self, name: str) -> datetime:
        return _EPOCH + timedelta(milliseconds=100 * self.number(36, name))  # deciseconds since the epoch

    def letters(self, name: str) -> str:
        first, second = self.number(6, name), self.number(6, name)
        if first > 25 or second > 25:
            raise TCStringError(
                f"the TC string's {self.which}, field {name}, is not two letters ({first}, {second})"
            )
        return chr(ord("A") + first) + chr(ord("A") + second)

    def ranges(self, name: str) -> frozenset[int]:
        """NumEntries, then each entry: IsARange, StartOrOnlyVendorId and, for a range, EndVendorId."""
        ids: set[int] = set()
        for _ in range(self.number(12, f"{name} NumEntries")):
            is_range = self.flag(f"{name} IsARange")
            start = self.number(16, f"{name} StartOrOnlyVendorId")
            end = self.number(16, f"{name} EndVendorId") if is_range else start
            if start < 1 or end < start:
                raise TCStringError(f"the TC string's {self.which}, {name}, holds the vendor range {start}-{end}")
            ids.update(range(start, end + 1))
        return frozenset(ids)

    def vendors(self, name: str) -> frozenset[int]:
        """MaxVendorId, IsRangeEncoding, then a bit field or a range section."""
        most = self.number(16, f"{name} MaxVendorId")
        if self.flag(f"{name} IsRangeEncoding"):
            found = self.ranges(name)
            if found and max(found) > most:
                raise TCStringError(
                    f"the TC string's {self.which}, {name}, names vendor {max(found)}, above its MaxVendorId {most}"
                )
            return found
        return self.flags(most, f"{name} BitField")


def _split(text: str) -> list[str]:
    if not isinstance(text, str) or not text.strip():
        raise TCStringError("the TC string is empty")
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise TCStringError(f"the TC string is {len(text)} characters long, more than a TC string can be")
    segments = text.split(".")
    if any(not segment for segment in segments):
        raise TCStringError("the TC string has an empty segment (two dots in a row, or one at an end)")
    return segments


def _core(bits: _Bits) -> dict[str, object]:
    version = bits.number(6, "Version")
    if version != 2:
        raise TCStringError(f"the TC string is of version {version}; only version 2 (TCF v2.x) is decoded")
    core: dict[str, object] = {
        "version": version,
        "created": bits.date("Created"),
        "last_updated": bits.date("LastUpdated"),
        "cmp_id": bits.number(12, "CmpId"),
        "cmp_version": bits.number(12, "CmpVersion"),
        "consent_screen": bits.number(6, "ConsentScreen"),
        "consent_language": bits.letters("ConsentLanguage"),
        "vendor_list_version": bits.number(12, "VendorListVersion"),
        "tcf_policy_version": bits.number(6, "TcfPolicyVersion"),
        "is_service_specific": bits.flag("IsServiceSpecific"),
        "use_non_standard_texts": bits.flag("UseNonStandardTexts"),
        "special_feature_opt_ins": bits.flags(12, "SpecialFeatureOptIns"),
        "purposes_consent": bits.flags(24, "PurposesConsent"),
        "purposes_li_transparency": bits.flags(24, "PurposesLITransparency"),
        "purpose_one_treatment": bits.flag("PurposeOneTreatment"),
        "publisher_cc": bits.letters("PublisherCC"),
        "vendor_consents": bits.vendors("Vendor Consent Section"),
        "vendor_legitimate_interests": bits.vendors("Vendor Legitimate Interest Section"),
    }
    restrictions = []
    for _ in range(bits.number(12, "NumPubRestrictions")):
        purpose = bits.number(6, "PurposeId")
        restriction = bits.number(2, "RestrictionType")
        restrictions.append(PublisherRestriction(purpose, restriction, bits.ranges("PubRestrictionEntry")))
    core["publisher_restrictions"] = tuple(restrictions)
    return core


def _publisher_tc(bits: _Bits) -> PublisherTC:
    consent = bits.flags(24, "PubPurposesConsent")
    li = bits.flags(24, "PubPurposesLITransparency")
    custom = bits.number(6, "NumCustomPurposes")
    return PublisherTC(consent, li, bits.flags(custom, "CustomPurposesConsent"),
                       bits.flags(custom, "CustomPurposesLITransparency"))


def decode(text: str) -> TCString:
    """Decode a TC string, or raise ``TCStringError`` saying what is wrong with it."""
    segments = _split(text)
    fields = _core(_Bits(segments[0], "core segment"))
    types: list[int] = []
    extra: dict[str, object] = {}
    for number, segment in enumerate(segments[1:], start=2):
        bits = _Bits(segment, f"segment {number}")
        kind = bits.number(3, "SegmentType")
        if kind not in SEGMENT_TYPES:
            raise TCStringError(f"segment {number} of the TC string is of type {kind}, which TCF v2 does not define")
        types.append(kind)
        if kind == 1:
            extra["disclosed_vendors"] = bits.vendors("Disclosed Vendors")
        elif kind == 2:
            extra["allowed_vendors"] = bits.vendors("Allowed Vendors")
        else:
            extra["publisher_tc"] = _publisher_tc(bits)
    return TCString(raw=text.strip(), segment_types=tuple(types), **fields, **extra)  # type: ignore[arg-type]


def decode_any(texts: Iterable[str]) -> list[tuple[str, TCString | TCStringError]]:
    """Each text with its decoding or the error that says why it is not a TC string."""
    out: list[tuple[str, TCString | TCStringError]] = []
    for text in texts:
        try:
            out.append((text, decode(text)))
        except TCStringError as exc:
            out.append((text, exc))
    return out
