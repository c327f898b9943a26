"""State changes of a 信用修复 application and the record of 三书同达. The shape of every
app: `check_<name>(obj, actor, today)` refuses the wrong person (PermissionDenied) or
state (ValidationError) without the input; the action locks, checks again, writes,
audits and notifies (on commit). `due_items(today)` yields the open steps with their
deadlines for the reminders ladder."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jiandu import workdays
from jiandu.audit.log import log
from jiandu.credit.models import RepairApplication, ThreeDocsService, Withdrawal
from jiandu.documents.uploads import save_attachment
from jiandu.enforcement.models import PenaltyCase
from jiandu.lib import uscc as uscc_lib
from jiandu.lib.action_errors import required_text
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.monitoring import deadlines
from jiandu.monitoring.deadlines import DueItem
from jiandu.orgs.access import is_unit_writer, unit_users
from jiandu.orgs.models import Role, Unit
from jiandu.orgs.notify import notify
from jiandu.portal.actions import new_tracking_code

S = RepairApplication.State
REVIEW_ONLY = "只有作出处罚的单位的经办人或负责人可以审核信用修复申请。"
NOT_FOUND = (
    "未找到该统一社会信用代码名下、文号为所填文号的行政处罚决定，"
    "请核对处罚决定书上的文号和统一社会信用代码。"
)


def _today(today):
    return today or timezone.localdate()


def platform_unit() -> Unit | None:
    """The credit platform's owner (e.g. 发改局), a setting: it also withdraws the
    publication of a repaired penalty."""
    code = getattr(settings, "CREDIT_PLATFORM_UNIT", "") or ""
    return Unit.objects.filter(code=code).first() if code else None


# --- deadlines: the settings SERV-03 (review) and SERV-02 (withdrawal) check ---------------


def review_deadline(app, calendar=None) -> date:
    return deadlines.deadline("SERV-03", app.applied_on, calendar)


def withdrawal_deadline(app, calendar=None) -> date | None:
    return deadlines.deadline("SERV-02", app.decided_on, calendar) if app.decided_on else None


def review_item(app, calendar=None) -> DueItem:
    """A submitted application's review, due to the case's unit."""
    return DueItem(
        "credit_review",
        app,
        f"信用修复申请 {app.reference}（{app.enterprise_name}）",
        "审核信用修复申请",
        app.unit_id,
        review_deadline(app, calendar),
        app.get_absolute_url(),
    )


def withdrawal_item(w, calendar=None) -> DueItem:
    """One publishing unit's withdrawal of an approved application's publication."""
    app = w.application
    return DueItem(
        "credit_withdrawal",
        w,
        f"信用修复 {app.reference}（{app.enterprise_name}）",
        "撤下处罚公示",
        w.unit_id,
        withdrawal_deadline(app, calendar),
        app.get_absolute_url(),
    )


def due_items(today=None):
    """Applications awaiting review, and withdrawals awaiting confirmation, with their
    deadlines (the reminders ladder registers this)."""
    calendar = workdays.calendar()
    for app in RepairApplication.objects.filter(state=S.SUBMITTED).iterator():
        yield review_item(app, calendar)
    pending = Withdrawal.objects.filter(
        confirmed_on__isnull=True, application__state=S.APPROVED
    ).select_related("application")
    for w in pending.iterator():
        yield withdrawal_item(w, calendar)


# --- the enterprise applies (public) ----------------------------------------------------


def find_case(uscc: str, decision_no: str):
    """The decided penalty of this party with this 决定书文号; None otherwise (the same
    answer whether the number or the code is wrong: nothing about others is told)."""
    decision_no = (decision_no or "").strip()
    case = (
        PenaltyCase.objects.filter(party_uscc=uscc, case_no=decision_no)
        .select_related("unit")
        .first()
    )
    return case if case is not None and case.punished else None


def _refuse_second_pending(case):
    if RepairApplication.objects.filter(case=case, state=S.SUBMITTED).exists():
        raise ValidationError(
            {"decision_no": "该处罚已有一份待审核的信用修复申请，请凭当时的查询码查看进度。"}
        )


def submit_application(
    *, uscc, enterprise_name, decision_no, grounds, files=(), today=None, request=None
):
    day = _today(today)
    uscc = (uscc or "").strip().upper()
    reason = uscc_lib.problem(uscc)
    if reason:
        raise ValidationError({"uscc": reason})
    case = find_case(uscc, decision_no)
    if case is None:
        raise ValidationError({"decision_no": NOT_FOUND})
    if not (grounds or "").strip():
        raise ValidationError({"grounds": "请填写申请理由（已履行处罚、已整改等情况）。"})
    _refuse_second_pending(case)
    for _ in range(3):
        try:
            with transaction.atomic():
                # Two submissions at once: the second waits here and is then refused.
                lock(case)
                _refuse_second_pending(case)
                app = RepairApplication.objects.create(
                    code=new_tracking_code(),
                    case=case,
                    unit=case.unit,
                    uscc=uscc,
                    enterprise_name=(enterprise_name or "").strip() or case.party_name,
                    decision_no=case.case_no,
                    grounds=grounds.strip(),
                    applied_on=day,
                )
                for checked in files or ():
                    save_attachment(checked, owner=app, unit=case.unit)
                log(
                    "credit.application.submitted",
                    obj=app,
                    request=request,
                    data={"case_no": case.case_no, "files": len(files or ())},
                    object_repr=str(app),
                )
                notify(
                    list(unit_users(case.unit_id, Role.CLERK, Role.LEADER)),
                    f"收到信用修复申请：{app.reference}",
                    f"{app.enterprise_name}申请对 {case.case_no} 的处罚信息进行信用修复，"
                    f"请于 {review_deadline(app):%Y-%m-%d} 前审核。",
                    url=app.get_absolute_url(),
                    important=True,
                )
                return app
        except IntegrityError:
            continue  # a code collision: draw again
    raise ValidationError("提交失败，请稍后重试。")


# --- the unit reviews ---------------------------------------------------------------------


def _require_reviewer(app, actor):
    if not is_unit_writer(actor, app.unit_id):
        raise PermissionDenied(REVIEW_ONLY)
    if app.state != S.SUBMITTED:
        raise ValidationError(f"该申请已{app.get_state_display()}，不能再次审核。")


def check_approve(app, actor, today=None):
    _require_reviewer(app, actor)


def check_refuse(app, actor, today=None):
    _require_reviewer(app, actor)


def check_withdraw(app, actor, today=None):
    if not (actor and actor.is_authenticated and actor.unit_id):
        raise PermissionDenied("只有公示单位可以确认撤下公示。")
    if (
        not is_unit_writer(actor, actor.unit_id)
        or not app.withdrawals.filter(unit_id=actor.unit_id).exists()
    ):
        raise PermissionDenied("只有公示该处罚信息的单位可以确认撤下公示。")
    if app.state != S.APPROVED:
        raise ValidationError("申请尚未准予修复，不需要撤下公示。")
    if not app.withdrawals.filter(unit_id=actor.unit_id, confirmed_on__isnull=True).exists():
        raise ValidationError("本单位已确认撤下公示。")


CHECKS = {"approve": check_approve, "refuse": check_refuse, "withdraw": check_withdraw}


def available_actions(app, user, today=None) -> set[str]:
    return allowed(CHECKS, app, user, today)


def _notify_applicant_units(app, title, body):
    users = []
    for w in app.withdrawals.all():
        users += list(unit_users(w.unit_id, Role.CLERK, Role.LEADER))
    notify(users, title, body, url=app.get_absolute_url(), important=True)


def _decide(app, actor, day, check, state, field, text, required):
    """The review's decision: `check`, the written opinion or reason (`field`; empty:
    the `required` message), the lock, `check` again, the decision recorded."""
    check(app, actor, day)
    text = required_text(text, field, required)
    lock(app)
    check(app, actor, day)
    app.state = state
    app.decided_on = day
    app.decided_by = actor
    app.opinion = text
    app.save()
    return text


@transaction.atomic
def approve_application(app, *, actor, opinion, today=None, request=None):
    """准予修复: each unit that published the penalty (the case's, the credit platform's
    owner) now has to confirm the withdrawal of the publication."""
    day = _today(today)
    opinion = _decide(
        app, actor, day, check_approve, S.APPROVED, "opinion", opinion, "请填写审核意见。"
    )
    units = [app.unit]
    owner = platform_unit()
    if owner is not None and owner.pk != app.unit_id:
        units.append(owner)
    for unit in units:
        Withdrawal.objects.create(application=app, unit=unit)
    log(
        "credit.application.approved",
        actor=actor,
        obj=app,
        request=request,
        data={"opinion": opinion, "case_no": app.decision_no},
    )
    _notify_applicant_units(
        app,
        f"信用修复已准予，请撤下公示：{app.reference}",
        f"{app.decision_no}（{app.enterprise_name}）准予信用修复，请于 "
        f"{withdrawal_deadline(app):%Y-%m-%d} 前撤下处罚公示并在平台确认。",
    )
    return app


@transaction.atomic
def refuse_application(app, *, actor, reason, today=None, request=None):
    day = _today(today)
    reason = _decide(
        app,
        actor,
        day,
        check_refuse,
        S.REFUSED,
        "reason",
        reason,
        "不予修复的，请写明理由（申请人可凭查询码查看）。",
    )
    log(
        "credit.application.refused",
        actor=actor,
        obj=app,
        request=request,
        data={"reason": reason, "case_no": app.decision_no},
    )
    return app


@transaction.atomic
def confirm_withdrawal(app, *, actor, note="", today=None, request=None):
    day = _today(today)
    check_withdraw(app, actor, day)
    lock(app)
    check_withdraw(app, actor, day)
    w = lock(app.withdrawals.get(unit_id=actor.unit_id))
    w.confirmed_on = day
    w.confirmed_by = actor
    w.note = (note or "").strip()[:300]
    w.save()
    log(
        "credit.withdrawal.confirmed",
        actor=actor,
        obj=app,
        unit=w.unit,
        request=request,
        data={"unit": w.unit.name, "note": w.note},
    )
    return w


# --- 三书同达 ------------------------------------------------------------------------------


def check_serve(case, actor, today=None):
    if not is_unit_writer(actor, case.unit_id):
        raise PermissionDenied("只有办案单位的经办人或负责人可以登记送达。")
    if not case.three_docs_required:
        raise ValidationError("该案件不要求三书同达（当事人为自然人、仅警告或未作出处罚）。")
    if ThreeDocsService.objects.filter(case=case).exists():
        raise ValidationError("该案件的三书送达已登记。")


SERVE_CHECKS = {"serve": check_serve}


def available_case_actions(case, user, today=None) -> set[str]:
    return allowed(SERVE_CHECKS, case, user, today)


@transaction.atomic
def record_three_docs(case, *, actor, served_on, method, today=None, request=None):
    """The unit served the 信用修复告知书 and the 合规指导意见书 with the 决定书: the
    case's dates say so (what SERV-01 reads). The 决定书's own date is set when missing;
    a different one stays, and SERV-01 will then report the documents served apart."""
    day = _today(today)
    check_serve(case, actor, day)
    if served_on is None:
        raise ValidationError({"served_on": "请填写送达日期。"})
    if served_on > day:
        raise ValidationError({"served_on": "送达日期不能晚于今天。"})
    if case.decided_on and served_on < case.decided_on:
        raise ValidationError({"served_on": "送达日期不能早于处罚决定日期。"})
    if method not in ThreeDocsService.Method.values:
        raise ValidationError({"method": "请选择送达方式。"})
    lock(case)
    check_serve(case, actor, day)
    if case.served_on is None:
        case.served_on = served_on
    case.credit_notice_on = served_on
    case.compliance_advice_on = served_on
    case.updated_at = timezone.now()
    case.save(update_fields=["served_on", "credit_notice_on", "compliance_advice_on", "updated_at"])
    service = ThreeDocsService.objects.create(
        case=case, served_on=served_on, method=method, recorded_by=actor
    )
    log(
        "credit.three_docs.served",
        actor=actor,
        obj=case,
        request=request,
        data={
            "case_no": case.case_no,
            "date": served_on.isoformat(),
            "method": service.get_method_display(),
        },
    )
    return service
