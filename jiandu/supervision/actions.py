"""State changes of 监督检查: plan a visit, record findings (each a ledger Problem whose
origin is the visit), complete it; score sampled case files and put a failed one in the
ledger. Audit codes keep their `campaigns.` prefix so stored rows read as before.

Visit states:  planned --complete_visit--> done
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.documents.uploads import CheckedFile, check_upload, save_attachment
from jiandu.ledger.actions import (
    OPEN_LEAD,
    accept_problem,
    create_lead,
    create_problem,
    problem_url,
    return_problem,
    start_rectification,
    submit_for_acceptance,
    withdraw_problem,
)
from jiandu.ledger.models import Lead, Problem
from jiandu.lib.action_errors import refuse, required_text, required_texts
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import (
    is_discipline,
    is_unit_writer,
    require_supervisor,
    role_users,
    unit_users,
)
from jiandu.orgs.models import FocusArea, Role, User
from jiandu.orgs.notify import notify
from jiandu.supervision import documents
from jiandu.supervision.models import (
    CaseFileReview,
    Circular,
    DisciplineRequest,
    Instrument,
    InstrumentReply,
    InstrumentSubject,
    Interview,
    OfficerRecommendation,
    Proposal,
    ReplyDeadline,
    SupervisionVisit,
)
from jiandu.supervision.rubric import DEFAULT_RUBRIC, lost_points, score
from jiandu.workdays import add_workdays

TEAM_ROLES = (Role.SUPERVISOR, Role.INSPECTOR, Role.DISCIPLINE)


def _log_and_tell_unit(code, obj, title, text, *, actor, request, data, important=False, url=None):
    """Audit a transition of `obj` (`code`, `data`) and tell the clerks and leaders of its
    unit, with a link to `url` or else to `obj` (the notice is written when the
    transaction commits)."""
    log(code, actor=actor, obj=obj, request=request, data=data)
    notify(
        _unit_writers(obj.unit_id),
        title,
        text,
        url=url or obj.get_absolute_url(),
        important=important,
    )


def _check_enforcement_unit(errors, unit):
    """The unit an instrument, visit or 约谈 is about: a township or county department."""
    if unit is None or not unit.is_enforcement_unit:
        errors["unit"] = "请选择一个乡镇或县直执法部门。"
    return errors


def _unit_writers(unit_id):
    return unit_users(unit_id, Role.CLERK, Role.LEADER)


def can_record_on(visit, user) -> bool:
    """Findings and case-file reviews are recorded by a supervisor, or by an inspector
    who is on the visit's team."""
    if not (user and user.is_authenticated):
        return False
    if user.is_supervisor:
        return True
    return user.is_inspector and visit.team.filter(pk=user.pk).exists()


def _check_deadline(deadline, today) -> str | None:
    """Why a rectification deadline set on a finding is refused, or None."""
    if deadline is None:
        return "请填写整改时限。"
    if deadline < today:
        return f"整改时限不能早于今天（{today:%Y-%m-%d}）。"
    return None


def check_record(visit, actor, today=None):
    """Who may record on a visit now (a finding, a case-file review, its completion)."""
    if not can_record_on(visit, actor):
        raise PermissionDenied("只有监督管理员或本次检查组的检查组成员可以记录检查情况。")
    if visit.state != SupervisionVisit.State.PLANNED:
        raise ValidationError("该次监督检查已完成，不能再记录。")


def check_record_finding(visit, actor, today=None):
    check_record(visit, actor, today)


def check_review_case_file(visit, actor, today=None):
    check_record(visit, actor, today)


def check_complete_visit(visit, actor, today=None):
    check_record(visit, actor, today)


def check_review_to_problem(review, actor, today=None):
    """A 不合格 case file not yet in the ledger, put there by the supervisor or a team
    inspector (also after the visit is completed)."""
    if not can_record_on(review.visit, actor):
        raise PermissionDenied("只有监督管理员或本次检查组的检查组成员可以将评查结果列入整改台账。")
    if review.grade != CaseFileReview.Grade.FAIL:
        raise ValidationError("只有评查不合格的案卷可以列入整改台账。")
    if review.problem_id:
        raise ValidationError("该案卷的评查问题已列入整改台账。")


VISIT_CHECKS = {
    "finding": check_record_finding,
    "review": check_review_case_file,
    "complete": check_complete_visit,
}
REVIEW_CHECKS = {"problem": check_review_to_problem}


def _available_today(checks, obj, user, today):
    return allowed(checks, obj, user, today or timezone.localdate())


def available_actions(visit, user, today=None) -> set[str]:
    """The transitions `user` may take on the visit now (the page shows only these)."""
    return _available_today(VISIT_CHECKS, visit, user, today)


def available_review_actions(review, user, today=None) -> set[str]:
    return _available_today(REVIEW_CHECKS, review, user, today)


