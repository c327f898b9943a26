"""Demo complaints in every state, made through the actions and then moved back in time
so deadlines, overdue steps and the statistics have something to show."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from jiandu.enforcement.models import Inspection
from jiandu.portal import actions
from jiandu.portal.models import (
    Complaint,
    ComplaintAssignment,
    ComplaintMessage,
    PublishedCase,
)

# (days ago received, category, reported unit code, description, named (name, phone))
COMPLAINTS = [
    (
        0,
        "inspection",
        "PC-SCJ",
        "上午市场监管所两名工作人员来店检查，未出示任何证件和检查通知。",
        None,
    ),
    (
        14,
        "delay",
        None,
        "申请食品经营许可变更已经一个多月，窗口一直说等通知，不知道是哪个部门在卡。",
        None,
    ),
    (3, "other", "PC-JTJ", "反映邻居家装修噪音扰民。", None),
    (
        4,
        "fine",
        "PC-ZFJ",
        "店门口摆了一块招牌就被罚款 2000 元，没有先让我们整改。",
        ("陈小梅", "13905781234"),
    ),
    (
        6,
        "inspection",
        "PC-HBJ",
        "环保、应急、消防三个部门两周内先后来厂里检查，查的内容差不多。",
        None,
    ),
    (
        9,
        "delay",
        "PC-CGZ",
        "办理门头招牌审批，在镇里和综合执法局之间来回跑了五趟，都说不归自己管。",
        ("刘建华", "13857001122"),
    ),
    (10, "fine", "PC-SCJ", "第一次被查出价签不全，当场改正了，仍然被罚款 5000 元。", None),
    (
        25,
        "inspection",
        "PC-WGL",
        "网吧一个月内被文旅局检查四次，每次内容相同，影响正常经营。",
        None,
    ),
    (
        30,
        "credit",
        "PC-SCJ",
        "行政处罚信用修复已经批准两个月，信用网站上处罚信息还没有撤下。",
        ("周立新", "13700571188"),
    ),
    (40, "bribe", "PC-NSX", "执法人员检查时暗示要请吃饭，否则就要开罚单。", None),
    (12, "bribe", "PC-DLZ", "执法队员检查时收取“服务费”200 元，没有开票据。", None),
    (8, "inspection", "PC-YJJ", "应急局检查时要求购买指定厂家的灭火器。", None),
    (5, "inspection", "PC-SCJ", "市场监管所本周来了两次检查。", None),
]

# Handing a complaint to the unit it is about needs a stated reason (conflict of interest).
SELF_CHECK = "反映的是本单位检查、处罚的规范问题，由其自查整改，监督部门跟踪核实。"


def _received_at(today, days_ago, hour=10):
    day = today - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _shift(complaint, received_at, **later):
    """Move a complaint's dates back: received_at plus the given offsets (timedeltas)."""
    fields = {"received_at": received_at}
    for name, offset in later.items():
        fields[name] = received_at + offset
    Complaint.objects.filter(pk=complaint.pk).update(**fields)


