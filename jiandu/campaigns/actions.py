"""State changes of campaigns, their self-check template, 总结验收 and showcases. One
function per transition: it checks permission and state, writes the change and its audit
row in one transaction. The self-check reports' transitions are in selfcheck/actions.py."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.campaigns.models import (
    Campaign,
    CampaignContact,
    Phase,
    SelfCheckItem,
    SelfCheckTemplate,
)
from jiandu.campaigns.signals import item_added
from jiandu.orgs.access import can_write_unit, require_supervisor, unit_users
from jiandu.orgs.models import Role
from jiandu.orgs.notify import notify

# ---------------------------------------------------------------- permissions


# ---------------------------------------------------------------- campaigns


def validate_phases(dates: dict[str, tuple[date, date]]) -> dict[str, str]:
    """Errors keyed by phase kind: each phase ends on or after its start, and the phases
    follow each other in the plan's order without overlapping."""
    errors = {}
    previous = None
    for kind, label in Phase.Kind.choices:
        if kind not in dates:
            continue
        start, end = dates[kind]
        if start is None or end is None:
            errors[kind] = f"请填写“{label}”阶段的开始和结束日期。"
        elif end < start:
            errors[kind] = f"“{label}”阶段的结束日期早于开始日期。"
        elif previous and start <= previous[1]:
            errors[kind] = (
                f"“{label}”阶段应在“{previous[0]}”阶段结束（{previous[1]:%Y-%m-%d}）之后开始，"
                "各阶段不能重叠。"
            )
        if start and end:
            previous = (label, end)
    return errors


@transaction.atomic
def create_campaign(*, lead_unit, start, actor, request=None) -> Campaign:
    from jiandu.campaigns.default_template import create_campaign_from_plan

    require_supervisor(actor)
    return create_campaign_from_plan(lead_unit=lead_unit, start=start, actor=actor, request=request)


@transaction.atomic
def update_campaign(campaign, *, actor, fields: dict, phases: dict, request=None) -> Campaign:
    """Change the campaign's texts, lead unit and phase dates (validated together)."""
    require_supervisor(actor)
    errors = validate_phases(phases)
    if errors:
        raise ValidationError(errors)
    changed = {}
    for name, value in fields.items():
        if getattr(campaign, name) != value:
            changed[name] = str(value)
            setattr(campaign, name, value)
    campaign.save()
    existing = {p.kind: p for p in campaign.phases.all()}
    for kind, (start, end) in phases.items():
        phase = existing.get(kind) or Phase(campaign=campaign, kind=kind)
        if phase.pk is None or (phase.start, phase.end) != (start, end):
            changed[f"phase:{kind}"] = f"{start:%Y-%m-%d}~{end:%Y-%m-%d}"
            phase.start, phase.end = start, end
            phase.save()
    log(
        "campaigns.campaign.updated",
        actor=actor,
        obj=campaign,
        unit=campaign.lead_unit,
        request=request,
        data={"changed": changed},
    )
    return campaign


@transaction.atomic
def add_contact(campaign, *, actor, name, phone, duty="", unit=None, request=None):
    require_supervisor(actor)
    contact = CampaignContact.objects.create(
        campaign=campaign, name=name, phone=phone, duty=duty, unit=unit
    )
    log(
        "campaigns.contact.added",
        actor=actor,
        obj=campaign,
        unit=campaign.lead_unit,
        request=request,
        data={"contact": contact.pk, "name": name, "duty": duty},
    )
    return contact


@transaction.atomic
def remove_contact(contact, *, actor, request=None):
    require_supervisor(actor)
    campaign = contact.campaign
    data = {"contact": contact.pk, "name": contact.name, "duty": contact.duty}
    contact.delete()
    log(
        "campaigns.contact.removed",
        actor=actor,
        obj=campaign,
        unit=campaign.lead_unit,
        request=request,
        data=data,
    )


# ---------------------------------------------------------------- template


