"""三书同达: the 信用修复告知书 and the 合规指导意见书 (行政合规建议书) prepared from the
case's data as 公文 of the case's unit (GB/T 9704 through documents.gongwen: the unit's
name as 版头 and 落款, the 决定书文号 as reference), each from a template the office can
replace. `three_docs_context(case)` is the data both read."""

from datetime import date

from django.utils import timezone

from jiandu import workdays
from jiandu.documents import gongwen

# Working days the party is given for each compliance measure, from the day served.
MEASURE_DAYS = (10, 20, 30)
# 《信用修复管理办法》: the minimum publication periods before a repair may be applied for.
MIN_PUBLICATION = "一般失信行为的行政处罚信息公示期满3个月、严重失信行为的公示期满1年"


def _cn(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else "____年__月__日"


def three_docs_context(case, served_on: date | None = None) -> dict:
    """What both documents say, from the case: the violation and its basis, the
    penalty, the route for credit repair and the compliance measures with deadlines."""
    item = case.violation
    start = served_on or case.served_on or case.decided_on or date.today()
    cal = workdays.calendar()
    violation = case.violation_name or (item.name if item else case.violation_code)
    measures = [
        ("立即停止违法行为，对照处罚决定书认定的事实逐项自查整改，形成整改报告", MEASURE_DAYS[0]),
        (f"针对“{violation}”建立或完善内部合规管理制度，明确责任人和检查频次", MEASURE_DAYS[1]),
        ("组织相关岗位人员开展法律法规学习培训，保存培训记录", MEASURE_DAYS[2]),
    ]
    return {
        "unit": case.unit.name,
        "case_no": case.case_no,
        "party": case.party_name,
        "uscc": case.party_uscc,
        "violation": violation,
        "violation_basis": (item.violation_basis if item else "") or "（见行政处罚决定书）",
        "penalty_basis": (item.penalty_basis if item else "") or "（见行政处罚决定书）",
        "penalties": "、".join(case.penalty_kind_list) or "（见行政处罚决定书）",
        "fine": case.fine,
        "decided_on": case.decided_on,
        "served_on": served_on or case.served_on,
        "measures": [(text, days, cal.add_workdays(start, days)) for text, days in measures],
    }


def _sections_notice(ctx) -> list[dict]:
    fine = f"，罚款{ctx['fine']:,.2f}元" if ctx["fine"] else ""
    return [
        {
            "paragraphs": [
                f"本机关于{_cn(ctx['decided_on'])}对你单位“{ctx['violation']}”的违法行为作出行政处罚"
                f"（{ctx['penalties']}{fine}），决定书文号为{ctx['case_no']}。违法依据："
                f"{ctx['violation_basis']}；处罚依据：{ctx['penalty_basis']}。该行政处罚信息将依法在"
                "信用信息平台公示。"
            ]
        },
        {
            "heading": "一、信用修复的条件",
            "paragraphs": [
                f"你单位履行行政处罚决定规定的义务、已纠正违法行为，且{MIN_PUBLICATION}后，"
                "可以申请信用修复；法律法规规定不得修复的除外。"
            ],
        },
        {
            "heading": "二、信用修复的途径",
            "paragraphs": [
                "你单位可通过本县举报曝光平台“信用修复”栏目在线申请（无需登录）：填写统一社会信用"
                f"代码、处罚决定书文号（{ctx['case_no']}）、申请理由，上传履行处罚和整改的证明材料。"
                "提交后凭查询码查看审核进度。本机关在规定期限内审核；准予修复的，由本机关和信用平台"
                "主管部门撤下公示。"
            ],
        },
        {
            "heading": "三、应提交的材料",
            "paragraphs": [
                "（一）履行行政处罚决定的证明（如罚款缴纳凭证）；（二）整改到位的说明及佐证材料；"
                "（三）信用承诺书。"
            ],
        },
    ]


def _sections_advice(ctx) -> list[dict]:
    measures = [
        f"{i}. {text}，建议于{_cn(due)}前完成（送达之日起{days}个工作日）。"
        for i, (text, days, due) in enumerate(ctx["measures"], 1)
    ]
    return [
        {
            "paragraphs": [
                f"本机关在办理{ctx['case_no']}案件中发现，你单位存在“{ctx['violation']}”的违法行为"
                f"（违法依据：{ctx['violation_basis']}）。为帮助你单位防范同类违法风险、依法合规经营，"
                "提出以下合规建议："
            ]
        },
        {"heading": "一、合规措施及建议完成时限", "paragraphs": measures},
        {
            "heading": "二、本意见书的性质",
            "paragraphs": [
                "本意见书为指导性意见，不具有强制执行力，不影响你单位依法享有的陈述、申辩、申请"
                "行政复议和提起行政诉讼等权利。",
                "你单位落实以上建议的情况，可作为申请信用修复时整改到位的佐证材料。",
            ],
        },
    ]


# The two documents: ?doc= on the case page's download, kind of the 公文 engine, title.
DOCS = {
    "notice": ("credit_notice", "信用修复告知书", _sections_notice),
    "advice": ("compliance_advice", "合规指导意见书（行政合规建议书）", _sections_advice),
}


def render_three_docs(case, which: str = "notice", served_on: date | None = None) -> bytes:
    """One of the two documents (`which`: notice or advice) as a 公文 .docx."""
    kind, title, sections = DOCS[which]
    ctx = three_docs_context(case, served_on)
    uscc = f"（统一社会信用代码：{ctx['uscc']}）" if ctx["uscc"] else ""
    return gongwen.render(
        kind,
        {
            "issuer": ctx["unit"],
            "signer": ctx["unit"],
            "number": ctx["case_no"],
            "title": title,
            "recipient": f"{ctx['party']}{uscc}",
            "date": ctx["served_on"] or timezone.localdate(),
            "body_sections": sections(ctx),
        },
    )