def seed(ctx):
    units = ctx["units"]
    users = ctx["users"]
    today = ctx["today"]
    sup = users["supervisor"]
    seeded = timezone.now() - timedelta(seconds=1)
    made = []
    for days_ago, category, unit_code, text, named in COMPLAINTS:
        c = actions.submit_complaint(
            category=category,
            description=text,
            reported_unit=units.get(unit_code) if unit_code else None,
            happened_on=today - timedelta(days=days_ago + 1),
            anonymous=named is None,
            name=named[0] if named else "",
            phone=named[1] if named else "",
        )
        made.append((c, _received_at(today, days_ago)))

    def clerk(code):
        return users.get(f"{code}:clerk")

    def assign(c, code, note=""):
        unit = units[code]
        reason = SELF_CHECK if unit.pk in actions.accused_unit_ids(c) else ""
        return actions.assign_complaint(c, unit=unit, actor=sup, note=note, conflict_reason=reason)

    d = timedelta
    # 0: just received.  1: received 14 days ago, still not accepted -> overdue.
    _shift(made[0][0], made[0][1])
    _shift(made[1][0], made[1][1])
    # 2: not accepted, with a reason.
    c, at = made[2]
    actions.reject_complaint(
        c, actor=sup, reason="反映的是邻里纠纷，不属于行政执法监督范围，请向社区调解委员会反映。"
    )
    _shift(c, at, closed_at=d(days=1))
    # 3: accepted, waiting to be assigned.
    c, at = made[3]
    actions.accept_complaint(c, actor=sup, note="反映问题具体，予以受理。")
    _shift(c, at, accepted_at=d(days=1))
    # 4: assigned, reply pending.
    c, at = made[4]
    actions.accept_complaint(c, actor=sup)
    a = assign(c, "PC-HBJ", note="请牵头核实是否可以联合检查。")
    _shift(c, at, accepted_at=d(days=1))
    ComplaintAssignment.objects.filter(pk=a.pk).update(assigned_at=at + d(days=1, hours=2))
    # 5: pushed between units: assigned, then reassigned three times (INTG-03).
    c, at = made[5]
    actions.accept_complaint(c, actor=sup)
    _shift(c, at, accepted_at=d(days=1))
    for i, code in enumerate(["PC-CGZ", "PC-ZFJ", "PC-CGZ", "PC-ZFJ"]):
        a = assign(c, code, note="" if i == 0 else "原承办单位称不属于本单位职责。")
        ComplaintAssignment.objects.filter(pk=a.pk).update(assigned_at=at + d(days=1 + i))
    # 6: replied by the unit, waiting to be closed.
    c, at = made[6]
    actions.accept_complaint(c, actor=sup)
    assign(c, "PC-SCJ")
    if clerk("PC-SCJ"):
        actions.reply_complaint(
            c,
            actor=clerk("PC-SCJ"),
            text="经核实，当事人系首次违法且及时改正，符合首违不罚清单，已撤销处罚决定并退还罚款。",
        )
    _shift(c, at, accepted_at=d(days=1))
    # 7: closed and published as a typical case.
    c, at = made[7]
    actions.accept_complaint(c, actor=sup)
    assign(c, "PC-WGL")
    if clerk("PC-WGL"):
        actions.reply_complaint(
            c, actor=clerk("PC-WGL"), text="情况属实，已停止重复检查，纳入“无事不扰”名单。"
        )
    actions.close_complaint(
        c, actor=sup, result="举报属实。已责令文旅局整改，相关检查计划纳入统筹，对责任人批评教育。"
    )
    actions.publish_case(
        c,
        actor=sup,
        title="某网吧一个月内被重复检查四次",
        text="群众反映某网吧一个月内被同一部门检查四次、内容相同。经核实情况属实，"
        "县司法局已责令该部门整改，将相关检查纳入年度检查计划统筹，对直接责任人批评教育。",
    )
    _shift(c, at, accepted_at=d(days=2), closed_at=d(days=14))
    PublishedCase.objects.filter(complaint=c).update(published_at=at + d(days=16))
    # 8: closed and rated by the complainant.
    c, at = made[8]
    actions.accept_complaint(c, actor=sup)
    assign(c, "PC-SCJ")
    if clerk("PC-SCJ"):
        actions.reply_complaint(
            c, actor=clerk("PC-SCJ"), text="已通知信用平台撤下处罚信息，并同步更新本局网站。"
        )
    actions.close_complaint(c, actor=sup, result="处罚信息已于核实后撤下，三书同达工作已督促整改。")
    actions.rate_complaint(c, score=5, comment="处理及时，谢谢。")
    _shift(c, at, accepted_at=d(days=1), closed_at=d(days=12), rated_at=d(days=13))
    # 9: 吃拿卡要: handed to the discipline commission as a lead on acceptance (never
    # to the unit it is about), then closed late.
    c, at = made[9]
    actions.accept_complaint(c, actor=sup, note="涉嫌吃拿卡要，移交纪委监委核查。")
    actions.close_complaint(c, actor=sup, result="已移交县纪委监委处理。")
    _shift(c, at, accepted_at=d(days=3), closed_at=d(days=30))
    # 10: 吃拿卡要 again: a lead on acceptance, and a problem in the unit's ledger; the
    # supervisor keeps the complaint itself.
    c, at = made[10]
    actions.accept_complaint(c, actor=sup)
    actions.complaint_to_problem(c, actor=sup, description="执法检查中违规收取费用，未开具票据。")
    _shift(c, at, accepted_at=d(days=1))
    # 11: accepted and assigned, reply overdue soon.
    c, at = made[11]
    actions.accept_complaint(c, actor=sup)
    assign(c, "PC-YJJ")
    _shift(c, at, accepted_at=d(days=2))
    # 12: withdrawn by the complainant through the tracking code.
    c, at = made[12]
    actions.withdraw_complaint(c, reason="已与市场监管所沟通清楚，撤回。")
    _shift(c, at, closed_at=d(days=1))
    # Rows written above carry today's time; put them between acceptance and closing.
    for c, at in made:
        c.refresh_from_db()
        start = c.accepted_at or at
        ComplaintAssignment.objects.filter(complaint=c, assigned_at__gt=seeded).update(
            assigned_at=start + d(hours=2)
        )
        ComplaintMessage.objects.filter(complaint=c, created_at__gt=seeded).update(
            created_at=(c.closed_at - d(days=1)) if c.closed_at else start + d(days=2)
        )

    _seed_ratings()
    ctx["complaints"] = [m[0] for m in made]
    if ctx.get("stdout"):
        ctx["stdout"].write(
            f"  举报 {len(made)} 件，示例查询码：{made[8][0].tracking_code}（已办结并评价）"
        )


def _seed_ratings():
    inspections = list(
        Inspection.objects.exclude(verify_code__isnull=True).exclude(verify_code="")[:4]
    )
    scores = [
        (5, "检查规范，出示证件，讲解清楚。"),
        (4, ""),
        (2, "检查时间过长，影响营业。"),
        (5, ""),
    ]
    for inspection, (score, comment) in zip(inspections, scores, strict=False):
        actions.rate_inspection(inspection, score=score, comment=comment)
