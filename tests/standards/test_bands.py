"""Band phrases parsed exactly (pure, no database)."""

import csv
from decimal import Decimal as D

import pytest

from jiandu.standards.published.bands import parse_band
from jiandu.standards.published.numerals import number, ratio

from .realdata import CASES, need

NUMBERS = [
    ("二万", 20000),
    ("五十万", 500000),
    ("一千", 1000),
    ("十", 10),
    ("十五", 15),
    ("一百五十", 150),
    ("一万五千", 15000),
    ("三亿", 300000000),
    ("两千", 2000),
    ("0.5万", 5000),
    ("1万", 10000),
    ("30000", 30000),
    ("1,000", 1000),
    ("一百万", 1000000),
    ("一百二十万", 1200000),
    ("一点五万", 15000),
    ("二百", 200),
]


@pytest.mark.parametrize("text,value", NUMBERS)
def test_numbers_as_written(text, value):
    assert number(text) == value


def test_ratios():
    assert ratio("百分之五十") == D("0.5")
    assert ratio("30%") == D("0.3")
    assert ratio("十倍") == 10
    assert ratio("两倍") == 2
    assert ratio("等值") == 1


# phrase → (fine_min, fine_max, multiple_of, multiple_min, multiple_max) of the main band
MUST_HIT = [
    ("处二万元以上五万元以下罚款", ("20000", "50000", "", None, None)),
    ("五十万元以下", (None, "500000", "", None, None)),
    ("处五十万元以下罚款", (None, "500000", "", None, None)),
    ("处一千元罚款", ("1000", "1000", "", None, None)),
    ("处0.5万元以上1万元以下罚款", ("5000", "10000", "", None, None)),
    ("处以30000元以下罚款", (None, "30000", "", None, None)),
    ("处二百以上五百元以下的罚款", ("200", "500", "", None, None)),
    ("处十二万以上十五万元以下罚款", ("120000", "150000", "", None, None)),
    ("处以处一万元以上三万元以下的罚款", ("10000", "30000", "", None, None)),
    ("处两千元以上一万元以下罚款", ("2000", "10000", "", None, None)),
    ("并处违法所得一倍以上十倍以下的罚款", (None, None, "illegal_income", "1", "10")),
    ("处货值金额1倍以上2倍以下的罚款", (None, None, "goods_value", "1", "2")),
    ("并处货值金额十五倍以上三十倍以下的罚款", (None, None, "goods_value", "15", "30")),
    ("可以并处违法所得一倍的罚款", (None, None, "illegal_income", "1", "1")),
    (
        "处建设项目总投资额百分之一以上百分之五以下的罚款",
        (None, None, "建设项目总投资额", "0.01", "0.05"),
    ),
    (
        "并处不缴或者少缴的税款百分之五十以上五倍以下的罚款",
        (None, None, "不缴或者少缴的税款", "0.5", "5"),
    ),
    ("并处违法生产、销售产品货值金额等值以下的罚款", (None, None, "goods_value", None, "1")),
    ("处以直接损失20%的罚款", (None, None, "直接损失", "0.2", "0.2")),
    (
        "按照直接损失的百分之三十计算罚款，但是最高不超过一百万元",
        (None, "1000000", "直接损失", "0.3", "0.3"),
    ),
    ("并处 10000元以上30000元以 下罚款", ("10000", "30000", "", None, None)),
]


@pytest.mark.parametrize("text,expected", MUST_HIT)
def test_must_hit_bands(text, expected):
    r = parse_band(text)
    assert r.ok, r.problems
    b = r.main
    got = (b.fine_min, b.fine_max, b.multiple_of, b.multiple_min, b.multiple_max)
    assert got == tuple(D(x) if x and x[0].isdigit() else x for x in expected)


def test_separate_bands_for_unit_and_individual():
    r = parse_band("责令改正，处十万元以上三十万元以下罚款；对个人处以五千元以上七千元以下罚款")
    assert [(b.subject, b.fine_min, b.fine_max) for b in r.bands] == [
        ("", 100000, 300000),
        ("个人", 5000, 7000),
    ]
    assert r.main.fine_max == 300000 and r.measures == ["责令改正"]
    r = parse_band("对个人处以五十元以上二百元以下罚款，对单位处以二百元以上二千元以下罚款")
    assert [(b.subject, b.fine_min, b.fine_max) for b in r.bands] == [
        ("个人", 50, 200),
        ("单位", 200, 2000),
    ]
    assert r.main.subject == "单位"


def test_persons_in_charge_band_is_not_the_main_band():
    r = parse_band(
        "处五十万元以上七十万元以下的罚款，并对建设单位的法定代表人、主要负责人、直接负责的主管人员"
        "和其他直接责任人员，处五万元以上七万元以下的罚款"
    )
    assert (r.main.fine_min, r.main.fine_max) == (500000, 700000)
    assert r.bands[1].subject == "直接责任人员" and r.bands[1].fine_max == 70000


def test_daily_penalty_and_conditions():
    r = parse_band("处十万元以上一百万元以下的罚款；拒不改正的，可以按日连续处罚")
    assert r.daily and r.ok
    r = parse_band("处五万元以上十万元以下的罚款；逾期未改正的，处十万元以上二十万元以下的罚款")
    assert [(b.condition, b.fine_min) for b in r.bands] == [("", 50000), ("逾期未改正的", 100000)]


