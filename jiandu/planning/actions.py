"""Named transitions of inspection planning. One shape for each: `check_<name>(obj, actor,
today)` refuses the wrong person or state without looking at the input; the action locks
the row, checks again, writes, audits (`jiandu.audit.log`) and notifies (`orgs.notify`,
sent on commit). `available_*_actions(obj, user)` tell the pages which buttons to show.

- plans: edit (add / remove entries of a draft), file, revise (a filed plan's next version);
- joint visits: propose (supervisor), accept / decline (each participating unit);
- draws: create (unit), announce (the discipline commission's witness), draw, publish."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log, log_many
from jiandu.enforcement.actions import new_verify_code, registration_nos
from jiandu.enforcement.models import (
    Enterprise,
    Inspection,
    Officer,
    RandomDraw,
    join_multi,
    split_multi,
)
from jiandu.lib import uscc
from jiandu.lib.action_errors import refuse, required_text
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.monitoring import deadlines
from jiandu.orgs.access import can_write_unit, is_discipline, is_supervisor, role_users, unit_users
from jiandu.orgs.models import Role
from jiandu.orgs.notify import notify
from jiandu.planning import lottery
from jiandu.planning.models import (
    Closure,
    Draw,
    JointParticipant,
    JointVisit,
    Plan,
    PlanEntry,
    join_months,
)

P = Plan.State
J = JointVisit.State
JP = JointParticipant.State
D = Draw.State


def _today(today=None):
    return today or timezone.localdate()


def _require_writer(actor, unit_id, message):
    if not can_write_unit(actor, unit_id):
        raise PermissionDenied(message)


def _notify_unit(unit, title, body="", url="", important=False):
    notify(
        list(unit_users(unit.pk, Role.CLERK, Role.LEADER)),
        title,
        body,
        url=url,
        important=important,
    )


def _notify_supervisors(title, body="", url=""):
    notify(list(role_users(Role.SUPERVISOR)), title, body, url=url)


# ================================================================ plans

PLAN_WRITER = "只有本单位的填报员、负责人或监督管理员可以编制检查计划。"


@transaction.atomic
def create_plan(*, unit, year, month=None, title="", actor, request=None) -> Plan:
    _require_writer(actor, unit.pk, PLAN_WRITER)
    if month is not None and not 1 <= month <= 12:
        raise ValidationError({"month": "月份应为 1 至 12。"})
    title = (title or "").strip() or f"{unit.name}{year}年{f'{month}月' if month else '度'}检查计划"
    plan = Plan.objects.create(unit=unit, year=year, month=month, title=title, created_by=actor)
    log(
        "planning.plan.created",
        actor=actor,
        obj=plan,
        request=request,
        data={"year": year, "month": month},
    )
    return plan


def check_edit_plan(plan, actor, today=None):
    _require_writer(actor, plan.unit_id, PLAN_WRITER)
    if plan.state != P.DRAFT:
        raise ValidationError("计划已报备，不能再修改；如需调整，请生成新版本。")


def check_file_plan(plan, actor, today=None):
    check_edit_plan(plan, actor, today)
    if not plan.entries.exists():
        raise ValidationError("计划还没有任何检查事项，不能报备。")


def check_revise_plan(plan, actor, today=None):
    _require_writer(actor, plan.unit_id, PLAN_WRITER)
    if plan.state != P.FILED:
        raise ValidationError("只有已报备的计划可以生成新版本。")
    if Plan.objects.filter(previous=plan).exists():
        raise ValidationError("该计划已有新版本草稿，请在新版本上修改。")


PLAN_CHECKS = {"edit": check_edit_plan, "file": check_file_plan, "revise": check_revise_plan}


def available_plan_actions(plan, user, today=None) -> set[str]:
    return allowed(PLAN_CHECKS, plan, user, today)


def _entry_values(plan, *, enterprise_uscc, category, items, months, planned_on):
    errors = {}
    code = (enterprise_uscc or "").strip().upper()
    category = (category or "").strip()
    items = (items or "").strip()
    enterprise = None
    if code:
        if problem := uscc.problem(code):
            errors["enterprise_uscc"] = problem
        else:
            enterprise = Enterprise.objects.filter(uscc=code).first()
            if enterprise is None:
                errors["enterprise_uscc"] = "该统一社会信用代码不在市场主体名录中。"
    elif not category:
        errors["enterprise_uscc"] = "请填写企业的统一社会信用代码，或填写企业类别。"
    if not items:
        errors["items"] = "请填写检查事项。"
    months = sorted({int(m) for m in months or []})
    if planned_on:
        if planned_on.year != plan.year or (plan.month and planned_on.month != plan.month):
            errors["planned_on"] = f"计划日期应在{plan.period}内。"
        months = sorted(set(months) | {planned_on.month})
    if plan.month:
        months = months or [plan.month]
        if months != [plan.month]:
            errors["months"] = f"月度计划只能安排在{plan.month}月。"
    if not months:
        errors["months"] = "请选择计划月份。"
    elif not all(1 <= m <= 12 for m in months):
        errors["months"] = "月份应为 1 至 12。"
    refuse(errors)
    return enterprise, category if enterprise is None else "", items, months


@transaction.atomic
def add_entry(
    plan,
    *,
    actor,
    enterprise_uscc="",
    category="",
    items="",
    months=(),
    planned_on=None,
    request=None,
) -> PlanEntry:
    check_edit_plan(plan, actor)
    plan = lock(plan)
    check_edit_plan(plan, actor)
    enterprise, category, items, months = _entry_values(
        plan,
        enterprise_uscc=enterprise_uscc,
        category=category,
        items=items,
        months=months,
        planned_on=planned_on,
    )
    entry = PlanEntry.objects.create(
        plan=plan,
        enterprise=enterprise,
        category=category,
        items=items,
        months=join_months(months),
        planned_on=planned_on,
    )
    log(
        "planning.plan.entry_added",
        actor=actor,
        obj=plan,
        request=request,
        data={
            "enterprise": enterprise.uscc if enterprise else "",
            "category": category,
            "check_items": items,
            "months": months,
            "planned_on": planned_on.isoformat() if planned_on else None,
        },
    )
    return entry


@transaction.atomic
def remove_entry(entry, *, actor, request=None):
    plan = lock(entry.plan)
    check_edit_plan(plan, actor)
    data = {
        "enterprise": entry.enterprise.uscc if entry.enterprise_id else "",
        "check_items": entry.items,
    }
    entry.delete()
    log("planning.plan.entry_removed", actor=actor, obj=plan, request=request, data=data)


@transaction.atomic
def file_plan(plan, *, actor, today=None, request=None) -> Plan:
    """报备: the plan becomes read-only for the unit; the version it revises is superseded.
    The frequency caps are checked by the page before (caps.plan_warnings) and listed in
    the audit row."""
    from jiandu.planning.caps import plan_warnings

    check_file_plan(plan, actor, today)
    plan = lock(plan)
    check_file_plan(plan, actor, today)
    today = _today(today)
    warnings = plan_warnings(plan)
    plan.state = P.FILED
    plan.filed_on = today
    plan.save(update_fields=["state", "filed_on"])
    if plan.previous_id:
        Plan.objects.filter(pk=plan.previous_id).update(state=P.SUPERSEDED)
    log(
        "planning.plan.filed",
        actor=actor,
        obj=plan,
        request=request,
        data={
            "version": plan.version,
            "entries": plan.entries.count(),
            "warnings": [w["message"] for w in warnings],
        },
    )
    _notify_supervisors(
        f"检查计划已报备：{plan.title}",
        f"{plan.unit.name} · {plan.period} · 第{plan.version}版",
        url=reverse("planning:plan", args=[plan.pk]),
    )
    return plan


@transaction.atomic
def revise_plan(plan, *, actor, today=None, request=None) -> Plan:
    """A filed plan's next version: a draft holding the same entries."""
    check_revise_plan(plan, actor, today)
    plan = lock(plan)
    check_revise_plan(plan, actor, today)
    new = Plan.objects.create(
        unit=plan.unit,
        year=plan.year,
        month=plan.month,
        title=plan.title,
        version=plan.version + 1,
        previous=plan,
        created_by=actor,
    )
    PlanEntry.objects.bulk_create(
        PlanEntry(
            plan=new,
            enterprise_id=e.enterprise_id,
            category=e.category,
            items=e.items,
            months=e.months,
            planned_on=e.planned_on,
        )
        for e in plan.entries.all()
    )
    log(
        "planning.plan.revised",
        actor=actor,
        obj=new,
        request=request,
        data={"version": new.version, "previous": plan.pk},
    )
    return new