@transaction.atomic
def plan_visit(campaign, *, actor, unit, visit_date, team, domains=(), summary="", request=None):
    """A supervisor plans a joint inspection of one township or county department."""
    require_supervisor(actor, "只有监督管理员可以安排监督检查。")
    errors = {}
    _check_enforcement_unit(errors, unit)
    if visit_date is None:
        errors["visit_date"] = "请填写检查日期。"
    team = list(team)
    if not team:
        errors["team"] = "请至少选择一名检查组成员。"
    elif any(not m.has_role(*TEAM_ROLES) for m in team):
        errors["team"] = "检查组成员应为监督管理员、检查组成员或纪检监督员。"
    refuse(errors)
    visit = SupervisionVisit.objects.create(
        campaign=campaign,
        unit=unit,
        visit_date=visit_date,
        summary=summary or "",
        created_by=actor,
    )
    visit.team.set(team)
    visit.domains.set(list(domains))
    _log_and_tell_unit(
        "campaigns.visit.planned",
        visit,
        f"监督检查安排：{campaign.title}",
        f"县司法局会同县纪委监委将于 {visit_date:%Y-%m-%d} 对本单位开展联合监督检查，请做好准备。",
        actor=actor,
        request=request,
        data={
            "visit_date": f"{visit_date:%Y-%m-%d}",
            "team": [m.pk for m in team],
            "domains": [d.name for d in domains],
        },
    )
    return visit


@transaction.atomic
def record_finding(
    visit,
    *,
    actor,
    focus_area,
    description,
    severity=None,
    deadline=None,
    today=None,
    request=None,
):
    """A problem found on the visit goes into the unit's ledger (source 监督检查)."""

    lock(visit)
    today = today or timezone.localdate()
    check_record_finding(visit, actor, today)
    errors = {}
    if focus_area is None:
        errors["focus_area"] = "请选择问题领域。"
    description = required_texts(errors, ("description", description, "请填写问题描述。"))[
        "description"
    ]
    if deadline_error := _check_deadline(deadline, today):
        errors["deadline"] = deadline_error
    refuse(errors)
    problem = create_problem(
        unit=visit.unit,
        focus_area=focus_area,
        description=description,
        source=Problem.Source.SUPERVISION,
        severity=severity or Problem.Severity.NORMAL,
        campaign=visit.campaign,
        source_ref=visit.ref,
        origin=visit,
        deadline=deadline,
        actor=actor,
        request=request,
    )
    _log_and_tell_unit(
        "campaigns.visit.finding_recorded",
        visit,
        "监督检查发现问题，已列入整改台账",
        f"{description[:80]}（整改时限 {deadline:%Y-%m-%d}）",
        actor=actor,
        request=request,
        data={"problem": problem.pk, "focus_area": focus_area.code, "severity": problem.severity},
        url=problem_url(problem),
    )
    return problem


@transaction.atomic
def complete_visit(visit, *, actor, summary, request=None):
    lock(visit)
    check_complete_visit(visit, actor, timezone.localdate())
    summary = required_text(summary, "summary", "请填写检查情况小结。")
    visit.summary = summary
    visit.state = SupervisionVisit.State.DONE
    visit.completed_at = timezone.now()
    visit.completed_by = actor
    visit.save()
    findings = visit.findings().count()
    _log_and_tell_unit(
        "campaigns.visit.completed",
        visit,
        "监督检查已完成",
        f"本次检查发现问题 {findings} 个，请在整改台账中逐项整改。",
        actor=actor,
        request=request,
        data={"findings": findings, "reviews": visit.reviews.count()},
    )
    return visit


# ---------------------------------------------------------------- 案卷评查


@transaction.atomic
def review_case_file(
    visit, *, actor, case_no, scores, case=None, comments="", rubric=None, request=None
):
    """Score one sampled case file of the visited unit against the rubric."""

    lock(visit)
    check_review_case_file(visit, actor, timezone.localdate())
    rubric = rubric or DEFAULT_RUBRIC
    case_no = (case_no or "").strip()
    errors = {}
    if case is not None:
        if case.unit_id != visit.unit_id:
            errors["case"] = "所选案件不属于被检查单位。"
        case_no = case_no or case.case_no
    if not case_no:
        errors["case_no"] = "请填写案件编号。"
    result = score(rubric, scores)
    for code, message in result.errors.items():
        errors[f"score_{code}"] = message
    refuse(errors)
    review = CaseFileReview.objects.create(
        visit=visit,
        case_no=case_no,
        case=case,
        reviewer=actor,
        rubric=rubric,
        scores={item["code"]: int(scores[item["code"]]) for item in rubric},
        total=result.total,
        grade=result.grade,
        comments=(comments or "").strip(),
    )
    log(
        "campaigns.review.scored",
        actor=actor,
        obj=review,
        unit=visit.unit,
        request=request,
        data={"case_no": case_no, "total": result.total, "grade": result.grade},
    )
    return review


