"""The office's documents that belong to existing pages, built from the data and issued
through the 公文 engine (jiandu.documents.gongwen), each with its 文号:

  整改通知书 (rectification_notice)  a unit's open problems with measures and deadlines
  提醒函     (reminder_letter)       a unit's overdue problems
  检查通知书 (inspection_notice)     before a supervision visit: team, date, scope, what to prepare
  检查反馈意见书 (inspection_feedback) after the visit: its findings
  验收意见书 (acceptance_opinion)    a unit's acceptance decision in a campaign
  自查表     (selfcheck_form)        a unit's filled self-check (the blank one prints unnumbered)
  工作总结   (campaign_summary)      the campaign's summary report (acceptance/summary.py)

Here because the data comes from the ledger, selfcheck and supervision, which acceptance
stands above. Each builder returns (unit, context) for `gongwen.issue_document`."""

from datetime import date

from jiandu.acceptance import summary
from jiandu.acceptance.models import UnitAcceptance
from jiandu.campaigns.models import Campaign
from jiandu.documents.gongwen import KINDS, date_text
from jiandu.ledger.models import Problem
from jiandu.orgs.models import Unit
from jiandu.selfcheck.models import SelfCheckReport
from jiandu.supervision.models import SupervisionVisit


def _deadline(d) -> str:
    return date_text(d) if d else "未定"


def _problem_rows(problems, *, measures=True) -> list[list[str]]:
    return [
        [str(i), p.description, p.measures or "请制定整改措施", _deadline(p.deadline)]
        if measures
        else [str(i), p.description, _deadline(p.deadline)]
        for i, p in enumerate(problems, 1)
    ]


def rectification_notice(unit: Unit, today: date):
    problems = list(
        Problem.objects.filter(unit=unit)
        .open()
        .select_related("focus_area")
        .order_by("deadline", "id")
    )
    return unit, {
        "title": f"关于{unit.name}限期整改有关问题的通知",
        "body_sections": [
            {
                "paragraphs": [
                    f"经监督检查和执法数据监测，你单位尚有 {len(problems)} 个问题未整改到位"
                    "（详见所附清单）。根据《行政执法监督条例》有关规定，现通知如下："
                ]
            },
            {
                "heading": "一、整改要求",
                "paragraphs": [
                    "请对照清单逐项落实整改措施，明确责任人，在整改时限内整改到位，"
                    "并在平台如实填报整改进展、上传佐证材料后提请验收。"
                ],
            },
            {
                "heading": "二、有关事项",
                "paragraphs": [
                    "确因客观原因不能按期完成的，应在整改时限届满前通过平台申请延期并说明理由。"
                    "逾期未整改的，将依法予以督办。"
                ],
            },
        ],
        "rows": _problem_rows(problems),
        "attachments": ["问题及整改要求清单"],
        "date": today,
    }


def reminder_letter(unit: Unit, today: date):
    overdue = list(Problem.objects.filter(unit=unit).overdue(today).order_by("deadline", "id"))
    rows = [
        [str(i), p.description, _deadline(p.deadline), f"{p.days_overdue(today)} 天"]
        for i, p in enumerate(overdue, 1)
    ]
    return unit, {
        "title": f"关于提醒{unit.name}及时完成逾期整改事项的函",
        "body_sections": [
            {
                "paragraphs": [
                    f"截至{date_text(today)}，你单位有 {len(overdue)} 个整改事项已超过整改时限"
                    "仍未完成（详见清单）。请高度重视，抓紧整改，并于收到本函后 5 个工作日内"
                    "在平台报送整改进展。",
                    "逾期仍未整改到位的，将按照《行政执法监督条例》有关规定发出督办函。",
                ]
            }
        ],
        "rows": rows,
        "date": today,
    }


def _team(visit) -> str:
    return "、".join(u.display_name for u in visit.team.all()) or "另行通知"


def inspection_notice(visit: SupervisionVisit, today: date):
    domains = "、".join(d.name for d in visit.domains.all()) or "行政执法工作"
    prepare = [
        "本单位行政执法主体、执法人员及执法证件清单",
        "行政裁量权基准及其公开情况",
        "近一年行政处罚、行政检查案卷（检查组现场随机抽取）",
        "涉企行政检查计划、登记备案及“亮码检查”记录",
        "专项行动自查报告及问题整改台账",
    ]
    return visit.unit, {
        "title": f"关于对{visit.unit.name}开展行政执法监督检查的通知",
        "body_sections": [
            {
                "paragraphs": [
                    f"根据“{visit.campaign.title}”专项行动安排，定于{date_text(visit.visit_date)}"
                    f"对你单位{domains}开展监督检查，现将有关事项通知如下："
                ]
            },
            {"heading": "一、检查组成员", "paragraphs": [_team(visit)]},
            {
                "heading": "二、检查内容",
                "paragraphs": [
                    f"检查范围：{domains}。重点检查行政裁量权基准执行、执法程序、涉企行政检查、"
                    "包容审慎监管等情况，并抽查行政执法案卷。"
                ],
            },
            {
                "heading": "三、需准备的材料",
                "paragraphs": ["请于检查当日备齐下列材料，并安排熟悉情况的人员配合检查。"],
            },
        ],
        "rows": [[str(i), text] for i, text in enumerate(prepare, 1)],
        "date": today,
    }


