import io
import json

import pytest
from django.core.management import call_command

from jiandu.enforcement.models import PenaltyCase
from jiandu.intake.models import ApiToken, ImportBatch
from tests.intake.factories import CASE_HEADER, case_row, to_csv

pytestmark = pytest.mark.django_db

RECORD = {
    "case_no": "A-1",
    "unit": "T-A",
    "party_name": "甲公司",
    "party_type": "法人",
    "party_uscc": "91110000600037341L",
    "violation_code": "V-1",
    "filed_on": "2026-03-01",
    "decided_on": "2026-03-28",
    "penalty_kinds": ["罚款"],
    "fine": 3000,
    "hearing": False,
    "officers": ["C001", "C002"],
}


def post(client, kind, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        f"/api/v1/import/{kind}",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


def test_api_imports_records_with_a_valid_token(client, catalogue):
    token, raw = ApiToken.issue(name="办案系统")
    # What breaks the published schema (a negative amount) is refused whole, with the field.
    response = post(client, "cases", [RECORD, {**RECORD, "case_no": "A-2", "fine": -1}], raw)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-2:] == [1, "fine"]
    # What only the data tells (a wrong USCC check character) is a row error in a 200.
    bad = {**RECORD, "case_no": "A-2", "party_uscc": "91110000600037341A"}
    response = post(client, "cases", [RECORD, bad], raw)
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["rows"], body["created"], body["rejected"]) == ("cases", 2, 1, 1)
    assert body["errors"][0]["row"] == 2 and body["errors"][0]["column"] == "统一社会信用代码"
    case = PenaltyCase.objects.get()
    assert case.penalty_kinds == ";罚款;" and case.hearing is False
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert ImportBatch.objects.get().token == token
    again = post(client, "cases", {"records": [RECORD]}, raw).json()
    assert again["unchanged"] == 1


def test_api_refuses_missing_invalid_and_revoked_tokens(client, catalogue):
    assert post(client, "cases", [RECORD]).status_code == 401
    assert post(client, "cases", [RECORD], "jd_wrong").status_code == 401
    _token, raw = ApiToken.issue(name="x", is_active=False)
    assert post(client, "cases", [RECORD], raw).status_code == 401
    assert not PenaltyCase.objects.exists()


def test_api_token_of_a_unit_restricts_rows(client, catalogue, units):
    _token, raw = ApiToken.issue(name="乙局系统", unit=units["b"])
    body = post(client, "cases", [RECORD], raw).json()
    assert body["errors"][0]["message"] == "不能导入其他单位的数据（本账号只能导入单位 T-B 的数据）"


def test_api_unknown_kind_is_404_and_a_missing_field_is_422(client, catalogue):
    # One operation per kind: a kind the schema does not list has no operation at all.
    _token, raw = ApiToken.issue(name="x")
    assert post(client, "widgets", [RECORD], raw).status_code == 404
    missing = {k: v for k, v in RECORD.items() if k != "party_name"}
    response = post(client, "cases", [missing], raw)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "party_name"
    assert not PenaltyCase.objects.exists()


def test_api_body_over_its_limits_is_refused_in_json_and_nothing_is_written(
    client, catalogue, settings
):
    # An integration reads JSON: a body too large for the API is answered as the API
    # answers, with the limit named, not with the site's HTML error page.
    _token, raw = ApiToken.issue(name="办案系统")
    records = [dict(RECORD, case_no=f"A-{i}") for i in range(50)]
    size = len(json.dumps(records))
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = size - 1  # what the API reads into memory
    response = post(client, "cases", records, raw)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert "请求体超过" in body["refused"] and "分批" in body["refused"]
    assert body["rows"] == 0 and body["created"] == 0
    # A declared length over the import limit: refused before any of the body is read.
    response = client.post(
        "/api/v1/import/cases",
        data=json.dumps(records),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
        CONTENT_LENGTH=str(settings.INTAKE_MAX_BYTES + 2 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "超过" in response.json()["refused"]
    assert not PenaltyCase.objects.exists() and not ImportBatch.objects.exists()


def test_openapi_schema_lists_the_import(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/import/cases" in schema["paths"]


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", *args, stdout=out, stderr=err)
    return exc.value.code, out.getvalue(), err.getvalue()


def test_cli_exit_codes_and_json(catalogue, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(to_csv([CASE_HEADER, case_row("C-1")]))
    code, out, _ = run_cli(str(good), "--json")
    assert code == 0
    report = json.loads(out)
    assert report == {
        "kind": "cases",
        "rows": 1,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
        "errors": [],
    }
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv([CASE_HEADER, case_row("C-1"), case_row("C-2", 立案日期="x")]))
    code, out, _ = run_cli(str(bad), "--json", "--kind", "cases")
    report = json.loads(out)
    assert code == 1 and (report["unchanged"], report["rejected"]) == (1, 1)
    assert report["errors"][0]["row"] == 3 and report["errors"][0]["column"] == "立案日期"
    code, out, _ = run_cli(str(bad), "--all-or-nothing")
    assert code == 1 and "全部未导入" in out
    refused = tmp_path / "refused.csv"
    refused.write_bytes(to_csv([["甲"], ["1"]]))
    code, out, _ = run_cli(str(refused), "--json")
    report = json.loads(out)
    assert code == 2 and report["rows"] == 0
    assert report["errors"] == [
        {
            "row": 0,
            "column": "",
            "message": "无法从表头识别数据类型，请选择数据类型，或使用下载的模板。",
        }
    ]
    code, _out, err = run_cli(str(tmp_path / "missing.csv"))
    assert code == 2 and "无法读取文件" in err


def test_cli_json_names_unknown_columns_as_warnings(catalogue, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(to_csv([[*CASE_HEADER, "备注"], [*case_row("C-1"), "x"]]))
    code, out, _ = run_cli(str(path), "--json")
    assert code == 0
    assert json.loads(out)["warnings"] == [
        {"row": 1, "column": "备注", "message": "未识别的列，已忽略"}
    ]


def test_cli_unit_option_restricts_rows(catalogue, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(to_csv([CASE_HEADER, case_row("C-1", 执法单位="T-B")]))
    code, out, _ = run_cli(str(path), "--unit", "T-A", "--json")
    assert code == 1 and json.loads(out)["errors"][0]["column"] == "执法单位"


def test_template_command_round_trip(catalogue, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "cases.xlsx"
    call_command("template", "cases", str(path), stdout=io.StringIO())
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    fill = dict(zip(CASE_HEADER, case_row("RT-1"), strict=True))
    for col, header in enumerate(headers, start=1):
        ws.cell(2, col).value = fill.get(header)
    wb.save(path)
    code, out, _ = run_cli(str(path), "--json")
    report = json.loads(out)
    assert code == 0, report["errors"]
    assert report["created"] == 1 and report["kind"] == "cases"
    case = PenaltyCase.objects.get()
    assert case.case_no == "RT-1" and case.penalty_kinds == ";罚款;警告;" and case.fine == 5000