# ================================================================ joint visits (综合查一次)


def joint_window() -> int:
    return int(getattr(settings, "JOINT_VISIT_WINDOW_DAYS", 15))


def joint_candidates(*, window=None, today=None, enterprise_ids=None) -> list[dict]:
    """Enterprises planned by two or more units within `window` days of each other, in
    filed plans, from today on, not already in a proposed or confirmed joint visit. Each
    candidate: {"enterprise", "entries": [(entry, day), one per unit, day order]}. The days
    of an enterprise are grouped greedily from the earliest: a group holds the entries
    within `window` days of its first."""
    window = joint_window() if window is None else int(window)
    today = _today(today)
    busy = set(
        JointParticipant.objects.filter(joint__state__in=[J.PROPOSED, J.CONFIRMED])
        .exclude(entry=None)
        .values_list("entry_id", flat=True)
    )
    entries = (
        PlanEntry.objects.filter(plan__state=P.FILED, enterprise__isnull=False)
        .select_related("plan__unit", "enterprise")
        .order_by("enterprise_id", "planned_on", "id")
    )
    if enterprise_ids is not None:
        entries = entries.filter(enterprise_id__in=enterprise_ids)
    by_enterprise = defaultdict(list)
    for e in entries:
        if e.pk in busy:
            continue
        for day in e.visit_days(e.plan.year):
            if day >= today:
                by_enterprise[e.enterprise_id].append((day, e))
    candidates = []
    for visits in by_enterprise.values():
        visits.sort(key=lambda v: (v[0], v[1].plan.unit_id, v[1].pk))
        i = 0
        while i < len(visits):
            start = visits[i][0]
            group = {}
            j = i
            while j < len(visits) and visits[j][0] - start <= timedelta(days=window):
                day, e = visits[j]
                group.setdefault(e.plan.unit_id, (e, day))
                j += 1
            if len(group) >= 2:
                chosen = sorted(group.values(), key=lambda v: (v[1], v[0].plan.unit_id))
                candidates.append({"enterprise": chosen[0][0].enterprise, "entries": chosen})
                i = j
            else:
                i += 1
    candidates.sort(key=lambda c: (c["entries"][0][1], c["enterprise"].uscc))
    return candidates


