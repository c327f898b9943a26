"""Every validation rule with a bad row and its exact Chinese message."""

from datetime import date

import pytest

from jiandu.enforcement.models import (
    CreditRepair,
    Enterprise,
    Inspection,
    PenaltyCase,
    Transfer,
)
from jiandu.intake import engine
from jiandu.intake.readers import read_bytes
from jiandu.orgs.models import Unit
from jiandu.standards.models import Benchmark, LenientListItem, Tier
from tests.intake.factories import CASE_HEADER, TODAY, USCC_A, USCC_B, case_row, run_rows, to_csv

pytestmark = pytest.mark.django_db


def only_error(result):
    assert result.rejected == 1, result.errors
    assert len(result.errors) == 1, result.errors
    err = result.errors[0]
    return err["row"], err["column"], err["message"]


@pytest.mark.parametrize(
    "override,column,message",
    [
        ({"当事人名称": ""}, "当事人名称", "必填项为空"),
        ({"立案日期": "2026-13-01"}, "立案日期", "“2026-13-01”不是存在的日期"),
        (
            {"立案日期": "三月一日"},
            "立案日期",
            "“三月一日”不是有效的日期（应为 2024-03-28、2024/3/28 或 2024年3月28日）",
        ),
        ({"法制审核": "也许"}, "法制审核", "“也许”不是有效的是/否值（应为 是 或 否）"),
        ({"罚款金额(元)": "-100"}, "罚款金额(元)", "金额不能为负数"),
        ({"罚款金额(元)": "五千"}, "罚款金额(元)", "“五千”不是有效的金额"),
        (
            {"当事人类型": "公司"},
            "当事人类型",
            "“公司”不是允许的值（可选：法人、其他组织、个体工商户、自然人）",
        ),
        (
            {"裁量阶次": "特别重"},
            "裁量阶次",
            "“特别重”不是允许的值（可选：不予处罚、减轻、从轻、一般、从重）",
        ),
        (
            {"统一社会信用代码": USCC_A[:17] + ("0" if USCC_A[17] != "0" else "1")},
            "统一社会信用代码",
            "统一社会信用代码校验位错误",
        ),
        ({"统一社会信用代码": "123"}, "统一社会信用代码", "统一社会信用代码应为18位（当前3位）"),
        ({"统一社会信用代码": ""}, "统一社会信用代码", "当事人不是自然人时，统一社会信用代码必填"),
        ({"执法单位": "不存在局"}, "执法单位", "单位“不存在局”不存在（请填写单位编码或完整名称）"),
        ({"违法行为编码": "V-404"}, "违法行为编码", "违法行为编码“V-404”不在违法行为事项目录中"),
        ({"决定日期": "2026-02-27"}, "决定日期", "决定日期早于立案日期"),
        ({"送达日期": "2026-03-27"}, "送达日期", "送达日期早于决定日期"),
        ({"公示日期": "2026-03-20"}, "公示日期", "公示日期早于决定日期"),
        (
            {"决定日期": "2026-12-01", "送达日期": "", "公示日期": ""},
            "决定日期",
            "决定日期（2026-12-01）晚于今天，不可能已发生",
        ),
    ],
)
def test_bad_case_row_is_rejected_with_row_column_and_reason(catalogue, override, column, message):
    result = run_rows([CASE_HEADER, case_row("C-1"), case_row("C-2", **override)])
    assert only_error(result) == (3, column, message)
    assert result.created == 1
    assert list(PenaltyCase.objects.values_list("case_no", flat=True)) == ["C-1"]


def test_multi_valued_cell_with_an_unknown_value(catalogue):
    result = run_rows([CASE_HEADER, case_row("C-1", **{"处罚种类": "罚款、罚钱"})])
    row, column, message = only_error(result)
    assert (row, column) == (2, "处罚种类")
    assert message.startswith("“罚钱”不是允许的值（可选：警告、通报批评、罚款")


def test_closing_before_decision_is_rejected(catalogue):
    header = [*CASE_HEADER, "结案日期"]
    result = run_rows([header, [*case_row("C-1"), "2026-03-01"]])
    assert only_error(result) == (2, "结案日期", "结案日期早于决定日期")


def test_possible_but_wrong_dates_are_imported(catalogue):
    header = [*CASE_HEADER, "事先告知日期"]
    # notice after decision, service a month late: wrong, but they happen (PROC rules report them)
    row = [*case_row("C-1", **{"送达日期": "2026-04-30", "公示日期": "2026-05-30"}), "2026-04-01"]
    result = run_rows([header, row])
    assert result.rejected == 0 and result.created == 1


def test_unknown_officer_certificate_imports_with_a_warning(catalogue):
    result = run_rows([CASE_HEADER, case_row("C-1", **{"执法人员": "C001；X999"})])
    assert result.created == 1 and result.rejected == 0
    assert result.warnings == [
        {"row": 2, "column": "执法人员", "message": "执法证号“X999”不在执法人员名录中"}
    ]
    case = PenaltyCase.objects.get()
    assert case.officers == ";C001;X999;"


