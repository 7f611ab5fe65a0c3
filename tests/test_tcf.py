"""The TCF v2 decoder (``policypress.audit.tcf``) on real TC strings from IAB's public sources.

Every expected value is the one the source states, never our decoder's output:
- IAB Tech Lab's Java decoder, ``InteractiveAdvertisingBureau/iabtcf-java``,
  ``iabtcf-decoder/src/test/java/com/iabtcf/decoder/TCStringV2Test.java`` (commit 1bc03e6);
- IAB Tech Lab's JavaScript library, ``InteractiveAdvertisingBureau/iabtcf-es``,
  ``modules/core/test/ReportedIssues.test.ts`` (commit 839b955);
- the format's specification, ``InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework``,
  ``TCFv2/IAB Tech Lab - Consent string and vendor list formats v2.md`` ("TC String Format").
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from policypress.audit.tcf import PURPOSES, SPECIAL_FEATURES, decode
from policypress.errors import PolicyPressError, TCStringError

# iabtcf-java testCanConstructTCModelFromBase64String ("created here https://www.iabtcf.com/#/encode").
ENCODER_EXAMPLE = "COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA"
# iabtcf-java testConstructConsentsFromBitFields / testCanParseDisclosedAndAllowedVendors / testCanParseAllParts.
BITFIELDS = "COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA"
WITH_SEGMENTS = BITFIELDS + ".IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA"
ALL_PARTS = WITH_SEGMENTS + ".cAAAAAAAITg="
# iabtcf-java testRange: range-encoded vendor consents.
TWO_RANGE = (
    "COwBOpCOwBOpCLqAAAENAPCAAAAAAAAAAAAAFfwAYFfAV-BVkAGBVYFWAAA.IFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQ"
    "BAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUw"
)
ONE_RANGE = "COwBOpCOwBOpCLqAAAENAPCAAAAAAAAAAAAAFfwAQFfgUbABAUaAAA"
# iabtcf-java testCanParseRangeEncodedVendorLegitimateInterests.
RANGE_LI = "COv__-wOv__-wC2AAAENAPCgAAAAAAAAAAAAA_wAQA_gEBABAEAAAA"
# iabtcf-java testPurposesConsent.
PURPOSES_1_2 = "COwxsONOwxsONKpAAAENAdCAAMAAAAAAAAAAAAAAAAAA"
# The specification's example of a whole string: core, disclosed vendors, publisher TC.
SPEC_EXAMPLE = "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA"
# iabtcf-es issue 201: "a purpose restriction encoded for a vendor multiple times", vendors [7, 20, 71, 122, 140, 183]
# under purpose 1, restriction type 1.
ISSUE_201 = (
    "CO4VGswO4VGswAfZCBDEAzCsAP_AAH_AAAigGUNf_X9fb2vj-_599_t0eY1f9_63t-wzjheMs-8NyZ-X_J4Wv2MyvB34JqQKGRgkunLBAQdtHGncTQg"
    "BwIlViTLMY02MjzNKJrJEilsbe2dYGH9vn8XT_ZKZ70-_v__7v3___33_5Ayhr_6_r7e18f3_Pvv9ujzGr_v_W9v2GccLxln3huTPy_5PC1-xmV4O"
    "_BNSBQyMEl05YICDto407iaEAOBEqsSZZjGmxkeZpRNZIkUtjb2zrAw_t8_i6f7JTPen39___d-___--__ICgKAOAAcAA4AFAAjgB6AEYALcGACAW0"
    "AtoJAHAAOAAcACgARwA9ACMAFuFABALaAW0GgDgAHAAOABQAI4AegBGAC3DgAgFtALaEQBwADgAHAAoAEcAPQAjABbiQAQC2gFtCoA4ABwADgAUACOA"
    "HoARgAtxYAIBbQC2hkAcAA4ABwAKABHAD0AIwAW40AEAtoBbQ6AOAAcAA4AFAAjgB6AEYALceACAW0AtohAHAAOAAcACgARwA9ACMAFuRABALaAW0S"
    "gDgAHAAOABQAI4AegBGAC3JgAgFtALaKQBwADgAHAAoAEcAPQAjABblQAQC2gFtA"
)
# iabtcf-es issue 142: "it should throw an error if the bitfield length does not match the maxId".
ISSUE_142 = (
    "CLSYjTaOngnCIAOABBENAXCMAGOAABBAAA7IA5n-m7fP6_3fbqVv6E__PoA5Aqff3aJx8tv_1967rfnQEQoAIAAQCrwkAEABAcACABIMACAAuApEV"
    "ABABUSABgBCAVSAtIoACACIArYQAHACgAFgAVwBJgDcAI7AWgMAAgBiKgAgBMgFfKQAQBRkQAQA4AFiBAAoA-AEVAJlAVgAtYcACAJcAr4eABAK8O"
    "gBgFzAOmAqwgABAWyA.IFukWSQh"
)
# iabtcf-es issue 156: "it should auto detect 1 version" (a TCF v1.1 consent string).
VERSION_1 = (
    "BOhwdphOxFC7tAHABBFRC--AAAAuhr_7__7-_9_-_f__9uj3Or_v_f__32ccL59v_h_7v-_7fi_20nV4u_1vft9yfk1-5ctDztp507iakivXmqdeb9v"
    "_nz3_5pxP78k89r7337Ew_v8_v-b7BCON_YxEiA"
)


def test_every_core_field_of_the_encoder_example() -> None:
    tc = decode(ENCODER_EXAMPLE)
    assert tc.version == 2
    assert tc.created == datetime(2020, 1, 26, 17, 1, tzinfo=UTC)
    assert tc.last_updated == datetime(2021, 2, 2, 17, 1, tzinfo=UTC)
    assert (tc.cmp_id, tc.cmp_version, tc.consent_screen) == (675, 2, 1)
    assert (tc.vendor_list_version, tc.tcf_policy_version) == (15, 2)
    assert (tc.consent_language, tc.publisher_cc) == ("EN", "AA")
    assert tc.is_service_specific is False
    assert tc.purpose_one_treatment is True
    assert tc.use_non_standard_texts is False
    assert tc.special_feature_opt_ins == {1}
    assert tc.purposes_consent == {2, 10}
    assert tc.purposes_li_transparency == {2, 9}


def test_bitfield_vendor_sections() -> None:
    tc = decode(BITFIELDS)
    assert tc.purposes_consent == {3, 4, 5, 6, 7, 8, 9}
    assert tc.vendor_consents == {23, 37, 47, 48, 53, 65, 98}
    assert tc.vendor_legitimate_interests == {37, 47, 48, 53, 65, 98, 129}
    assert tc.segment_types == ()


def test_disclosed_and_allowed_vendor_segments() -> None:
    tc = decode(WITH_SEGMENTS)
    assert tc.segment_types == (1, 2)
    assert tc.allowed_vendors == {12, 23, 37, 47, 48, 53}
    assert tc.disclosed_vendors == {23, 37, 47, 48, 53, 65, 98, 129}


def test_publisher_tc_segment_even_with_padding() -> None:
    tc = decode(ALL_PARTS)  # the source's string ends in "=", which the format does not use
    assert tc.segment_types == (1, 2, 3)
    assert tc.publisher_tc is not None
    assert len(tc.publisher_tc.purposes_consent) == 1


@pytest.mark.parametrize(("text", "consents"), [(TWO_RANGE, {702, 703}), (ONE_RANGE, {703})])
def test_range_encoded_vendor_consents(text: str, consents: set[int]) -> None:
    assert decode(text).vendor_consents == consents


def test_range_encoded_vendor_legitimate_interests() -> None:
    assert decode(RANGE_LI).vendor_legitimate_interests == {128}


def test_purposes_consent() -> None:
    assert {1, 2} <= decode(PURPOSES_1_2).purposes_consent


def test_publisher_restrictions_in_ranges() -> None:
    tc = decode(ISSUE_201)
    assert tc.version == 2
    vendors = [r.vendors for r in tc.publisher_restrictions if (r.purpose, r.restriction) == (1, 1)]
    assert vendors and sorted(vendors[0]) == [7, 20, 71, 122, 140, 183]


def test_the_specifications_example_has_its_three_segments() -> None:
    # "[Core String].[Disclosed Vendors].[Publisher TC]": SegmentType 1, then 3.
    tc = decode(SPEC_EXAMPLE)
    assert tc.version == 2
    assert tc.segment_types == (1, 3)
    assert tc.disclosed_vendors is not None and tc.publisher_tc is not None


def test_grants_names_purposes_and_counts_vendors() -> None:
    grants = decode(BITFIELDS).grants()
    assert grants["purposes_consent"][0] == "3 Create profiles for personalised advertising"  # type: ignore[index]
    assert grants["vendors_with_consent"] == 7
    assert decode(BITFIELDS).grants_consent is True


def test_names_from_the_policy() -> None:
    assert len(PURPOSES) == 11 and PURPOSES[1] == "Store and/or access information on a device"
    assert PURPOSES[11] == "Use limited data to select content"
    assert SPECIAL_FEATURES == {1: "Use precise geolocation data",
                                2: "Actively scan device characteristics for identification"}


@pytest.mark.parametrize(("text", "message"), [
    (ISSUE_142, "ends at bit 48, before its field Disclosed Vendors BitField"),
    (VERSION_1, "of version 1; only version 2"),
    ("", "is empty"),
    ("CO*tybn4", "'*', which is not a base64url character"),
    (ENCODER_EXAMPLE[:20], "ends at bit 120, before its field"),
    (ENCODER_EXAMPLE + "..", "empty segment"),
    (ENCODER_EXAMPLE + ".AAAA", "segment 2 of the TC string is of type 0"),
])
def test_malformed_strings_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(TCStringError, match=None) as caught:
        decode(text)
    assert message in str(caught.value)
    assert isinstance(caught.value, PolicyPressError) and caught.value.exit_code == 2