def _joint_no(today) -> str:
    prefix = f"LH{today:%Y%m%d}-"
    n = JointVisit.objects.filter(joint_no__startswith=prefix).count() + 1
    while JointVisit.objects.filter(joint_no=f"{prefix}{n:03d}").exists():
        n += 1
    return f"{prefix}{n:03d}"


def _free_code() -> str:
    """A 检查码 no inspection and no joint visit holds yet."""
    for _ in range(10):
        code = new_verify_code()
        taken = (
            Inspection.objects.filter(verify_code=code).exists()
            or JointVisit.objects.filter(verify_code=code).exists()
        )
        if not taken:
            return code
    raise ValidationError("生成检查码失败，请重试。")  # pragma: no cover


JOINT_PROPOSER = "只有监督管理员可以提议联合检查。"


def check_propose_joint_visit(entries, actor, today=None):
    """Who may propose, and whether these (plan entry, day) pairs can still make one visit:
    one entry per unit, all for one enterprise, in filed plans, none already in a visit."""
    if not is_supervisor(actor):
        raise PermissionDenied(JOINT_PROPOSER)
    rows = list(entries)
    units = {e.plan.unit_id for e, _ in rows}
    enterprises = {e.enterprise_id for e, _ in rows}
    if len(rows) < 2 or len(units) != len(rows) or len(enterprises) != 1 or None in enterprises:
        raise ValidationError("联合检查需要两个以上单位对同一企业的计划事项，每个单位一项。")
    if any(e.plan.state != P.FILED for e, _ in rows):
        raise ValidationError("只能对已报备计划中的事项提议联合检查。")
    busy = JointParticipant.objects.filter(
        entry__in=[e for e, _ in rows], joint__state__in=[J.PROPOSED, J.CONFIRMED]
    )
    if busy.exists():
        raise ValidationError("其中有计划事项已在联合检查中。")


