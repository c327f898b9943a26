"""A file is checked and written a chunk of rows at a time: what holds for the whole file
(duplicates, all-or-nothing, row numbers, progress) holds across chunks, and the readers
hand rows over as they come."""

import csv

import pytest
from openpyxl import Workbook

from jiandu.enforcement.models import PenaltyCase
from jiandu.intake import engine, readers
from jiandu.intake.readers import Refused, read_bytes
from tests.intake.factories import CASE_HEADER, TODAY, case_row, run_rows, to_csv

pytestmark = pytest.mark.django_db


def test_duplicates_and_errors_across_chunks_keep_file_order(catalogue):
    rows = [CASE_HEADER] + [case_row(f"C-{i}") for i in range(5)]
    rows += [case_row("C-1"), case_row("C-9", **{"罚款金额(元)": "-1"}), case_row("C-10")]
    seen = []
    result = run_rows(rows, "cases", chunk_rows=3, batch_size=2, progress=lambda *p: seen.append(p))
    assert (result.rows, result.created, result.rejected) == (8, 6, 2)
    assert result.errors == [
        {"row": 7, "column": "案件编号", "message": "与第3行重复（T-A/C-1）"},
        {"row": 8, "column": "罚款金额(元)", "message": "金额不能为负数"},
    ]
    assert PenaltyCase.objects.count() == 6
    assert seen[0] == (0, 8) and seen[-1] == (8, 8)
    assert [done for done, _total in seen] == sorted(done for done, _total in seen)


def test_all_or_nothing_rolls_back_chunks_written_before_a_bad_row(catalogue):
    rows = [CASE_HEADER] + [case_row(f"C-{i}") for i in range(6)]
    rows += [case_row("C-6", **{"立案日期": "2026-13-01"}), case_row("C-7", **{"裁量阶次": "x"})]
    result = run_rows(rows, "cases", chunk_rows=3, batch_size=2, all_or_nothing=True)
    assert (result.rows, result.rejected, result.applied) == (8, 2, False)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)
    assert [e["row"] for e in result.errors] == [8, 9]
    assert PenaltyCase.objects.count() == 0
    ok = run_rows(rows[:7], "cases", chunk_rows=3, batch_size=2, all_or_nothing=True)
    assert (ok.created, ok.applied) == (6, True)


def test_large_csv_is_checked_whole_before_any_row_is_taken(catalogue, monkeypatch):
    monkeypatch.setattr(readers, "CSV_CHECK_FROM_BYTES", 0)
    data = to_csv([CASE_HEADER] + [case_row(f"C-{i}") for i in range(3)])
    sheet = read_bytes(data, "x.csv")
    assert sheet.total == 3
    assert [n for n, _cells in sheet.rows] == [2, 3, 4]
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(40)
        long_facts = to_csv([[*CASE_HEADER, "案情摘要"], [*case_row("C-1"), "经查" * 30]])
        with pytest.raises(Refused, match="无法读取 CSV 文件"):
            read_bytes(long_facts, "x.csv")
    finally:
        csv.field_size_limit(limit)


def test_xlsx_starting_away_from_a1_keeps_excel_row_numbers(catalogue, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["C1"] = "2026年处罚案件"  # a title row, then an empty row, data from column C
    for r, row in enumerate([CASE_HEADER, case_row("C-1"), [], case_row("C-2", unit="X")], 3):
        for c, value in enumerate(row, 3):
            ws.cell(row=r, column=c, value=value)
    path = tmp_path / "cases.xlsx"
    wb.save(path)
    sheet = read_bytes(path.read_bytes(), "cases.xlsx")
    assert sheet.headers[:3] == ["", "", "案件编号"] and sheet.header_row == 3
    result = engine.run(sheet, "cases", today=TODAY)
    assert result.created == 1
    assert result.errors == [
        {
            "row": 6,
            "column": "执法单位",
            "message": "单位“X”不存在（请填写单位编码或完整名称）",
        }
    ]


def test_empty_workbook_is_refused_and_a_header_alone_has_no_rows(tmp_path):
    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with pytest.raises(Refused, match="文件是空的，没有表头"):
        read_bytes(path.read_bytes(), "empty.xlsx")
    wb = Workbook()
    wb.active.append(CASE_HEADER)
    wb.save(path)
    sheet = read_bytes(path.read_bytes(), "header.xlsx")
    assert (sheet.headers, list(sheet.rows), sheet.total) == (CASE_HEADER, [], 0)


def test_a_nul_anywhere_in_a_csv_or_in_json_records_refuses_it():
    rows = [CASE_HEADER] + [case_row(f"C-{i}") for i in range(300)]
    rows[250][2] = "甲\x00公司"  # far past the first 4 KB
    with pytest.raises(Refused, match="不能含有 NUL 字符"):
        read_bytes(to_csv(rows), "x.csv")
    with pytest.raises(Refused, match="记录中含有无效字符"):
        readers.read_records([{"case_no": "C-1"}, {"case_no": "C-2", "party_name": "乙\x00"}])
