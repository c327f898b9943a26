"""State changes of the ledger. One function per transition: it checks permission,
writes the change and its audit row in one transaction.

Each transition has a `check_<name>(obj, actor, ...)` that raises PermissionDenied
(wrong person) or ValidationError (wrong state) without looking at the input, so the
detail page can show exactly the forms the user may submit (`available_actions`)."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.campaigns.models import Campaign
from jiandu.documents.uploads import CheckedFile, check_upload, save_attachment
from jiandu.ledger.deadlines import default_deadline
from jiandu.ledger.models import DeadlineChange, Escalation, Lead, Problem, ProgressNote
from jiandu.lib.action_errors import refuse, required_text
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import (
    is_discipline,
    is_supervisor,
    is_supervisor_or_discipline,
    is_unit_writer,
    role_users,
    unit_users,
)
from jiandu.orgs.models import Role
from jiandu.orgs.notify import notify
from jiandu.workdays import add_workdays

S = Problem.State
DC = DeadlineChange
# A lead still with the commission (neither concluded nor returned).
OPEN_LEAD = Q(state__in=Lead.OPEN_STATES)


class AlreadyDone(ValidationError):
    """The same step was already taken (a double click, a retry, a parallel request)."""


# Sources a person may type in by hand; self-checks, alerts and complaints arrive
# through their own flows (and a complaint handled outside the portal is 举报 here).
HAND_SOURCES = (Problem.Source.SUPERVISION, Problem.Source.COMPLAINT, Problem.Source.OTHER)


# -- who may do what ---------------------------------------------------------------


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _deny(message):
    raise PermissionDenied(message)


def _need_state(obj, *states, message):
    if obj.state not in states:
        raise ValidationError(message)


def check_start(problem, actor, today=None):
    if not is_unit_writer(actor, problem.unit_id):
        _deny("只有本单位的填报员或负责人可以启动整改。")
    _need_state(problem, S.PENDING, message="只有“待整改”的问题可以启动整改。")


def check_update(problem, actor, today=None):
    if not (is_unit_writer(actor, problem.unit_id) or is_supervisor(actor)):
        _deny("只有本单位的填报员、负责人或监督管理员可以修改整改措施。")
    if problem.state == S.CLOSED:
        raise ValidationError("问题已销号，整改措施不能再修改。")


def check_progress(problem, actor, today=None):
    if not (is_unit_writer(actor, problem.unit_id) or is_supervisor(actor)):
        _deny("只有本单位的填报员、负责人或监督管理员可以填写整改进展。")
    _need_state(
        problem,
        S.IN_PROGRESS,
        S.AWAITING_ACCEPTANCE,
        message="只有“整改中”或“待验收”的问题可以填写进展，请先启动整改。",
    )


def check_submit(problem, actor, today=None):
    if not is_unit_writer(actor, problem.unit_id):
        _deny("只有本单位的填报员或负责人可以提请验收。")
    _need_state(problem, S.IN_PROGRESS, message="只有“整改中”的问题可以提请验收。")


def check_accept(problem, actor, today=None):
    if not is_supervisor(actor):
        _deny("只有监督管理员可以验收销号。")
    _need_state(problem, S.AWAITING_ACCEPTANCE, message="只有“待验收”的问题可以销号。")


def check_return(problem, actor, today=None):
    if not is_supervisor(actor):
        _deny("只有监督管理员可以退回整改。")
    _need_state(problem, S.AWAITING_ACCEPTANCE, message="只有“待验收”的问题可以退回。")


def check_escalate(problem, actor, today=None):
    if not is_supervisor_or_discipline(actor):
        _deny("只有监督管理员或纪检监督员可以督办。")
    if not problem.is_overdue(today):
        raise ValidationError("只有已逾期的问题才能督办。")


def _normal_text(text) -> str:
    return " ".join((text or "").split())


def check_request_extension(problem, actor, today=None):
    if not is_unit_writer(actor, problem.unit_id):
        _deny("只有本单位的填报员或负责人可以申请延期。")
    _need_state(
        problem, S.PENDING, S.IN_PROGRESS, message="只有“待整改”或“整改中”的问题可以申请延期。"
    )
    if problem.escalations.exists():
        raise ValidationError("该问题已被督办，整改时限只能由监督管理员调整。")
    if problem.deadline_locked:
        # A lead alone (from a complaint or an alert): units never learn that one exists.
        raise ValidationError(
            "该问题的整改时限只能由监督管理员调整，如确需延期请与监督管理员联系。"
        )
    if problem.pending_extension is not None:
        raise ValidationError("已有一份延期申请正在等待审批，请等待监督管理员审批。")


def check_decide_extension(problem, actor, today=None):
    if not is_supervisor(actor):
        _deny("只有监督管理员可以审批延期申请。")
    if problem.pending_extension is None:
        raise ValidationError("该问题没有待审批的延期申请（可能已被审批）。")


def check_change_deadline(problem, actor, today=None):
    if not is_supervisor(actor):
        _deny("只有监督管理员可以调整整改时限。")
    if problem.state == S.CLOSED:
        raise ValidationError("问题已销号，整改时限不能再调整。")


PROBLEM_CHECKS = {
    "start": check_start,
    "update": check_update,
    "progress": check_progress,
    "submit": check_submit,
    "accept": check_accept,
    "return": check_return,
    "escalate": check_escalate,
    "extension": check_request_extension,
    "approve_extension": check_decide_extension,
    "refuse_extension": check_decide_extension,
    "deadline": check_change_deadline,
}


def available_actions(problem, user, today: date | None = None) -> set[str]:
    return allowed(PROBLEM_CHECKS, problem, user, today)


def hand_sources_for(user) -> list[str]:
    """Which sources `user` may register a problem under (empty: may not register)."""
    if is_supervisor(user):
        return list(HAND_SOURCES)
    if _authenticated(user) and user.is_inspector:
        return [Problem.Source.SUPERVISION]
    return []


# Units must not learn that a lead about them exists.
can_read_leads = is_supervisor_or_discipline


def check_receive_lead(lead, actor, today=None):
    if not is_discipline(actor):
        _deny("只有纪检监督员可以接收线索。")
    _need_state(lead, Lead.State.NEW, message="只有“待处理”的线索可以接收。")


def check_close_lead(lead, actor, today=None):
    if not is_discipline(actor):
        _deny("只有纪检监督员可以办结线索。")
    _need_state(lead, Lead.State.RECEIVED, message="请先接收线索，再填写办理结果办结。")


def check_dispose_lead(lead, actor, today=None):
    if not is_discipline(actor):
        _deny("只有纪检监督员可以确定线索处置方式。")
    _need_state(lead, Lead.State.RECEIVED, message="请先接收线索，再确定处置方式。")


def check_return_lead(lead, actor, today=None):
    if not is_discipline(actor):
        _deny("只有纪检监督员可以退回线索。")
    _need_state(lead, Lead.State.NEW, Lead.State.RECEIVED, message="只有未办结的线索可以退回。")


LEAD_CHECKS = {
    "receive": check_receive_lead,
    "dispose": check_dispose_lead,
    "close": check_close_lead,
    "return": check_return_lead,
}


def available_lead_actions(lead, user, today: date | None = None) -> set[str]:
    return allowed(LEAD_CHECKS, lead, user, today)


# -- helpers -------------------------------------------------------------------------


def _clean_rectification(measures, responsible_person, *, errors=None) -> dict:
    """The rectification's text fields, stripped and checked, ready to set on `problem`."""
    errors = errors if errors is not None else {}
    measures = (measures or "").strip()
    responsible_person = (responsible_person or "").strip()
    if not measures:
        errors["measures"] = "请填写整改措施。"
    if not responsible_person:
        errors["responsible_person"] = "请填写责任人。"
    refuse(errors)
    return {"measures": measures, "responsible_person": responsible_person}


