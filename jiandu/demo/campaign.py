"""Demo: the plan's campaign in the demo county, shifted so that today falls in the middle
of the 整改提升 phase, with every earlier phase's self-check work done through the actions
(so the audit trail and the ledger are real): most reports accepted (their problems are in
the ledger, some already overdue), one returned, one resubmitted and awaiting acceptance,
one submitted late, one never submitted.

The 监督检查 phase is over: joint visits with findings in the ledger and scored case
files (one failing file in the ledger too), plus a 回头看 visit planned for next week.
Two showcase entries: one published, one a unit's draft. The 总结验收 phase lies in the
future, so no unit has been accepted yet.

Beside it, last year's campaign, finished: every unit reported and was accepted, its
problems are all 销号, and this year's campaign was created from its template (as a
county starts a new year)."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from jiandu.acceptance import actions as acceptance
from jiandu.campaigns import actions
from jiandu.campaigns.default_template import (
    ITEM_ORDER,
    create_campaign_from_plan,
    create_campaign_from_previous,
    plan_start_for_rectification_middle,
)
from jiandu.campaigns.models import Campaign
from jiandu.demo.ledger import _at as ledger_at
from jiandu.demo.ledger import _clock
from jiandu.ledger.models import Problem
from jiandu.orgs.models import Domain, Notification
from jiandu.selfcheck import actions as selfcheck
from jiandu.selfcheck.models import SelfCheckReport
from jiandu.supervision import actions as supervision
from jiandu.supervision.rubric import DEFAULT_RUBRIC

CONTACTS = [
    ("PC-SFJ", "陈晓东", "0577-65521301", "行政执法监督与应诉科 · 自查表收集备案"),
    ("PC-SFJ", "林嘉怡", "0577-65521318", "行政执法监督与应诉科 · 平台填报咨询"),
    ("PC-JW", "许立群", "0577-65530126", "县纪委监委 · 联合监督检查"),
]

# item key -> (问题描述, 原因分析, 整改措施)
SAMPLES = {
    "disc_benchmark_incomplete": (
        "本单位适用的12项违法行为事项中有3项尚无现行有效的裁量基准，2023年修订后的法规未同步调整基准。",
        "对法律法规立改废情况跟踪不及时，基准修订工作无专人负责。",
        "梳理全部适用事项，补齐缺失的裁量基准，建立法规修订后30日内调整基准的机制。",
    ),
    "disc_similar_cases": (
        "抽查2023年同一违法行为事项的8件案件，情节相近但罚款金额从2000元到20000元不等。",
        "办案人员对裁量阶次理解不一，法制审核未比对同类案件。",
        "建立同类案件裁量比对制度，法制审核时附同类案件处罚情况。",
    ),
    "disc_rigid": (
        "2件当事人主动消除违法后果的案件未依法从轻处罚。",
        "对《行政处罚法》第三十二条从轻情形把握不准。",
        "组织专题培训，在案件审批表中增加从轻减轻情节核查栏目。",
    ),
    "proc_publicity": (
        "部分行政处罚决定未在作出后7个工作日内公示，最长延迟21个工作日。",
        "公示工作由办案科室分散负责，缺少统一督促。",
        "明确法制科统一负责公示，每周核对已决定案件的公示情况。",
    ),
    "proc_records": (
        "现场检查环节未全程音像记录，3件案件缺少现场检查笔录当事人签字。",
        "执法记录仪配备不足，执法人员记录意识不强。",
        "增配执法记录仪6台，将音像记录纳入案卷评查扣分项。",
    ),
    "proc_archiving": (
        "2023年办结的案件中有11件未按期立卷归档，部分卷内缺少送达回证。",
        "案卷归档责任不明确，办结后未及时整理。",
        "落实办结后15日内归档制度，由法制科按月检查。",
    ),
    "proc_legal_review": (
        "1件责令停产停业案件作出决定前未经法制审核。",
        "法制审核人员仅1名，重大执法决定目录未及时更新。",
        "更新重大执法决定法制审核目录，增配法制审核人员，实行审核前置。",
    ),
    "insp_joint": (
        "与住建、消防部门在同月内先后对同一建筑工地进行检查，未组织联合检查。",
        "部门间检查计划未统筹，信息不互通。",
        "每季度与相关部门会商检查计划，能合并的纳入联合检查。",
    ),
    "insp_repeat": (
        "对辖区内2家企业30日内进行了两次同类现场检查。",
        "检查任务由不同科室分别下达，缺少统一的检查台账。",
        "建立全局统一的涉企检查台账，检查前查询近期检查记录。",
    ),
    "insp_registration": (
        "部分日常检查未在检查前登记备案，存在事后补录情况。",
        "执法人员对登记备案要求不熟悉，系统操作不便。",
        "开展登记备案专题培训，未登记备案的检查一律不得实施。",
    ),
    "insp_random": (
        "上半年双随机抽查结果未在检查结束后20个工作日内公示。",
        "抽查结果汇总滞后，公示流程审批环节多。",
        "简化公示审批流程，明确抽查结束后10个工作日内完成汇总。",
    ),
    "intg_complaints": (
        "1件涉及划转事项的投诉在本单位与业务主管部门之间转办3次，办理超期。",
        "划转事项的职责边界不清，缺少首接负责机制。",
        "与业务主管部门签订协作协议，落实首接负责、限时办结。",
    ),
    "intg_transfer": (
        "2件移送案件超过5个工作日未接收反馈。",
        "移送案件接收登记不规范，无专人跟踪。",
        "建立案件移送接收台账，指定专人负责接收和反馈。",
    ),
    "leni_lists": (
        "“轻微不罚”“首违免罚”清单已制定但未在门户网站公布，1件符合首违免罚条件的案件仍予罚款。",
        "对清单的公开和适用重视不够。",
        "在门户网站公布清单，对清单事项案件实行办案前比对。",
    ),
    "leni_disproportionate": (
        "1件危害后果轻微且已当场改正的案件按从重阶次处罚。",
        "办案人员对“小过重罚”问题认识不足。",
        "对该案开展复查，组织学习《中华人民共和国行政处罚法》第三十三条和本县轻微违法行为不予处罚清单。",
    ),
    "serv_three_documents": (
        "对企业作出的罚款决定中，有5件未同步送达信用修复告知书和合规指导意见书。",
        "“三书同达”机制未写入办案流程。",
        "将信用修复告知书、合规指导意见书纳入处罚决定送达必备文书。",
    ),
    "serv_withdraw": (
        "2家企业信用修复后，本单位网站上的处罚信息未及时撤下。",
        "信用修复结果与公示管理未建立联动。",
        "建立信用修复结果通报机制，修复决定后5个工作日内撤下公示信息。",
    ),
}
SAMPLE_KEYS = list(SAMPLES)

RESPONSIBLE = ["法制科科长", "执法一中队中队长", "综合科科长", "分管副局长", "执法大队大队长"]
DEADLINE_OFFSETS = [-48, -30, -16, -6, 4, 12, 21, 35, 50, 66]

RETURNED_REASON = (
    "第{order}项问题描述过于笼统，未说明涉及的具体案件和数量；整改时限请与整改提升阶段衔接，"
    "核实后修改并重新签发上报。"
)

SPECIAL = {
    "PC-DLZ": "returned",
    "PC-NSX": "resubmitted",
    "PC-BHZ": "draft",
    "PC-XXX": "late",
}


def _at(day, hour=10, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _answers(report, problems, today, n):
    values = {}
    by_order = {ITEM_ORDER[key]: key for key in problems}
    for k, answer in enumerate(report.answers.select_related("item")):
        key = by_order.get(answer.item.order)
        if key is None:
            values[answer.pk] = {"has_problem": False}
            continue
        description, cause, measures = SAMPLES[key]
        offset = DEADLINE_OFFSETS[(n * 3 + k) % len(DEADLINE_OFFSETS)]
        values[answer.pk] = {
            "has_problem": True,
            "description": description,
            "cause": cause,
            "measures": measures,
            "deadline": today + timedelta(days=offset),
            "responsible_person": RESPONSIBLE[(n + k) % len(RESPONSIBLE)],
        }
    return values


def seed(ctx):
    today, units, users = ctx["today"], ctx["units"], ctx["users"]
    supervisor = users["supervisor"]
    note_mark = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0

    start = plan_start_for_rectification_middle(today)
    last_year = _seed_last_year(ctx, start - timedelta(days=364))
    campaign = create_campaign_from_previous(
        last_year, lead_unit=units["PC-SFJ"], start=start, actor=supervisor
    )
    Campaign.objects.filter(pk=campaign.pk).update(created_at=_at(start - timedelta(days=3), 9))
    for code, name, phone, duty in CONTACTS:
        actions.add_contact(
            campaign, actor=supervisor, name=name, phone=phone, duty=duty, unit=units[code]
        )
    phase = campaign.phase("self_check")

    enforcement = [u for u in units.values() if u.is_enforcement_unit]
    for n, unit in enumerate(enforcement):
        clerk, leader = users[f"{unit.code}:clerk"], users[f"{unit.code}:leader"]
        kind = SPECIAL.get(unit.code, "accepted")
        report = selfcheck.open_report(campaign, unit, actor=clerk)
        count = 2 + n % 3
        problems = [SAMPLE_KEYS[(n * 5 + j * 3) % len(SAMPLE_KEYS)] for j in range(count)]
        values = _answers(report, problems, today, n)
        if kind == "draft":
            values = dict(list(values.items())[:10])  # half way through, never sent
        selfcheck.save_answers(
            report,
            actor=clerk,
            answers=values,
            contact_name=clerk.display_name,
            contact_phone=f"0577-655{40 + n:02d}{(n * 137) % 1000:03d}",
        )
        opened = phase.start + timedelta(days=2 + n % 5)
        stamps = {"created_at": _at(opened, 9, 15)}
        if kind != "draft":
            selfcheck.request_signoff(report, actor=clerk)
            selfcheck.submit_report(report, actor=leader)
            sent = (
                phase.end + timedelta(days=4)
                if kind == "late"
                else min(phase.start + timedelta(days=12 + n), phase.end - timedelta(days=1))
            )
            stamps.update(first_submitted_at=_at(sent, 16, 20), submitted_at=_at(sent, 16, 20))
        if kind in {"accepted", "late"}:
            created = selfcheck.accept_report(report, actor=supervisor)
            accepted = sent + timedelta(days=3)
            stamps.update(accepted_at=_at(accepted, 11, 5))
            Problem.objects.filter(pk__in=[p.pk for p in created]).update(
                created_at=_at(accepted, 11, 5)
            )
        elif kind in {"returned", "resubmitted"}:
            reason = RETURNED_REASON.format(order=ITEM_ORDER[problems[0]])
            selfcheck.return_report(report, actor=supervisor, reason=reason)
            if kind == "resubmitted":
                selfcheck.submit_report(report, actor=leader)
                stamps.update(submitted_at=_at(today - timedelta(days=3), 15, 40))
        SelfCheckReport.objects.filter(pk=report.pk).update(**stamps)

    selfcheck.remind_units(
        campaign,
        [u for u in enforcement if SPECIAL.get(u.code) == "draft"],
        actor=supervisor,
    )
    _seed_supervision(campaign, today, units, users)
    _seed_showcases(campaign, today, units, users)
    # Reading the seeding's routine messages would only be noise; keep the ones a demo
    # user should act on (returned report, reminders, the report awaiting acceptance).
    # After the commit: the showcase's notices are sent then (acceptance actions).
    transaction.on_commit(
        lambda: (
            Notification.objects.filter(id__gt=note_mark)
            .exclude(important=True)
            .exclude(title__startswith=units["PC-NSX"].name)
            .update(read_at=timezone.now())
        )
    )
    ctx["campaign"] = campaign


def _seed_last_year(ctx, start):
    """Last year's campaign, done: reports accepted on time, each problem 销号 within its
    deadline during 整改提升, every unit accepted in 总结验收. Made through the actions and
    dated afterwards, as this year's is."""
    units, users = ctx["units"], ctx["users"]
    supervisor = users["supervisor"]
    campaign = create_campaign_from_plan(lead_unit=units["PC-SFJ"], start=start, actor=supervisor)
    Campaign.objects.filter(pk=campaign.pk).update(created_at=_at(start - timedelta(days=3), 9))
    check = campaign.phase("self_check")
    rectify = campaign.phase("rectification")
    closing = campaign.phase("acceptance") or rectify
    enforcement = [u for u in units.values() if u.is_enforcement_unit]
    for n, unit in enumerate(enforcement):
        clerk, leader = users[f"{unit.code}:clerk"], users[f"{unit.code}:leader"]
        report = selfcheck.open_report(campaign, unit, actor=clerk)
        problems = [SAMPLE_KEYS[(n * 3 + j) % len(SAMPLE_KEYS)] for j in range(1 + n % 2)]
        selfcheck.save_answers(
            report,
            actor=clerk,
            answers=_answers(report, problems, rectify.end - timedelta(days=20), n),
            contact_name=clerk.display_name,
            contact_phone=f"0577-655{40 + n:02d}{(n * 137) % 1000:03d}",
        )
        selfcheck.request_signoff(report, actor=clerk)
        selfcheck.submit_report(report, actor=leader)
        sent = check.start + timedelta(days=8 + n % 10)
        created = selfcheck.accept_report(report, actor=supervisor)
        accepted = sent + timedelta(days=2)
        SelfCheckReport.objects.filter(pk=report.pk).update(
            created_at=_at(check.start + timedelta(days=1), 9),
            first_submitted_at=_at(sent, 15),
            submitted_at=_at(sent, 15),
            accepted_at=_at(accepted, 10),
        )
        for k, problem in enumerate(created):
            deadline = rectify.start + timedelta(days=20 + 7 * k)
            Problem.objects.filter(pk=problem.pk).update(
                created_at=_at(accepted, 10),
                deadline=deadline,
                original_deadline=deadline,
                state=Problem.State.CLOSED,
                submitted_at=_at(deadline - timedelta(days=5), 16),
                closed_at=_at(deadline - timedelta(days=3), 11),
            )
        acceptance.pass_acceptance(
            campaign,
            unit,
            actor=supervisor,
            opinion="自查问题已全部整改销号，佐证材料齐全，验收通过。",
            today=closing.start + timedelta(days=5),
        )
    Campaign.objects.filter(pk=campaign.pk).update(is_active=False)
    campaign.refresh_from_db()
    return campaign