@transaction.atomic
def propose_joint_visit(entries, *, actor, window=None, today=None, request=None) -> JointVisit:
    """Propose one visit to an enterprise from the units' plan entries (one per unit): the
    lead is the unit planned first; the date is its day; one 检查码 for all."""
    entries = list(entries)
    check_propose_joint_visit(entries, actor, today)
    rows = [(lock(entry), day) for entry, day in entries]
    # Again under the locks: another proposal may have taken an entry meanwhile.
    check_propose_joint_visit(rows, actor, today)
    today = _today(today)
    window = joint_window() if window is None else int(window)
    rows.sort(key=lambda r: (r[1], r[0].plan.unit_id))
    days = [d for _, d in rows]
    if (max(days) - min(days)).days > window:
        raise ValidationError(f"各单位计划日期相差超过{window}日，不能合并。")
    lead, visit_on = rows[0][0].plan.unit, rows[0][1]
    if visit_on < today:
        raise ValidationError("联合检查日期不能早于今天。")
    joint = JointVisit.objects.create(
        joint_no=_joint_no(today),
        enterprise_id=rows[0][0].enterprise_id,
        lead_unit=lead,
        visit_on=visit_on,
        window=window,
        verify_code=_free_code(),
        proposed_by=actor,
        proposed_on=today,
    )
    for entry, day in rows:
        JointParticipant.objects.create(
            joint=joint, unit=entry.plan.unit, entry=entry, items=entry.items, planned_on=day
        )
    log(
        "planning.joint.proposed",
        actor=actor,
        obj=joint,
        unit=lead,
        request=request,
        data={
            "enterprise": joint.enterprise.uscc,
            "lead_unit": lead.name,
            "visit_on": visit_on.isoformat(),
            "units": [e.plan.unit.name for e, _ in rows],
            "window": window,
        },
    )
    url = reverse("planning:joint", args=[joint.pk])
    for entry, _ in rows:
        _notify_unit(
            entry.plan.unit,
            f"联合检查提议：{joint.enterprise.name}",
            f"{visit_on:%Y-%m-%d}，牵头单位{lead.name}。请确认参加或说明理由。",
            url=url,
            important=True,
        )
    return joint


def _check_participant(part, actor, today=None):
    _require_writer(actor, part.unit_id, "只有该参与单位的填报员、负责人或监督管理员可以确认。")
    if part.joint.state != J.PROPOSED:
        raise ValidationError("该联合检查已确认或已取消。")
    if part.state != JP.PENDING:
        raise ValidationError("本单位已作出答复。")


def check_accept_joint(part, actor, today=None):
    _check_participant(part, actor, today)


def check_decline_joint(part, actor, today=None):
    _check_participant(part, actor, today)


JOINT_CHECKS = {"accept": check_accept_joint, "decline": check_decline_joint}


def available_joint_actions(part, user, today=None) -> set[str]:
    return allowed(JOINT_CHECKS, part, user, today)


def _free_codes(n) -> list[str]:
    """`n` distinct 检查码 no inspection or joint visit holds (one query per try)."""
    for _ in range(10):
        codes = {new_verify_code() for _ in range(n)}
        if len(codes) < n:
            continue
        taken = set(
            Inspection.objects.filter(verify_code__in=codes).values_list("verify_code", flat=True)
        ) | set(
            JointVisit.objects.filter(verify_code__in=codes).values_list("verify_code", flat=True)
        )
        if not taken:
            return sorted(codes)
    raise ValidationError("生成检查码失败，请重试。")  # pragma: no cover


def _registered(inspection, draw_no="") -> dict:
    """The audit data of a planned inspection planning registers: what enforcement's
    register_inspection logs, and the draw it came from."""
    return {
        "registration_no": inspection.registration_no,
        "enterprise": inspection.enterprise.uscc,
        "inspected_on": inspection.inspected_on.isoformat(),
        "kind": inspection.kind,
        "mode": inspection.mode,
        "officers": split_multi(inspection.officers),
        "joint_no": inspection.joint_no,
        "draw_no": draw_no,
    }