def _commitment_error(problem, deadline, today) -> str | None:
    """Why the unit's own date at the start of rectification is refused, or None. The
    unit may promise the problem's deadline or an earlier one; more time is a 延期申请."""
    if deadline is None:
        return None if problem.deadline else "请填写整改时限。"
    if deadline < today and deadline != problem.deadline:
        return f"整改时限不能早于今天（{today:%Y-%m-%d}）。"
    if problem.deadline and deadline > problem.deadline:
        return (
            f"整改时限不能晚于规定的 {problem.deadline:%Y-%m-%d}；"
            "如确需更多时间，请启动整改后提出延期申请，经监督管理员批准后生效。"
        )
    return None


def _clean_deadline_change(problem, reason, deadline, today, *, missing_reason, later=False):
    """The reason (stripped) of a new deadline, or a ValidationError naming each field."""
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = missing_reason
    if error := _new_deadline_error(problem, deadline, today, later=later):
        errors["new_deadline"] = error
    refuse(errors)
    return reason


def _new_deadline_error(problem, deadline, today, *, later=False) -> str | None:
    if deadline is None:
        return "请填写新的整改时限。"
    if deadline < today:
        return f"整改时限不能早于今天（{today:%Y-%m-%d}）。"
    if deadline == problem.deadline:
        return "新的整改时限与现在的相同。"
    if later and problem.deadline and deadline < problem.deadline:
        return f"延期申请的日期应晚于现在的整改时限 {problem.deadline:%Y-%m-%d}。"
    return None


