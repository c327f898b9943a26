"""A unit's import (its clerk on the upload page, `jiandu import --unit`, an API token
limited to the unit) creates and updates only what the unit owns; the enterprise
registry is shared (a unit may add, never change); the supervisor keeps full rights."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from jiandu.enforcement.models import (
    CreditRepair,
    Enterprise,
    Inspection,
    Officer,
    PenaltyCase,
    Transfer,
)
from jiandu.intake import writers
from jiandu.intake.api import json_value
from jiandu.intake.models import ApiToken, ImportBatch
from jiandu.intake.schema import KINDS
from jiandu.orgs.models import Unit
from jiandu.standards.models import ViolationItem
from tests.intake.factories import CASE_HEADER, USCC_A, USCC_B, case_row, run_rows, to_csv

pytestmark = pytest.mark.django_db

CHANNELS = ["web", "cli", "api"]
OTHER_UNIT = "不能导入其他单位的数据（本账号只能导入单位 T-A 的数据）"


@pytest.fixture
def import_as(client_for, personas, units, tmp_path):
    """import_as(channel, kind, rows, unit="a") -> the report (errors, counts, refused)
    of importing `rows` (header first) as unit `unit` through `channel`; unit=None: as
    the supervisor (no --unit, a token for every unit)."""

    def run(channel, kind, rows, unit="a"):
        if channel == "web":
            client = client_for(personas[f"clerk_{unit}" if unit else "supervisor"])
            upload = SimpleUploadedFile(f"{kind}.csv", to_csv(rows))
            # A county-wide kind is not offered to a unit: sent to be recognised.
            chosen = "" if KINDS[kind].supervisor_only else kind
            client.post(reverse("intake:index"), {"file": upload, "kind": chosen})
            batch = ImportBatch.objects.latest("pk")
            return {
                "errors": batch.errors,
                "created": batch.created,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
                "rejected": batch.rejected,
                "refused": batch.message if batch.state == "refused" else "",
            }
        if channel == "cli":
            path = tmp_path / f"{kind}.csv"
            path.write_bytes(to_csv(rows))
            out = io.StringIO()
            args = [str(path), "--json", *(["--unit", units[unit].code] if unit else [])]
            if not KINDS[kind].supervisor_only:
                args += ["--kind", kind]  # a county-wide sheet is recognised from its headers
            with pytest.raises(SystemExit):
                call_command("import", *args, stdout=out, stderr=io.StringIO())
            report = json.loads(out.getvalue())
            if report["rows"] == 0 and report["errors"] and report["errors"][0]["row"] == 0:
                report["refused"] = report["errors"][0]["message"]
            return report
        _token, raw = ApiToken.issue(name=f"{unit}-{kind}", unit=units[unit] if unit else None)
        by_header = KINDS[kind].by_header
        cols = [by_header[h] for h in rows[0]]
        # The typed API takes JSON values (true, numbers, lists), not the sheet's text.
        records = [
            {
                col.field: json_value(col, cell)
                for col, cell in zip(cols, row, strict=True)
                if json_value(col, cell) is not None
            }
            for row in rows[1:]
        ]
        response = client_for(None).post(
            f"/api/v1/import/{kind}",
            data=json.dumps(records),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )
        report = response.json()
        if response.status_code == 403:  # a county-wide kind under a unit's token
            return {"refused": report["detail"]}
        for issue in report["errors"]:
            issue["row"] += 1  # records count from 1, a sheet's data rows from 2
        return report

    return run


OFFICER_HEADER = ["执法证号", "姓名", "所属单位"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_officers_of_another_unit_are_neither_rewritten_nor_created(
    import_as, catalogue, units, channel
):
    run_rows([OFFICER_HEADER, ["C003", "张三", "T-B"]])
    report = import_as(
        channel,
        "officers",
        [
            OFFICER_HEADER,
            ["C003", "张三（改）", "T-A"],
            ["C009", "赵九", "T-B"],
            ["C001", "王一（改）", "T-A"],
        ],
    )
    assert report["errors"] == [
        {
            "row": 2,
            "column": "执法证号",
            "message": "该执法人员属于测试县市场监督管理局，不能由本单位修改",
        },
        {"row": 3, "column": "所属单位", "message": OTHER_UNIT},
    ]
    assert (report["updated"], report["rejected"]) == (1, 2)
    assert Officer.objects.get(cert_no="C003").unit == units["b"]
    assert Officer.objects.get(cert_no="C003").name == "张三"
    assert not Officer.objects.filter(cert_no="C009").exists()
    assert Officer.objects.get(cert_no="C001").name == "王一（改）"


TRANSFER_HEADER = ["移送编号", "移出单位", "接收单位", "移送日期", "接收日期"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_transfers_only_as_sender_or_receiver_and_never_moved(import_as, units, channel):
    run_rows(
        [
            TRANSFER_HEADER,
            ["Y1", "T-B", "T-SFJ", "2026-04-01", ""],
            ["Y2", "T-A", "T-B", "2026-04-01", ""],
        ]
    )
    report = import_as(
        channel,
        "transfers",
        [
            TRANSFER_HEADER,
            ["Y1", "T-A", "T-SFJ", "2026-04-01", "2026-04-02"],
            ["Y2", "T-A", "T-SFJ", "2026-04-01", ""],
            ["Y3", "T-B", "T-SFJ", "2026-04-01", ""],
        ],
    )
    between = "该移送记录是测试县市场监督管理局移送测试县司法局的"
    assert report["errors"] == [
        {
            "row": 2,
            "column": "移送编号",
            "message": f"{between}，本单位既不是移出单位也不是接收单位，不能修改",
        },
        {
            "row": 3,
            "column": "接收单位",
            "message": "该移送记录是甲镇人民政府移送测试县市场监督管理局的，"
            "本单位不能更改移出单位或接收单位",
        },
        {"row": 4, "column": "移出单位", "message": OTHER_UNIT},
    ]
    assert (report["created"], report["updated"], report["rejected"]) == (0, 0, 3)
    y1 = Transfer.objects.get(transfer_no="Y1")
    assert (y1.from_unit, y1.received_on) == (units["b"], None)
    assert Transfer.objects.get(transfer_no="Y2").to_unit == units["b"]
    assert not Transfer.objects.filter(transfer_no="Y3").exists()
    # The receiver records the receipt of a transfer sent to it.
    report = import_as(
        channel,
        "transfers",
        [TRANSFER_HEADER, ["Y2", "T-A", "T-B", "2026-04-01", "2026-04-03"]],
        unit="b",
    )
    assert (report["updated"], report["errors"]) == (1, [])
    assert str(Transfer.objects.get(transfer_no="Y2").received_on) == "2026-04-03"


INSPECTION_HEADER = ["检查编号", "检查单位", "企业名称", "统一社会信用代码", "检查日期"]
REPAIR_HEADER = ["案件编号", "执法单位", "申请日期"]


@pytest.mark.parametrize("channel", CHANNELS)
def test_cases_inspections_and_repairs_of_another_unit_are_rejected(
    import_as, catalogue, units, channel
):
    run_rows([CASE_HEADER, case_row("C-1", 执法单位="T-B")])
    run_rows([INSPECTION_HEADER, ["J-1", "T-B", "甲公司", USCC_A, "2026-05-10"]])
    run_rows([REPAIR_HEADER, ["C-1", "T-B", "2026-06-01"]])
    cases = import_as(
        channel, "cases", [CASE_HEADER, case_row("C-1", 执法单位="T-B", 当事人名称="改")]
    )
    inspections = import_as(
        channel, "inspections", [INSPECTION_HEADER, ["J-1", "T-B", "改", USCC_A, "2026-05-11"]]
    )
    repairs = import_as(channel, "credit_repairs", [REPAIR_HEADER, ["C-1", "T-B", "2026-06-02"]])
    assert cases["errors"] == [{"row": 2, "column": "执法单位", "message": OTHER_UNIT}]
    assert inspections["errors"] == [{"row": 2, "column": "检查单位", "message": OTHER_UNIT}]
    assert repairs["errors"][0] == {"row": 2, "column": "执法单位", "message": OTHER_UNIT}
    assert PenaltyCase.objects.get().party_name == "甲公司"
    assert str(Inspection.objects.get().inspected_on) == "2026-05-10"
    assert str(CreditRepair.objects.get().applied_on) == "2026-06-01"
    # The same numbers under the unit's own name are the unit's own rows.
    own = import_as(channel, "cases", [CASE_HEADER, case_row("C-1", 执法单位="T-A")])
    assert (own["created"], own["errors"]) == (1, [])
    assert PenaltyCase.objects.get(unit=units["b"]).party_name == "甲公司"


ENTERPRISE_HEADER = ["统一社会信用代码", "企业名称", "无事不扰", "所属乡镇"]
USCC_C = "91331099MA2B3C4D6"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_unit_adds_missing_enterprises_and_changes_no_stored_one(import_as, units, channel):
    from jiandu.lib import uscc

    new = uscc.make(USCC_C[:17])
    run_rows([ENTERPRISE_HEADER, [USCC_A, "甲公司", "否", "T-A"], [USCC_B, "乙公司", "是", "T-A"]])
    report = import_as(
        channel,
        "enterprises",
        [
            ENTERPRISE_HEADER,
            [USCC_A, "甲公司（新名）", "是", "T-A"],
            [USCC_B, "乙公司", "是", "T-A"],
            [new, "丙公司", "否", "T-A"],
        ],
    )
    assert report["errors"] == [
        {
            "row": 2,
            "column": "企业名称",
            "message": "市场主体名录中已有该企业，本单位不能修改其企业名称（名录中为“甲公司”）；"
            "名录由司法局维护",
        },
        {
            "row": 2,
            "column": "无事不扰",
            "message": "市场主体名录中已有该企业，本单位不能修改其无事不扰（名录中为“否”）；"
            "名录由司法局维护",
        },
    ]
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 0, 1)
    a = Enterprise.objects.get(uscc=USCC_A)
    assert (a.name, a.quiet_list) == ("甲公司", False)
    assert Enterprise.objects.get(uscc=new).name == "丙公司"


def test_a_blank_cell_would_clear_a_stored_field_and_is_refused_too(units):
    header = ["统一社会信用代码", "企业名称", "所属行业", "主体类型"]
    run_rows([header, [USCC_A, "甲公司", "批发业", "企业"]])
    result = run_rows(
        [header, [USCC_A, "甲公司", "", "个体工商户"]], restrict_unit_id=units["a"].pk
    )
    reason = "市场主体名录中已有该企业，本单位不能修改其{}（名录中为“{}”）；名录由司法局维护"
    assert result.errors == [
        {"row": 2, "column": "主体类型", "message": reason.format("主体类型", "企业")},
        {"row": 2, "column": "所属行业", "message": reason.format("所属行业", "批发业")},
    ]
    assert Enterprise.objects.get().industry == "批发业"


def test_an_inspection_adds_a_missing_enterprise_but_leaves_a_stored_name(units):
    run_rows([ENTERPRISE_HEADER, [USCC_A, "甲公司", "否", "T-A"]])
    result = run_rows(
        [
            INSPECTION_HEADER,
            ["J-1", "T-A", "甲公司（别名）", USCC_A, "2026-05-10"],
            ["J-2", "T-A", "乙公司", USCC_B, "2026-05-10"],
        ],
        restrict_unit_id=units["a"].pk,
    )
    assert (result.created, result.rejected) == (2, 0)
    assert dict(Enterprise.objects.values_list("uscc", "name")) == {
        USCC_A: "甲公司",
        USCC_B: "乙公司",
    }


STANDARD_HEADER = ["事项编码", "违法行为", "裁量阶次"]
LENIENT_HEADER = ["清单类型", "事项编码", "适用条件"]
UNIT_HEADER = ["单位编码", "单位名称", "单位类型"]


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize(
    "kind, rows",
    [
        ("standards", [STANDARD_HEADER, ["SC-9", "某违法行为", "一般"]]),
        ("lenient", [LENIENT_HEADER, ["首次违法不予处罚", "SC-9", "首次违法"]]),
        ("units", [UNIT_HEADER, ["T-X", "新单位", "乡镇"]]),
    ],
)
def test_county_wide_sheets_are_refused_for_a_unit(import_as, units, channel, kind, rows):
    report = import_as(channel, kind, rows)
    title = KINDS[kind].title
    assert report["refused"] == f"“{title}”是全县共用的数据，只有司法局的监督管理员可以导入。"
    assert not ViolationItem.objects.filter(code="SC-9").exists()
    assert not Unit.objects.filter(code="T-X").exists()


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_supervisor_keeps_full_rights(import_as, catalogue, units, channel):
    run_rows([OFFICER_HEADER, ["C003", "张三", "T-B"]])
    run_rows([TRANSFER_HEADER, ["Y1", "T-B", "T-SFJ", "2026-04-01", ""]])
    run_rows([ENTERPRISE_HEADER, [USCC_A, "甲公司", "否", "T-A"]])
    for kind, rows in [
        ("officers", [OFFICER_HEADER, ["C003", "张三", "T-A"]]),
        ("transfers", [TRANSFER_HEADER, ["Y1", "T-A", "T-B", "2026-04-01", ""]]),
        ("enterprises", [ENTERPRISE_HEADER, [USCC_A, "甲公司（新名）", "是", "T-A"]]),
    ]:
        report = import_as(channel, kind, rows, unit=None)
        assert (report["updated"], report["errors"]) == (1, [])
    assert Officer.objects.get(cert_no="C003").unit == units["a"]
    y1 = Transfer.objects.get()
    assert (y1.from_unit, y1.to_unit) == (units["a"], units["b"])
    enterprise = Enterprise.objects.get()
    assert (enterprise.name, enterprise.quiet_list) == ("甲公司（新名）", True)


def test_a_row_stored_by_another_unit_after_the_checks_is_left_alone(catalogue, units, monkeypatch):
    """Another session stores the officer, or the transfer, between this import's checks
    and its write: the database's own condition keeps the other unit's row."""
    check_officers, check_transfers = writers.OfficerWriter.check, writers.TransferWriter.check

    def officer_stored_meanwhile(self, table):
        check_officers(self, table)
        Officer.objects.create(cert_no="C007", name="他人", unit=units["b"])

    def transfer_stored_meanwhile(self, table):
        check_transfers(self, table)
        Transfer.objects.create(
            transfer_no="Y7", from_unit=units["b"], to_unit=units["justice"], sent_on="2026-04-01"
        )

    monkeypatch.setattr(writers.OfficerWriter, "check", officer_stored_meanwhile)
    monkeypatch.setattr(writers.TransferWriter, "check", transfer_stored_meanwhile)
    restrict = units["a"].pk
    run_rows([OFFICER_HEADER, ["C007", "自己", "T-A"]], restrict_unit_id=restrict)
    run_rows([TRANSFER_HEADER, ["Y7", "T-A", "T-B", "2026-04-01", ""]], restrict_unit_id=restrict)
    officer, transfer = Officer.objects.get(cert_no="C007"), Transfer.objects.get()
    assert (officer.name, officer.unit) == ("他人", units["b"])
    assert (transfer.from_unit, transfer.to_unit) == (units["b"], units["justice"])