def _require_template_editable(template: SelfCheckTemplate, actor):
    require_supervisor(actor, "只有监督管理员可以修改自查表。")
    if not template.is_editable():
        phase = template.campaign.phase(Phase.Kind.SELF_CHECK)
        raise ValidationError(
            f"问题自查阶段已于 {phase.start:%Y-%m-%d} 开始，自查表已锁定，不能再修改自查事项。"
        )


@transaction.atomic
def add_item(template, *, actor, focus_area, text, guidance="", rules="", request=None):
    _require_template_editable(template, actor)
    last = template.items.aggregate(m=Max("order"))["m"] or 0
    item = SelfCheckItem.objects.create(
        template=template,
        focus_area=focus_area,
        order=last + 1,
        text=text,
        guidance=guidance,
        rules=rules,
    )
    # Reports already opened get a blank answer for the new item (selfcheck's receiver).
    item_added.send(sender=SelfCheckItem, item=item)
    log(
        "campaigns.item.added",
        actor=actor,
        obj=template.campaign,
        unit=template.campaign.lead_unit,
        request=request,
        data={"item": item.pk, "order": item.order, "text": text[:100]},
    )
    return item


@transaction.atomic
def update_item(item, *, actor, request=None, **fields):
    _require_template_editable(item.template, actor)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    log(
        "campaigns.item.updated",
        actor=actor,
        obj=item.template.campaign,
        unit=item.template.campaign.lead_unit,
        request=request,
        data={"item": item.pk, "fields": sorted(fields)},
    )
    return item


@transaction.atomic
def delete_item(item, *, actor, request=None):
    template = item.template
    _require_template_editable(template, actor)
    data = {"item": item.pk, "order": item.order, "text": item.text[:100]}
    item.answers.all().delete()  # only blank drafts can exist before the phase starts
    item.delete()
    _renumber(template)
    log(
        "campaigns.item.deleted",
        actor=actor,
        obj=template.campaign,
        unit=template.campaign.lead_unit,
        request=request,
        data=data,
    )


