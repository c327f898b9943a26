"""Files refused whole, with one message that says why: headers of a kind short of
required columns name the missing columns (page, command line, API), and an .xlsx
whose parts would unpack beyond the limit is refused before calamine parses it."""

import io
import json
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from jiandu.enforcement.models import Officer, PenaltyCase
from jiandu.intake import readers
from jiandu.intake.models import ApiToken, ImportBatch
from jiandu.intake.readers import Refused, read_bytes
from tests.intake.factories import CASE_HEADER, case_row, run_rows, to_csv, to_xlsx

pytestmark = pytest.mark.django_db

WITHOUT_FILED_ON = [h for h in CASE_HEADER if h != "立案日期"]
MISSING_FILED_ON = "缺少必填列：立案日期。请使用“行政处罚案件”模板的表头。"


def cases_without(*headers):
    keep = [i for i, h in enumerate(CASE_HEADER) if h not in headers]
    return [[CASE_HEADER[i] for i in keep], [case_row("C-1")[i] for i in keep]]


def test_headers_of_a_kind_short_of_required_columns_name_them(catalogue):
    result = run_rows(cases_without("立案日期"))
    assert (result.kind, result.refused) == ("cases", MISSING_FILED_ON)
    result = run_rows(cases_without("立案日期", "当事人类型"), fmt="xlsx")
    assert result.refused == "缺少必填列：当事人类型、立案日期。请使用“行政处罚案件”模板的表头。"
    repairs = run_rows([["案件编号", "执法单位", "修复结果"], ["C-1", "T-A", "准予修复"]])
    assert repairs.refused.startswith("缺少必填列：申请日期。")
    assert not PenaltyCase.objects.exists()


def test_headers_that_fit_no_kind_better_than_another_still_cannot_be_told(catalogue):
    # 案件编号 and 执法单位 head both cases and credit repairs.
    for headers in (["案件编号", "执法单位"], ["姓名", "备注"], ["甲", "乙"]):
        result = run_rows([headers, ["1", "2"]])
        assert result.refused == "无法从表头识别数据类型，请选择数据类型，或使用下载的模板。"


def test_missing_columns_on_the_upload_page(client_for, personas, catalogue):
    client = client_for(personas["clerk_a"])
    upload = SimpleUploadedFile("cases.csv", to_csv(cases_without("立案日期")))
    response = client.post(reverse("intake:index"), {"file": upload})
    batch = ImportBatch.objects.get()
    assert (batch.state, batch.kind, batch.message) == ("refused", "cases", MISSING_FILED_ON)
    assert MISSING_FILED_ON in client.get(response.url).content.decode()


def run_cli(*args):
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import", *args, stdout=out, stderr=io.StringIO())
    return exc.value.code, out.getvalue()


def test_missing_columns_on_the_command_line(catalogue, tmp_path):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(to_xlsx(cases_without("立案日期")))
    code, out = run_cli(str(path), "--json", "--unit", "T-A")
    report = json.loads(out)
    assert (code, report["kind"]) == (2, "cases")
    assert report["errors"] == [{"row": 0, "column": "", "message": MISSING_FILED_ON}]