def _audit_value(value):
    return value.isoformat() if isinstance(value, date) else (value or "")


def _log_and_tell_unit(code, problem, title, text, *, actor, request, data, important=False):
    """Audit a transition of `problem` (`code`, `data`) and tell its unit's users, with a
    link to the problem (the notice is written when the transaction commits)."""
    log(code, actor=actor, obj=problem, request=request, data=data)
    notify(unit_users(problem.unit_id), title, text, url=problem_url(problem), important=important)


def problem_url(problem) -> str:
    return reverse("ledger:problem", args=[problem.pk])


# -- problems ------------------------------------------------------------------------


@transaction.atomic
def create_problem(
    *,
    unit,
    focus_area,
    description,
    source,
    actor=None,
    severity=Problem.Severity.NORMAL,
    campaign=None,
    source_ref="",
    origin=None,
    measures="",
    responsible_person="",
    deadline=None,
    today=None,
    request=None,
) -> Problem:
    """Put a problem into a unit's ledger. Callers (self-check acceptance, alert
    confirmation, complaints, supervisors) have checked their own permission.

    `origin` is the object the problem came from (an alert, a complaint, a self-check
    answer, a supervision visit or case-file review); the problem page links to it with
    its `get_absolute_url`. `source_ref` is display text only.

    Every problem gets a deadline: `deadline` when the supervisor set one, else the
    default for its source and severity (`ledger.deadlines`); and the running campaign
    when none is given."""
    today = today or timezone.localdate()
    if deadline is None:
        deadline = default_deadline(source, severity, today)
    if campaign is None:
        campaign = Campaign.objects.current(today)
    problem = Problem.objects.create(
        unit=unit,
        focus_area=focus_area,
        description=description,
        source=source,
        severity=severity,
        campaign=campaign,
        source_ref=source_ref[:120],
        origin=origin,
        measures=measures,
        responsible_person=responsible_person,
        deadline=deadline,
        original_deadline=deadline,
        created_by=actor if _authenticated(actor) else None,
    )
    log(
        "ledger.problem.created",
        actor=actor,
        obj=problem,
        request=request,
        data={"source": source, "source_ref": source_ref, "deadline": deadline.isoformat()},
    )
    return problem