def _planned_inspection(
    *,
    unit,
    enterprise,
    day,
    kind,
    items,
    today,
    actor,
    request=None,
    officers=(),
    verify_code="new",
    **extra,
):
    """A registered, planned inspection (what registration makes, its audit row included),
    written by planning: with a new 检查码, the one given, or none (verify_code=None)."""
    registration_no = registration_nos(unit, today)[0]
    for _ in range(5):
        code = _free_code() if verify_code == "new" else verify_code
        try:
            with transaction.atomic():
                inspection = Inspection.objects.create(
                    unit=unit,
                    inspection_no=registration_no,
                    enterprise=enterprise,
                    enterprise_name=enterprise.name,
                    inspected_on=day,
                    mode=Inspection.Mode.ONSITE,
                    kind=kind,
                    registration_no=registration_no,
                    registered_on=today,
                    officers=join_multi(officers),
                    items=items,
                    is_planned=True,
                    verify_code=code,
                    **extra,
                )
        except IntegrityError:  # pragma: no cover - a code collision, draw again
            continue
        log(
            "enforcement.inspection.registered",
            actor=actor,
            obj=inspection,
            request=request,
            data=_registered(inspection),
        )
        return inspection
    raise ValidationError("生成检查码失败，请重试。")  # pragma: no cover


def _settle(joint, actor, today, request):
    """Once every unit has answered: confirmed with two or more acceptances (each one's
    planned inspection registered under the joint number, the lead's carrying the one
    检查码), otherwise cancelled."""
    parts = list(joint.participants.select_related("unit"))
    if any(p.state == JP.PENDING for p in parts):
        return
    accepted = [p for p in parts if p.state == JP.ACCEPTED]
    if len(accepted) < 2:
        joint.state = J.CANCELLED
        joint.save(update_fields=["state"])
        log(
            "planning.joint.cancelled",
            actor=actor,
            obj=joint,
            unit=joint.lead_unit,
            request=request,
        )
        return
    if joint.lead_unit_id not in {p.unit_id for p in accepted}:
        joint.lead_unit = accepted[0].unit
    lead = next(p for p in accepted if p.unit_id == joint.lead_unit_id)
    for part in [lead] + [p for p in accepted if p is not lead]:
        part.inspection = _planned_inspection(
            unit=part.unit,
            enterprise=joint.enterprise,
            day=joint.visit_on,
            kind=Inspection.Kind.SPECIAL,
            items=part.items,
            today=today,
            actor=actor,
            request=request,
            officers=part.officer_list,
            joint_no=joint.joint_no,
            # One 检查码 for all: the lead's visit carries it; the public page names the others.
            verify_code=joint.verify_code if part is lead else None,
        )
        part.save(update_fields=["inspection"])
    joint.state = J.CONFIRMED
    joint.save(update_fields=["state", "lead_unit"])
    log(
        "planning.joint.confirmed",
        actor=actor,
        obj=joint,
        unit=joint.lead_unit,
        request=request,
        data={"lead_unit": joint.lead_unit.name, "units": [p.unit.name for p in accepted]},
    )
    for part in accepted:
        _notify_unit(
            part.unit,
            f"联合检查已确认：{joint.enterprise.name}",
            f"{joint.visit_on:%Y-%m-%d}，牵头单位{joint.lead_unit.name}，检查码 {joint.verify_code}。",
            url=reverse("planning:joint", args=[joint.pk]),
        )


def _joint_officers(part, officers) -> list[str]:
    """The unit's officers for the joint visit: none yet, or two or more of its own whose
    certificate is valid on the visit's date."""
    certs = [c.strip().upper() for c in officers or () if c.strip()]
    if not certs:
        return []
    day = part.joint.visit_on
    found = {o.cert_no: o for o in Officer.objects.filter(cert_no__in=certs, unit=part.unit)}
    bad = [c for c in certs if c not in found or not found[c].valid_on(day)]
    if bad:
        raise ValidationError(
            {"officers": f"{'、'.join(bad)}：不是本单位在 {day:%Y-%m-%d} 持有效执法证的人员。"}
        )
    if len(set(certs)) < 2:
        raise ValidationError({"officers": "行政检查应由两名以上持证执法人员实施。"})
    return list(dict.fromkeys(certs))


@transaction.atomic
def accept_joint(part, *, actor, officers=(), today=None, request=None) -> JointParticipant:
    """Join the visit, optionally naming the unit's officers (two or more, valid that day);
    they go on the unit's planned inspection when the visit is confirmed."""
    check_accept_joint(part, actor, today)
    lock(part.joint)
    part = lock(part)
    check_accept_joint(part, actor, today)
    today = _today(today)
    certs = _joint_officers(part, officers)
    part.state, part.decided_by, part.decided_on = JP.ACCEPTED, actor, today
    part.officers = join_multi(certs)
    part.save(update_fields=["state", "decided_by", "decided_on", "officers"])
    log(
        "planning.joint.accepted",
        actor=actor,
        obj=part.joint,
        unit=part.unit,
        request=request,
        data={"joint_no": part.joint.joint_no, "officers": certs},
    )
    _settle(part.joint, actor, today, request)
    return part


