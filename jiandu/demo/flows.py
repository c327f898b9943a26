"""Demo of the cross-department workflows (issue 13): 案件移送 in every state (one
jurisdiction dispute decided by the supervisor, one overdue for INTG-01), 信用修复
applications (one approved with the credit platform's owner not yet withdrawn, one
waiting, one refused) and a case whose 三书 were served with the 决定书. Made through the
apps' actions on dates before today, so the deadlines and the rules have something to
show; deterministic (the first matching cases by id)."""

from datetime import timedelta

from django.db.models import F, Q

from jiandu.credit import actions as credit
from jiandu.credit.models import ThreeDocsService
from jiandu.demo.county import _user
from jiandu.enforcement.models import CreditRepair, PenaltyCase
from jiandu.orgs.models import Role, Unit
from jiandu.transfers import actions as transfers

FGJ = ("PC-FGJ", "平川县发展和改革局")

# (sender, receiver or None for 公安, kind, party, facts, basis, days ago sent, steps)
TRANSFERS = [
    (
        "PC-SCJ",
        "PC-CGZ",
        "clue",
        "城关镇老街某小吃店",
        "群众反映占道经营、油烟扰民。",
        "《浙江省综合行政执法条例》；职责划转目录",
        1,
        [],
    ),
    (
        "PC-HBJ",
        "PC-ZFJ",
        "case",
        "某建材有限公司",
        "夜间施工噪声超标，经监测超过排放标准。",
        "《噪声污染防治法》；综合行政执法事项划转目录",
        20,
        [("accept", 18)],
    ),
    (
        "PC-CGZ",
        "PC-SCJ",
        "case",
        "某某超市",
        "销售标签不符合规定的预包装食品。",
        "《食品安全法》第七十一条",
        16,
        [
            ("refuse", 14, "应由镇综合执法队管辖"),
            ("dispute", 13, "食品标签违法属市场监管职责"),
            ("decide", 11, "依据职责清单，预包装食品标签违法由市场监管局管辖"),
        ],
    ),
    (
        "PC-ZFJ",
        None,
        "case",
        "某物流有限公司",
        "违规倾倒建筑垃圾，数量巨大，涉嫌污染环境罪。",
        "《行政执法机关移送涉嫌犯罪案件的规定》第三条",
        8,
        [("accept", 6)],
    ),
    (
        "PC-WGL",
        "PC-JTJ",
        "clue",
        "某旅游客运公司",
        "包车客运超范围经营。",
        "《道路运输条例》",
        12,
        [],
    ),
    (
        "PC-NYJ",
        "PC-SCJ",
        "case",
        "某农资经营部",
        "销售未经登记的农药。",
        "《农药管理条例》",
        9,
        [("return", 7, "缺少抽样检验报告，请补正")],
    ),
]


def _platform_unit(ctx):
    code, name = FGJ
    unit, _ = Unit.objects.update_or_create(
        code=code, defaults={"name": name, "kind": Unit.Kind.DEPARTMENT}
    )
    ctx["units"][code] = unit
    ctx["users"][f"{code}:clerk"] = _user("fgj_tb", "何信", unit, [Role.CLERK])
    ctx["users"][f"{code}:leader"] = _user("fgj_fz", "林用", unit, [Role.LEADER])
    return unit


def _transfers(ctx):
    today, units, users = ctx["today"], ctx["units"], ctx["users"]
    for sender, receiver, kind, party, facts, basis, ago, steps in TRANSFERS:
        t = transfers.send_transfer(
            actor=users[f"{sender}:clerk"],
            kind=kind,
            to_unit=units[receiver] if receiver else None,
            external="" if receiver else "police",
            external_name="" if receiver else "平川县公安局",
            party_name=party,
            facts=facts,
            basis=basis,
            today=today - timedelta(days=ago),
        )
        answerer = users[f"{receiver or sender}:clerk"]
        for name, days_ago, *text in steps:
            day = today - timedelta(days=days_ago)
            note = text[0] if text else ""
            if name == "accept":
                transfers.accept_transfer(t, actor=answerer, today=day)
            elif name == "refuse":
                transfers.refuse_transfer(t, actor=answerer, reason=note, today=day)
            elif name == "return":
                transfers.return_transfer(t, actor=answerer, reason=note, today=day)
            elif name == "dispute":
                transfers.dispute_transfer(
                    t, actor=users[f"{sender}:clerk"], reason=note, today=day
                )
            elif name == "decide":
                transfers.decide_transfer(
                    t, actor=users["supervisor"], result="receiver", opinion=note, today=day
                )