def create_problem_by_hand(
    *,
    actor,
    unit,
    focus_area,
    description,
    source,
    severity=Problem.Severity.NORMAL,
    campaign=None,
    source_ref="",
    deadline=None,
    today=None,
    request=None,
) -> Problem:
    """A supervisor registers a problem found in an inspection, a report or otherwise;
    an inspection-team member only one found in 监督检查. Without a deadline the
    problem gets the default one for its source and severity."""
    sources = hand_sources_for(actor)
    if not sources:
        _deny("只有监督管理员或检查组成员可以登记问题。")
    if source not in sources:
        if source in HAND_SOURCES:
            _deny("检查组成员只能登记来源为“监督检查”的问题。")
        raise ValidationError(
            {"source": "该来源的问题由自查、预警或举报流程自动生成，不能手工登记。"}
        )
    if unit is None or not unit.is_enforcement_unit:
        raise ValidationError({"unit": "请选择一个乡镇或县直执法部门作为责任单位。"})
    description = required_text(description, "description", "请填写问题描述。")
    today = today or timezone.localdate()
    if deadline is not None and deadline < today:
        raise ValidationError({"deadline": f"整改时限不能早于今天（{today:%Y-%m-%d}）。"})
    return create_problem(
        unit=unit,
        focus_area=focus_area,
        description=description,
        source=source,
        severity=severity,
        campaign=campaign,
        source_ref=source_ref or "",
        deadline=deadline,
        today=today,
        actor=actor,
        request=request,
    )


@transaction.atomic
def start_rectification(
    problem, *, actor, measures, responsible_person, deadline=None, today=None, request=None
) -> Problem:
    """待整改 → 整改中, with the unit's measures and responsible person. The deadline is the
    problem's own (set at registration); the unit may commit to an earlier date, which is
    then the deadline it is held to. A later date is refused: that is a 延期申请."""
    today = today or timezone.localdate()
    lock(problem)
    check_start(problem, actor, today)
    errors = {}
    if error := _commitment_error(problem, deadline, today):
        errors["deadline"] = error
    fields = _clean_rectification(measures, responsible_person, errors=errors)
    old = problem.deadline
    new = deadline or old
    for name, value in fields.items():
        setattr(problem, name, value)
    problem.deadline = new
    if problem.original_deadline is None:
        problem.original_deadline = new
    problem.state = S.IN_PROGRESS
    problem.save(update_fields=[*fields, "deadline", "original_deadline", "state"])
    if old is not None and new != old:
        DeadlineChange.objects.create(
            problem=problem,
            kind=DC.Kind.COMMITMENT,
            state=DC.State.APPROVED,
            old_deadline=old,
            new_deadline=new,
            reason="启动整改时承诺提前完成",
            requested_by=actor,
            decided_by=actor,
            decided_at=timezone.now(),
        )
    log(
        "ledger.problem.started",
        actor=actor,
        obj=problem,
        request=request,
        data={
            "responsible_person": problem.responsible_person,
            "deadline": problem.deadline.isoformat(),
        },
    )
    return problem


@transaction.atomic
def update_rectification(
    problem, *, actor, measures, responsible_person, deadline=None, today=None, request=None
) -> Problem:
    """Change the measures or the responsible person while the problem is open; the audit
    row keeps what changed. The deadline is not changed here (延期申请, `change_deadline`):
    a `deadline` other than the current one is refused."""
    today = today or timezone.localdate()
    lock(problem)
    check_update(problem, actor, today)
    errors = {}
    if deadline is not None and deadline != problem.deadline:
        errors["deadline"] = "整改时限不能在这里修改：单位请提出延期申请，由监督管理员审批。"
    fields = _clean_rectification(measures, responsible_person, errors=errors)
    changes = {
        name: [_audit_value(getattr(problem, name)), _audit_value(value)]
        for name, value in fields.items()
        if getattr(problem, name) != value
    }
    if not changes:
        return problem
    for name, value in fields.items():
        setattr(problem, name, value)
    problem.save(update_fields=list(fields))
    log("ledger.problem.updated", actor=actor, obj=problem, request=request, data=changes)
    return problem


# -- deadlines -----------------------------------------------------------------------


def _deadline_data(change) -> dict:
    return {
        "change": change.pk,
        "kind": change.kind,
        "old": _audit_value(change.old_deadline),
        "new": change.new_deadline.isoformat(),
        "reason": change.reason,
    }