# unit code, days into the supervision phase, domains, team (user keys), summary,
# findings (area, severity, description, days to rectify), reviews (case no, points lost
# per rubric item, comments, put a failing file in the ledger)
VISITS = [
    (
        "PC-SCJ",
        10,
        ["市场监管"],
        ["supervisor", "inspector", "discipline"],
        "抽查2023年以来行政处罚案卷6件、涉企检查记录20条，听取执法工作汇报。裁量基准执行总体规范，"
        "重大执法决定法制审核存在漏项。",
        [
            (
                "procedure",
                "serious",
                "1件责令停产停业案件的法制审核意见书签署日期晚于处罚决定日期，属于事后补审。",
                70,
            ),
            (
                "service",
                "normal",
                "对企业作出的3件罚款决定未同步送达信用修复告知书。",
                60,
            ),
        ],
        [
            ("平市监罚〔2023〕118号", {}, "案卷规范，裁量理由充分。", False),
            ("平市监罚〔2023〕131号", {"procedure": 8, "records": 4}, "法制审核事后补签。", False),
            ("平市监罚〔2024〕007号", {"service": 5}, "", False),
        ],
    ),
    (
        "PC-WGL",
        24,
        ["文化市场"],
        ["inspector", "discipline"],
        "抽查文化市场行政处罚案卷4件，检查“双随机、一公开”抽查结果公示情况。",
        [
            (
                "inspection",
                "normal",
                "2024年第一季度双随机抽查结果未在规定时限内公示。",
                65,
            ),
        ],
        [
            (
                "平文旅罚〔2023〕022号",
                {"facts": 10, "law": 12, "procedure": 10, "records": 6},
                "现场检查笔录无当事人签字，未说明适用裁量阶次的理由，未经集体讨论。",
                True,
            ),
            ("平文旅罚〔2023〕031号", {"documents": 3}, "文书格式不统一。", False),
        ],
    ),
    (
        "PC-XXX",
        38,
        ["综合行政执法"],
        ["supervisor", "inspector"],
        "检查乡综合行政执法队案卷和执法记录仪使用情况，座谈了解划转事项办理情况。",
        [
            (
                "integration",
                "serious",
                "划转事项投诉件与县级业务主管部门之间来回转办，首接负责未落实。",
                75,
            ),
            (
                "procedure",
                "normal",
                "执法记录仪音像资料未按月归档，部分现场检查缺少音像记录。",
                55,
            ),
        ],
        [
            ("西溪综执罚〔2023〕015号", {"records": 6, "service": 4}, "音像记录缺失。", False),
        ],
    ),
]
REVISIT = ("PC-BHZ", 6, ["综合行政执法"], ["supervisor", "inspector", "discipline"])