def test_values_are_stored_as_the_models_store_them(catalogue, units):
    result = run_rows([CASE_HEADER, case_row("C-1", 执法单位="甲镇人民政府", 违法行为名称="")])
    assert result.created == 1
    case = PenaltyCase.objects.get()
    assert case.unit == units["a"]
    assert case.party_type == "legal" and case.tier == "general"
    assert case.penalty_kinds == ";罚款;警告;"
    assert case.violation == catalogue and case.violation_name == "未按规定公示"
    assert case.decided_on == date(2026, 3, 28) and case.served_on == date(2026, 3, 29)
    assert case.fine == 5000 and case.legal_review is True and case.hearing is None


def test_natural_person_needs_no_uscc(catalogue):
    result = run_rows([CASE_HEADER, case_row("C-1", 当事人类型="自然人", 统一社会信用代码="")])
    assert result.created == 1


def test_duplicate_key_in_one_file(catalogue):
    result = run_rows([CASE_HEADER, case_row("C-1"), case_row("C-1")])
    assert only_error(result) == (3, "案件编号", "与第2行重复（T-A/C-1）")


def test_missing_required_column_refuses_the_file(catalogue):
    header = [h for h in CASE_HEADER if h != "当事人名称"]
    result = run_rows([header, ["C-1"] * len(header)], "cases")
    assert result.refused == "缺少必填列：当事人名称。请使用“行政处罚案件”模板的表头。"
    assert result.exit_status == 2 and not PenaltyCase.objects.exists()


def test_unknown_kind_and_unreadable_file_are_refused(catalogue):
    result = run_rows([CASE_HEADER, case_row()], "widgets")
    assert result.refused.startswith("无法识别的数据类型“widgets”")
    with pytest.raises(engine.Refused, match="不支持旧版 \\.xls 格式"):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.xls")
    with pytest.raises(engine.Refused, match="无法读取该 Excel 文件"):
        read_bytes(b"PK\x03\x04 broken", "x.xlsx")


def test_unknown_columns_are_ignored_and_named(catalogue):
    result = run_rows([[*CASE_HEADER, "备注", "经办人"], [*case_row(), "x", "y"]])
    assert result.created == 1
    assert result.unknown_columns == ["备注", "经办人"]


def test_headers_with_a_title_row_full_width_brackets_and_stars(catalogue):
    header = [h.replace("(", "（").replace(")", "）") for h in CASE_HEADER]
    header[0] = "*案件编号"
    result = run_rows([["行政处罚案件台账"], header, case_row()], fmt="xlsx")
    assert result.created == 1 and result.kind == "cases"
    assert result.rows == 1


def test_excel_date_and_number_cells(catalogue):
    row = case_row("C-1", 立案日期=date(2026, 3, 1), 决定日期=46109, 送达日期=date(2026, 3, 29))
    row[CASE_HEADER.index("罚款金额(元)")] = 5000
    result = run_rows([CASE_HEADER, row], fmt="xlsx")
    assert result.created == 1, result.errors
    case = PenaltyCase.objects.get()
    assert (
        case.filed_on == date(2026, 3, 1)
        and case.decided_on == date(2026, 3, 28)
        and case.fine == 5000
    )


def test_gb18030_csv(catalogue):
    data = to_csv([CASE_HEADER, case_row("C-1", 当事人名称="甲公司（测试）")], encoding="gb18030")
    result = engine.run(read_bytes(data, "ledger.csv"), today=TODAY)
    assert result.created == 1 and result.kind == "cases"
    assert PenaltyCase.objects.get().party_name == "甲公司（测试）"


def test_utf8_csv_without_bom(catalogue):
    data = to_csv([CASE_HEADER, case_row()], encoding="utf-8")
    assert engine.run(read_bytes(data, "x.csv"), today=TODAY).created == 1


def test_inspection_adds_missing_enterprise_and_accepts_late_registration(units):
    header = [
        "检查编号",
        "检查单位",
        "企业名称",
        "统一社会信用代码",
        "检查日期",
        "登记备案编号",
        "登记备案日期",
        "检查人员",
    ]
    rows = [
        header,
        ["J-1", "T-A", "新来企业", USCC_B, "2026-05-10", "DJ1", "2026-05-12", "C001;C002"],
    ]
    result = run_rows(rows)
    assert result.created == 1 and result.rejected == 0
    assert Enterprise.objects.get(uscc=USCC_B).name == "新来企业"
    insp = Inspection.objects.get()
    assert insp.mode == "onsite" and insp.registered_on == date(2026, 5, 12)
    assert "统一社会信用代码" in {w["column"] for w in result.warnings}


def test_inspection_in_the_future_is_rejected(units):
    header = ["检查编号", "检查单位", "企业名称", "统一社会信用代码", "检查日期"]
    result = run_rows([header, ["J-1", "T-A", "甲", USCC_B, "2027-01-01"]])
    assert only_error(result) == (2, "检查日期", "检查日期（2027-01-01）晚于今天，不可能已发生")


