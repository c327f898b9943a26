"""Import files built in memory: a case row, its header, CSV and XLSX bytes, an engine run."""

import csv
import io
from datetime import date

from openpyxl import Workbook

from jiandu.intake import engine
from jiandu.intake.readers import read_bytes
from jiandu.lib import uscc

TODAY = date(2026, 11, 26)
USCC_A = uscc.make("91331099MA2B3C4D5")
USCC_B = uscc.make("92331099MA7E8F9G0")


def to_csv(rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def to_xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run_rows(rows, kind=None, *, fmt="csv", **kwargs):
    data = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    kwargs.setdefault("today", TODAY)
    return engine.run(read_bytes(data, f"x.{fmt}"), kind, **kwargs)


CASE_HEADER = [
    "案件编号",
    "执法单位",
    "当事人名称",
    "当事人类型",
    "统一社会信用代码",
    "违法行为编码",
    "立案日期",
    "决定日期",
    "送达日期",
    "公示日期",
    "处罚种类",
    "罚款金额(元)",
    "裁量阶次",
    "执法人员",
    "法制审核",
]


def case_row(no="C-1", unit="T-A", **over):
    values = {
        "案件编号": no,
        "执法单位": unit,
        "当事人名称": "甲公司",
        "当事人类型": "法人",
        "统一社会信用代码": USCC_A,
        "违法行为编码": "V-1",
        "立案日期": "2026-03-01",
        "决定日期": "2026/3/28",
        "送达日期": "2026年3月29日",
        "公示日期": "2026-04-01",
        "处罚种类": "罚款；警告",
        "罚款金额(元)": "5,000",
        "裁量阶次": "一般",
        "执法人员": "C001、C002",
        "法制审核": "是",
    }
    values.update(over)
    return [values[h] for h in CASE_HEADER]