def _seed_supervision(campaign, today, units, users):

    phase = campaign.phase("supervision")
    domains = {d.name: d for d in Domain.objects.all()}
    areas = {a.code: a for a in campaign.focus_areas.all()}
    supervisor = users["supervisor"]
    for n, (code, offset, dnames, team, summary, findings, reviews) in enumerate(VISITS):
        day = min(phase.start + timedelta(days=offset), today - timedelta(days=1))
        members = [users[k] for k in team if k in users]
        recorder = users.get("inspector") or supervisor
        with _clock(ledger_at(day - timedelta(days=7), n)):
            visit = supervision.plan_visit(
                campaign,
                actor=supervisor,
                unit=units[code],
                visit_date=day,
                team=members,
                domains=[domains[d] for d in dnames if d in domains],
            )
        with _clock(ledger_at(day, n)):
            for k, (area, severity, text, days) in enumerate(findings):
                supervision.record_finding(
                    visit,
                    actor=recorder if k % 2 == 0 else supervisor,
                    focus_area=areas[area],
                    description=text,
                    severity=severity,
                    deadline=day + timedelta(days=days),
                )
            for case_no, lost, comments, to_ledger in reviews:
                scores = {i["code"]: i["max"] - lost.get(i["code"], 0) for i in DEFAULT_RUBRIC}
                review = supervision.review_case_file(
                    visit, actor=recorder, case_no=case_no, scores=scores, comments=comments
                )
                if to_ledger:
                    supervision.review_to_problem(
                        review, actor=supervisor, deadline=day + timedelta(days=60)
                    )
            supervision.complete_visit(visit, actor=supervisor, summary=summary)

    code, ahead, dnames, team = REVISIT
    supervision.plan_visit(
        campaign,
        actor=supervisor,
        unit=units[code],
        visit_date=today + timedelta(days=ahead),
        team=[users[k] for k in team if k in users],
        domains=[domains[d] for d in dnames if d in domains],
    )


