"""Re-import by natural key, all-or-nothing, and an import that fails half-way."""

import pytest

from jiandu.enforcement.models import PenaltyCase
from tests.intake.factories import CASE_HEADER, case_row, run_rows

pytestmark = pytest.mark.django_db


def test_reimport_updates_by_natural_key_without_duplicates(catalogue):
    rows = [CASE_HEADER] + [case_row(f"C-{i}") for i in range(5)]
    first = run_rows(rows)
    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    second = run_rows(rows)
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 5, 0)
    rows[3] = case_row("C-2", **{"罚款金额(元)": "6000", "执法人员": "C002"})
    third = run_rows(rows)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 4)
    assert PenaltyCase.objects.count() == 5
    changed = PenaltyCase.objects.get(case_no="C-2")
    assert changed.fine == 6000
    assert changed.officers == ";C002;"
    assert PenaltyCase.objects.exclude(case_no="C-2").filter(officers=";C001;C002;").count() == 4


def test_columns_left_out_keep_their_stored_values(catalogue):
    run_rows([CASE_HEADER, case_row("C-1")])
    header = CASE_HEADER[: CASE_HEADER.index("立案日期") + 1]  # the columns up to 立案日期
    values = case_row("C-1")
    result = run_rows([header, [values[CASE_HEADER.index(h)] for h in header]])
    assert result.unchanged == 1
    assert PenaltyCase.objects.get().fine == 5000


def test_all_or_nothing_applies_nothing_when_a_row_fails(catalogue):
    rows = [CASE_HEADER, case_row("C-1"), case_row("C-2", 立案日期="坏日期")]
    result = run_rows(rows, all_or_nothing=True)
    assert (result.created, result.rejected, result.applied) == (0, 1, False)
    assert not PenaltyCase.objects.exists()
    assert run_rows(rows[:2], all_or_nothing=True).created == 1


class Killed(Exception):
    pass


def test_failure_midway_leaves_earlier_batches_and_nothing_of_the_failing_one(catalogue):
    rows = [CASE_HEADER] + [case_row(f"C-{i}") for i in range(5)]

    def die_in_second_batch(done):
        if done == 2:
            raise Killed

    with pytest.raises(Killed):
        run_rows(rows, batch_size=2, after_batch=die_in_second_batch)
    assert sorted(PenaltyCase.objects.values_list("case_no", flat=True)) == ["C-0", "C-1"]
    assert set(PenaltyCase.objects.values_list("officers", flat=True)) == {";C001;C002;"}


def test_failure_midway_of_all_or_nothing_leaves_nothing(catalogue):
    rows = [CASE_HEADER] + [case_row(f"C-{i}") for i in range(5)]

    def die(done):
        if done == 4:
            raise Killed

    with pytest.raises(Killed):
        run_rows(rows, batch_size=2, after_batch=die, all_or_nothing=True)
    assert not PenaltyCase.objects.exists()


def test_clerk_scope_rejects_rows_of_another_unit(catalogue, units):
    rows = [CASE_HEADER, case_row("C-1", 执法单位="T-A"), case_row("C-2", 执法单位="T-B")]
    result = run_rows(rows, restrict_unit_id=units["a"].pk)
    assert result.errors == [
        {
            "row": 3,
            "column": "执法单位",
            "message": "不能导入其他单位的数据（本账号只能导入单位 T-A 的数据）",
        }
    ]
    assert list(PenaltyCase.objects.values_list("case_no", flat=True)) == ["C-1"]


def test_county_wide_sheets_are_refused_for_a_unit(units):
    result = run_rows(
        [["单位编码", "单位名称", "单位类型"], ["T-X", "x", "乡镇"]], restrict_unit_id=units["a"].pk
    )
    assert result.refused == "“单位名录”是全县共用的数据，只有司法局的监督管理员可以导入。"


def test_a_cleared_cell_or_a_flipped_flag_counts_as_an_update(catalogue):
    run_rows([CASE_HEADER, case_row("C-1"), case_row("C-2"), case_row("C-3")])
    rows = [
        CASE_HEADER,
        case_row("C-1", 公示日期=""),
        case_row("C-2", 法制审核="否"),
        case_row("C-3", **{"罚款金额(元)": "5000.00"}),
    ]
    result = run_rows(rows)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert PenaltyCase.objects.get(case_no="C-1").published_on is None
    assert PenaltyCase.objects.get(case_no="C-2").legal_review is False
