"""State changes of a 案件移送. One shape for every transition: `check_<name>(transfer,
actor, today)` refuses the wrong person (PermissionDenied) or state (ValidationError)
without looking at the input; the action locks the row, checks again, writes the step,
audits and notifies (on commit). `available_actions(transfer, user)` lists the names
allowed now; `due_items(today)` yields the open steps with their deadlines."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.documents.uploads import save_attachment
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.monitoring import deadlines
from jiandu.orgs.access import is_supervisor, is_unit_writer, role_users, unit_users
from jiandu.orgs.models import Role, Unit
from jiandu.orgs.notify import notify
from jiandu.transfers.models import CaseTransfer, TransferStep

S = CaseTransfer.State
STEP = TransferStep.Code

SEND_DENIED = "只有执法单位的经办人或负责人可以移送案件。"
RECEIVER_ONLY = "只有接收单位的经办人或负责人可以办理接收。"
SENDER_ONLY = "只有移出单位的经办人或负责人可以办理。"
SUPERVISOR_ONLY = "只有监督管理员可以裁定管辖争议。"

# Every step is due within this rule's setting: the receiver's answer, the supervisor's
# ruling, and the sender's next move after a refusal or a return.
RULE = "INTG-01"


def _today(today):
    return today or timezone.localdate()


def _answering_unit_id(t):
    """Who answers a transfer: the receiving unit; for the judicial organs (outside the
    platform) the sender records their answer from the 回执."""
    return t.to_unit_id or t.from_unit_id


# --- checks ------------------------------------------------------------------------------


def _require_receiver(t, actor):
    if not is_unit_writer(actor, _answering_unit_id(t)):
        raise PermissionDenied(RECEIVER_ONLY)
    if t.state != S.SENT:
        raise ValidationError(f"该移送当前为“{t.get_state_display()}”，不能再办理接收。")


def check_accept(t, actor, today=None):
    _require_receiver(t, actor)


def check_refuse(t, actor, today=None):
    _require_receiver(t, actor)


def check_return(t, actor, today=None):
    _require_receiver(t, actor)


def _require_sender(t, actor, states, what):
    if not is_unit_writer(actor, t.from_unit_id):
        raise PermissionDenied(SENDER_ONLY)
    if t.state not in states:
        raise ValidationError(f"该移送当前为“{t.get_state_display()}”，不能{what}。")


def check_resend(t, actor, today=None):
    _require_sender(t, actor, (S.RETURNED,), "重新移送")


def check_dispute(t, actor, today=None):
    _require_sender(t, actor, (S.REFUSED,), "报请管辖裁定")
    if not t.to_unit_id:
        raise ValidationError("移送司法机关的争议不由本平台裁定。")


def check_keep(t, actor, today=None):
    _require_sender(t, actor, (S.REFUSED, S.RETURNED), "改由本单位办理")


def check_decide(t, actor, today=None):
    if not is_supervisor(actor):
        raise PermissionDenied(SUPERVISOR_ONLY)
    if t.state != S.DISPUTED:
        raise ValidationError(f"该移送当前为“{t.get_state_display()}”，没有待裁定的管辖争议。")


CHECKS = {
    "accept": check_accept,
    "refuse": check_refuse,
    "return": check_return,
    "resend": check_resend,
    "dispute": check_dispute,
    "keep": check_keep,
    "decide": check_decide,
}


def available_actions(t, user, today=None) -> set[str]:
    return allowed(CHECKS, t, user, today)


# --- helpers -----------------------------------------------------------------------------


def _step(t, code, actor, unit_id, day, note=""):
    return TransferStep.objects.create(
        transfer=t, code=code, on=day, actor=actor, unit_id=unit_id, note=note
    )


def _writers(unit_id):
    return list(unit_users(unit_id, Role.CLERK, Role.LEADER)) if unit_id else []


def _notify(users, title, body, t, important=False):
    notify(users, title, body, url=t.get_absolute_url(), important=important)


def _required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- send --------------------------------------------------------------------------------


@transaction.atomic
def send_transfer(
    *,
    actor,
    kind,
    party_name,
    facts,
    basis,
    to_unit=None,
    external="",
    external_name="",
    case=None,
    files=(),
    today=None,
    request=None,
):
    """A unit's writer sends a case or a clue to another unit or to the judicial organs,
    with the facts, the basis and the attachments (already checked by check_upload)."""
    day = _today(today)
    unit = getattr(actor, "unit", None)
    if not (unit and is_unit_writer(actor, unit.pk) and unit.is_enforcement_unit):
        raise PermissionDenied(SEND_DENIED)
    errors = {}
    if bool(to_unit) == bool(external):
        errors["to_unit"] = "请选择接收单位，或选择移送司法机关（二者选一）。"
    elif to_unit and to_unit.pk == unit.pk:
        errors["to_unit"] = "不能移送给本单位。"
    elif to_unit and not to_unit.is_enforcement_unit:
        errors["to_unit"] = "接收单位须为执法单位。"
    if case is not None and case.unit_id != unit.pk:
        errors["case"] = "只能移送本单位的案件。"
    for field, value, label in (
        ("party_name", party_name, "当事人"),
        ("facts", facts, "违法事实"),
        ("basis", basis, "移送依据"),
    ):
        if not (value or "").strip():
            errors[field] = f"请填写{label}。"
    if errors:
        raise ValidationError(errors)
    t = CaseTransfer.objects.create(
        transfer_no=f"tmp-{timezone.now().timestamp()}",
        kind=kind,
        from_unit=unit,
        to_unit=to_unit,
        external=external if not to_unit else "",
        external_name=(external_name or "").strip() if not to_unit else "",
        case=case,
        party_name=party_name.strip(),
        facts=facts.strip(),
        basis=basis.strip(),
        sent_on=day,
        created_by=actor,
    )
    t.transfer_no = f"YS{day.year}-{t.pk:05d}"
    t.save(update_fields=["transfer_no"])
    for checked in files or ():
        save_attachment(checked, owner=t, unit=unit, user=actor)
    _step(t, STEP.SENT, actor, unit.pk, day)
    log(
        "transfers.transfer.sent",
        actor=actor,
        obj=t,
        request=request,
        data={
            "kind": t.get_kind_display(),
            "unit": t.receiver_name,
            "case_no": case.case_no if case else "",
            "files": len(files or ()),
        },
    )
    if to_unit:
        days, day_type = deadlines.period(RULE, day)
        _notify(
            _writers(to_unit.pk),
            f"收到移送{t.get_kind_display()}：{t.transfer_no}",
            f"{unit.name}移送{t.party_name}的{t.get_kind_display()}，"
            f"请在{deadlines.period_text(days, day_type)}内接收、拒收或退回。",
            t,
            important=True,
        )
    return t


# --- the receiver's answers ----------------------------------------------------------------


def _answer(t, actor, day, *, check, state, step, reason="", prompt=""):
    """The receiver's answer: `check`, the reason (required when `prompt` says what to
    write), the lock, `check` again, the new state and step. The caller audits it."""
    check(t, actor, day)
    if prompt:
        reason = _required(reason, "reason", prompt)
    lock(t)
    check(t, actor, day)
    t.state = state
    t.answered_on = day
    t.first_answered_on = t.first_answered_on or day
    if reason:
        t.reason = reason
    t.save()
    _step(t, step, actor, getattr(actor, "unit_id", None), day, reason)
    return reason


@transaction.atomic
def accept_transfer(t, *, actor, today=None, request=None):
    day = _today(today)
    _answer(t, actor, day, check=check_accept, state=S.ACCEPTED, step=STEP.ACCEPTED)
    log("transfers.transfer.accepted", actor=actor, obj=t, request=request)
    _notify(_writers(t.from_unit_id), f"移送已接收：{t.transfer_no}", t.receiver_name, t)
    return t


@transaction.atomic
def refuse_transfer(t, *, actor, reason, today=None, request=None):
    day = _today(today)
    reason = _answer(
        t,
        actor,
        day,
        check=check_refuse,
        state=S.REFUSED,
        step=STEP.REFUSED,
        reason=reason,
        prompt="拒绝接收的，请写明理由（如不属于本单位管辖的依据）。",
    )
    log("transfers.transfer.refused", actor=actor, obj=t, request=request, data={"reason": reason})
    _notify(
        _writers(t.from_unit_id),
        f"移送被拒绝接收：{t.transfer_no}",
        f"{t.receiver_name}：{reason}。如认为属对方管辖，可报请监督机关裁定。",
        t,
        important=True,
    )
    return t


@transaction.atomic
def return_transfer(t, *, actor, reason, today=None, request=None):
    day = _today(today)
    reason = _answer(
        t,
        actor,
        day,
        check=check_return,
        state=S.RETURNED,
        step=STEP.RETURNED,
        reason=reason,
        prompt="退回的，请写明需要补正的材料或事项。",
    )
    log("transfers.transfer.returned", actor=actor, obj=t, request=request, data={"reason": reason})
    _notify(
        _writers(t.from_unit_id),
        f"移送被退回补正：{t.transfer_no}",
        f"{t.receiver_name}：{reason}",
        t,
        important=True,
    )
    return t


# --- the sender's next steps ---------------------------------------------------------------


@transaction.atomic
def resend_transfer(t, *, actor, note, files=(), today=None, request=None):
    day = _today(today)
    check_resend(t, actor, day)
    note = _required(note, "note", "请说明补正了哪些材料。")
    lock(t)
    check_resend(t, actor, day)
    t.state = S.SENT
    t.sent_on = day
    t.save()
    for checked in files or ():
        save_attachment(checked, owner=t, unit=t.from_unit, user=actor)
    _step(t, STEP.RESENT, actor, t.from_unit_id, day, note)
    log(
        "transfers.transfer.resent",
        actor=actor,
        obj=t,
        request=request,
        data={"note": note, "files": len(files or ())},
    )
    if t.to_unit_id:
        _notify(_writers(t.to_unit_id), f"补正后重新移送：{t.transfer_no}", note, t, important=True)
    return t


@transaction.atomic
def dispute_transfer(t, *, actor, reason, today=None, request=None):
    day = _today(today)
    check_dispute(t, actor, day)
    reason = _required(reason, "reason", "请写明认为应由接收单位管辖的理由。")
    lock(t)
    check_dispute(t, actor, day)
    t.state = S.DISPUTED
    t.dispute_reason = reason
    t.disputed_on = day
    t.save()
    _step(t, STEP.DISPUTED, actor, t.from_unit_id, day, reason)
    log("transfers.transfer.disputed", actor=actor, obj=t, request=request, data={"reason": reason})
    _notify(
        list(role_users(Role.SUPERVISOR)),
        f"管辖争议待裁定：{t.transfer_no}",
        f"{t.from_unit.name}与{t.receiver_name}：{reason}",
        t,
        important=True,
    )
    _notify(_writers(t.to_unit_id), f"移送已报请管辖裁定：{t.transfer_no}", reason, t)
    return t


@transaction.atomic
def keep_transfer(t, *, actor, note, today=None, request=None):
    """The sender takes the case back (accepts the refusal, or gives up the transfer)."""
    day = _today(today)
    check_keep(t, actor, day)
    note = _required(note, "note", "请说明改由本单位办理的理由。")
    lock(t)
    check_keep(t, actor, day)
    t.state = S.KEPT
    t.save()
    _step(t, STEP.DECIDED, actor, t.from_unit_id, day, f"移出单位撤回，自行办理：{note}")
    log("transfers.transfer.kept", actor=actor, obj=t, request=request, data={"note": note})
    return t


DECIDE_RECEIVER = "receiver"
DECIDE_SENDER = "sender"
DECISIONS = [(DECIDE_RECEIVER, "由接收单位管辖（应予接收）"), (DECIDE_SENDER, "由移出单位管辖")]


@transaction.atomic
def decide_transfer(t, *, actor, result, opinion, today=None, request=None):
    """The supervisor decides a disputed jurisdiction; the decision is recorded (step,
    audit) and binds both units: the receiver's acceptance, or the case stays home."""
    day = _today(today)
    check_decide(t, actor, day)
    if result not in dict(DECISIONS):
        raise ValidationError({"result": "请选择裁定结果。"})
    opinion = _required(opinion, "opinion", "请填写裁定意见及依据。")
    lock(t)
    check_decide(t, actor, day)
    label = dict(DECISIONS)[result]
    t.decision = f"{label}：{opinion}"
    t.decided_on = day
    if result == DECIDE_RECEIVER:
        t.state = S.ACCEPTED
        t.answered_on = day
    else:
        t.state = S.KEPT
    t.save()
    _step(t, STEP.DECIDED, actor, getattr(actor, "unit_id", None), day, t.decision)
    log(
        "transfers.transfer.decided",
        actor=actor,
        obj=t,
        request=request,
        data={"result": label, "opinion": opinion},
    )
    _notify(
        _writers(t.from_unit_id) + _writers(t.to_unit_id),
        f"管辖争议已裁定：{t.transfer_no}",
        t.decision,
        t,
        important=True,
    )
    return t


