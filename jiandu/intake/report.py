"""The error report a clerk downloads, fixes and uploads again: the rejected rows as
they were sent, with their row number and the reasons in an extra column."""

import io
from collections import defaultdict
from datetime import date, datetime

from jiandu.intake.readers import Refused, read_bytes
from jiandu.intake.schema import KINDS
from jiandu.lib.cells import neutralise, neutralise_row, unquote


def _cell(value):
    """A cell of the sent file as it goes back: a formula-like text stays text (the
    apostrophe it had in the file, or one added), so the report imports as sent."""
    if isinstance(value, list):
        value = "；".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = str(value)
    return neutralise(unquote(value))


def error_report(batch, errors=None) -> bytes:
    """The report of `errors` (default: every error of the batch; the page passes the
    ones it lists when filtered by column)."""
    errors = batch.errors if errors is None else errors
    by_row = defaultdict(list)
    for err in errors:
        by_row[err["row"]].append(err)
    headers, rows = [], []
    try:
        with batch.file.open("rb") as fh:
            sheet = read_bytes(fh.read(), batch.original_name)
        kind = KINDS.get(batch.kind)
        headers = list(sheet.headers)
        if sheet.records and kind:
            headers = [kind.header_of(h) for h in headers]
        rows = [(n, cells) for n, cells in sheet.rows if n in by_row]
    except (Refused, ValueError, OSError):
        pass  # the file is gone: the report still lists the errors
    # openpyxl is imported when a report is written, not with the intake views.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    red = PatternFill("solid", fgColor="F8D7DA")
    head = PatternFill("solid", fgColor="DDE5F0")
    wb = Workbook()
    ws = wb.active
    ws.title = "未导入的行"
    ws.append(neutralise_row(["原行号", *headers, "错误说明"]))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = head
    error_col = len(headers) + 2
    for number, cells in rows:
        cells = list(cells) + [""] * (len(headers) - len(cells))
        reasons = "；".join(f"{e['column']}：{e['message']}" for e in by_row[number])
        ws.append([number, *(_cell(c) for c in cells[: len(headers)]), neutralise(reasons)])
        r = ws.max_row
        ws.cell(r, error_col).fill = red
        ws.cell(r, error_col).alignment = Alignment(wrap_text=True)
        for c in range(2, error_col):
            value = ws.cell(r, c).value
            if isinstance(value, date | datetime):
                ws.cell(r, c).number_format = "yyyy-mm-dd"
        bad = {e["column"] for e in by_row[number]}
        for c, header in enumerate(headers, start=2):
            if header in bad:
                ws.cell(r, c).fill = red
    if not rows and errors:
        ws.append([])
    ws.column_dimensions["A"].width = 8
    ws.freeze_panes = "B2"
    ws2 = wb.create_sheet("错误明细")
    ws2.append(["行号", "列", "原因"])
    for err in errors:
        ws2.append(neutralise_row([err["row"], err["column"], err["message"]]))
    if batch.warnings:
        ws3 = wb.create_sheet("提示")
        ws3.append(["行号", "列", "提示"])
        for w in batch.warnings:
            ws3.append(neutralise_row([w["row"], w["column"], w["message"]]))
    if batch.unknown_columns:
        ws4 = wb.create_sheet("未识别的列")
        ws4.append(["列名（已忽略）"])
        for name in batch.unknown_columns:
            ws4.append([neutralise(name)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
