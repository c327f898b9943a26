"""State changes of alerts and rule settings. One function per transition: it locks the
alert, checks permission and state (`check_<name>`), writes the change and its audit row
in one transaction. `available_actions` tells the alert page which forms to show."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.campaigns.models import Campaign
from jiandu.ledger.actions import create_lead, create_problem
from jiandu.ledger.models import Problem
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.monitoring.evidence import evidence_lines
from jiandu.monitoring.models import Alert, RuleRun, RuleSetting
from jiandu.monitoring.rules import get_rule
from jiandu.monitoring.tasks import run_rules_task
from jiandu.orgs.access import is_supervisor, is_supervisor_or_discipline
from jiandu.orgs.models import FocusArea
from jiandu.orgs.notify import notify

ACTIONABLE = (Alert.State.NEW,)


def _require_supervisor(actor):
    if not is_supervisor(actor):
        raise PermissionDenied("只有监督管理员可以处理预警。")


def _check_open(alert):
    if alert.state not in ACTIONABLE:
        raise ValidationError(f"该预警当前状态为“{alert.get_state_display()}”，不能再处理。")


def check_confirm(alert, actor, today=None):
    _require_supervisor(actor)
    _check_open(alert)


def check_dismiss(alert, actor, today=None):
    _require_supervisor(actor)
    _check_open(alert)


def check_assign(alert, actor, today=None):
    _require_supervisor(actor)
    _check_open(alert)


def check_transfer(alert, actor, today=None):
    if not is_supervisor_or_discipline(actor):
        raise PermissionDenied("只有监督管理员或纪检监督员可以移交纪委。")
    if alert.state not in (Alert.State.NEW, Alert.State.CONFIRMED):
        raise ValidationError(f"该预警当前状态为“{alert.get_state_display()}”，不能移交。")


ALERT_CHECKS = {
    "confirm": check_confirm,
    "dismiss": check_dismiss,
    "assign": check_assign,
    "transfer": check_transfer,
}


def available_actions(alert, user, today=None) -> set[str]:
    return allowed(ALERT_CHECKS, alert, user, today)


def _move(alert, state, *, actor, request, action, data, **fields):
    """Puts the alert in `state` with `fields`, stamped with who acted and when, and
    writes the audit row `action`."""
    fields = {"state": state, "acted_at": timezone.now(), "acted_by": actor, **fields}
    for name, value in fields.items():
        setattr(alert, name, value)
    alert.save(update_fields=list(fields))
    log(action, actor=actor, obj=alert, request=request, data=data)


def describe(alert) -> str:
    rule = alert.rule_def
    lines = [f"【预警 {alert.rule} {alert.title}】对象：{alert.subject_key}"]
    if rule:
        lines.append(rule.description)

    lines += [f"{label}：{value}" for label, value in evidence_lines(alert)]
    lines.append(f"依据：{alert.basis}")
    return "\n".join(lines)


@transaction.atomic
def confirm_alert(alert, *, actor, note="", deadline=None, request=None):
    """确认: the alert becomes a Problem of source 预警 in the unit's ledger, in the running
    campaign, with the supervisor's deadline or the default one for its severity."""

    today = timezone.localdate()
    _require_supervisor(actor)
    lock(alert)
    check_confirm(alert, actor, today)
    if deadline is not None and deadline < today:
        raise ValidationError({"deadline": f"整改时限不能早于今天（{today:%Y-%m-%d}）。"})
    if alert.unit_id is None:
        raise ValidationError(
            "该预警不针对具体单位（如裁量基准缺失），请排除或转交基准制定部门处理。"
        )
    rule = get_rule(alert.rule)
    area_code = (
        rule.area
        if rule and rule.area != "campaign"
        else alert.evidence.get("focus_area", "procedure")
    )
    focus_area = FocusArea.objects.get(code=area_code)
    description = describe(alert) + (f"\n确认意见：{note}" if note else "")
    problem = create_problem(
        unit=alert.unit,
        focus_area=focus_area,
        description=description,
        source=Problem.Source.ALERT,
        source_ref=alert.source_ref,
        origin=alert,
        actor=actor,
        severity=alert.severity,
        deadline=deadline,
        campaign=Campaign.objects.current(today),
        request=request,
    )
    now = timezone.now()
    _move(
        alert,
        Alert.State.CONFIRMED,
        problem=problem,
        confirmed_at=now,
        acted_at=now,
        actor=actor,
        request=request,
        action="monitoring.alert.confirmed",
        data={"problem": problem.pk, "note": note},
    )
    return problem