def test_credit_repair_needs_its_case(catalogue):
    run_rows([CASE_HEADER, case_row("C-1")])
    header = ["案件编号", "执法单位", "申请日期", "决定日期", "修复结果", "公示撤下日期"]
    result = run_rows(
        [
            header,
            ["C-1", "T-A", "2026-05-01", "2026-05-08", "准予修复", ""],
            ["C-9", "T-A", "2026-05-01", "", "", ""],
        ]
    )
    assert only_error(result) == (
        3,
        "案件编号",
        "执法单位 T-A 没有案件编号为“C-9”的处罚案件，请先导入该案件",
    )
    repair = CreditRepair.objects.get()
    assert repair.case.case_no == "C-1" and repair.result == "granted"


def test_credit_repair_decided_before_application(catalogue):
    run_rows([CASE_HEADER, case_row("C-1")])
    header = ["案件编号", "执法单位", "申请日期", "决定日期"]
    result = run_rows([header, ["C-1", "T-A", "2026-05-01", "2026-04-08"]])
    assert only_error(result) == (2, "决定日期", "决定日期早于申请日期")


def test_transfer_received_before_sent(units):
    header = ["移送编号", "移出单位", "接收单位", "移送日期", "接收日期"]
    result = run_rows(
        [
            header,
            ["Y-1", "T-A", "T-B", "2026-05-01", "2026-04-30"],
            ["Y-2", "T-A", "T-B", "2026-05-01", ""],
        ]
    )
    assert only_error(result) == (2, "接收日期", "接收日期早于移送日期")
    assert Transfer.objects.get().transfer_no == "Y-2"


def test_standards_versions_tiers_and_future_effective_date(units):
    header = [
        "事项编码",
        "违法行为",
        "裁量阶次",
        "罚款下限(元)",
        "罚款上限(元)",
        "倍数基数",
        "倍数下限",
        "倍数上限",
        "生效日期",
    ]
    rows = [
        header,
        ["S-1", "无证经营", "从轻", "1,000", "3000", "", "", "", "2024-01-01"],
        ["S-1", "", "一般", "3000", "7000", "", "", "", "2024-01-01"],
        ["S-1", "", "从轻", "1200", "3600", "", "", "", "2027-01-01"],
        ["S-2", "销售假货", "一般", "", "", "货值金额", "2", "5", ""],
        ["S-3", "", "一般", "", "", "", "", "", ""],
        ["S-4", "乙", "一般", "9000", "100", "", "", "", ""],
        ["S-5", "丙", "一般", "", "", "违法所得", "", "", ""],
    ]
    result = run_rows(rows, "standards")
    errors = {(e["row"], e["column"], e["message"]) for e in result.errors}
    assert errors == {
        (6, "违法行为", "新事项的违法行为名称必填（填在该事项的第一行）"),
        (7, "罚款下限(元)", "罚款下限大于罚款上限"),
        (8, "倍数基数", "填写了倍数基数，但未填写倍数下限或上限"),
    }
    assert result.created == 4
    assert list(
        Benchmark.objects.filter(item__code="S-1")
        .order_by("version")
        .values_list("effective_on", flat=True)
    ) == [date(2024, 1, 1), date(2027, 1, 1)]
    assert Tier.objects.get(benchmark__item__code="S-2").multiple_of == "goods_value"
    again = run_rows(rows, "standards")
    assert (again.created, again.unchanged) == (0, 4)


def test_lenient_list(units, catalogue):
    header = ["清单类型", "事项编码", "违法行为", "适用条件", "发布单位"]
    result = run_rows(
        [
            header,
            ["首次违法不予处罚", "V-1", "", "首次违法且及时改正", "T-SFJ"],
            ["轻微", "V-1", "", "x", ""],
        ]
    )
    assert only_error(result)[1] == "清单类型"
    item = LenientListItem.objects.get()
    assert (item.list_kind, item.item, item.name) == ("first", catalogue, "未按规定公示")


def test_units_with_domains_and_parent(units):
    header = ["单位编码", "单位名称", "单位类型", "执法领域", "上级单位"]
    rows = [
        header,
        ["T-C", "丙乡人民政府", "乡镇", "综合行政执法", "T-D"],
        ["T-D", "测试县人民政府办公室", "县直部门", "", ""],
        ["T-E", "丁局", "县直部门", "市场监管；天文", ""],
    ]
    result = run_rows(rows, "units")
    assert only_error(result) == (4, "执法领域", "执法领域“天文”不在“1+8”执法领域中")
    c = Unit.objects.get(code="T-C")
    assert c.parent.code == "T-D" and c.kind == "township"
    assert list(c.domains.values_list("name", flat=True)) == ["综合行政执法"]
    assert run_rows(rows[:3], "units").unchanged == 2


def test_the_same_bad_cell_on_several_rows_is_reported_on_each(catalogue):
    rows = [CASE_HEADER] + [case_row(f"C-{i}", 立案日期="2026-02-30") for i in range(3)]
    result = run_rows(rows)
    assert result.rejected == 3
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (2, "立案日期"),
        (3, "立案日期"),
        (4, "立案日期"),
    ]
    assert {e["message"] for e in result.errors} == {"“2026-02-30”不是存在的日期"}