# --- deadlines ------------------------------------------------------------------------------


def open_step(t, calendar=None):
    """The open step of `t` with its deadline (a DueItem), or None when it is settled."""
    if not t.is_open:
        return None
    if t.state == S.SENT:
        start, unit_id, what = t.sent_on, _answering_unit_id(t), "接收、拒收或退回"
    elif t.state == S.DISPUTED:
        start, unit_id, what = t.disputed_on or t.answered_on, None, "裁定管辖争议"
    elif t.state == S.RETURNED:
        start, unit_id, what = t.answered_on, t.from_unit_id, "补正后重新移送或自行办理"
    else:  # refused
        start, unit_id, what = t.answered_on, t.from_unit_id, "报请管辖裁定或自行办理"
    return deadlines.DueItem(
        kind="transfer",
        obj=t,
        title=f"案件移送 {t.transfer_no}（{t.party_name}）",
        step=what,
        unit_id=unit_id,
        deadline=deadlines.deadline(RULE, start, calendar),
        url=t.get_absolute_url(),
    )


def due_items(today=None):
    """Every open step with its deadline (the reminders ladder registers this)."""
    from jiandu import workdays

    calendar = workdays.calendar()
    qs = CaseTransfer.objects.filter(state__in=CaseTransfer.OPEN_STATES).select_related(
        "from_unit", "to_unit"
    )
    for t in qs.iterator():
        item = open_step(t, calendar)
        if item is not None:
            yield item


def receiver_units():
    """The units a transfer may go to (every supervised unit)."""
    return Unit.objects.enforcement().active().order_by("kind", "code")
