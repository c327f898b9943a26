"""Formula-like texts (OWASP "CSV injection") and the check that an exported file holds
them as harmless text: a string cell led by an apostrophe, never a formula."""

import csv
import io
import re

from openpyxl import load_workbook

HYPERLINK = '=HYPERLINK("http://x","y")'
# What can come in through forms and imports (they strip surrounding blanks)...
TYPED = [HYPERLINK, "+1", "-cmd", "@SUM(1)"]
# ...and texts led by a tab or CR, which only other paths could store.
BLANK_LED = ["\tTAB", "\rCR"]
VALUES = TYPED + BLANK_LED


def xlsx_cells(content: bytes) -> list:
    wb = load_workbook(io.BytesIO(content))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def assert_no_formula(cells):
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert cell.value[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell.value


def assert_neutralised_xlsx(content: bytes, values=VALUES, *, within=False):
    """Every value appears as text with a leading apostrophe; no cell is a formula.
    `within`: the value may be the start of a longer cell (a cell joining several)."""
    cells = xlsx_cells(content)
    assert_no_formula(cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for value in values:
        quoted = "'" + value
        hit = [t for t in texts if (t.startswith(quoted) if within else t == quoted)]
        assert hit, f"{value!r} not found as {quoted!r}"


def assert_neutralised_csv(content: bytes, values=VALUES):
    cells = csv_cells(content)
    for cell in cells:
        if re.fullmatch(r"-?\d+(\.\d+)?", cell):
            continue  # a number (a negative one is a number, not a formula)
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell
    for value in values:
        assert "'" + value in cells, f"{value!r} not found"