def test_missing_fields_through_the_api(client, catalogue, units):
    _token, raw = ApiToken.issue(name="甲镇系统", unit=units["a"])
    record = {
        "case_no": "A-1",
        "unit": "T-A",
        "party_name": "甲公司",
        "party_type": "自然人",
        "violation_code": "V-1",
    }
    response = client.post(
        "/api/v1/import/cases",
        data=json.dumps([record]),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    # The typed API refuses it by its schema (422), naming the record and the field.
    assert response.status_code == 422
    issue = response.json()["detail"][0]
    assert issue["loc"][-2:] == [0, "filed_on"] and issue["type"] == "missing"


# -- .xlsx unpack limit


def officers_xlsx(rows: int) -> bytes:
    data = [["执法证号", "姓名", "所属单位"]]
    data += [[f"Z{i:07d}", "王五", "T-A"] for i in range(rows)]
    return to_xlsx(data)


def padded(data: bytes, padding: int) -> bytes:
    """The workbook with `padding` bytes of whitespace (valid XML between its rows) in
    its sheet: kilobytes that unpack to megabytes, as a zip bomb does."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<sheetData>", b"<sheetData>" + b" " * padding, 1)
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def sizes(data: bytes) -> tuple[int, int]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    return sum(i.file_size for i in infos), len(data)


def declare_sheet_size(data: bytes, size: int) -> bytes:
    """The workbook with its sheet's uncompressed size written as `size` in the local
    and the central headers (what a crafted file can claim)."""
    raw = bytearray(data)
    name = b"xl/worksheets/sheet1.xml"
    at = raw.find(name)
    while at >= 0:
        if raw[at - 30 : at - 26] == b"PK\x03\x04":
            struct.pack_into("<I", raw, at - 30 + 22, size)
        elif raw[at - 46 : at - 42] == b"PK\x01\x02":
            struct.pack_into("<I", raw, at - 46 + 24, size)
        at = raw.find(name, at + 1)
    return bytes(raw)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return padded(officers_xlsx(3), 8 * 2**20)


def test_an_xlsx_unpacking_beyond_the_limit_is_refused_before_it_is_read(bomb, settings):
    unpacked, packed = sizes(bomb)
    assert unpacked > 8 * 2**20 and packed < 64 * 1024
    settings.INTAKE_XLSX_MAX_UNPACKED_BYTES = 1024 * 1024
    with pytest.raises(Refused) as refused:
        read_bytes(bomb, "officers.xlsx")
    assert str(refused.value) == (
        f"该 Excel 文件解压后约 {unpacked / 2**20:,.0f} MB，超过允许的 1 MB，"
        "未读取（可能是异常压缩的文件）。请拆分成几个较小的文件后再导入。"
    )
    settings.INTAKE_XLSX_MAX_UNPACKED_BYTES = unpacked  # the same file within the limit
    sheet = read_bytes(bomb, "officers.xlsx")
    assert sheet.headers == ["执法证号", "姓名", "所属单位"] and sheet.total == 3


def test_a_declared_size_of_gigabytes_is_refused_without_inflating(settings):
    crafted = declare_sheet_size(officers_xlsx(3), 3 * 2**30)
    with pytest.raises(Refused, match="解压后约 3,072 MB，超过允许的 1,024 MB"):
        read_bytes(crafted, "x.xlsx")


def test_a_sheet_larger_than_it_declares_is_not_read_past_its_declaration(bomb, settings):
    settings.INTAKE_XLSX_MAX_UNPACKED_BYTES = 1024 * 1024
    crafted = declare_sheet_size(bomb, 5000)
    with pytest.raises(Refused, match="无法读取该 Excel 文件"):
        read_bytes(crafted, "officers.xlsx")


def test_upload_page_and_command_line_refuse_the_bomb(
    bomb, client_for, personas, units, settings, tmp_path
):
    settings.INTAKE_XLSX_MAX_UNPACKED_BYTES = 1024 * 1024
    settings.INTAKE_INLINE_MAX_BYTES = 10  # the background task reads it
    client = client_for(personas["clerk_a"])
    client.post(reverse("intake:index"), {"file": SimpleUploadedFile("officers.xlsx", bomb)})
    batch = ImportBatch.objects.get()
    assert batch.state == "refused" and "超过允许的 1 MB" in batch.message
    path = tmp_path / "officers.xlsx"
    path.write_bytes(bomb)
    readers.preload(str(path))
    assert not readers._started  # calamine was not started on it either
    code, out = run_cli(str(path), "--json")
    assert code == 2 and "超过允许的 1 MB" in json.loads(out)["errors"][0]["message"]
    assert not Officer.objects.exists()
