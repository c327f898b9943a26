"""Exports: an exporter yields a header and rows; one renderer writes .xlsx (or .csv)
for the download view and background tasks alike. Every cell written goes through
cells.neutralise (formula injection). The renderer is pure: the audited download a
view sends is jiandu.audit.exports.xlsx_response."""

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from jiandu.lib.cells import neutralise, neutralise_row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Exporter:
    """Subclass and set `title`, `filename`, `columns` [(header, width)], and `rows()`."""

    title = "导出"
    filename = "export"
    sheet = "Sheet1"
    columns: list[tuple[str, int]] = []
    subtitle = ""  # a line under the title, e.g. 填报单位 and date

    def rows(self) -> Iterable[list]:
        return []

    def headers(self):
        return [c[0] for c in self.columns]


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return ""
    return neutralise(value)


def _csv_cell(value):
    """Text as a person reads it: 2026-11-27 07:48, amounts without float noise."""
    value = _cell(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_sheet(ws, exporter: Exporter, progress: Callable[[int], None] | None = None):
    """Title row, optional subtitle, header, rows; laid out like the paper form."""
    # openpyxl (and the numpy it pulls in) is imported when a sheet is written, not
    # when a list view is: every `jiandu` process loads the URLs, few write a workbook.
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ncols = max(len(exporter.columns), 1)
    row = 1
    if exporter.title:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.cell(1, 1, neutralise(exporter.title)).font = Font(size=15, bold=True)
        ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 30
        row = 2
    if exporter.subtitle:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.cell(row, 1, neutralise(exporter.subtitle)).alignment = Alignment(horizontal="left")
        row += 1
    header_row = row
    for col, (header, width) in enumerate(exporter.columns, start=1):
        cell = ws.cell(header_row, col, neutralise(header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    n = 0
    for n, values in enumerate(exporter.rows(), start=1):
        r = header_row + n
        for col, value in enumerate(values, start=1):
            cell = ws.cell(r, col, _cell(value))
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, date):
                cell.number_format = (
                    "yyyy-mm-dd" if not isinstance(value, datetime) else "yyyy-mm-dd hh:mm"
                )
        if progress and n % 1000 == 0:
            progress(n)
    return n


def render_xlsx(*exporters: Exporter, progress=None) -> bytes:
    """One sheet per exporter (several for 'all units in one workbook')."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    used = set()
    for exporter in exporters:
        name = (exporter.sheet or "Sheet")[:31]
        base, i = name, 2
        while name in used:
            name = f"{base[:28]}-{i}"
            i += 1
        used.add(name)
        write_sheet(wb.create_sheet(name), exporter, progress)
    if not exporters:
        wb.create_sheet("Sheet1")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render_csv(exporter: Exporter) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(neutralise_row(exporter.headers()))
    for values in exporter.rows():
        writer.writerow([_csv_cell(v) for v in values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def download(content: bytes, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