def _repairable_cases():
    """Decided fines on enterprises with a code, not already in an imported repair."""
    imported = CreditRepair.objects.values_list("case_no", flat=True)
    return (
        PenaltyCase.objects.filter(
            party_type="legal",
            decided_on__isnull=False,
            penalty_kinds__contains=";罚款;",
        )
        .exclude(party_uscc="")
        .exclude(case_no__in=imported)
        .select_related("unit")
        .order_by("id")
    )


def _credit(ctx):
    today, users = ctx["today"], ctx["users"]
    picked, seen_units = [], set()
    for case in _repairable_cases()[:400]:
        if case.punished and case.unit_id not in seen_units and f"{case.unit.code}:clerk" in users:
            picked.append(case)
            seen_units.add(case.unit_id)
        if len(picked) == 4:
            break
    plans = [
        ("approve", 20, 12, 10),
        ("submit", 3, None, None),
        ("refuse", 25, 20, None),
        ("approve", 30, 24, 22),
    ]
    for case, (what, applied, decided, withdrawn) in zip(picked, plans, strict=False):
        clerk = users[f"{case.unit.code}:clerk"]
        app = credit.submit_application(
            uscc=case.party_uscc,
            enterprise_name=case.party_name,
            decision_no=case.case_no,
            grounds="罚款已按期缴清，违法行为已整改到位，现申请信用修复。",
            today=today - timedelta(days=applied),
        )
        if what == "refuse":
            credit.refuse_application(
                app,
                actor=clerk,
                reason="行政处罚信息公示期未满三个月，暂不符合修复条件。",
                today=today - timedelta(days=decided),
            )
        elif what == "approve":
            credit.approve_application(
                app,
                actor=clerk,
                opinion="已履行处罚决定，整改到位，准予修复。",
                today=today - timedelta(days=decided),
            )
            credit.confirm_withdrawal(
                app, actor=clerk, note="已撤下门户网站公示", today=today - timedelta(days=withdrawn)
            )
            if decided == 24:  # the older one: the platform's owner withdrew it too
                owner = credit.platform_unit()
                owner_clerk = users.get(f"{owner.code}:clerk") if owner else None
                if owner_clerk is not None and owner.pk != case.unit_id:
                    credit.confirm_withdrawal(
                        app,
                        actor=owner_clerk,
                        note="已在信用平台撤下",
                        today=today - timedelta(days=21),
                    )


def _three_docs(ctx):
    """One case of the 市场监管局 that SERV-01 reports (a document not served with the
    决定书) now recorded as served with it: the alert has nothing left to report."""
    users = ctx["users"]
    done = ThreeDocsService.objects.values_list("case_id", flat=True)
    apart = (
        Q(credit_notice_on__isnull=True)
        | Q(compliance_advice_on__isnull=True)
        | ~Q(credit_notice_on=F("served_on"))
        | ~Q(compliance_advice_on=F("served_on"))
    )
    candidates = (
        PenaltyCase.objects.filter(unit__code="PC-SCJ", served_on__isnull=False)
        .filter(apart)
        .exclude(pk__in=done)
        .select_related("unit")
        .order_by("id")[:200]
    )
    for case in candidates:
        if case.three_docs_required:
            credit.record_three_docs(
                case,
                actor=users["PC-SCJ:clerk"],
                served_on=case.served_on,
                method=ThreeDocsService.Method.DIRECT,
                today=ctx["today"],
            )
            return


def seed(ctx):
    _platform_unit(ctx)
    _transfers(ctx)
    _credit(ctx)
    _three_docs(ctx)