def inspection_feedback(visit: SupervisionVisit, today: date):
    findings = list(visit.findings().order_by("id"))
    reviews = list(visit.reviews.all())
    paragraphs = [
        f"{date_text(visit.visit_date)}，检查组（{_team(visit)}）对你单位开展了行政执法"
        f"监督检查，评查案卷 {len(reviews)} 卷。现将检查发现的问题反馈如下，请认真整改。"
    ]
    if visit.summary:
        paragraphs.append(visit.summary)
    return visit.unit, {
        "title": f"关于{visit.unit.name}行政执法监督检查情况的反馈意见",
        "body_sections": [
            {"heading": "一、检查基本情况", "paragraphs": paragraphs},
            {
                "heading": "二、发现的问题",
                "paragraphs": [
                    f"共发现问题 {len(findings)} 个，已纳入整改台账，详见问题清单。"
                    if findings
                    else "本次检查未发现需要整改的问题。"
                ],
            },
            {
                "heading": "三、整改要求",
                "paragraphs": [
                    "请在整改时限内逐项整改到位，通过平台报送整改进展和佐证材料，提请验收销号。"
                ],
            },
        ],
        "rows": _problem_rows(findings),
        "date": today,
    }


def acceptance_opinion(acceptance: UnitAcceptance, today: date):
    unit, campaign = acceptance.unit, acceptance.campaign
    counts = Problem.objects.of_campaign(campaign).filter(unit=unit).counts(today)
    state = acceptance.get_state_display()
    paragraphs = [
        f"根据“{campaign.title}”专项行动总结验收安排，对你单位整改情况进行了验收。"
        f"专项行动中你单位共有问题 {counts['total']} 个，已销号 {counts[Problem.State.CLOSED]} 个，"
        f"逾期 {counts['overdue']} 个。",
        f"验收结论：{state}。",
    ]
    if acceptance.opinion:
        paragraphs.append(f"验收意见：{acceptance.opinion}")
    if acceptance.open_reason:
        paragraphs.append(f"尚有未销号问题仍予通过的理由：{acceptance.open_reason}")
    return unit, {
        "title": f"关于{unit.name}专项行动整改验收的意见",
        "body_sections": [{"paragraphs": paragraphs}],
        "date": acceptance.checked_on or today,
    }


def _selfcheck_rows(items, answers=None):
    rows = []
    for i, item in enumerate(items, 1):
        a = (answers or {}).get(item.pk)
        if a is None or a.has_problem is None:
            result, note = ("" if answers is None else "未作答"), ""
        elif a.has_problem:
            result = "存在问题"
            note = "；".join(x for x in (a.description, a.measures and f"措施：{a.measures}") if x)
        else:
            result, note = "无问题", ""
        rows.append([str(i), item.text, result, note])
    return rows


def selfcheck_form(report: SelfCheckReport, today: date):
    template = report.campaign.template
    items = list(template.items.order_by("order", "id"))
    answers = {a.item_id: a for a in report.answers.all()}
    return report.unit, {
        "title": f"{report.unit.name}{template.title}",
        "body_sections": [
            {
                "paragraphs": [
                    f"填报单位：{report.unit.name}　状态：{report.get_state_display()}"
                    f"　填报人：{report.contact_name or '—'}　联系电话：{report.contact_phone or '—'}"
                ]
            }
        ],
        "rows": _selfcheck_rows(items, answers),
        # the unit reports to the campaign's lead (the 司法局), not to itself
        "recipient": report.campaign.lead_unit.name if report.campaign.lead_unit else "",
        "signer": report.unit.name,
        "date": today,
    }


def blank_selfcheck_form(campaign: Campaign, today: date) -> dict:
    template = campaign.template
    items = list(template.items.order_by("order", "id"))
    return {
        "title": template.title,
        "body_sections": [
            {"paragraphs": [template.instructions or "请逐项对照自查，如实填写自查结果。"]},
            {"paragraphs": ["填报单位（盖章）：　　　　　　填报人：　　　　　联系电话："]},
        ],
        "rows": _selfcheck_rows(items),
        "signer": " ",
        "date": today,
    }


def campaign_summary(campaign: Campaign, today: date):
    return None, summary.context(summary.collect(campaign, today))


# kind -> (model of the object it is about, builder)
PAPERS = {
    "rectification_notice": (Unit, rectification_notice),
    "reminder_letter": (Unit, reminder_letter),
    "inspection_notice": (SupervisionVisit, inspection_notice),
    "inspection_feedback": (SupervisionVisit, inspection_feedback),
    "acceptance_opinion": (UnitAcceptance, acceptance_opinion),
    "selfcheck_form": (SelfCheckReport, selfcheck_form),
    "campaign_summary": (Campaign, campaign_summary),
}
assert set(PAPERS) <= set(KINDS)
