from datetime import date
from decimal import Decimal

import pytest

from jiandu.intake import parse
from jiandu.lib import uscc


def test_known_codes_are_valid():
    assert uscc.is_valid("91110000600037341L")
    assert uscc.is_valid("91350100M000100Y43")


def test_make_computes_the_check_character():
    assert uscc.make("91110000600037341") == "91110000600037341L"
    assert uscc.is_valid(uscc.make("92331099MA7E8F9G0"))


def test_wrong_check_character_length_and_characters_have_reasons():
    assert uscc.problem("91110000600037341X") == "统一社会信用代码校验位错误"
    assert uscc.problem("9111000060003734") == "统一社会信用代码应为18位（当前16位）"
    assert uscc.problem("91110000600037341I") == "统一社会信用代码含有不允许的字符“I”"
    assert not uscc.is_valid("")


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-28",
        "2024/3/28",
        "2024年3月28日",
        "2024-03-28 00:00:00",
        date(2024, 3, 28),
        45379,
        45379.0,
    ],
)
def test_every_date_form_of_the_contract(raw):
    assert parse.parse_date(raw) == date(2024, 3, 28)


def test_bad_dates_have_reasons():
    with pytest.raises(parse.Invalid, match="“2024-02-30”不是存在的日期"):
        parse.parse_date("2024-02-30")
    with pytest.raises(parse.Invalid, match="“下周”不是有效的日期"):
        parse.parse_date("下周")


@pytest.mark.parametrize(
    "raw,value",
    [("是", True), ("否", False), ("Y", True), ("n", False), ("1", True), (0, False), (True, True)],
)
def test_yes_no(raw, value):
    assert parse.parse_bool(raw) is value


def test_amounts_with_separators_never_negative():
    assert parse.parse_amount("12,345.5") == Decimal("12345.50")
    assert parse.parse_amount(5000) == Decimal("5000.00")
    assert parse.parse_amount("3000元") == Decimal("3000.00")
    with pytest.raises(parse.Invalid, match="金额不能为负数"):
        parse.parse_amount("-1")
    with pytest.raises(parse.Invalid, match="“十元”不是有效的金额"):
        parse.parse_amount("十元")


def test_multi_values_split_on_every_separator():
    assert parse.split_values("罚款；警告;没收违法所得、通报批评,罚款") == [
        "罚款",
        "警告",
        "没收违法所得",
        "通报批评",
    ]
    assert parse.split_values(["a", "b"]) == ["a", "b"]


def test_a_multiple_fits_the_field_that_stores_it():
    """倍数 are stored with 8 digits (2 decimals): a larger one is refused at the door,
    not stored and then unreadable (the API's fuzzing found 1219183979931.66 倍)."""
    assert parse.parse_number("999999.99") == Decimal("999999.99")
    assert parse.parse_number(10) == Decimal("10.00")
    with pytest.raises(parse.Invalid, match="过大"):
        parse.parse_number(1219183979931.6575)
