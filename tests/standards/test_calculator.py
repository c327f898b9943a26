"""The discretion calculator's rules (pure: no database)."""

from decimal import Decimal as D

from jiandu.standards.calculator import LenientSpec, TierSpec, calculate, ratio_warning, tier_range

TIERS = [
    TierSpec("mitigated", D("0"), D("1000")),
    TierSpec("lighter", D("1000"), D("3000")),
    TierSpec("general", D("3000"), D("7000")),
    TierSpec("heavier", D("7000"), D("10000")),
]


def test_minor_corrected_harmless_is_exempt_by_art_33():
    r = calculate(circumstances=["及时改正"], facts=["minor", "no_harm"], tiers=TIERS)
    assert r.level == "exempt" and not r.optional
    assert "第三十三条第一款" in r.legal[0]
    assert r.range is None


def test_minor_list_item_counts_as_minor():
    minor = LenientSpec("minor", "首次发现且及时改正")
    r = calculate(circumstances=["及时改正"], facts=["no_harm"], tiers=TIERS, lenient=[minor])
    assert r.level == "exempt" and r.lenient == [minor]


def test_first_violation_on_first_list_may_be_exempt():
    first = LenientSpec("first", "初次违法且危害后果轻微并及时改正")
    r = calculate(
        circumstances=["初次违法", "危害后果轻微", "及时改正"], tiers=TIERS, lenient=[first]
    )
    assert r.level == "exempt" and r.optional
    assert r.lenient == [first]
    assert r.alternatives == ["mitigated", "lighter"]


def test_first_violation_not_on_list_is_not_exempt():
    r = calculate(circumstances=["初次违法", "危害后果轻微", "及时改正"], tiers=TIERS)
    assert r.level == "general"
    assert any("未列入首违不罚清单" in reason for reason in r.reasons)


def test_earlier_case_of_same_party_removes_first_violation():
    first = LenientSpec("first", "…")
    r = calculate(
        circumstances=["初次违法", "危害后果轻微", "及时改正"],
        tiers=TIERS,
        lenient=[first],
        earlier_violations=True,
    )
    assert r.level == "general" and not r.lenient


def test_art_32_circumstance_gives_lighter_with_mitigated_alternative():
    r = calculate(circumstances=["配合查处"], tiers=TIERS)
    assert r.level == "lighter" and r.alternatives == ["mitigated"]
    assert (r.range.low, r.range.high) == (D("1000"), D("3000"))
    assert "第三十二条" in r.legal[0]


def test_mitigate_list_item_may_lighten_a_minor_corrected_violation():
    mitigate = LenientSpec("mitigate", "危害后果轻微并及时改正")
    r = calculate(circumstances=["危害后果轻微", "及时改正"], tiers=TIERS, lenient=[mitigate])
    assert r.level == "lighter" and r.optional and r.lenient == [mitigate]
    assert (r.range.low, r.range.high) == (D("1000"), D("3000"))
    # Without the list entry the same facts stay general.
    assert calculate(circumstances=["危害后果轻微", "及时改正"], tiers=TIERS).level == "general"


def test_art_32_circumstance_with_mitigate_list_item_must_lighten_and_cites_it():
    mitigate = LenientSpec("mitigate", "配合查处")
    r = calculate(circumstances=["配合查处"], tiers=TIERS, lenient=[mitigate])
    assert r.level == "lighter" and not r.optional and r.lenient == [mitigate]


def test_aggravating_circumstance_gives_heavier():
    r = calculate(circumstances=["拒不改正"], tiers=TIERS)
    assert r.level == "heavier"
    assert (r.range.low, r.range.high) == (D("7000"), D("10000"))


def test_mixed_circumstances_fall_back_to_general():
    r = calculate(circumstances=["配合查处", "多次违法"], tiers=TIERS)
    assert r.level == "general"


def test_no_circumstance_is_general():
    r = calculate(circumstances=[], tiers=TIERS)
    assert r.level == "general" and r.range.contains(5000) and not r.range.contains(8000)


def test_serious_harm_blocks_exemption():
    r = calculate(
        circumstances=["及时改正", "造成严重后果"], facts=["minor", "no_harm"], tiers=TIERS
    )
    assert r.level == "heavier"


def test_no_fault_is_exempt_by_art_33_2():
    r = calculate(circumstances=["多次违法"], facts=["no_fault"], tiers=TIERS)
    assert r.level == "exempt" and "第二款" in r.legal[0]


def test_multiples_of_illegal_income_are_computed_to_yuan():
    tier = TierSpec("general", D("0"), D("50000"), "illegal_income", D("1"), D("5"))
    r = tier_range(tier, illegal_income=D("1234.56"))
    assert (r.low, r.high) == (D("1235"), D("6173"))
    assert "违法所得" in r.how


def test_multiples_without_income_fall_back_to_fixed_amounts():
    tier = TierSpec("general", D("0"), D("50000"), "illegal_income", D("1"), D("5"))
    r = tier_range(tier, illegal_income=None)
    assert (r.low, r.high) == (D("0"), D("50000"))


def test_multiples_of_goods_value_without_amount_ask_for_it():
    tier = TierSpec("general", multiple_of="goods_value", multiple_min=D("5"), multiple_max=D("10"))
    r = tier_range(tier)
    assert r.low is None and "货值金额" in r.how
    r = calculate(circumstances=[], tiers=[tier], goods_value=D("2000"))
    assert (r.range.low, r.range.high) == (D("10000"), D("20000"))


def test_no_benchmark_warns():
    r = calculate(circumstances=[], tiers=[])
    assert r.level == "general" and r.range is None and r.warnings


def test_missing_tier_in_benchmark_warns():
    r = calculate(circumstances=["拒不改正"], tiers=[TierSpec("general", D("1"), D("2"))])
    assert r.level == "heavier" and r.range is None and "从重" in r.warnings[0]


def test_ratio_warning_above_ten_times():
    assert ratio_warning(TierSpec("general", D("100"), D("5000")))
    assert ratio_warning(TierSpec("general", D("1000"), D("10000"))) is None
