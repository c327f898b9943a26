"""Blank templates of each sheet: the headers, one example row, and drop-down lists of
the allowed values (kept on a hidden sheet, as Excel limits inline lists to 255 chars)."""

import csv
import io

from jiandu.intake.schema import KINDS
from jiandu.lib.cells import neutralise, neutralise_row

MAX_ROWS = 10000


def allowed_values(col) -> list[str]:
    if col.type in ("choice", "multi"):
        return list(col.choices)
    if col.type == "bool":
        return ["是", "否"]
    return []


def template_xlsx(kind_code: str) -> bytes:
    # openpyxl is imported when a template is written, not with the intake views.
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    required_fill = PatternFill("solid", fgColor="FCE4B6")
    optional_fill = PatternFill("solid", fgColor="DDE5F0")
    kind = KINDS[kind_code]
    wb = Workbook()
    ws = wb.active
    ws.title = kind.title[:31].replace("/", "、")
    lists = wb.create_sheet("可选值")
    lists.sheet_state = "hidden"
    required = set(kind.required_headers)
    list_col = 0
    for i, col in enumerate(kind.columns, start=1):
        cell = ws.cell(1, i, neutralise(col.header))
        cell.font = Font(bold=True)
        cell.fill = required_fill if col.header in required else optional_fill
        notes = ["必填" if col.header in required else "选填"]
        if col.type == "date":
            notes.append("日期，如 2024-03-28")
        if col.type == "amount":
            notes.append("金额（元），不能为负数")
        if col.type in ("multi", "list"):
            notes.append("可填多个，用；分隔")
        if col.note:
            notes.append(col.note)
        cell.comment = Comment("；".join(notes), "jiandu")
        ws.cell(2, i, neutralise(col.example if col.example is not None else ""))
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(col.header) * 2 + 4))
        values = allowed_values(col)
        if values:
            list_col += 1
            letter = get_column_letter(list_col)
            lists.cell(1, list_col, neutralise(col.header))
            for r, value in enumerate(values, start=2):
                lists.cell(r, list_col, neutralise(value))
            ref = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(values) + 1}"
            dv = DataValidation(type="list", formula1=ref, allow_blank=True)
            dv.error = f"请从下拉列表中选择{col.header}"
            dv.errorTitle = col.header
            # A multi-valued cell holds several values: the list only suggests them.
            dv.showErrorMessage = col.type != "multi"
            dv.prompt = "可填多个，用；分隔" if col.type == "multi" else f"请选择{col.header}"
            dv.showInputMessage = True
            column_letter = get_column_letter(i)
            dv.add(f"{column_letter}2:{column_letter}{MAX_ROWS}")
            ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def template_csv(kind_code: str) -> bytes:
    kind = KINDS[kind_code]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(neutralise_row(c.header for c in kind.columns))
    writer.writerow(neutralise_row(c.example for c in kind.columns))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def filename(kind_code: str, ext: str = "xlsx") -> str:
    return f"{KINDS[kind_code].title.replace('/', '、')}模板.{ext}"