@transaction.atomic
def decline_joint(part, *, actor, reason, today=None, request=None) -> JointParticipant:
    check_decline_joint(part, actor, today)
    reason = required_text(reason, "reason", "请填写不参加联合检查的理由。")
    lock(part.joint)
    part = lock(part)
    check_decline_joint(part, actor, today)
    today = _today(today)
    part.state, part.reason, part.decided_by, part.decided_on = JP.DECLINED, reason, actor, today
    part.save(update_fields=["state", "reason", "decided_by", "decided_on"])
    log(
        "planning.joint.declined",
        actor=actor,
        obj=part.joint,
        unit=part.unit,
        request=request,
        data={"joint_no": part.joint.joint_no, "reason": reason},
    )
    _notify_supervisors(
        f"{part.unit.name}不参加联合检查：{part.joint.enterprise.name}",
        reason,
        url=reverse("planning:joint", args=[part.joint.pk]),
    )
    _settle(part.joint, actor, today, request)
    return part


# ================================================================ 双随机 draws

DRAW_WRITER = "只有本单位的填报员、负责人或监督管理员可以组织抽查。"


def _draw_no(unit, today) -> str:
    prefix = f"{unit.code}-SSJ{today:%Y%m%d}-"
    n = Draw.objects.filter(draw_no__startswith=prefix).count() + 1
    while Draw.objects.filter(draw_no=f"{prefix}{n:02d}").exists():
        n += 1
    return f"{prefix}{n:02d}"


@transaction.atomic
def create_draw(
    *,
    unit,
    actor,
    title,
    n,
    draw_on,
    inspect_on,
    items,
    industries=(),
    recent_days=180,
    excluded_usccs=None,
    recusals=None,
    officers_per_enterprise=2,
    today=None,
    request=None,
) -> Draw:
    _require_writer(actor, unit.pk, DRAW_WRITER)
    today = _today(today)
    errors = {}
    if draw_on < today:
        errors["draw_on"] = "抽取日期不能早于今天。"
    if inspect_on < draw_on:
        errors["inspect_on"] = "计划检查日期不能早于抽取日期。"
    if n < 1:
        errors["n"] = "抽取企业数至少为 1。"
    if officers_per_enterprise < 2:
        errors["officers_per_enterprise"] = "每户检查人员不得少于 2 人。"
    # Every bad code at once, so the list is corrected in one go, not one code per try.
    bad = [f"{code}：{problem}" for code in excluded_usccs or {} if (problem := uscc.problem(code))]
    if bad:
        errors["excluded_usccs"] = "；".join(bad)
    refuse(errors)
    draw = Draw.objects.create(
        draw_no=_draw_no(unit, today),
        unit=unit,
        title=title.strip(),
        n=n,
        draw_on=draw_on,
        inspect_on=inspect_on,
        items=items.strip(),
        industries=sorted(set(industries or ())),
        recent_days=recent_days,
        excluded_usccs=dict(excluded_usccs or {}),
        recusals=dict(recusals or {}),
        officers_per_enterprise=officers_per_enterprise,
        created_by=actor,
    )
    log(
        "planning.draw.created",
        actor=actor,
        obj=draw,
        request=request,
        data={"draw_no": draw.draw_no, "draw_size": n, "industries": draw.industries},
    )
    return draw