@transaction.atomic
def request_extension(problem, *, actor, new_deadline, reason, today=None, request=None):
    """延期申请: the unit asks for a later date with a reason. The deadline does not move
    until a supervisor approves it."""
    today = today or timezone.localdate()
    lock(problem)
    check_request_extension(problem, actor, today)
    reason = _clean_deadline_change(
        problem, reason, new_deadline, today, missing_reason="请填写延期理由。", later=True
    )
    change = DeadlineChange.objects.create(
        problem=problem,
        kind=DC.Kind.EXTENSION,
        state=DC.State.PENDING,
        old_deadline=problem.deadline,
        new_deadline=new_deadline,
        reason=reason,
        requested_by=actor,
    )
    log(
        "ledger.deadline.requested",
        actor=actor,
        obj=problem,
        request=request,
        data=_deadline_data(change),
    )
    notify(
        role_users(Role.SUPERVISOR),
        f"延期申请待审批：{problem.unit.name} 问题 #{problem.pk}",
        f"申请将整改时限由 {_audit_value(change.old_deadline) or '—'} 延至 "
        f"{new_deadline:%Y-%m-%d}。理由：{reason[:150]}",
        url=problem_url(problem),
    )
    return change


@transaction.atomic
def decide_extension(problem, *, actor, approve, note="", today=None, request=None):
    """The supervisor approves (the deadline moves) or refuses (it stays) the pending
    延期申请. Refusal needs a note, so the unit knows why."""
    today = today or timezone.localdate()
    lock(problem)
    check_decide_extension(problem, actor, today)
    change = lock(problem.pending_extension)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "不予批准时请填写理由。"})
    change.state = DC.State.APPROVED if approve else DC.State.REFUSED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_note = note
    change.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    if approve:
        # The request recorded the date it wanted to move; if the supervisor changed the
        # deadline meanwhile, the row says what it actually replaced.
        change.old_deadline = problem.deadline
        change.save(update_fields=["old_deadline"])
        problem.deadline = change.new_deadline
        problem.save(update_fields=["deadline"])
    title = (
        f"延期申请已批准：问题 #{problem.pk} 整改时限延至 {change.new_deadline:%Y-%m-%d}"
        if approve
        else f"延期申请未获批准：问题 #{problem.pk} 整改时限仍为 {problem.deadline:%Y-%m-%d}"
    )
    _log_and_tell_unit(
        "ledger.deadline.approved" if approve else "ledger.deadline.refused",
        problem,
        title,
        note or change.reason[:200],
        actor=actor,
        request=request,
        data={**_deadline_data(change), "note": note},
    )
    return change