def test_joint_alternative_and_measures():
    r = parse_band("处五日以下拘留或者五百元以下罚款")
    assert r.bands[0].alternative and r.bands[0].fine_max == 500 and r.bands[0].fine_min is None
    assert r.measures == ["五日以下拘留"]
    r = parse_band("责令停止违法行为，限期改正，没收违法所得，并处违法所得三倍以上五倍以下罚款")
    assert r.bands[0].joint
    assert r.measures == ["责令停止违法行为", "限期改正", "没收违法所得"]
    r = parse_band("责令改正或者限制生产、停产整治")
    assert not r.bands and r.measures == ["责令改正或者限制生产、停产整治"]
    r = parse_band("可以处二十元以上五十元以下罚款")
    assert r.bands[0].optional


def test_income_conditions_switch_band():
    r = parse_band(
        "并处违法所得1倍以上3倍以下的罚款；没有违法所得或者违法所得不足1万元的，并处1万元以上3万元以下的罚款"
    )
    assert r.main.multiple_of == "illegal_income"
    assert r.bands[1].condition.startswith("没有违法所得") and r.bands[1].fine_min == 10000


def _phrases():
    rows = []
    for path in sorted(need(CASES).glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            rows += [r["处罚幅度"] for r in csv.DictReader(f)]
    return rows


def test_the_970_statutory_band_phrases():
    phrases = _phrases()
    assert len(phrases) == 970
    written = [p for p in phrases if p.strip() and p.strip() != "暂无"]
    parsed = [p for p in written if parse_band(p).ok]
    with_fine = [p for p in written if "罚款" in p]
    banded = [p for p in with_fine if parse_band(p).bands]
    # Measured: 891 of 893 written phrases read without a problem; every phrase that
    # mentions 罚款 but one gives at least one band.
    assert len(written) == 893
    assert len(parsed) / len(written) >= 0.995
    assert len(banded) >= len(with_fine) - 2


# Hand-checked from the csv (read by a person, not copied from the parser's output):
# phrase → [(subject, condition, fine_min, fine_max, multiple_of, mmin, mmax), ...]
CSV_SAMPLE = [
    ("处以二十元以上五十元以下罚款", [("", "", 20, 50, "", None, None)]),
    ("处五元以上五十元以下罚款", [("", "", 5, 50, "", None, None)]),
    ("可并处1万元以上3万元以下的罚款", [("", "", 10000, 30000, "", None, None)]),
    (
        "对单位可以处10万元以下罚款，对个人可以处1000元以下罚款",
        [("单位", "", None, 100000, "", None, None), ("个人", "", None, 1000, "", None, None)],
    ),
    (
        "处十万元以下的罚款；逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款， 对其直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款",
        [
            ("", "", None, 100000, "", None, None),
            ("", "逾期未改正的", 100000, 200000, "", None, None),
            ("直接责任人员", "逾期未改正的", 20000, 50000, "", None, None),
        ],
    ),
    (
        "违法经营额1万元以上的，并处违法经营额5倍以上10倍以下的罚款；违法经营额不足1万元的，并处1万元以上5万元以下的罚款",
        [
            ("", "违法经营额1万元以上的", None, None, "违法经营额", 5, 10),
            ("", "违法经营额不足1万元的", 10000, 50000, "", None, None),
        ],
    ),
    (
        "并处二十万元以上二百万元以下的罚款；情节严重的，并处二百万元以上五百万元以下的罚款",
        [
            ("", "", 200000, 2000000, "", None, None),
            ("", "情节严重的", 2000000, 5000000, "", None, None),
        ],
    ),
    (
        "处十日以上十五日以下拘留，可以并处五千元以下罚款；情节较轻的，处五日以下拘留或者五百元以下罚款",
        [("", "", None, 5000, "", None, None), ("", "情节较轻的", None, 500, "", None, None)],
    ),
    (
        "处广告费用一倍以上三倍以下的罚款，广告费用无法计算或者明显偏低的，处十万元以上二十万元以下的罚款；情节严重的，处广告费用三倍以上五倍以下的罚款，广告费用无法计算或者明显偏低的，处二十万元以上一百万元以下的罚款",
        [
            ("", "", None, None, "广告费用", 1, 3),
            ("", "广告费用无法计算或者明显偏低的", 100000, 200000, "", None, None),
            ("", "情节严重的", None, None, "广告费用", 3, 5),
            ("", "广告费用无法计算或者明显偏低的", 200000, 1000000, "", None, None),
        ],
    ),
    (
        "对单位处以5000元以上5万元以下的罚款。个人有以上行为的，处以200元以下的罚款",
        [
            ("单位", "", 5000, 50000, "", None, None),
            ("个人", "个人有以上行为的", None, 200, "", None, None),
        ],
    ),
    ("并处以树木价值一倍以上五倍以下的罚款", [("", "", None, None, "树木价值", 1, 5)]),
    (
        "处同类检疫合格动物、动物产品货值金额一倍以下罚款；对货主以外的承运人处运输费用三倍以上五倍以下罚款，情节严重的，处五倍以上十倍以下罚款",
        [
            ("", "", None, None, "goods_value", None, 1),
            ("货主以外的承运人", "", None, None, "运输费用", 3, 5),
            ("货主以外的承运人", "情节严重的", None, None, "运输费用", 5, 10),
        ],
    ),
    (
        "按照受侵害的劳动者每人1000元以上5000元以下的标准计算，处以罚款",
        [("", "", 1000, 5000, "", None, None)],
    ),
]


def _as_tuple(b):
    return (
        b.subject,
        b.condition,
        b.fine_min,
        b.fine_max,
        b.multiple_of,
        b.multiple_min,
        b.multiple_max,
    )


@pytest.mark.parametrize("text,bands", CSV_SAMPLE)
def test_hand_checked_csv_phrases(text, bands):
    r = parse_band(text)
    assert r.ok, r.problems
    assert [_as_tuple(b) for b in r.bands] == bands
