"""Self-check reports as .xlsx, laid out like the paper 自查表."""

from django.utils import timezone

from jiandu.campaigns.default_template import TEMPLATE_TITLE
from jiandu.lib.exports import Exporter

SITUATION = {True: "存在问题", False: "无此问题", None: "未填报"}


def _day(value):
    return timezone.localdate(value) if value else None


class ReportExporter(Exporter):
    """One unit's filled self-check table."""

    title = TEMPLATE_TITLE
    columns = [
        ("序号", 6),
        ("整治内容", 12),
        ("自查事项", 48),
        ("自查情况", 10),
        ("问题描述", 36),
        ("原因分析", 30),
        ("整改措施", 36),
        ("整改时限", 12),
        ("责任人", 10),
    ]

    def __init__(self, report, answers=None):
        self.report = report
        self.answers = (
            answers
            if answers is not None
            else list(report.answers.select_related("item", "item__focus_area"))
        )
        self.sheet = report.unit.name
        filled = _day(report.submitted_at) or timezone.localdate()
        self.subtitle = (
            f"填报单位：{report.unit.name}　　填报人：{report.contact_name or '—'}　　"
            f"联系电话：{report.contact_phone or '—'}　　填报日期：{filled:%Y-%m-%d}"
        )

    def rows(self):
        for answer in self.answers:
            problem = answer.has_problem is True
            yield [
                answer.item.order,
                answer.item.focus_area.name,
                answer.item.text,
                SITUATION[answer.has_problem],
                answer.description if problem else "",
                answer.cause if problem else "",
                answer.measures if problem else "",
                answer.deadline if problem else None,
                answer.responsible_person if problem else "",
            ]


class SummaryExporter(Exporter):
    """One row per enforcement unit: where its report stands."""

    sheet = "汇总"
    columns = [
        ("序号", 6),
        ("单位", 28),
        ("单位类型", 10),
        ("状态", 12),
        ("是否逾期", 10),
        ("首次上报时间", 18),
        ("最近上报时间", 18),
        ("存在问题数", 10),
        ("填报人", 12),
        ("联系电话", 16),
    ]

    def __init__(self, campaign, rows):
        self.title = f"“{campaign.title}”专项问题自查情况汇总表"
        self.subtitle = f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}"
        self.unit_rows = rows

    def rows(self):
        for n, row in enumerate(self.unit_rows, start=1):
            report = row["report"]
            yield [
                n,
                row["unit"].name,
                row["unit"].get_kind_display(),
                report.get_state_display() if report else "未开始填报",
                "逾期" if row["late"] else "",
                report.first_submitted_at if report else None,
                report.submitted_at if report else None,
                row["problems"],
                report.contact_name if report else "",
                report.contact_phone if report else "",
            ]