def pools(draw) -> dict:
    """The pools on the draw's date, after exclusions: {"pool": sorted USCCs,
    "officer_pool": sorted certificate numbers, "excluded": {reason: [keys]}}. Three
    narrow queries (the category's enterprises, the ids inspected on site within
    `recent_days` on the inspected_on index, the closures) and set arithmetic: a 100k
    pool costs no per-enterprise query."""
    day = draw.draw_on
    enterprises = Enterprise.objects.all()
    if draw.industries:
        enterprises = enterprises.filter(industry__in=draw.industries)
    rows = list(enterprises.values_list("id", "uscc", "quiet_list"))
    recent_ids = set(
        Inspection.objects.filter(
            inspected_on__gte=day - timedelta(days=draw.recent_days),
            inspected_on__lte=day,
            mode=Inspection.Mode.ONSITE,
        ).values_list("enterprise_id", flat=True)
    )
    closed_ids = set(
        Closure.objects.filter(closed_on__lte=day).values_list("enterprise_id", flat=True)
    )
    other_codes = set(draw.excluded_usccs)
    excluded = {"recent": [], "quiet": [], "closed": [], "other": []}
    pool = []
    for pk, code, quiet in rows:
        if pk in recent_ids:
            excluded["recent"].append(code)
        elif quiet:
            excluded["quiet"].append(code)
        elif pk in closed_ids:
            excluded["closed"].append(code)
        elif code in other_codes:
            excluded["other"].append(code)
        else:
            pool.append(code)
    excluded = {reason: sorted(codes) for reason, codes in excluded.items()}
    certs = set(
        Officer.objects.filter(unit=draw.unit).valid_on(day).values_list("cert_no", flat=True)
    )
    recused = sorted(certs & set(draw.recusals))
    excluded["recusal"] = recused
    return {
        "pool": sorted(pool),
        "officer_pool": sorted(certs - set(recused)),
        "excluded": excluded,
    }


def check_announce_draw(draw, actor, today=None):
    if not is_discipline(actor):
        raise PermissionDenied("抽查公告须由纪检监督员到场见证并录入见证值。")
    if draw.state != D.DRAFT:
        raise ValidationError("该抽查已公告。")


def check_run_draw(draw, actor, today=None):
    _require_writer(actor, draw.unit_id, DRAW_WRITER)
    if draw.state != D.ANNOUNCED:
        raise ValidationError("只有已公告、尚未抽取的抽查可以抽取。")
    if _today(today) < draw.draw_on:
        raise ValidationError(f"抽取日期为 {draw.draw_on:%Y-%m-%d}，尚未到来。")


def check_publish_draw(draw, actor, today=None):
    _require_writer(actor, draw.unit_id, DRAW_WRITER)
    if draw.state != D.DRAWN:
        raise ValidationError("只有已抽取、尚未公示的抽查可以公示结果。")


DRAW_CHECKS = {
    "announce": check_announce_draw,
    "draw": check_run_draw,
    "publish": check_publish_draw,
}


def available_draw_actions(draw, user, today=None) -> set[str]:
    return allowed(DRAW_CHECKS, draw, user, today)


@transaction.atomic
def announce_draw(
    draw, *, actor, witness_value, today=None, request=None, platform_value=None
) -> Draw:
    """公告: fix the pools and the commitment. The seed mixes the platform's random value
    (`secrets`; only the demo county passes a fixed one, to stay deterministic) with the
    witness's; it stays secret (stored, not shown) until the draw."""
    check_announce_draw(draw, actor, today)
    draw = lock(draw)
    check_announce_draw(draw, actor, today)
    witness_value = (witness_value or "").strip()
    if len(witness_value) < 6:
        raise ValidationError({"witness_value": "见证值至少 6 个字符（由见证人现场自行确定）。"})
    found = pools(draw)
    if len(found["officer_pool"]) < draw.officers_per_enterprise:
        raise ValidationError(
            f"执法人员库只有 {len(found['officer_pool'])} 人（执法证在抽取日有效、回避除外），"
            f"不足每户 {draw.officers_per_enterprise} 人。"
        )
    if not found["pool"]:
        raise ValidationError("排除后抽查对象库为空。")
    draw.seed = lottery.make_seed(witness_value, platform_value)
    draw.commitment = lottery.commitment(draw.seed)
    draw.pool, draw.officer_pool, draw.excluded = (
        found["pool"],
        found["officer_pool"],
        found["excluded"],
    )
    draw.witness_name = actor.display_name
    draw.announced_on = _today(today)
    draw.state = D.ANNOUNCED
    draw.save()
    log(
        "planning.draw.announced",
        actor=actor,
        obj=draw,
        request=request,
        data={
            "draw_no": draw.draw_no,
            "commitment": draw.commitment,
            "pool_size": len(draw.pool),
            "officer_pool_size": len(draw.officer_pool),
        },
    )
    _notify_unit(
        draw.unit,
        f"抽查已公告：{draw.title}",
        f"承诺值 {draw.commitment[:16]}…，抽取日期 {draw.draw_on:%Y-%m-%d}。",
        url=reverse("planning:draw", args=[draw.pk]),
    )
    return draw


