"""Amounts in another unit: a `罚款金额（万元）` column is converted to 元 and the report says
so; a fine that looks 10,000 times off against the benchmark in force is a warning."""

from decimal import Decimal

import pytest

from jiandu.enforcement.models import PenaltyCase
from jiandu.intake.schema import KINDS, scaled_column
from tests.intake.factories import CASE_HEADER, case_row, run_rows

pytestmark = pytest.mark.django_db


def test_header_in_wan_yuan_maps_to_the_yuan_column():
    kind = KINDS["cases"]
    col = scaled_column(kind, "罚款金额（万元）")
    assert (col.field, col.scale) == ("fine", 10_000)
    assert scaled_column(kind, "罚款金额(万元)").scale == 10_000
    assert scaled_column(kind, "货值金额（千元）").field == "goods_value"
    assert scaled_column(kind, "罚款金额(元)") is None  # the column itself, not a conversion
    assert scaled_column(kind, "案件编号（万元）") is None


def test_wan_yuan_column_is_converted_and_reported(catalogue):
    header = [("罚款金额（万元）" if h == "罚款金额(元)" else h) for h in CASE_HEADER]
    row = case_row(**{"罚款金额(元)": "0.5"})
    result = run_rows([header, row])
    assert result.created == 1 and not result.errors, result.errors
    assert PenaltyCase.objects.get().fine == Decimal("5000.00")
    assert {
        "row": 1,
        "column": "罚款金额(万元)",  # the reader writes headers with ASCII brackets
        "message": "该列以万元为单位，已换算为元（×10000）写入“罚款金额(元)”",
    } in result.warnings
    assert result.unknown_columns == []


def test_fine_ten_thousand_times_off_is_a_warning(catalogue):
    # Benchmark in force: 1000～10000 元; 0.5 元 looks like 0.5 万元.
    result = run_rows([CASE_HEADER, case_row(**{"罚款金额(元)": "0.5"})])
    assert result.created == 1  # a warning, not a refusal
    [warning] = result.warnings
    assert warning["column"] == "罚款金额(元)"
    assert "是否以万元填写" in warning["message"] and "5000" in warning["message"]
    ok = run_rows([CASE_HEADER, case_row(no="C-2", **{"罚款金额(元)": "5,000"})])
    assert ok.warnings == []