@transaction.atomic
def change_deadline(problem, *, actor, new_deadline, reason, today=None, request=None):
    """The supervisor sets the deadline directly (the only way after 督办 or a lead). A
    pending 延期申请 stays pending: the supervisor still decides it explicitly."""
    today = today or timezone.localdate()
    lock(problem)
    check_change_deadline(problem, actor, today)
    reason = _clean_deadline_change(
        problem, reason, new_deadline, today, missing_reason="请填写调整理由。"
    )
    change = DeadlineChange.objects.create(
        problem=problem,
        kind=DC.Kind.SUPERVISOR,
        state=DC.State.APPROVED,
        old_deadline=problem.deadline,
        new_deadline=new_deadline,
        reason=reason,
        requested_by=actor,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    problem.deadline = new_deadline
    if problem.original_deadline is None:
        problem.original_deadline = change.old_deadline or new_deadline
    problem.save(update_fields=["deadline", "original_deadline"])
    _log_and_tell_unit(
        "ledger.deadline.changed",
        problem,
        f"问题 #{problem.pk} 整改时限调整为 {new_deadline:%Y-%m-%d}",
        reason[:200],
        actor=actor,
        request=request,
        data=_deadline_data(change),
    )
    return change


def add_progress(problem, *, actor, text, files=(), request=None) -> ProgressNote:
    """A progress note with its attachments. Files are checked before anything is written."""
    check_progress(problem, actor)
    text = required_text(text, "text", "请填写整改进展。")
    checked = []
    for upload in files or ():
        if isinstance(upload, CheckedFile):  # the form checked it (and kept it on an error)
            checked.append(upload)
            continue
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
    with transaction.atomic():
        lock(problem)
        check_progress(problem, actor)
        note = ProgressNote.objects.create(problem=problem, author=actor, text=text)
        names = [
            save_attachment(c, owner=note, unit=problem.unit, user=actor).original_name
            for c in checked
        ]
        log(
            "ledger.problem.progress",
            actor=actor,
            obj=problem,
            request=request,
            data={"note": note.pk, "text": text[:200], "attachments": names},
        )
    return note


@transaction.atomic
def submit_for_acceptance(problem, *, actor, note="", request=None) -> Problem:
    """整改中 → 待验收. The unit says what was done: a note, unless progress is on file."""
    lock(problem)
    check_submit(problem, actor)
    note = (note or "").strip()
    if not note and not problem.notes.exists():
        raise ValidationError({"note": "请填写整改完成情况（尚无整改进展记录）。"})
    if note:
        ProgressNote.objects.create(problem=problem, author=actor, text=note)
    problem.state = S.AWAITING_ACCEPTANCE
    problem.submitted_at = timezone.now()
    problem.save(update_fields=["state", "submitted_at"])
    log("ledger.problem.submitted", actor=actor, obj=problem, request=request, data={"note": note})
    notify(
        role_users(Role.SUPERVISOR),
        f"待验收：{problem.unit.name} 问题 #{problem.pk}",
        problem.description[:200],
        url=problem_url(problem),
    )
    return problem


@transaction.atomic
def accept_problem(problem, *, actor, note="", request=None) -> Problem:
    """待验收 → 已销号 (the supervisor closes the rectified problem)."""
    lock(problem)
    check_accept(problem, actor)
    note = (note or "").strip()
    problem.state = S.CLOSED
    problem.closed_at = timezone.now()
    problem.closed_by = actor
    problem.acceptance_note = note
    problem.save(update_fields=["state", "closed_at", "closed_by", "acceptance_note"])
    # A 延期申请 still waiting has nothing left to decide: out of the supervisor's queue,
    # and the deadline of a closed problem does not move.
    moot = problem.deadline_changes.filter(state=DC.State.PENDING).update(
        state=DC.State.MOOT,
        decided_by=actor,
        decided_at=problem.closed_at,
        decision_note="问题已验收销号，延期申请无需审批。",
    )
    data = {"note": note, **({"extension_moot": True} if moot else {})}
    _log_and_tell_unit(
        "ledger.problem.accepted",
        problem,
        f"问题 #{problem.pk} 已验收销号",
        note or problem.description[:200],
        actor=actor,
        request=request,
        data=data,
    )
    return problem


@transaction.atomic
def return_problem(problem, *, actor, reason, request=None) -> Problem:
    """待验收 → 整改中, with the reason the rectification is not accepted."""
    lock(problem)
    check_return(problem, actor)
    reason = required_text(reason, "reason", "请填写退回原因。")
    problem.state = S.IN_PROGRESS
    problem.returned_reason = reason
    problem.save(update_fields=["state", "returned_reason"])
    _log_and_tell_unit(
        "ledger.problem.returned",
        problem,
        f"问题 #{problem.pk} 整改未通过验收，已退回",
        reason,
        actor=actor,
        request=request,
        data={"reason": reason},
    )
    return problem


def check_withdraw(problem, actor, today=None):
    """Only the instrument that created a problem withdraws it (an upheld objection):
    not offered on the problem page, so not in PROBLEM_CHECKS."""
    if not is_supervisor(actor):
        _deny("只有监督管理员可以撤销问题。")
    if problem.state == S.CLOSED:
        raise ValidationError("问题已销号。")


@transaction.atomic
def withdraw_problem(problem, *, actor, reason, request=None) -> Problem:
    """Close a problem that should not have been raised (the instrument it came from was
    withdrawn after an objection was upheld, Art. 30 of the 条例): 已销号 with the reason
    as its acceptance note, audited as a withdrawal, not an acceptance."""
    lock(problem)
    check_withdraw(problem, actor)
    reason = required_text(reason, "reason", "请填写撤销理由。")
    problem.state = S.CLOSED
    problem.closed_at = timezone.now()
    problem.closed_by = actor
    problem.acceptance_note = reason
    problem.save(update_fields=["state", "closed_at", "closed_by", "acceptance_note"])
    problem.deadline_changes.filter(state=DC.State.PENDING).update(
        state=DC.State.MOOT, decided_by=actor, decided_at=problem.closed_at
    )
    _log_and_tell_unit(
        "ledger.problem.withdrawn",
        problem,
        f"问题 #{problem.pk} 已撤销",
        reason,
        actor=actor,
        request=request,
        data={"reason": reason},
    )
    return problem


@transaction.atomic
def escalate(problem, *, actor, note, to_discipline=False, today=None, request=None) -> Escalation:
    """督办 an overdue problem: the unit's users get an important notice (their start
    page lists it, the bell of every page turns red) until they open it; optionally the case goes to the discipline commission as a lead.

    Exactly once: under the problem's row lock, the same 督办意见 on the same day is
    refused (a new reason is a new 督办), and a problem has at most one open lead."""
    today = today or timezone.localdate()
    lock(problem)
    check_escalate(problem, actor, today)
    note = required_text(note, "note", "请填写督办意见。")
    to_discipline = bool(to_discipline) and not actor.is_discipline
    same_day = [
        e.note
        for e in problem.escalations.all()
        if timezone.localdate(e.created_at) == timezone.localdate()
    ]
    if _normal_text(note) in {_normal_text(n) for n in same_day}:
        raise AlreadyDone(
            "今天已就该问题以相同督办意见督办过一次；如有新的督办要求，请写明新的意见。"
        )
    if to_discipline and problem.leads.filter(OPEN_LEAD).exists():
        raise AlreadyDone({"to_discipline": "该问题已有一条未办结的线索在纪委监委，不再重复移交。"})
    escalation = Escalation.objects.create(
        problem=problem, by=actor, note=note, to_discipline=to_discipline
    )
    days = problem.days_overdue(today)
    # notify() writes its rows when this transaction commits: a notice exists exactly when the 督办 does.
    _log_and_tell_unit(
        "ledger.problem.escalated",
        problem,
        # No day count in the title: the notice is read days later, and the problem page
        # and the start page show the overdue days as of the day they are opened.
        f"督办：问题 #{problem.pk} 逾期未整改",
        note,
        actor=actor,
        request=request,
        data={"note": note, "days_overdue": days, "to_discipline": to_discipline},
        important=True,
    )
    if to_discipline:
        create_lead(
            unit=problem.unit,
            title=f"逾期督办：{problem.unit.name} 问题 #{problem.pk}",
            description=f"{problem.description}\n\n督办意见：{note}",
            source=problem.source,
            source_ref=f"问题#{problem.pk}",
            actor=actor,
            request=request,
            problem=problem,
        )
    return escalation


# -- leads ---------------------------------------------------------------------------


@transaction.atomic
def create_lead(
    *,
    unit,
    title,
    description,
    source,
    source_ref="",
    actor=None,
    request=None,
    problem=None,
    origin=None,
    due_date=None,
    today=None,
) -> Lead:
    """Hand a clue to the discipline commission (移交纪委, Art. 33). A problem has at most
    one open lead (checked under the problem's lock, and a unique index behind it).
    `origin` is what it came from (a complaint, an alert, a problem, an instrument, a
    visit; the problem when only that is given); `due_date` defaults to
    `LEAD_DUE_WORKDAYS` working days (settings, 30)."""
    today = today or timezone.localdate()
    if due_date is None:
        due_date = add_workdays(today, getattr(settings, "LEAD_DUE_WORKDAYS", 30))
    if origin is None:
        origin = problem
    if problem is not None:
        lock(problem)
        if problem.leads.filter(OPEN_LEAD).exists():
            raise AlreadyDone("该问题已有一条未办结的线索在纪委监委，不再重复移交。")
    lead = Lead.objects.create(
        unit=unit,
        title=title[:200],
        description=description,
        source=source,
        source_ref=source_ref[:120],
        problem=problem,
        origin=origin,
        due_date=due_date,
        created_by=actor if _authenticated(actor) else None,
    )
    log(
        "ledger.lead.created",
        actor=actor,
        obj=lead,
        unit=unit,
        request=request,
        data={"source": source, "source_ref": source_ref, "due_date": due_date.isoformat()},
    )
    readers = role_users(Role.DISCIPLINE)
    transaction.on_commit(
        lambda: notify(
            readers,
            f"新线索：{lead.title}",
            description[:200],
            url=reverse("ledger:lead", args=[lead.pk]),
        )
    )
    return lead


@transaction.atomic
def receive_lead(lead, *, actor, request=None) -> Lead:
    lock(lead)
    check_receive_lead(lead, actor)
    lead.state = Lead.State.RECEIVED
    lead.received_at = timezone.now()
    lead.received_by = actor
    lead.save(update_fields=["state", "received_at", "received_by"])
    log("ledger.lead.received", actor=actor, obj=lead, unit=lead.unit, request=request)
    return lead


@transaction.atomic
def dispose_lead(lead, *, actor, disposal, working_notes="", request=None) -> Lead:
    """The commission's choice among the four standard ways (谈话函询, 初步核实, 暂存待查,
    予以了结); its working notes stay with the commission."""
    lock(lead)
    check_dispose_lead(lead, actor)
    if disposal not in Lead.Disposal.values:
        raise ValidationError({"disposal": "请选择处置方式。"})
    lead.disposal = disposal
    lead.disposed_at = timezone.now()
    lead.working_notes = (working_notes or "").strip()
    lead.save(update_fields=["disposal", "disposed_at", "working_notes"])
    log(
        "ledger.lead.disposed",
        actor=actor,
        obj=lead,
        unit=lead.unit,
        request=request,
        data={"disposal": lead.get_disposal_display()},
    )
    return lead


@transaction.atomic
def close_lead(
    lead, *, actor, result, outcome="", result_date=None, today=None, request=None
) -> Lead:
    """办结: the result (and its kind and date) that the justice bureau sees."""
    lock(lead)
    check_close_lead(lead, actor)
    today = today or timezone.localdate()
    result = required_text(result, "result", "请填写办理结果。")
    if outcome and outcome not in Lead.Outcome.values:
        raise ValidationError({"outcome": "请选择办理结果类别。"})
    if result_date is not None and result_date > today:
        raise ValidationError({"result_date": "结果日期不能晚于今天。"})
    lead.state = Lead.State.CLOSED
    lead.result = result
    lead.outcome = outcome or ""
    lead.result_date = result_date or today
    lead.closed_at = timezone.now()
    lead.closed_by = actor
    lead.save(update_fields=["state", "result", "outcome", "result_date", "closed_at", "closed_by"])
    log(
        "ledger.lead.closed",
        actor=actor,
        obj=lead,
        unit=lead.unit,
        request=request,
        data={"result": result, "outcome": lead.get_outcome_display()},
    )
    notify(
        role_users(Role.SUPERVISOR),
        f"线索已办结：{lead.title}",
        result[:200],
        url=reverse("ledger:lead", args=[lead.pk]),
    )
    return lead


@transaction.atomic
def return_lead(lead, *, actor, reason, request=None) -> Lead:
    """The commission returns a clue that is not a discipline matter, with its reason."""
    lock(lead)
    check_return_lead(lead, actor)
    reason = required_text(reason, "reason", "请填写退回理由。")
    lead.state = Lead.State.RETURNED
    lead.return_reason = reason
    lead.closed_at = timezone.now()
    lead.closed_by = actor
    lead.save(update_fields=["state", "return_reason", "closed_at", "closed_by"])
    log(
        "ledger.lead.returned",
        actor=actor,
        obj=lead,
        unit=lead.unit,
        request=request,
        data={"reason": reason},
    )
    notify(
        role_users(Role.SUPERVISOR),
        f"线索被退回（非纪律问题）：{lead.title}",
        reason[:200],
        url=reverse("ledger:lead", args=[lead.pk]),
    )
    return lead