@transaction.atomic
def move_item(item, direction: str, *, actor, request=None):
    """Swap the item with its neighbour ('up' or 'down')."""
    template = item.template
    _require_template_editable(template, actor)
    items = list(template.items.order_by("order", "id"))
    i = next(n for n, it in enumerate(items) if it.pk == item.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
        _renumber(template, items)
        log(
            "campaigns.item.moved",
            actor=actor,
            obj=template.campaign,
            unit=template.campaign.lead_unit,
            request=request,
            data={"item": item.pk, "direction": direction},
        )


def _renumber(template, items=None):
    items = items if items is not None else list(template.items.order_by("order", "id"))
    for n, it in enumerate(items, start=1):
        if it.order != n:
            it.order = n
            it.save(update_fields=["order"])


# ---------------------------------------------------------------- 总结验收 (phase 4)


def unit_problem_counts(campaign, unit_ids=None, today=None) -> dict[int, dict]:
    """Per unit: the campaign's problems counted as everywhere else (total, per state,
    open, overdue, rate; `Problem.objects.of_campaign(...).counts_by_unit`), one query.
    With `unit_ids`, every one of them is in the answer, zeros (rate None) when clean."""
    from jiandu.ledger.models import Problem

    qs = Problem.objects.of_campaign(campaign)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.counts_by_unit(today, units=unit_ids)


def _acceptance_for(campaign, unit):
    from jiandu.campaigns.models import UnitAcceptance

    acceptance, _ = UnitAcceptance.objects.select_for_update().get_or_create(
        campaign=campaign, unit=unit
    )
    return acceptance


def _open_problems(campaign, unit) -> int:
    return unit_problem_counts(campaign, [unit.pk])[unit.pk]["open"]


def _decide(acceptance, state, *, actor, opinion, open_problems, open_reason="", today=None):
    acceptance.state = state
    acceptance.opinion = opinion
    acceptance.open_reason = open_reason
    acceptance.open_problems = open_problems
    acceptance.checked_by = actor
    acceptance.checked_on = today or timezone.localdate()
    acceptance.save()


def _check_acceptance(acceptance, actor):
    from jiandu.campaigns.models import UnitAcceptance

    require_supervisor(actor, "只有监督管理员可以开展整改验收。")
    if not acceptance.unit.is_enforcement_unit:
        raise ValidationError("只有乡镇和县直部门需要整改验收。")
    if acceptance.state == UnitAcceptance.State.PASSED:
        raise ValidationError(f"{acceptance.unit.name}已验收通过，不能再次验收。")


@transaction.atomic
def pass_acceptance(campaign, unit, *, actor, opinion, open_reason="", today=None, request=None):
    """Pass a unit's rectification. Refused while the unit has open problems in the
    campaign, unless the supervisor writes down why it passes anyway."""
    from jiandu.campaigns.models import UnitAcceptance

    acceptance = _acceptance_for(campaign, unit)
    _check_acceptance(acceptance, actor)
    opinion, open_reason = (opinion or "").strip(), (open_reason or "").strip()
    open_problems = _open_problems(campaign, unit)
    if not opinion:
        raise ValidationError({"opinion": "请填写验收意见。"})
    if open_problems and not open_reason:
        raise ValidationError(
            {
                "open_reason": f"{unit.name}尚有 {open_problems} 个问题未销号，不能验收通过；"
                "确需通过的，请填写理由。"
            }
        )
    _decide(
        acceptance,
        UnitAcceptance.State.PASSED,
        actor=actor,
        opinion=opinion,
        open_problems=open_problems,
        open_reason=open_reason if open_problems else "",
        today=today,
    )
    log(
        "campaigns.acceptance.passed",
        actor=actor,
        obj=acceptance,
        request=request,
        data={"opinion": opinion, "open_problems": open_problems, "open_reason": open_reason},
    )
    notify(
        unit_users(unit.pk, Role.CLERK, Role.LEADER),
        f"整改验收通过：{campaign.title}",
        opinion,
        url=reverse("campaigns:acceptance", args=[campaign.pk]),
    )
    return acceptance


@transaction.atomic
def fail_acceptance(campaign, unit, *, actor, opinion, today=None, request=None):
    from jiandu.campaigns.models import UnitAcceptance

    acceptance = _acceptance_for(campaign, unit)
    _check_acceptance(acceptance, actor)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": "验收不通过的，请填写验收意见，说明需继续整改的内容。"})
    open_problems = _open_problems(campaign, unit)
    _decide(
        acceptance,
        UnitAcceptance.State.FAILED,
        actor=actor,
        opinion=opinion,
        open_problems=open_problems,
        today=today,
    )
    log(
        "campaigns.acceptance.failed",
        actor=actor,
        obj=acceptance,
        request=request,
        data={"opinion": opinion, "open_problems": open_problems},
    )
    notify(
        unit_users(unit.pk, Role.CLERK, Role.LEADER),
        f"整改验收未通过：{campaign.title}",
        opinion,
        url=reverse("campaigns:acceptance", args=[campaign.pk]),
        important=True,
    )
    return acceptance


# ---------------------------------------------------------------- 最佳案例 / 最佳实践


PROPOSE_DENIED = "只有监督管理员或单位填报员、负责人可以推荐最佳案例和实践。"


def can_propose_showcase(user) -> bool:
    """A supervisor (for any unit or the whole county) or a unit's clerk or leader."""
    return can_write_unit(user, getattr(user, "unit_id", None))


def can_edit_showcase(showcase, user) -> bool:
    """A draft, by a supervisor or its own unit's clerk or leader."""
    from jiandu.campaigns.models import Showcase

    return showcase.state == Showcase.State.DRAFT and can_write_unit(user, showcase.unit_id)


def _clean_showcase(title, summary):
    title, summary = (title or "").strip(), (summary or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写标题。"
    if not summary:
        errors["summary"] = "请填写简介。"
    if errors:
        raise ValidationError(errors)
    return title, summary


@transaction.atomic
def propose_showcase(
    campaign, *, actor, title, summary, kind, unit=None, body="", problem=None, request=None
):
    """Supervisors nominate a case or practice of any unit; a unit's clerk or leader
    proposes one of its own. Both start as drafts until the supervisor selects them."""
    from jiandu.campaigns.models import Showcase

    if not can_propose_showcase(actor):
        raise PermissionDenied(PROPOSE_DENIED)
    if not actor.is_supervisor:
        if unit is not None and unit.pk != actor.unit_id:
            raise PermissionDenied("只能推荐本单位的案例和实践。")
        unit = actor.unit
    title, summary = _clean_showcase(title, summary)
    if problem is not None and unit is not None and problem.unit_id != unit.pk:
        raise ValidationError({"problem": "相关问题应属于该单位。"})
    showcase = Showcase.objects.create(
        campaign=campaign,
        title=title,
        summary=summary,
        kind=kind,
        unit=unit,
        body=(body or "").strip(),
        problem=problem,
        created_by=actor,
    )
    log(
        "campaigns.showcase.proposed",
        actor=actor,
        obj=showcase,
        request=request,
        data={"kind": kind, "title": title},
    )
    return showcase


@transaction.atomic
def update_showcase(showcase, *, actor, title, summary, kind, body="", request=None):
    from jiandu.campaigns.models import Showcase

    # Judged on the locked row: a copy read before the supervisor selected it would
    # still say 推荐中 and would undo the selection when saved whole.
    showcase = Showcase.objects.select_for_update().get(pk=showcase.pk)
    if not can_edit_showcase(showcase, actor):
        raise PermissionDenied("只有推荐中的案例可以修改，且只能由推荐单位或监督管理员修改。")
    showcase.title, showcase.summary = _clean_showcase(title, summary)
    showcase.kind, showcase.body = kind, (body or "").strip()
    showcase.save(update_fields=["title", "summary", "kind", "body"])
    log("campaigns.showcase.updated", actor=actor, obj=showcase, request=request)
    return showcase


def _showcase_step(showcase, actor, from_state, to_state, code, message, request):
    from jiandu.campaigns.models import Showcase

    require_supervisor(actor, "只有监督管理员可以评选和发布最佳案例和实践。")
    # The row as it is now, under its lock: the caller's copy may predate an edit by the
    # unit, and saving it whole would put the old title and text back.
    fresh = Showcase.objects.select_for_update().get(pk=showcase.pk)
    if fresh.state != from_state:
        raise ValidationError(message.format(state=fresh.get_state_display()))
    fresh.state = to_state
    fields = ["state"]
    if to_state == Showcase.State.PUBLISHED:
        fresh.published_at = timezone.now()
        fields.append("published_at")
    fresh.save(update_fields=fields)
    log(code, actor=actor, obj=fresh, request=request)
    return fresh


@transaction.atomic
def select_showcase(showcase, *, actor, request=None):
    from jiandu.campaigns.models import Showcase

    return _showcase_step(
        showcase,
        actor,
        Showcase.State.DRAFT,
        Showcase.State.SELECTED,
        "campaigns.showcase.selected",
        "该案例{state}，不能评选。",
        request,
    )


@transaction.atomic
def publish_showcase(showcase, *, actor, request=None):
    from jiandu.campaigns.models import Showcase

    showcase = _showcase_step(
        showcase,
        actor,
        Showcase.State.SELECTED,
        Showcase.State.PUBLISHED,
        "campaigns.showcase.published",
        "该案例{state}，只有已评选的案例可以发布。",
        request,
    )
    if showcase.unit_id:
        notify(
            unit_users(showcase.unit_id, Role.CLERK, Role.LEADER),
            f"本单位的{showcase.get_kind_display()}已发布：{showcase.title}",
            "供全县交流学习。",
            url=reverse("campaigns:showcase", args=[showcase.pk]),
        )
    return showcase
