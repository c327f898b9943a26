import io
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jiandu.audit.models import AuditEvent
from jiandu.selfcheck import actions
from tests.selfcheck.factories import answer_all, submitted


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return load_workbook(io.BytesIO(response.content))


def test_one_units_report_is_laid_out_like_the_paper_form(client_for, personas, report_a):
    report_a.contact_name, report_a.contact_phone = "王填报", "0577-66001234"
    report_a.save()
    deadline = timezone.localdate() + timedelta(days=45)
    submitted(
        report_a,
        personas,
        problems={4: {"description": "同类案件罚款差异较大", "deadline": deadline}},
    )
    wb = workbook(
        client_for(personas["clerk_a"]).get(reverse("campaigns:report_export", args=[report_a.pk]))
    )
    ws = wb["甲镇人民政府"]
    assert ws["A1"].value == "“破执法梗阻·优法治服务”专项问题自查表"
    subtitle = ws["A2"].value
    for part in (
        "填报单位：甲镇人民政府",
        "填报人：王填报",
        "联系电话：0577-66001234",
        "填报日期：",
    ):
        assert part in subtitle
    assert [c.value for c in ws[3]] == [
        "序号",
        "整治内容",
        "自查事项",
        "自查情况",
        "问题描述",
        "原因分析",
        "整改措施",
        "整改时限",
        "责任人",
    ]
    items = report_a.campaign.template.items.count()
    assert ws.max_row == 3 + items
    row4 = [c.value for c in ws[3 + 4]]
    assert row4[0] == 4 and row4[1] == "裁量基准"
    assert "类案不同罚" in row4[2]
    assert row4[3] == "存在问题" and row4[4] == "同类案件罚款差异较大"
    assert row4[6] == "修订制度并组织培训" and row4[8] == "张三"
    assert isinstance(row4[7], datetime) and row4[7].date() == deadline
    assert ws.cell(3 + 1, 4).value == "无此问题" and ws.cell(3 + 1, 5).value in ("", None)
    assert AuditEvent.objects.filter(action="campaigns.export").exists()


def test_all_reports_in_one_workbook_with_a_summary(
    client_for, personas, campaign, report_a, units
):
    submitted(report_a, personas, problems={1: {}, 2: {}})
    report_b = actions.open_report(campaign, units["b"], actor=personas["clerk_b"])
    answer_all(report_b, personas["clerk_b"])
    wb = workbook(
        client_for(personas["supervisor"]).get(
            reverse("campaigns:reports_export"), {"campaign": campaign.pk}
        )
    )
    assert wb.sheetnames[0] == "汇总"
    assert sorted(wb.sheetnames[1:]) == sorted(["甲镇人民政府", "测试县市场监督管理局"])
    summary = wb["汇总"]
    assert "自查情况汇总表" in summary["A1"].value
    header = [c.value for c in summary[3]]
    assert header[:5] == ["序号", "单位", "单位类型", "状态", "是否逾期"]
    rows = {r[1]: r for r in summary.iter_rows(min_row=4, values_only=True)}
    assert rows["甲镇人民政府"][3] == "已上报" and rows["甲镇人民政府"][7] == 2
    assert rows["测试县市场监督管理局"][3] == "填报中"
    assert wb["测试县市场监督管理局"]["D4"].value == "无此问题"