@transaction.atomic
def dismiss_alert(alert, *, actor, reason, request=None):
    """排除 with a reason; it stays dismissed on reruns unless its evidence changes."""
    _require_supervisor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写排除理由。"})
    lock(alert)
    check_dismiss(alert, actor)
    _move(
        alert,
        Alert.State.DISMISSED,
        dismissed_reason=reason,
        actor=actor,
        request=request,
        action="monitoring.alert.dismissed",
        data={"reason": reason},
    )
    return alert


@transaction.atomic
def assign_alert(alert, *, actor, assignee, request=None):
    """分配: a supervisor hands an open alert to a supervisor (possibly themselves) to
    handle; the alert stays 待处理. The assignee is notified once the assignment is
    committed (not when it is someone assigning to themselves)."""
    _require_supervisor(actor)
    if assignee is None or not assignee.is_active or not is_supervisor(assignee):
        raise ValidationError({"assignee": "只能分配给监督管理员。"})
    lock(alert)
    check_assign(alert, actor)
    if alert.assignee_id == assignee.pk:
        raise ValidationError(f"该预警已分配给{assignee.display_name}。")
    previous = alert.assignee
    alert.assignee = assignee
    alert.save(update_fields=["assignee"])
    log(
        "monitoring.alert.assigned",
        actor=actor,
        obj=alert,
        request=request,
        data={
            "assignee": assignee.display_name,
            "previous_assignee": previous.display_name if previous else "",
        },
    )
    if assignee.pk != actor.pk:
        title = f"预警分配给您处理：{alert.rule} {alert.title}"
        body = f"对象：{alert.subject_key}" + (f"；单位：{alert.unit.name}" if alert.unit else "")
        url = alert.get_absolute_url()
        notify([assignee], title, body, url=url)
    return alert


@transaction.atomic
def transfer_alert_to_discipline(alert, *, actor, note="", request=None):
    """移交纪委: a lead for the discipline commission. Supervisors and discipline readers may."""

    lock(alert)
    check_transfer(alert, actor)
    rule = get_rule(alert.rule)
    lead = create_lead(
        unit=alert.unit,
        title=f"预警线索：{alert.rule} {rule.title if rule else ''} {alert.subject_key}",
        description=describe(alert) + (f"\n移交意见：{note}" if note else ""),
        source=Problem.Source.ALERT,
        source_ref=alert.source_ref,
        actor=actor,
        request=request,
        # A confirmed alert's problem is the lead's: its deadline is then the supervisor's.
        problem=alert.problem,
        origin=alert,
    )
    _move(
        alert,
        Alert.State.TRANSFERRED,
        lead=lead,
        actor=actor,
        request=request,
        action="monitoring.alert.transferred",
        data={"lead": lead.pk, "note": note},
    )
    return lead


@transaction.atomic
def update_rule_setting(
    rule_id, *, actor, params, enabled=True, effective_from=None, note="", request=None
):
    """A supervisor sets a rule's thresholds from a date on; earlier settings are kept."""
    _require_supervisor(actor)
    rule = get_rule(rule_id)
    if rule is None:
        raise ValidationError("未知的规则编号。")
    clean = {}
    for p in rule.params:
        if p.name in params:
            value = params[p.name]
            clean[p.name] = list(value) if isinstance(value, list | tuple) else value
    setting = RuleSetting.objects.create(
        rule_id=rule.id,
        params=clean,
        enabled=enabled,
        effective_from=effective_from or timezone.localdate(),
        note=note,
        changed_by=actor,
    )
    log(
        "monitoring.rule.updated",
        actor=actor,
        obj=setting,
        unit=None,
        request=request,
        object_repr=f"{rule.id} {rule.title}",
        data={
            "rule": rule.id,
            "params": clean,
            "enabled": enabled,
            "effective_from": str(setting.effective_from),
            "note": note,
        },
    )
    return setting


@transaction.atomic
def start_run(*, actor, rule_ids=None, request=None) -> RuleRun:
    """运行规则 on demand: queued as a background task; the page polls its progress."""
    _require_supervisor(actor)
    ids = list(rule_ids) if rule_ids else []  # empty: every enabled rule
    run = RuleRun.objects.create(trigger=RuleRun.Trigger.MANUAL, actor=actor, rule_ids=ids)
    log(
        "monitoring.run.started",
        actor=actor,
        obj=run,
        unit=None,
        request=request,
        data={"rules": ids},
    )

    def enqueue():
        run_rules_task.enqueue(run.pk)

    transaction.on_commit(enqueue)
    return run
