"""The upload page, the result page with its progress partial, the error report, the
history, templates and tokens, as each persona sees them."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.audit.models import AuditEvent
from jiandu.enforcement.models import PenaltyCase
from jiandu.intake import actions
from jiandu.intake.models import ApiToken, ImportBatch
from jiandu.intake.schema import KINDS
from jiandu.orgs.models import User
from tests.intake.factories import CASE_HEADER, case_row, to_csv, to_xlsx

pytestmark = pytest.mark.django_db


def upload(client, rows, name="cases.csv", **data):
    content = to_csv(rows) if name.endswith(".csv") else to_xlsx(rows)
    return client.post(reverse("intake:index"), {"file": SimpleUploadedFile(name, content), **data})


def test_supervisor_uploads_for_every_unit_and_sees_the_result(client_for, personas, catalogue):
    client = client_for(personas["supervisor"])
    response = upload(
        client,
        [
            CASE_HEADER,
            case_row("C-1", 执法单位="T-A"),
            case_row("C-2", 执法单位="T-B"),
            case_row("C-3", 立案日期="x"),
        ],
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("intake:batch", args=[batch.pk])
    assert (batch.state, batch.created, batch.rejected, batch.kind) == ("done", 2, 1, "cases")
    page = client.get(response.url).content.decode()
    assert "下载错误报告" in page and "“x”不是有效的日期" in page
    assert AuditEvent.objects.filter(action="intake.batch.imported").exists()


def test_clerk_rows_naming_another_unit_are_rejected(client_for, personas, catalogue):
    client = client_for(personas["clerk_a"])
    upload(client, [CASE_HEADER, case_row("C-1", 执法单位="T-A"), case_row("C-2", 执法单位="T-B")])
    batch = ImportBatch.objects.get()
    assert batch.unit == personas["clerk_a"].unit
    assert batch.errors == [
        {
            "row": 3,
            "column": "执法单位",
            "message": "不能导入其他单位的数据（本账号只能导入单位 T-A 的数据）",
        }
    ]
    assert list(PenaltyCase.objects.values_list("case_no", flat=True)) == ["C-1"]


def test_other_units_clerk_gets_404_on_batch_and_report(client_for, personas, catalogue):
    upload(client_for(personas["clerk_a"]), [CASE_HEADER, case_row("C-1", 立案日期="x")])
    batch = ImportBatch.objects.get()
    other = client_for(personas["clerk_b"])
    assert other.get(reverse("intake:batch", args=[batch.pk])).status_code == 404
    assert other.get(reverse("intake:report", args=[batch.pk])).status_code == 404
    assert "cases.csv" not in other.get(reverse("intake:index")).content.decode()
    assert (
        client_for(personas["leader_a"]).get(reverse("intake:batch", args=[batch.pk])).status_code
        == 200
    )
    assert (
        client_for(personas["supervisor"])
        .get(reverse("intake:report", args=[batch.pk]))
        .status_code
        == 200
    )


def test_readers_and_anonymous_cannot_import(client_for, personas):
    assert client_for(personas["discipline"]).get(reverse("intake:index")).status_code == 403
    assert client_for(None).get(reverse("intake:index")).status_code == 302


def test_history_is_scoped(client_for, personas, catalogue):
    upload(client_for(personas["clerk_a"]), [CASE_HEADER, case_row("C-1")], name="a-ledger.csv")
    upload(
        client_for(personas["clerk_b"]),
        [CASE_HEADER, case_row("C-2", 执法单位="T-B")],
        name="b-ledger.csv",
    )
    page_a = client_for(personas["clerk_a"]).get(reverse("intake:index")).content.decode()
    assert "a-ledger.csv" in page_a and "b-ledger.csv" not in page_a
    page_s = client_for(personas["supervisor"]).get(reverse("intake:index")).content.decode()
    assert "a-ledger.csv" in page_s and "b-ledger.csv" in page_s


def test_refused_file_shows_one_message(client_for, personas, catalogue):
    client = client_for(personas["supervisor"])
    upload(client, [["甲", "乙"], ["1", "2"]])
    batch = ImportBatch.objects.get()
    assert batch.state == "refused"
    assert batch.message == "无法从表头识别数据类型，请选择数据类型，或使用下载的模板。"
    assert batch.message in client.get(reverse("intake:batch", args=[batch.pk])).content.decode()


def test_all_or_nothing_checkbox(client_for, personas, catalogue):
    upload(
        client_for(personas["supervisor"]),
        [CASE_HEADER, case_row("C-1"), case_row("C-2", 立案日期="x")],
        all_or_nothing="on",
    )
    batch = ImportBatch.objects.get()
    assert batch.all_or_nothing and batch.rejected == 1 and batch.created == 0
    assert not PenaltyCase.objects.exists()


def test_large_file_runs_as_a_task_and_the_page_polls(client_for, personas, catalogue, settings):
    settings.INTAKE_INLINE_MAX_BYTES = 10  # every file counts as large
    client = client_for(personas["supervisor"])
    response = upload(client, [CASE_HEADER, case_row("C-1")], name="cases.xlsx")
    batch = ImportBatch.objects.get()
    assert batch.state == "done" and batch.created == 1  # the immediate backend ran the task
    ImportBatch.objects.filter(pk=batch.pk).update(state="running", progress=40)
    running = client.get(response.url, headers={"HX-Request": "true"})
    partial = running.content.decode()
    assert 'hx-trigger="every 1s"' in partial and "40%" in partial and "<html" not in partial
    assert "HX-Refresh" not in running
    ImportBatch.objects.filter(pk=batch.pk).update(state="done", progress=100)
    finished = client.get(response.url, headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"


def test_error_report_has_the_original_rows_and_the_reasons(client_for, personas, catalogue):
    client = client_for(personas["supervisor"])
    upload(
        client,
        [
            [*CASE_HEADER, "备注"],
            [*case_row("C-1"), ""],
            [*case_row("C-2", 决定日期="2026-02-01"), "请核对"],
        ],
        name="cases.xlsx",
    )
    batch = ImportBatch.objects.get()
    response = client.get(reverse("intake:report", args=[batch.pk]))
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    rows = list(ws.values)
    assert rows[0] == ("原行号", *CASE_HEADER, "备注", "错误说明")
    assert len(rows) == 2
    assert rows[1][0] == 3 and rows[1][1] == "C-2" and rows[1][-2] == "请核对"
    assert rows[1][-1] == "决定日期：决定日期早于立案日期"
    assert list(wb["错误明细"].values)[1] == (3, "决定日期", "决定日期早于立案日期")
    assert list(wb["未识别的列"].values)[1] == ("备注",)


def test_corrected_report_can_be_uploaded_again(client_for, personas, catalogue):
    client = client_for(personas["supervisor"])
    upload(client, [CASE_HEADER, case_row("C-1", 决定日期="2026-02-01")], name="cases.xlsx")
    report = client.get(reverse("intake:report", args=[ImportBatch.objects.get().pk])).content
    wb = load_workbook(io.BytesIO(report))
    ws = wb.worksheets[0]
    ws.cell(2, 1 + 1 + CASE_HEADER.index("决定日期"), "2026-03-28")
    out = io.BytesIO()
    wb.save(out)
    client.post(reverse("intake:index"), {"file": SimpleUploadedFile("fixed.xlsx", out.getvalue())})
    batch = ImportBatch.objects.latest("id")
    assert (batch.created, batch.rejected, batch.unknown_columns) == (1, 0, [])


@pytest.mark.parametrize("kind", list(KINDS))
def test_template_download_has_headers_example_and_dropdowns(client_for, personas, kind):
    response = client_for(personas["clerk_a"]).get(reverse("intake:template", args=[kind]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == [c.header for c in KINDS[kind].columns]
    assert ws.max_row == 2
    lists = [c for c in KINDS[kind].columns if c.type in ("choice", "multi", "bool")]
    assert len(ws.data_validations.dataValidation) == len(lists)


def test_tokens_page_issues_and_revokes(client_for, personas, units):
    client = client_for(personas["supervisor"])
    response = client.post(reverse("intake:tokens"), {"name": "办案系统", "unit": units["a"].pk})
    token = ApiToken.objects.get()
    page = response.content.decode()
    assert token.prefix in page and "jd_" in page
    assert ApiToken.authenticate(page.split('id="new-token">')[1].split("<")[0]) == token
    client.post(reverse("intake:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert not token.is_active
    client.post(reverse("intake:token_revoke", args=[token.pk]))  # a double click
    assert AuditEvent.objects.filter(action="intake.token.revoked").count() == 1
    assert set(
        AuditEvent.objects.filter(object_id=str(token.pk)).values_list("action", flat=True)
    ) == {"intake.token.issued", "intake.token.revoked"}
    assert client_for(personas["clerk_a"]).get(reverse("intake:tokens")).status_code == 403
    assert (
        client_for(personas["clerk_a"])
        .post(reverse("intake:token_revoke", args=[token.pk]))
        .status_code
        == 403
    )


def test_unit_clerk_is_not_offered_and_cannot_choose_supervisor_only_kinds(
    client_for, personas, catalogue
):
    def upload_choices(client):
        html = client.get(reverse("intake:index")).content.decode()
        select = re.search(r'<select[^>]*id="id_kind".*?</select>', html, re.S).group(0)
        return set(re.findall(r'value="(\w*)"', select))

    client = client_for(personas["clerk_a"])
    assert "cases" in upload_choices(client) and "units" not in upload_choices(client)
    response = upload(client, [CASE_HEADER, case_row("C-1")], kind="units")
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not ImportBatch.objects.exists()
    assert "units" in upload_choices(client_for(personas["supervisor"]))


def test_admin_cannot_reactivate_or_widen_a_token_unrecorded(client_for, personas, units):
    token, _raw = actions.issue_token(actor=personas["supervisor"], name="x", unit=units["a"])
    actions.revoke_token(token, actor=personas["supervisor"])
    admin = User.objects.create_superuser("root", password="Root@2026pw")
    client = client_for(admin)
    url = reverse("admin:intake_apitoken_change", args=[token.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "renamed", "unit": "", "is_active": "on"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.name == "renamed" and not token.is_active and token.unit == units["a"]