def _seed_showcases(campaign, today, units, users):

    supervisor = users["supervisor"]
    with _clock(ledger_at(today - timedelta(days=9), 2)):
        published = acceptance.propose_showcase(
            campaign,
            actor=supervisor,
            unit=units["PC-SCJ"],
            kind="practice",
            title="“进一次门、查多项事”：市场监管领域涉企检查综合查一次",
            summary="县市场监管局牵头梳理检查事项清单，与消防、卫健联合制定季度检查计划，"
            "同一企业同季度检查次数下降六成，检查全部登记备案、亮码入企。",
            body="一、主要做法\n1. 梳理本部门涉企检查事项，形成“一业一查”清单；\n"
            "2. 每季度与相关部门会商检查计划，能合并的一律纳入联合检查；\n"
            "3. 检查前通过平台登记备案，企业扫码核验检查人员和检查事项。\n"
            "二、取得成效\n涉企重复检查明显减少，企业满意度提升。",
        )
        acceptance.select_showcase(published, actor=supervisor)
    with _clock(ledger_at(today - timedelta(days=6), 3)):
        acceptance.publish_showcase(published, actor=supervisor)
    clerk = users.get("PC-CGZ:clerk")
    if clerk is not None:
        with _clock(ledger_at(today - timedelta(days=2), 4)):
            acceptance.propose_showcase(
                campaign,
                actor=clerk,
                kind="case",
                title="首违不罚清单办案前比对，沿街商户首次违法教育改正",
                summary="城关镇对清单事项案件实行办案前比对，对首次违法且及时改正的沿街商户"
                "依法不予处罚，同步送达合规指导意见书。",
                body="案情简介：……\n处理结果：……\n经验启示：……",
            )
