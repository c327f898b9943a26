"""Inspection planning in the demo county: a frequency cap, filed plans of three units
(two of them planning the same enterprise a few days apart), the joint visit proposed
from them, and one 双随机 draw announced, drawn and published. Runs after intake's import
(the enterprises and officers are there). Deterministic: the draw's platform value is
fixed here, so the same county draws the same enterprises."""

from collections import Counter
from datetime import timedelta

from jiandu.enforcement.models import Enterprise
from jiandu.planning import actions
from jiandu.planning.models import FrequencyCap

PLATFORM_VALUE = "平川县演示-platform-value"  # the demo's stand-in for secrets.token_hex
WITNESS_VALUE = "平川县纪委监委见证-20260615"


def seed(ctx):
    today, units, users = ctx["today"], ctx["units"], ctx["users"]
    FrequencyCap.objects.get_or_create(
        label="无事不扰企业", defaults={"quiet_list": True, "cap": 1}
    )
    FrequencyCap.objects.get_or_create(label="一般企业", defaults={"cap": 4})

    enterprises = list(
        Enterprise.objects.exclude(quiet_list=True).exclude(industry="").order_by("uscc")[:6]
    )
    first = today + timedelta(days=20)
    if (first + timedelta(days=6)).year != first.year:
        first = first.replace(month=12, day=20)
    plans = {
        "PC-SCJ": [(enterprises[0], first, "食品经营许可、食品安全主体责任落实"),
                   (enterprises[1], first + timedelta(days=2), "特种设备使用登记")],
        "PC-HBJ": [(enterprises[0], first + timedelta(days=6), "排污许可执行、危险废物贮存")],
        "PC-WJJ": [(enterprises[2], first + timedelta(days=40), "公共场所卫生")],
    }  # fmt: skip
    for code, rows in plans.items():
        clerk = users[f"{code}:clerk"]
        plan = actions.create_plan(unit=units[code], year=first.year, actor=clerk)
        for ent, day, items in rows:
            if day.year != first.year:
                day = day.replace(year=first.year, month=12, day=31)
            actions.add_entry(
                plan, actor=clerk, enterprise_uscc=ent.uscc, items=items, planned_on=day
            )
        actions.file_plan(plan, actor=users[f"{code}:leader"], today=today)
    draft = actions.create_plan(unit=units["PC-CGZ"], year=first.year, actor=users["PC-CGZ:clerk"])
    actions.add_entry(
        draft, actor=users["PC-CGZ:clerk"], category="餐饮", items="燃气安全", months=[first.month]
    )

    joints = []
    for candidate in actions.joint_candidates(today=today):
        joints.append(
            actions.propose_joint_visit(
                candidate["entries"], actor=users["supervisor"], today=today
            )
        )
    if joints:  # the market regulator has said yes; the environment bureau has not yet
        part = joints[0].participants.get(unit=units["PC-SCJ"])
        actions.accept_joint(part, actor=users["PC-SCJ:clerk"], today=today)

    industry = Counter(
        Enterprise.objects.exclude(industry="").values_list("industry", flat=True)
    ).most_common(1)[0][0]
    scj = units["PC-SCJ"]
    draw = actions.create_draw(
        unit=scj,
        actor=users["PC-SCJ:clerk"],
        title=f"{today.year}年{industry}行业双随机抽查",
        n=5,
        draw_on=today,
        inspect_on=today + timedelta(days=14),
        items="证照公示、主体责任落实、日常管理台账",
        industries=[industry],
        recent_days=90,
        today=today,
    )
    actions.announce_draw(
        draw,
        actor=users["discipline"],
        witness_value=WITNESS_VALUE,
        today=today,
        platform_value=PLATFORM_VALUE,
    )
    actions.run_draw(draw, actor=users["PC-SCJ:clerk"], today=today)
    actions.publish_draw(draw, actor=users["PC-SCJ:leader"], today=today)
    if ctx.get("stdout"):
        ctx["stdout"].write(
            f"  检查计划 4 份，联合检查提议 {len(joints)} 次，双随机抽查 {draw.draw_no}"
            f"（/public/draws/{draw.pk}/）"
        )
