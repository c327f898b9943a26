"""Imported texts that look like formulas: the case list export, the import error report
and the templates hold them as text with a leading apostrophe, and an exported file
imports back as the values it showed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.demo.generate import _write
from jiandu.enforcement.models import PenaltyCase
from jiandu.intake.models import ImportBatch
from jiandu.intake.schema import KINDS
from tests.formula_cells import (
    HYPERLINK,
    TYPED,
    assert_neutralised_csv,
    assert_neutralised_xlsx,
    assert_no_formula,
    xlsx_cells,
)
from tests.intake.factories import CASE_HEADER, case_row, to_csv

pytestmark = pytest.mark.django_db

# Texts users legitimately type that a spreadsheet would still take for a formula.
ORDINARY = ["-", "+86 138 0000 0000"]


def upload(client, content, name="cases.csv"):
    return client.post(reverse("intake:index"), {"file": SimpleUploadedFile(name, content)})


def test_case_export_holds_formula_like_names_as_text_and_imports_back_unchanged(
    client_for, personas, catalogue
):
    client = client_for(personas["supervisor"])
    names = TYPED + ORDINARY
    rows = [case_row(f"C-{i}", 当事人名称=name) for i, name in enumerate(names)]
    # A cell a person typed as '=… in a spreadsheet is the text =…, as Excel shows it.
    rows.append(case_row("C-x", 当事人名称="'=SUM(A1)"))
    upload(client, to_csv([CASE_HEADER, *rows]))
    names.append("=SUM(A1)")
    assert ImportBatch.objects.get().created == len(names)
    assert sorted(PenaltyCase.objects.values_list("party_name", flat=True)) == sorted(names)

    response = client.get("/enforcement/cases/?export=xlsx")
    assert response.status_code == 200
    assert_neutralised_xlsx(response.content, names)

    # The exported file, imported again as it is: nothing changes.
    upload(client, response.content, name="导出.xlsx")
    batch = ImportBatch.objects.latest("id")
    assert (batch.rejected, batch.created, batch.unchanged) == (0, 0, len(names)), batch.errors
    assert sorted(PenaltyCase.objects.values_list("party_name", flat=True)) == sorted(names)


def test_import_error_report_holds_the_sent_cells_as_text(client_for, personas, catalogue):
    client = client_for(personas["supervisor"])
    rows = [case_row(f"C-{i}", 当事人名称=name, 立案日期="x") for i, name in enumerate(TYPED)]
    upload(client, to_csv([[*CASE_HEADER, "@备注"], *[[*r, HYPERLINK] for r in rows]]))
    batch = ImportBatch.objects.get()
    assert batch.rejected == len(TYPED)
    report = client.get(reverse("intake:report", args=[batch.pk])).content
    assert_neutralised_xlsx(report, [*TYPED, "@备注"])

    # The report, corrected and sent again, imports the names as they were typed.
    wb = load_workbook(io.BytesIO(report))
    ws = wb.worksheets[0]
    col = 2 + CASE_HEADER.index("立案日期")
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col, "2026-03-01")
    out = io.BytesIO()
    wb.save(out)
    upload(client, out.getvalue(), name="改正.xlsx")
    batch = ImportBatch.objects.latest("id")
    assert (batch.created, batch.rejected) == (len(TYPED), 0), batch.errors
    assert sorted(PenaltyCase.objects.values_list("party_name", flat=True)) == sorted(TYPED)


@pytest.mark.parametrize("kind", list(KINDS))
def test_templates_have_no_formula_cell(client_for, personas, kind):
    response = client_for(personas["clerk_a"]).get(reverse("intake:template", args=[kind]))
    assert_no_formula(xlsx_cells(response.content))


def test_template_example_that_looks_like_a_formula_is_text(client_for, personas, monkeypatch):
    from dataclasses import replace

    kind = KINDS["cases"]
    columns = [replace(kind.columns[0], example=HYPERLINK), *kind.columns[1:]]
    monkeypatch.setattr(kind, "columns", columns)
    response = client_for(personas["clerk_a"]).get(reverse("intake:template", args=["cases"]))
    assert_neutralised_xlsx(response.content, [HYPERLINK])


def test_template_csv_example_that_looks_like_a_formula_is_text(monkeypatch):
    from dataclasses import replace

    from jiandu.intake.blank import template_csv

    kind = KINDS["cases"]
    columns = [replace(kind.columns[0], example="-1 元"), *kind.columns[1:]]
    monkeypatch.setattr(kind, "columns", columns)
    assert_neutralised_csv(template_csv("cases"), ["-1 元"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_generated_files_hold_formula_like_texts_as_text(tmp_path, fmt):
    path = _write(tmp_path / f"x.{fmt}", ["名称", "金额"], [[v, -3] for v in TYPED], fmt)
    content = path.read_bytes()
    if fmt == "csv":
        assert_neutralised_csv(content, TYPED)
    else:
        assert_neutralised_xlsx(content, TYPED)
        amounts = [c.value for c in xlsx_cells(content) if c.column == 2][1:]
        assert amounts == [-3] * len(TYPED)  # a negative number stays a number