@transaction.atomic
def review_to_problem(review, *, actor, deadline, today=None, request=None):
    """A 不合格 case file becomes a problem of the procedure area in the unit's ledger."""

    lock(review)
    visit = review.visit
    today = today or timezone.localdate()
    check_review_to_problem(review, actor, today)
    if deadline_error := _check_deadline(deadline, today):
        raise ValidationError({"deadline": deadline_error})
    lost = "；".join(lost_points(review.rubric, review.scores))
    description = f"案卷评查不合格：案件 {review.case_no} 得分 {review.total} 分。" + (
        f"失分项：{lost}。" if lost else ""
    )
    if review.comments:
        description += f"评查意见：{review.comments}"
    problem = create_problem(
        unit=visit.unit,
        focus_area=FocusArea.objects.get(code="procedure"),
        description=description,
        source=Problem.Source.SUPERVISION,
        severity=Problem.Severity.SERIOUS,
        campaign=visit.campaign,
        source_ref=f"{visit.ref}/案卷评查#{review.pk}",
        origin=review,
        deadline=deadline,
        actor=actor,
        request=request,
    )
    review.problem = problem
    review.save(update_fields=["problem"])
    log(
        "campaigns.review.problem_created",
        actor=actor,
        obj=review,
        unit=visit.unit,
        request=request,
        data={"problem": problem.pk},
    )
    return problem


# ---------------------------------------------------------------- the 条例's instruments
#
# Instrument states (督办函 Art. 27, 意见书 Art. 28):
#
#   draft --issue--> issued --reply--> replied --accept--> accepted
#                      |  ^                |
#                      |  |                +--return--> returned --reply--> replied
#                      |  +--objection rejected--+
#                      +--object--> objected --objection upheld--> withdrawn
#   issued / returned / objected (and overdue or not complied with) --escalate--> escalated
#
# Overdue is derived: issued or returned, and the reply deadline passed.

IS = Instrument.State
DEFAULT_REPLY_WORKDAYS = {
    Instrument.Kind.SUPERVISION_LETTER: 15,
    Instrument.Kind.OPINION_LETTER: 15,
}


def reply_workdays(kind) -> int:
    """The reply deadline in working days for a kind: the supervisor's setting, else the
    default."""
    row = ReplyDeadline.objects.filter(kind=kind).first()
    return row.workdays if row else DEFAULT_REPLY_WORKDAYS[kind]


@transaction.atomic
def set_reply_workdays(*, actor, kind, workdays, request=None):
    require_supervisor(actor, "只有监督管理员可以设置答复期限。")
    if kind not in Instrument.Kind.values:
        raise ValidationError({"kind": "请选择文书种类。"})
    if workdays is None or not 1 <= int(workdays) <= 90:
        raise ValidationError({"workdays": "答复期限应为 1 至 90 个工作日。"})
    row, _ = ReplyDeadline.objects.update_or_create(
        kind=kind,
        defaults={"workdays": int(workdays), "updated_by": actor, "updated_at": timezone.now()},
    )
    log(
        "supervision.instrument.reply_days_set",
        actor=actor,
        obj=row,
        request=request,
        data={"kind": Instrument.Kind(kind).label, "workdays": int(workdays)},
    )
    return row


def _items(required_action: str) -> list[str]:
    """The open items of an instrument: one per non-empty line of 督办/纠正事项."""
    return [line.strip() for line in (required_action or "").splitlines() if line.strip()]