def selection(draw) -> tuple[list[str], list[str], list[list[str]]]:
    """(drawn USCCs, drawn certificate numbers, the officers of each drawn enterprise)."""
    selected = lottery.pick(draw.seed, draw.pool, draw.n)
    officer_n = min(len(selected) * draw.officers_per_enterprise, len(draw.officer_pool))
    officers = lottery.pick(draw.seed, draw.officer_pool, officer_n)
    return selected, officers, lottery.pair(selected, officers, draw.officers_per_enterprise)


@transaction.atomic
def run_draw(draw, *, actor, today=None, request=None) -> Draw:
    """抽取: reveal the seed, rank both pools, and register the results as planned
    inspections (双随机抽查) under an enforcement RandomDraw, which INSP-07 watches."""
    check_run_draw(draw, actor, today)
    draw = lock(draw)
    check_run_draw(draw, actor, today)
    today = _today(today)
    selected, officers, pairs = selection(draw)
    draw.selected, draw.officers = selected, officers
    draw.drawn_at = timezone.now()
    pool_size = len(draw.pool)
    ratio = round(100 * len(selected) / pool_size, 2) if pool_size else None
    draw.random_draw = RandomDraw.objects.create(
        draw_no=draw.draw_no,
        unit=draw.unit,
        title=draw.title,
        drawn_on=today,
        ratio=ratio,
        seed=draw.seed,
    )
    enterprises = Enterprise.objects.in_bulk(selected, field_name="uscc")
    numbers = registration_nos(draw.unit, today, len(selected))
    codes = _free_codes(len(selected))
    created = Inspection.objects.bulk_create(
        Inspection(
            unit=draw.unit,
            inspection_no=no,
            enterprise=enterprises[code],
            enterprise_name=enterprises[code].name,
            inspected_on=draw.inspect_on,
            mode=Inspection.Mode.ONSITE,
            kind=Inspection.Kind.RANDOM,
            registration_no=no,
            registered_on=today,
            officers=join_multi(certs),
            items=draw.items,
            is_planned=True,
            verify_code=verify,
            random_draw=draw.random_draw,
        )
        for code, certs, no, verify in zip(selected, pairs, numbers, codes, strict=True)
    )
    # Each inspection has its own 登记 row, as register_inspection writes; in one batched
    # insert, since a draw may register hundreds at once.
    log_many(
        "enforcement.inspection.registered",
        [(i, _registered(i, draw.draw_no)) for i in created],
        actor=actor,
        request=request,
    )
    draw.state = D.DRAWN
    draw.save(update_fields=["selected", "officers", "drawn_at", "random_draw", "state"])
    log(
        "planning.draw.drawn",
        actor=actor,
        obj=draw,
        request=request,
        data={
            "draw_no": draw.draw_no,
            "seed": draw.seed,
            "selected": selected,
            "officers": officers,
        },
    )
    return draw


def publication_deadline(draw):
    """The last day to publish the results, as INSP-07 counts it: `days` (working or
    calendar, the rule's setting) after the inspections' end (their planned day until done)."""
    days, day_type = deadlines.period("INSP-07", draw.inspect_on)
    end = draw.inspect_on
    if draw.random_draw_id:
        last = (
            Inspection.objects.filter(random_draw=draw.random_draw)
            .order_by("-inspected_on")
            .values_list("inspected_on", flat=True)
            .first()
        )
        end = last or end
    return deadlines.add_days(end, days, day_type)


@transaction.atomic
def publish_draw(draw, *, actor, today=None, request=None) -> Draw:
    """一公开: the results are published today (RandomDraw.published_on, INSP-07)."""
    check_publish_draw(draw, actor, today)
    draw = lock(draw)
    check_publish_draw(draw, actor, today)
    today = _today(today)
    RandomDraw.objects.filter(pk=draw.random_draw_id).update(published_on=today)
    draw.state = D.PUBLISHED
    draw.save(update_fields=["state"])
    deadline = publication_deadline(draw)
    log(
        "planning.draw.published",
        actor=actor,
        obj=draw,
        request=request,
        data={"draw_no": draw.draw_no, "publish_deadline": deadline.isoformat()},
    )
    return draw
