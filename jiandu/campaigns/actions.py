"""State changes of campaigns and their self-check template. One function per transition:
it checks permission and state, writes the change and its audit row in one transaction.
The self-check reports' transitions are in selfcheck/actions.py, 监督检查's in
supervision/actions.py, 总结验收's and the showcases' in acceptance/actions.py."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from jiandu.audit.log import log
from jiandu.campaigns.models import (
    Campaign,
    CampaignContact,
    Phase,
    SelfCheckItem,
    SelfCheckTemplate,
)
from jiandu.campaigns.signals import item_added
from jiandu.orgs.access import require_supervisor

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
def create_campaign(*, lead_unit, start, actor, from_campaign=None, request=None) -> Campaign:
    """The plan's campaign, or with `from_campaign` a new one (a new year's) that starts
    from that campaign's texts, template and phase offsets."""
    from jiandu.campaigns.default_template import (
        create_campaign_from_plan,
        create_campaign_from_previous,
    )

    require_supervisor(actor)
    if from_campaign is not None:
        return create_campaign_from_previous(
            from_campaign, lead_unit=lead_unit, start=start, actor=actor, request=request
        )
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