def check_issue(instrument, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以签发监督文书。")
    if instrument.state != IS.DRAFT:
        raise ValidationError("只有草稿状态的文书可以签发。")


def check_reply(instrument, actor, today=None):
    if not is_unit_writer(actor, instrument.unit_id):
        raise PermissionDenied("只有主送单位的填报员或负责人可以答复。")
    if instrument.state not in Instrument.AWAITING_UNIT:
        raise ValidationError("该文书当前不需要答复。")


def check_object(instrument, actor, today=None):
    if not is_unit_writer(actor, instrument.unit_id):
        raise PermissionDenied("只有主送单位的填报员或负责人可以提出异议。")
    if instrument.state not in Instrument.AWAITING_UNIT:
        raise ValidationError("该文书当前不能提出异议。")
    if instrument.replies.filter(kind=InstrumentReply.Kind.OBJECTION).exists():
        raise ValidationError("已就该文书提出过异议，异议不成立的，请按期答复纠正情况。")


def check_accept_reply(instrument, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以审核答复。")
    if instrument.state != IS.REPLIED:
        raise ValidationError("只有“已答复待审核”的文书可以审核答复。")


check_return_reply = check_accept_reply


def check_handle_objection(instrument, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以处理异议。")
    if instrument.state != IS.OBJECTED:
        raise ValidationError("该文书没有待处理的异议。")


def check_escalate_instrument(instrument, actor, today=None):
    """Art. 29: a 督办函/意见书 not complied with: overdue, its reply returned, or an
    objection pending past the deadline."""
    require_supervisor(actor, "只有监督管理员可以提请县政府处理。")
    today = today or timezone.localdate()
    if instrument.state not in Instrument.OPEN_STATES or instrument.state == IS.REPLIED:
        raise ValidationError("只有未落实的督办函、意见书可以提请县政府处理。")
    late = bool(instrument.deadline) and instrument.deadline < today
    if not (late or instrument.state == IS.RETURNED):
        raise ValidationError("答复期限未到且答复未被退回，暂不能提请县政府处理。")


def check_refer(instrument, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以向纪委监委移送问题线索。")
    if instrument.state not in (*Instrument.OPEN_STATES, IS.ESCALATED):
        raise ValidationError("只有签发后尚未办结的文书可以移送线索。")
    if Lead.objects.filter(
        OPEN_LEAD,
        origin_type=ContentType.objects.get_for_model(Instrument),
        origin_id=instrument.pk,
    ).exists():
        raise ValidationError("该文书已有一条未办结的线索在纪委监委。")


INSTRUMENT_CHECKS = {
    "issue": check_issue,
    "reply": check_reply,
    "object": check_object,
    "accept": check_accept_reply,
    "return": check_return_reply,
    "uphold": check_handle_objection,
    "reject": check_handle_objection,
    "escalate": check_escalate_instrument,
    "refer": check_refer,
}


def available_instrument_actions(instrument, user, today=None) -> set[str]:
    return _available_today(INSTRUMENT_CHECKS, instrument, user, today)


def _subject_data(subjects):
    return [f"{s._meta.verbose_name}#{s.pk}" for s in subjects]


@transaction.atomic
def draft_instrument(
    *,
    actor,
    kind,
    unit,
    title,
    facts,
    basis,
    required_action,
    focus_area,
    subjects=(),
    reply_days=None,
    request=None,
):
    """A supervisor drafts a 督办函 or 意见书 to one unit, about the given problems,
    alerts, complaints, cases or visits (`subjects`, objects of the same unit)."""
    require_supervisor(actor, "只有监督管理员可以起草监督文书。")
    errors = {}
    if kind not in Instrument.Kind.values:
        errors["kind"] = "请选择文书种类。"
    _check_enforcement_unit(errors, unit)
    if focus_area is None:
        errors["focus_area"] = "请选择问题领域。"
    text = required_texts(
        errors,
        ("title", title, "请填写标题。"),
        ("facts", facts, "请写明基本事实。"),
        ("basis", basis, "请写明依据。"),
        ("required_action", required_action, "请写明需要履行或纠正的事项。"),
    )
    subjects = list(subjects)
    if unit is not None and any(getattr(s, "unit_id", unit.pk) != unit.pk for s in subjects):
        errors["subjects"] = "关联的问题、预警、举报或案件应属于主送单位。"
    if reply_days is not None and not 1 <= int(reply_days) <= 90:
        errors["reply_days"] = "答复期限应为 1 至 90 个工作日。"
    refuse(errors)
    instrument = Instrument.objects.create(
        kind=kind,
        unit=unit,
        focus_area=focus_area,
        reply_workdays=int(reply_days) if reply_days else reply_workdays(kind),
        created_by=actor,
        **text,
    )
    for subject in subjects:
        InstrumentSubject.objects.get_or_create(
            instrument=instrument,
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
        )
    log(
        "supervision.instrument.drafted",
        actor=actor,
        obj=instrument,
        request=request,
        data={
            "kind": instrument.get_kind_display(),
            "title": instrument.title,
            "subjects": _subject_data(subjects),
        },
    )
    return instrument


@transaction.atomic
def issue_instrument(instrument, *, actor, today=None, request=None):
    """签发: the reply deadline is set in working days from today, each item of
    督办/纠正事项 becomes a ledger problem (origin the instrument, that deadline), the 公文
    is issued with its 文号 and the unit's clerks and leaders are told."""
    today = today or timezone.localdate()
    lock(instrument)
    check_issue(instrument, actor, today)
    instrument.deadline = add_workdays(today, instrument.reply_workdays)
    instrument.state = IS.ISSUED
    instrument.issued_at = timezone.now()
    instrument.issued_by = actor
    instrument.save(update_fields=["deadline", "state", "issued_at", "issued_by"])
    for item in _items(instrument.required_action):
        create_problem(
            unit=instrument.unit,
            focus_area=instrument.focus_area,
            description=f"{instrument.get_kind_display()}“{instrument.title}”：{item}",
            source=Problem.Source.SUPERVISION,
            severity=Problem.Severity.SERIOUS,
            source_ref=instrument.ref,
            origin=instrument,
            deadline=instrument.deadline,
            today=today,
            actor=actor,
            request=request,
        )
    # The notice below links to where the unit replies; the engine's own would be a second.
    documents.issue(instrument, actor=actor, notify_unit=False)
    Problem.objects.from_origin(instrument).update(source_ref=instrument.ref[:120])
    _log_and_tell_unit(
        "supervision.instrument.issued",
        instrument,
        f"收到{instrument.get_kind_display()}：{instrument.title}",
        f"请于 {instrument.deadline:%Y-%m-%d} 前答复纠正情况（{instrument.reply_workdays} 个工作日）。",
        actor=actor,
        request=request,
        data={
            "number": instrument.number,
            "due_date": instrument.deadline.isoformat(),
            "workdays": instrument.reply_workdays,
            "problems": list(instrument.problems().values_list("pk", flat=True)),
        },
        important=True,
    )
    return instrument


def _check_files(files):
    checked = []
    for upload in files or ():
        if isinstance(upload, CheckedFile):
            checked.append(upload)
            continue
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
    return checked


def reply_instrument(instrument, *, actor, text, files=(), today=None, request=None):
    """The unit's reply (纠正情况) with its evidence: its items in the ledger go to
    待验收 with the reply as their note, and the supervisor is told."""
    check_reply(instrument, actor, today)
    text = required_text(text, "text", "请填写纠正（履职）情况。")
    checked = _check_files(files)
    with transaction.atomic():
        lock(instrument)
        check_reply(instrument, actor, today)
        reply = InstrumentReply.objects.create(
            instrument=instrument, kind=InstrumentReply.Kind.REPLY, text=text, by=actor
        )
        names = [
            save_attachment(c, owner=reply, unit=instrument.unit, user=actor).original_name
            for c in checked
        ]
        for problem in instrument.problems().open().order_by("pk"):
            if problem.state == Problem.State.PENDING:
                start_rectification(
                    problem,
                    actor=actor,
                    measures=text,
                    responsible_person=actor.display_name or actor.username,
                    request=request,
                )
            if problem.state == Problem.State.IN_PROGRESS:
                submit_for_acceptance(problem, actor=actor, note=text, request=request)
        instrument.state = IS.REPLIED
        instrument.save(update_fields=["state"])
        log(
            "supervision.instrument.replied",
            actor=actor,
            obj=instrument,
            request=request,
            data={"text": text[:200], "attachments": names},
        )
        notify(
            role_users(Role.SUPERVISOR),
            f"{instrument.unit.name}已答复{instrument.get_kind_display()}",
            text[:200],
            url=instrument.get_absolute_url(),
        )
    return reply


@transaction.atomic
def object_instrument(instrument, *, actor, text, today=None, request=None):
    """异议 (Art. 30): the unit objects with its reasons; the supervisor handles it."""
    lock(instrument)
    check_object(instrument, actor, today)
    text = required_text(text, "text", "请写明异议的事实和理由。")
    reply = InstrumentReply.objects.create(
        instrument=instrument, kind=InstrumentReply.Kind.OBJECTION, text=text, by=actor
    )
    instrument.state = IS.OBJECTED
    instrument.save(update_fields=["state"])
    log(
        "supervision.instrument.objected",
        actor=actor,
        obj=instrument,
        request=request,
        data={"text": text[:200]},
    )
    notify(
        role_users(Role.SUPERVISOR),
        f"{instrument.unit.name}对{instrument.get_kind_display()}提出异议",
        text[:200],
        url=instrument.get_absolute_url(),
    )
    return reply


def _pending(instrument, kind):
    return instrument.replies.filter(kind=kind, decision=InstrumentReply.Decision.PENDING).last()


def _decide(reply, decision, actor, note):
    reply.decision = decision
    reply.decision_note = note
    reply.decided_by = actor
    reply.decided_at = timezone.now()
    reply.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])


@transaction.atomic
def accept_reply(instrument, *, actor, note="", today=None, request=None):
    """The supervisor accepts the reply: the instrument is concluded and its items in the
    ledger are accepted (销号)."""
    lock(instrument)
    check_accept_reply(instrument, actor, today)
    note = (note or "").strip()
    _decide(
        _pending(instrument, InstrumentReply.Kind.REPLY),
        InstrumentReply.Decision.ACCEPTED,
        actor,
        note,
    )
    for problem in instrument.problems().filter(state=Problem.State.AWAITING_ACCEPTANCE):
        accept_problem(
            problem, actor=actor, note=note or "文书答复经审核予以认可。", request=request
        )
    instrument.state = IS.ACCEPTED
    instrument.closed_at = timezone.now()
    instrument.save(update_fields=["state", "closed_at"])
    _log_and_tell_unit(
        "supervision.instrument.accepted",
        instrument,
        f"{instrument.get_kind_display()}“{instrument.title}”已办结",
        note or "答复经审核予以认可。",
        actor=actor,
        request=request,
        data={"note": note},
    )
    return instrument


@transaction.atomic
def return_reply(instrument, *, actor, reason, today=None, request=None):
    """The supervisor returns the reply with the reason; the unit replies again (its
    ledger items go back to 整改中)."""
    lock(instrument)
    check_return_reply(instrument, actor, today)
    reason = required_text(reason, "reason", "请填写退回理由。")
    _decide(
        _pending(instrument, InstrumentReply.Kind.REPLY),
        InstrumentReply.Decision.RETURNED,
        actor,
        reason,
    )
    for problem in instrument.problems().filter(state=Problem.State.AWAITING_ACCEPTANCE):
        return_problem(problem, actor=actor, reason=reason, request=request)
    instrument.state = IS.RETURNED
    instrument.save(update_fields=["state"])
    _log_and_tell_unit(
        "supervision.instrument.returned",
        instrument,
        f"{instrument.get_kind_display()}答复被退回，请重新答复",
        reason,
        actor=actor,
        request=request,
        data={"reason": reason},
        important=True,
    )
    return instrument


@transaction.atomic
def handle_objection(instrument, *, actor, uphold, note, today=None, request=None):
    """异议成立: the instrument is withdrawn and its open ledger items are withdrawn with
    it. 异议不成立: the reply is still due by the same deadline."""
    lock(instrument)
    check_handle_objection(instrument, actor, today)
    note = required_text(note, "note", "请填写异议处理意见。")
    D = InstrumentReply.Decision
    _decide(
        _pending(instrument, InstrumentReply.Kind.OBJECTION),
        D.UPHELD if uphold else D.REJECTED,
        actor,
        note,
    )
    instrument.objection_result = note
    if uphold:
        for problem in instrument.problems().open():
            withdraw_problem(
                problem, actor=actor, reason=f"异议成立，文书撤回：{note}", request=request
            )
        instrument.state = IS.WITHDRAWN
        instrument.closed_at = timezone.now()
    else:
        instrument.state = IS.ISSUED
    instrument.save(update_fields=["state", "objection_result", "closed_at"])
    _log_and_tell_unit(
        "supervision.instrument.objection_handled",
        instrument,
        f"异议处理结果：{'异议成立，文书撤回' if uphold else '异议不成立，请按期答复'}",
        note,
        actor=actor,
        request=request,
        data={"decision": "异议成立" if uphold else "异议不成立", "note": note},
        important=not uphold,
    )
    return instrument


@transaction.atomic
def escalate_instrument(instrument, *, actor, facts, proposal, today=None, request=None):
    """Art. 29: an instrument not complied with goes to the county government as a 处理建议
    (its 公文 issued with a 文号); the government's 决定书 is recorded on the proposal."""
    today = today or timezone.localdate()
    lock(instrument)
    check_escalate_instrument(instrument, actor, today)
    p = _new_proposal(
        actor=actor,
        unit=instrument.unit,
        instrument=instrument,
        reason=Proposal.Reason.NONCOMPLIANCE,
        facts=facts,
        proposal=proposal,
    )
    instrument.state = IS.ESCALATED
    instrument.save(update_fields=["state"])
    # The notice below tells the unit; the engine's own would be a second one.
    documents.issue(p, actor=actor, notify_unit=False)
    _log_and_tell_unit(
        "supervision.instrument.escalated",
        instrument,
        f"{instrument.get_kind_display()}未落实，已提请县政府处理",
        p.proposal[:200],
        actor=actor,
        request=request,
        data={"proposal": p.pk, "number": p.number},
        important=True,
    )
    return p


def _new_proposal(*, actor, unit, instrument, reason, facts, proposal):
    errors = {}
    text = required_texts(
        errors,
        ("facts", facts, "请写明基本情况。"),
        ("proposal", proposal, "请写明处理建议。"),
    )
    refuse(errors)
    facts, proposal = text["facts"], text["proposal"]
    return Proposal.objects.create(
        unit=unit,
        instrument=instrument,
        reason=reason,
        facts=facts,
        proposal=proposal,
        created_by=actor,
    )


@transaction.atomic
def propose_for_major_problem(*, actor, unit, facts, proposal, request=None):
    """Art. 29: a 重大问题 goes to the county government without an instrument first."""
    require_supervisor(actor, "只有监督管理员可以提请县政府处理。")
    refuse(_check_enforcement_unit({}, unit))
    p = _new_proposal(
        actor=actor,
        unit=unit,
        instrument=None,
        reason=Proposal.Reason.MAJOR,
        facts=facts,
        proposal=proposal,
    )
    documents.issue(p, actor=actor)
    log(
        "supervision.proposal.created",
        actor=actor,
        obj=p,
        request=request,
        data={"number": p.number},
    )
    return p


def check_record_decision(proposal, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以登记县政府的决定书。")
    if proposal.state != Proposal.State.SENT:
        raise ValidationError("该处理建议的决定书已登记。")


PROPOSAL_CHECKS = {"decision": check_record_decision}


def available_proposal_actions(proposal, user, today=None) -> set[str]:
    return _available_today(PROPOSAL_CHECKS, proposal, user, today)


def record_decision(proposal, *, actor, number, date, content, file=None, today=None, request=None):
    """The county government's 行政执法监督决定书 as it came back: number, date, content and
    the scanned document."""
    check_record_decision(proposal, actor, today)
    today = today or timezone.localdate()
    errors = {}
    text = required_texts(
        errors,
        ("number", number, "请填写决定书文号。"),
        ("content", content, "请填写决定内容。"),
    )
    if date is None:
        errors["date"] = "请填写决定日期。"
    elif date > today:
        errors["date"] = "决定日期不能晚于今天。"
    refuse(errors)
    number, content = text["number"], text["content"]
    checked = _check_files([file] if file else [])
    with transaction.atomic():
        lock(proposal)
        check_record_decision(proposal, actor, today)
        proposal.decision_number = number
        proposal.decision_date = date
        proposal.decision_content = content
        proposal.decided_recorded_by = actor
        proposal.state = Proposal.State.DECIDED
        proposal.save()
        names = [
            save_attachment(c, owner=proposal, unit=proposal.unit, user=actor).original_name
            for c in checked
        ]
        _log_and_tell_unit(
            "supervision.proposal.decided",
            proposal,
            f"县政府作出行政执法监督决定书：{number}",
            content[:200],
            actor=actor,
            request=request,
            data={"number": number, "date": date.isoformat(), "attachments": names},
            important=True,
        )
    return proposal


@transaction.atomic
def refer_to_discipline(instrument, *, actor, note, today=None, request=None):
    """移送 (Art. 33): a clue about the instrument's unit to the discipline commission."""
    lock(instrument)
    check_refer(instrument, actor, today)
    note = required_text(note, "note", "请写明移送的问题线索。")
    lead = create_lead(
        unit=instrument.unit,
        title=f"{instrument.get_kind_display()}未落实：{instrument.unit.name}",
        description=f"{instrument.title}\n\n{note}",
        source=Problem.Source.SUPERVISION,
        source_ref=instrument.ref,
        origin=instrument,
        actor=actor,
        today=today,
        request=request,
    )
    log(
        "supervision.instrument.referred",
        actor=actor,
        obj=instrument,
        request=request,
        data={"lead": lead.pk},
    )
    return lead


# ---------------------------------------------------------------- measures


@transaction.atomic
def record_interview(
    *,
    actor,
    unit,
    held_at,
    interviewers,
    attendees,
    content,
    place="",
    follow_ups="",
    focus_area=None,
    instrument=None,
    today=None,
    request=None,
):
    """约谈 (Art. 22): the record, and each follow-up item (one per line) a ledger problem
    whose origin is the interview."""
    require_supervisor(actor, "只有监督管理员可以记录约谈。")
    errors, fields = _interview_fields(unit, held_at, interviewers, attendees, place, instrument)
    fields.update(required_texts(errors, ("content", content, "请记录约谈内容。")))
    items = _follow_up_items(errors, follow_ups, focus_area)
    refuse(errors)
    interview = Interview.objects.create(created_by=actor, **fields)
    _minutes_recorded(interview, items, focus_area, actor, today, request)
    return interview


def _follow_up_items(errors, follow_ups, focus_area) -> list[str]:
    """The 约谈's follow-up items (one per line); they need a problem area."""
    items = _items(follow_ups)
    if items and focus_area is None:
        errors["focus_area"] = "有整改事项时请选择问题领域。"
    return items


def _minutes_recorded(interview, items, focus_area, actor, today, request):
    """The 约谈's content is on record: its follow-up items into the ledger, the audit row,
    the unit's clerks and leaders told."""
    _follow_up_problems(interview, items, focus_area, actor, today, request)
    _log_and_tell_unit(
        "supervision.interview.recorded",
        interview,
        "约谈记录及整改事项",
        f"约谈整改事项 {len(items)} 项已列入整改台账。" if items else interview.content[:200],
        actor=actor,
        request=request,
        data={"date": f"{timezone.localtime(interview.held_at):%Y-%m-%d}", "items": len(items)},
    )


def _interview_fields(unit, held_at, interviewers, attendees, place, instrument):
    """The errors and the fields of a new 约谈, recorded or scheduled: who, when, where."""
    errors = {}
    _check_enforcement_unit(errors, unit)
    if held_at is None:
        errors["held_at"] = "请填写约谈时间。"
    fields = required_texts(
        errors,
        ("interviewers", interviewers, "请填写约谈人。"),
        ("attendees", attendees, "请填写被约谈人。"),
    )
    fields.update(unit=unit, held_at=held_at, place=(place or "").strip(), instrument=instrument)
    return errors, fields


@transaction.atomic
def schedule_interview(
    *,
    actor,
    unit,
    held_at,
    interviewers,
    attendees,
    reason,
    place="",
    instrument=None,
    request=None,
):
    """安排约谈: the 约谈通知 goes to the unit as a 公文 with its 文号; the record of what was
    said follows (`record_minutes`)."""
    require_supervisor(actor, "只有监督管理员可以安排约谈。")
    errors, fields = _interview_fields(unit, held_at, interviewers, attendees, place, instrument)
    fields.update(required_texts(errors, ("reason", reason, "请写明约谈事由。")))
    refuse(errors)
    interview = Interview.objects.create(state=Interview.State.PLANNED, created_by=actor, **fields)
    documents.issue(interview, actor=actor)
    log(
        "supervision.interview.scheduled",
        actor=actor,
        obj=interview,
        request=request,
        data={"date": f"{timezone.localtime(held_at):%Y-%m-%d %H:%M}", "number": interview.number},
    )
    return interview


def check_record_minutes(interview, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以记录约谈情况。")
    if interview.state != Interview.State.PLANNED:
        raise ValidationError("该约谈已记录。")


def _follow_up_problems(interview, items, focus_area, actor, today, request):
    for item in items:
        create_problem(
            unit=interview.unit,
            focus_area=focus_area,
            description=f"约谈整改事项：{item}",
            source=Problem.Source.SUPERVISION,
            source_ref=f"约谈#{interview.pk}",
            origin=interview,
            today=today,
            actor=actor,
            request=request,
        )


@transaction.atomic
def record_minutes(
    interview, *, actor, content, follow_ups="", focus_area=None, today=None, request=None
):
    """What was said at a scheduled 约谈, and its follow-up items into the ledger."""
    lock(interview)
    check_record_minutes(interview, actor, today)
    errors = {}
    content = required_texts(errors, ("content", content, "请记录约谈内容。"))["content"]
    items = _follow_up_items(errors, follow_ups, focus_area)
    refuse(errors)
    interview.content = content
    interview.state = Interview.State.HELD
    interview.save(update_fields=["content", "state"])
    _minutes_recorded(interview, items, focus_area, actor, today, request)
    return interview


@transaction.atomic
def publish_circular(*, actor, title, content, audience, units=(), request=None):
    """通报 (Art. 31): to all units, or to the public (then on the portal's list)."""
    require_supervisor(actor, "只有监督管理员可以发布通报。")
    errors = {}
    text = required_texts(
        errors,
        ("title", title, "请填写标题。"),
        ("content", content, "请填写通报内容。"),
    )
    if audience not in Circular.Audience.values:
        errors["audience"] = "请选择通报范围。"
    refuse(errors)
    title, content = text["title"], text["content"]
    circular = Circular.objects.create(
        title=title, content=content, audience=audience, created_by=actor
    )
    circular.units.set(list(units))
    documents.issue(circular, actor=actor)
    log(
        "supervision.circular.published",
        actor=actor,
        obj=circular,
        request=request,
        data={
            "title": title,
            "audience": circular.get_audience_display(),
            "number": circular.number,
        },
    )
    notify(
        User.objects.filter(is_active=True, unit__isnull=False),
        f"通报：{title}",
        content[:200],
        url=reverse("supervision:circular", args=[circular.pk]),
    )
    return circular


@transaction.atomic
def recommend_officer(
    *,
    actor,
    unit,
    officer_name,
    measure,
    reason,
    competent_body,
    certificate_no="",
    instrument=None,
    request=None,
):
    """Art. 32: a recommendation about one officer to the competent body."""
    require_supervisor(actor, "只有监督管理员可以提出执法人员处理建议。")
    errors = {}
    if unit is None:
        errors["unit"] = "请选择执法人员所在单位。"
    if measure not in OfficerRecommendation.Measure.values:
        errors["measure"] = "请选择建议措施。"
    fields = required_texts(
        errors,
        ("officer_name", officer_name, "请填写执法人员姓名。"),
        ("reason", reason, "请写明事实与理由。"),
        ("competent_body", competent_body, "请填写有权作出决定的机关。"),
    )
    refuse(errors)
    rec = OfficerRecommendation.objects.create(
        unit=unit,
        measure=measure,
        certificate_no=(certificate_no or "").strip(),
        instrument=instrument,
        created_by=actor,
        **fields,
    )
    log(
        "supervision.officer.recommended",
        actor=actor,
        obj=rec,
        request=request,
        data={"name": rec.officer_name, "measure": rec.get_measure_display()},
    )
    return rec


def check_officer_decision(rec, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以登记有权机关的决定。")
    if rec.decision_date:
        raise ValidationError("该建议的决定已登记。")


@transaction.atomic
def record_officer_decision(rec, *, actor, decision, date, today=None, request=None):
    lock(rec)
    check_officer_decision(rec, actor, today)
    today = today or timezone.localdate()
    errors = {}
    decision = required_texts(errors, ("decision", decision, "请填写有权机关的决定。"))["decision"]
    if date is None or date > today:
        errors["date"] = "请填写不晚于今天的决定日期。"
    refuse(errors)
    rec.decision = decision
    rec.decision_date = date
    rec.save(update_fields=["decision", "decision_date"])
    log(
        "supervision.officer.decided",
        actor=actor,
        obj=rec,
        request=request,
        data={"decision": decision[:200], "date": date.isoformat()},
    )
    return rec


# ---------------------------------------------------------------- the commission's requests


@transaction.atomic
def request_supervision(*, actor, unit, reason, problem=None, request=None):
    """The discipline commission asks the supervisor for a 督办 on a unit or a problem."""
    if not is_discipline(actor):
        raise PermissionDenied("只有纪检监督员可以提出督办请求。")
    errors = {}
    if unit is None and problem is not None:
        unit = problem.unit
    if unit is None:
        errors["unit"] = "请选择涉及单位。"
    elif problem is not None and problem.unit_id != unit.pk:
        errors["problem"] = "所选问题不属于该单位。"
    reason = required_texts(errors, ("reason", reason, "请写明督办请求。"))["reason"]
    refuse(errors)
    req = DisciplineRequest.objects.create(
        unit=unit, problem=problem, reason=reason, requested_by=actor
    )
    log(
        "supervision.request.created",
        actor=actor,
        obj=req,
        request=request,
        data={"problem": problem.pk if problem else None, "reason": reason[:200]},
    )
    notify(
        role_users(Role.SUPERVISOR),
        f"纪委监委督办请求：{unit.name}",
        reason[:200],
        url=reverse("supervision:requests"),
        important=True,
    )
    return req


def check_answer_request(req, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以处理督办请求。")
    if req.state != DisciplineRequest.State.OPEN:
        raise ValidationError("该督办请求已处理。")


@transaction.atomic
def answer_request(req, *, actor, answer, instrument=None, request=None):
    lock(req)
    check_answer_request(req, actor)
    answer = required_text(answer, "answer", "请填写处理情况。")
    req.answer = answer
    req.instrument = instrument
    req.state = DisciplineRequest.State.DONE
    req.handled_by = actor
    req.handled_at = timezone.now()
    req.save()
    log(
        "supervision.request.answered",
        actor=actor,
        obj=req,
        request=request,
        data={"text": answer[:200]},
    )
    notify(
        [req.requested_by] if req.requested_by else [],
        "督办请求已处理",
        answer[:200],
        url=reverse("supervision:requests"),
    )
    return req
