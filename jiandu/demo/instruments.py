"""The 条例's instruments in the demo county: 督办函 and 意见书 in every state (awaiting a
reply, replied, returned, objected, overdue, accepted, withdrawn, escalated with the
government's 决定书), a 约谈 with follow-up items, a public and an internal 通报, an
officer recommendation, a 督办 request of the discipline commission and leads in each
of the four dispositions. Every step goes through the actions on the demo clock."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from jiandu.demo.ledger import _at, _clock
from jiandu.ledger import actions as ledger
from jiandu.ledger.models import Lead, Problem
from jiandu.orgs.models import FocusArea
from jiandu.supervision import actions
from jiandu.workdays import add_workdays

SL = "supervision_letter"
OL = "opinion_letter"

# (key, kind, unit, focus area, title, facts, basis, items, days ago issued)
INSTRUMENTS = [
    (
        "waiting",
        SL,
        "PC-SCJ",
        "procedure",
        "未按规定公开行政处罚决定",
        "经网上巡查，县市场监管局2026年10月作出的21件一般程序行政处罚决定中，"
        "有9件未在作出决定之日起七个工作日内在县政府门户网站公开。",
        "《中华人民共和国行政处罚法》第四十八条；《行政执法监督条例》第二十七条",
        "对9件未公开的行政处罚决定依法补充公开\n建立行政处罚决定公开台账，明确专人负责",
        3,
    ),
    (
        "replied",
        OL,
        "PC-CGZ",
        "procedure",
        "行政处罚案件现场检查笔录无当事人签字",
        "案卷评查发现，城关镇2026年办理的3件违法建设处罚案件现场检查笔录无当事人签字，"
        "也未注明拒绝签字的情况。",
        "《中华人民共和国行政处罚法》第五十五条；《行政执法监督条例》第二十八条",
        "对3件案件的执法程序进行自查纠正\n组织执法人员开展执法程序专题培训",
        12,
    ),
    (
        "overdue",
        SL,
        "PC-ZRJ",
        "integration",
        "群众反复反映的违法占地问题未依法查处",
        "12345热线2026年8月以来多次反映东岭镇某村违法占用耕地建房，"
        "县自然资源和规划局至今未立案查处。",
        "《中华人民共和国土地管理法》第七十七条；《行政执法监督条例》第二十七条",
        "对反映的违法占地问题依法立案查处\n将查处结果书面报告县司法局",
        40,
    ),
    (
        "escalated",
        OL,
        "PC-JTJ",
        "discretion",
        "同类超限运输案件罚款金额明显不当",
        "县交通运输局对同一时段、超限比例相近的12件货车超限运输案件，罚款金额从500元到"
        "30000元不等，未说明理由，违反过罚相当原则。",
        "《中华人民共和国公路法》第七十六条；《超限运输车辆行驶公路管理规定》第四十三条；"
        "《行政执法监督条例》第二十八条",
        "对12件案件的裁量情况逐件说明理由并依法纠正\n细化超限运输行政处罚裁量基准",
        60,
    ),
    (
        "accepted",
        SL,
        "PC-WJJ",
        "procedure",
        "行政执法主体和人员信息未公示",
        "县卫生健康局门户网站未公示行政执法主体、执法人员及其执法证件信息。",
        "《中华人民共和国行政处罚法》第三十九条；《行政执法监督条例》第二十七条",
        "在门户网站公示行政执法主体、人员、职责、依据、程序和救济渠道",
        45,
    ),
    (
        "objected",
        OL,
        "PC-HBJ",
        "procedure",
        "排污许可案件未履行集体讨论程序",
        "县生态环境分局对某化工企业处罚款40万元，案卷中未见负责人集体讨论记录。",
        "《中华人民共和国行政处罚法》第五十七条；《行政执法监督条例》第二十八条",
        "补正或依法纠正该案件的执法程序",
        8,
    ),
    (
        "withdrawn",
        SL,
        "PC-NYJ",
        "integration",
        "农药经营许可证年检未开展",
        "县农业农村局2026年未对辖区农药经营单位开展许可事项检查。",
        "《农药管理条例》第五十二条；《行政执法监督条例》第二十七条",
        "制定并实施农药经营单位检查计划",
        20,
    ),
]


def _issue(key, kind, code, area, title, facts, basis, items, ago, *, ctx, areas):
    today, units, sup = ctx["today"], ctx["units"], ctx["users"]["supervisor"]
    day = today - timedelta(days=ago)
    with _clock(_at(day, 1)):
        obj = actions.draft_instrument(
            actor=sup,
            kind=kind,
            unit=units[code],
            title=title,
            facts=facts,
            basis=basis,
            required_action=items,
            focus_area=areas[area],
        )
    with _clock(_at(day, 2)):
        actions.issue_instrument(obj, actor=sup, today=day)
    obj.refresh_from_db()
    return obj


def _writer(ctx, code):
    return ctx["users"][f"{code}:clerk"]


def seed(ctx):
    today, units, users = ctx["today"], ctx["units"], ctx["users"]
    sup, discipline = users["supervisor"], users.get("discipline")
    last = today - timedelta(days=1)
    areas = {a.code: a for a in FocusArea.objects.all()}
    # Issued oldest first, so the 文号 register runs in the order of the dates.
    rows = sorted((r for r in INSTRUMENTS if r[2] in units), key=lambda r: -r[8])
    made = {row[0]: _issue(*row, ctx=ctx, areas=areas) for row in rows}

    def at(obj, days, i=3):
        return _clock(_at(min(timezone.localdate(obj.issued_at) + timedelta(days=days), last), i))

    if obj := made.get("replied"):
        with at(obj, 6):
            actions.reply_instrument(
                obj,
                actor=_writer(ctx, "PC-CGZ"),
                text="已对3件案件逐案自查：2件补充送达并由当事人签字确认，1件当事人拒签，"
                "已补录见证人签字和执法记录仪视频；11月20日组织全镇执法人员程序培训。",
            )
    if obj := made.get("accepted"):
        with at(obj, 10):
            actions.reply_instrument(
                obj,
                actor=_writer(ctx, "PC-WJJ"),
                text="已在局门户网站“行政执法公示”专栏公示执法主体、28名执法人员及证件信息。",
            )
        with at(obj, 14, 5):
            actions.accept_reply(obj, actor=sup, note="经网上核查，公示内容完整，予以认可。")
    if obj := made.get("objected"):
        with at(obj, 4):
            actions.object_instrument(
                obj,
                actor=_writer(ctx, "PC-HBJ"),
                text="该案已于10月9日召开局务会集体讨论，会议纪要归入副卷，现补充提交。",
            )
    if obj := made.get("withdrawn"):
        with at(obj, 3):
            actions.object_instrument(
                obj,
                actor=_writer(ctx, "PC-NYJ"),
                text="农药经营许可不设年检；本局已于2026年6月开展农药经营专项检查，检查记录附后。",
            )
        with at(obj, 6, 5):
            actions.handle_objection(
                obj, actor=sup, uphold=True, note="经核实，异议成立，撤回本督办函。"
            )
    if obj := made.get("escalated"):
        with at(obj, 20):
            actions.reply_instrument(
                obj, actor=_writer(ctx, "PC-JTJ"), text="已组织自查，认为罚款金额均在法定幅度内。"
            )
        with at(obj, 23, 5):
            actions.return_reply(
                obj,
                actor=sup,
                reason="答复未逐件说明裁量理由，也未纠正明显不当的处罚，请重新答复。",
            )
        day = min(obj.deadline + timedelta(days=3), last)
        with _clock(_at(day, 4)):
            proposal = actions.escalate_instrument(
                obj,
                actor=sup,
                facts="县交通运输局对行政执法监督意见书未予落实：答复被退回后逾期未重新答复，"
                "12件超限运输案件罚款明显不当的问题仍未纠正。",
                proposal="建议县人民政府依照《行政执法监督条例》第二十九条作出行政执法监督决定书，"
                "责令县交通运输局在三十日内纠正，并对相关责任人员依法处理。",
                today=day,
            )
        decided = min(day + timedelta(days=7), last)
        with _clock(_at(decided, 3)):
            actions.record_decision(
                proposal,
                actor=sup,
                number=f"平政执监决〔{decided.year}〕1号",
                date=decided,
                content="责令县交通运输局于三十日内对12件超限运输案件逐件复查并依法纠正，"
                "细化裁量基准后报县司法局备案。",
                today=decided,
            )
    if obj := made.get("overdue"):
        with at(obj, 35, 4):
            actions.refer_to_discipline(
                obj,
                actor=sup,
                note="督办函逾期未答复，违法占地问题长期未查处，涉嫌不作为，移送县纪委监委。",
                today=min(timezone.localdate(obj.issued_at) + timedelta(days=35), last),
            )

    # A 重大问题 straight to the county government (no decision yet).
    if "PC-ZFJ" in units:
        with _clock(_at(today - timedelta(days=5), 2)):
            actions.propose_for_major_problem(
                actor=sup,
                unit=units["PC-ZFJ"],
                facts="县综合行政执法局2026年对沿街商户开展的集中整治中，"
                "存在未经法定程序查封扣押财物的情形，涉及商户17家。",
                proposal="建议县人民政府作出行政执法监督决定书，责令县综合行政执法局立即解除违法查封扣押，"
                "并依法赔偿当事人损失。",
            )

    # 约谈 the leaders of the unit that let the overdue letter lapse: the 约谈通知 first,
    # then the record of what was said with its follow-up items.
    if "PC-ZRJ" in units:
        held = today - timedelta(days=4)
        with _clock(_at(held - timedelta(days=3), 1)):
            interview = actions.schedule_interview(
                actor=sup,
                unit=units["PC-ZRJ"],
                instrument=made.get("overdue"),
                held_at=timezone.make_aware(datetime.combine(held, time(9, 30))),
                place="县司法局三楼会议室",
                interviewers="县司法局局长 周明、县纪委监委第三监督检查室 郑纪",
                attendees="县自然资源和规划局局长、分管副局长、执法监察大队大队长",
                reason="县司法局督办函逾期未答复，群众反映的东岭镇违法占地问题长期未立案查处。",
            )
        with _clock(_at(held, 3)):
            actions.record_minutes(
                interview,
                actor=sup,
                content="通报督办函逾期未落实的情况；指出对群众反映的违法占地问题长期未立案查处，"
                "属于有案不立；要求10个工作日内立案并报告进展。",
                follow_ups="对东岭镇违法占地问题立案查处\n全面排查2026年以来未办结的违法占地线索",
                focus_area=areas["integration"],
                today=held,
            )
    # A 约谈 announced for next week (notice issued, not yet held).
    if "PC-DLZ" in units:
        with _clock(_at(last, 2)):
            actions.schedule_interview(
                actor=sup,
                unit=units["PC-DLZ"],
                held_at=timezone.make_aware(datetime.combine(today + timedelta(days=7), time(15))),
                place="县司法局三楼会议室",
                interviewers="县司法局副局长",
                attendees="东岭镇人民政府镇长、综合行政执法队队长",
                reason="县纪委监委转来的信访反映东岭镇对沿街占道经营罚款随意，需当面说明情况。",
            )

    # 通报: the third-quarter supervision to the public, the overdue letters to all units.
    with _clock(_at(today - timedelta(days=10), 2)):
        actions.publish_circular(
            actor=sup,
            title="关于2026年第三季度行政执法监督情况的通报",
            content="2026年第三季度，县司法局对全县15个行政执法单位开展日常监督，"
            "评查行政处罚案卷120件，优秀38件、合格71件、不合格11件。\n"
            "对发现的问题，已依照《行政执法监督条例》第二十七条、第二十八条"
            "发出督办函4份、行政执法监督意见书3份。\n"
            "请各单位对照问题清单举一反三，切实规范行政执法行为。",
            audience="public",
        )
    overdue_units = [o.unit for o in made.values() if o.is_overdue(today)]
    with _clock(_at(today - timedelta(days=2), 3)):
        actions.publish_circular(
            actor=sup,
            title="关于督办函逾期未落实情况的通报",
            content="截至目前，以下单位收到的督办函、行政执法监督意见书逾期未落实。"
            "请相关单位于五个工作日内书面说明情况并落实整改。",
            audience="units",
            units=overdue_units,
        )

    # Art. 32: an officer recommendation, decided by the competent body.
    if "PC-JTJ" in units:
        with _clock(_at(today - timedelta(days=15), 2)):
            rec = actions.recommend_officer(
                actor=sup,
                unit=units["PC-JTJ"],
                officer_name="陈某",
                certificate_no="平川执字第0137号",
                measure="training",
                reason="在超限运输案件中多次未说明理由作出畸轻畸重的罚款决定。",
                competent_body="平川县交通运输局",
                instrument=made.get("escalated"),
            )
        with _clock(_at(today - timedelta(days=6), 2)):
            actions.record_officer_decision(
                rec,
                actor=sup,
                decision="同意离岗培训一个月，考试合格后恢复执法岗位。",
                date=today - timedelta(days=6),
                today=today - timedelta(days=6),
            )

    if discipline is None:
        return
    # The commission asks the supervisor for a 督办 on a unit.
    if "PC-DLZ" in units:
        with _clock(_at(today - timedelta(days=2), 4)):
            actions.request_supervision(
                actor=discipline,
                unit=units["PC-DLZ"],
                reason="我委在信访中发现东岭镇对沿街占道经营罚款随意，请县司法局督办。",
            )

    # Leads in each of the four dispositions, one returned as no discipline matter.
    _leads(ctx, discipline, sup, last)


LEADS = [
    ("PC-SCJ", "执法人员涉嫌在食品抽检中收受企业礼品", "talk", None),
    ("PC-ZFJ", "集中整治中违法查封扣押涉嫌滥用职权", "verify", None),
    ("PC-WGL", "网吧检查中“以罚代管”问题", "shelve", None),
    (
        "PC-YJJ",
        "安全生产检查记录造假",
        "close",
        "经初步核实，检查记录与执法记录仪视频一致，反映问题不实，予以了结。",
    ),
    ("PC-BHZ", "执法车辆私用", "return", None),
]


def _leads(ctx, discipline, sup, last):
    today, units = ctx["today"], ctx["units"]
    for i, (code, title, disposal, result) in enumerate(LEADS):
        if code not in units:
            continue
        day = today - timedelta(days=30 - i * 3)
        with _clock(_at(day, i)):
            lead = ledger.create_lead(
                unit=units[code],
                title=title,
                description=f"县司法局在日常监督中发现：{title}。",
                source=Problem.Source.SUPERVISION,
                source_ref=f"监督线索 XS-{day:%Y}-{i + 1:03d}",
                actor=sup,
                today=day,
                due_date=add_workdays(day, 30),
            )
        if disposal == "return":
            with _clock(_at(day + timedelta(days=2), 3)):
                ledger.return_lead(
                    lead,
                    actor=discipline,
                    reason="车辆管理属机关事务管理问题，不属于纪律审查范围，建议由主管部门处理。",
                )
            continue
        with _clock(_at(day + timedelta(days=1), 3)):
            ledger.receive_lead(lead, actor=discipline)
        with _clock(_at(day + timedelta(days=3), 4)):
            ledger.dispose_lead(
                lead,
                actor=discipline,
                disposal=disposal,
                working_notes="承办人初步意见（工作底稿，仅纪委监委可见）。",
            )
        if result:
            done = min(day + timedelta(days=12), last)
            with _clock(_at(done, 5)):
                ledger.close_lead(
                    lead,
                    actor=discipline,
                    result=result,
                    outcome=Lead.Outcome.CLEARED,
                    result_date=done,
                    today=done,
                )
