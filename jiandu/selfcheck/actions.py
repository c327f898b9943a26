"""State changes of self-check reports (自查表). One function per transition: it
checks permission and state, writes the change and its audit row in one transaction.

Self-check report states:
    draft --request_signoff--> pending_signoff --submit_report--> submitted
    draft/returned --submit_report (leader)--> submitted
    submitted --accept_report--> accepted (each 存在问题 answer becomes a ledger Problem)
    submitted --return_report--> returned (reason required) --> corrected and resubmitted
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.documents.uploads import attachments_of, save_attachment
from jiandu.ledger.actions import create_problem
from jiandu.ledger.deadlines import capped_deadline
from jiandu.ledger.models import Problem
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import require_supervisor, role_users, unit_users
from jiandu.orgs.models import Role
from jiandu.orgs.notify import notify
from jiandu.selfcheck.models import SelfCheckAnswer, SelfCheckReport
from jiandu.selfcheck.signals import urged

State = SelfCheckReport.State
EDITABLE_STATES = {State.DRAFT, State.PENDING_SIGNOFF, State.RETURNED}
ANSWER_FIELDS = (
    "has_problem",
    "description",
    "cause",
    "measures",
    "deadline",
    "responsible_person",
)
REQUIRED_FOR_PROBLEM = [
    ("description", "问题描述"),
    ("measures", "整改措施"),
    ("deadline", "整改时限"),
    ("responsible_person", "责任人"),
]


class IncompleteReport(ValidationError):
    """Raised when a report is sent on with items unanswered or problems half described.
    `by_answer` maps answer ids to [(field, message)] so a form can show them in place."""

    def __init__(self, messages: list[str], by_answer: dict[int, list[tuple[str, str]]]):
        super().__init__(messages)
        self.by_answer = by_answer


# ---------------------------------------------------------------- permissions


def _require_unit_role(user, unit_id, *roles, message):
    if not (user and user.is_authenticated and user.unit_id == unit_id and user.has_role(*roles)):
        raise PermissionDenied(message)


def _require_state(report, states, message):
    if report.state not in states:
        raise ValidationError(message.format(state=report.get_state_display()))


def check_save(report, actor, today=None):
    _require_unit_role(
        actor,
        report.unit_id,
        Role.CLERK,
        Role.LEADER,
        message="只有本单位的填报员或负责人可以填写自查表。",
    )
    _require_state(report, EDITABLE_STATES, "自查表{state}，不能再修改。")


def check_signoff(report, actor, today=None):
    _require_unit_role(
        actor,
        report.unit_id,
        Role.CLERK,
        Role.LEADER,
        message="只有本单位的填报员可以提请负责人签发。",
    )
    _require_state(report, {State.DRAFT, State.RETURNED}, "自查表{state}，不能提请签发。")


def check_submit(report, actor, today=None):
    _require_unit_role(
        actor, report.unit_id, Role.LEADER, message="只有本单位负责人可以签发上报自查表。"
    )
    _require_state(report, EDITABLE_STATES, "自查表{state}，不能再次上报。")


def check_return(report, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以退回自查表。")
    _require_state(report, {State.SUBMITTED}, "自查表{state}，不能退回。")


def check_accept(report, actor, today=None):
    require_supervisor(actor, "只有监督管理员可以接收自查表。")
    _require_state(report, {State.SUBMITTED}, "自查表{state}，不能接收。")


REPORT_CHECKS = {
    "save": check_save,
    "signoff": check_signoff,
    "submit": check_submit,
    "return": check_return,
    "accept": check_accept,
}


def available_actions(report, user, today=None) -> set[str]:
    """The transitions `user` may take on the report now (answers complete or not: that
    is the input's question, asked when the step is taken)."""
    today = today or timezone.localdate()
    return allowed(REPORT_CHECKS, report, user, today)


def _report_url(report):
    return reverse("campaigns:report", args=[report.pk])


def _notify_unit(report, title, body="", *, important=False, roles=(Role.CLERK, Role.LEADER)):
    return notify(
        unit_users(report.unit_id, *roles),
        title,
        body,
        url=_report_url(report),
        important=important,
    )


# ---------------------------------------------------------------- self-check reports


def ensure_answers(report) -> None:
    """One answer per template item (items added after the report was opened included)."""
    template = getattr(report.campaign, "template", None)
    if template is None:
        return
    have = set(report.answers.values_list("item_id", flat=True))
    SelfCheckAnswer.objects.bulk_create(
        [
            SelfCheckAnswer(report=report, item=item)
            for item in template.items.all()
            if item.pk not in have
        ]
    )


@transaction.atomic
def answer_new_item(sender, *, item, **kwargs) -> None:
    """Receiver of campaigns.signals.item_added (connected in apps.py): every report
    already opened gets a blank answer for the item the template just gained."""
    SelfCheckAnswer.objects.bulk_create(
        [SelfCheckAnswer(report=r, item=item) for r in item.template.campaign.reports.all()]
    )


def open_report(campaign, unit, *, actor, request=None) -> SelfCheckReport:
    """The unit's report for the campaign; the first opening creates a draft with one
    blank answer per item."""
    if not (actor.is_supervisor or actor.unit_id == unit.pk):
        raise PermissionDenied("只能填报本单位的自查表。")
    if not unit.is_enforcement_unit:
        raise PermissionDenied("只有乡镇和县直部门填报自查表。")
    report, created = SelfCheckReport.objects.get_or_create(
        campaign=campaign,
        unit=unit,
        defaults={
            "contact_name": actor.display_name if actor.unit_id == unit.pk else "",
            "contact_phone": actor.phone if actor.unit_id == unit.pk else "",
        },
    )
    ensure_answers(report)
    if created:
        log("campaigns.report.created", actor=actor, obj=report, request=request)
    return report


def missing_fields(answer) -> list[tuple[str, str]]:
    """What an answer still lacks before the report can be sent on (works on unsaved
    answers too)."""
    if answer.has_problem is None:
        return [("has_problem", "请选择“无此问题”或“存在问题”。")]
    if not answer.has_problem:
        return []
    return [
        (field, f"存在问题的，请填写{label}。")
        for field, label in REQUIRED_FOR_PROBLEM
        if _blank(getattr(answer, field))
    ]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_complete(report) -> None:
    by_answer, messages = {}, []
    for answer in report.answers.select_related("item"):
        missing = missing_fields(answer)
        if missing:
            by_answer[answer.pk] = missing
            messages.extend(f"第 {answer.item.order} 项：{msg}" for _f, msg in missing)
    if by_answer:
        raise IncompleteReport(messages, by_answer)


@transaction.atomic
def save_answers(
    report,
    *,
    actor,
    answers: dict[int, dict],
    contact_name=None,
    contact_phone=None,
    request=None,
) -> int:
    """Save the unit's answers as a draft. `answers` maps answer ids to their fields,
    plus optional `files` (checked uploads) and `remove_attachments` (attachment ids)."""
    lock(report)
    check_save(report, actor, timezone.localdate())
    own = {a.pk: a for a in report.answers.all()}
    changed = files_added = files_removed = 0
    for answer_id, values in answers.items():
        answer = own.get(int(answer_id))
        if answer is None:
            raise ValidationError("提交的自查事项不属于本自查表。")
        dirty = False
        for field in ANSWER_FIELDS:
            if field in values and getattr(answer, field) != values[field]:
                setattr(answer, field, values[field])
                dirty = True
        if dirty:
            answer.save()
            changed += 1
        for checked in values.get("files") or []:
            save_attachment(checked, owner=answer, unit=report.unit, user=actor)
            files_added += 1
        remove = [int(x) for x in values.get("remove_attachments") or []]
        if remove:
            for att in attachments_of(answer).filter(pk__in=remove):
                att.file.delete(save=False)
                att.delete()
                files_removed += 1
    if contact_name is not None:
        report.contact_name = contact_name
    if contact_phone is not None:
        report.contact_phone = contact_phone
    report.save()
    log(
        "campaigns.report.saved",
        actor=actor,
        obj=report,
        request=request,
        data={"answers": changed, "files_added": files_added, "files_removed": files_removed},
    )
    return changed


@transaction.atomic
def request_signoff(report, *, actor, request=None) -> SelfCheckReport:
    lock(report)
    check_signoff(report, actor, timezone.localdate())
    check_complete(report)
    report.state = State.PENDING_SIGNOFF
    report.save()
    log("campaigns.report.signoff_requested", actor=actor, obj=report, request=request)
    _notify_unit(
        report,
        f"自查表待签发：{report.campaign.title}",
        f"{actor.display_name} 已填报完成本单位自查表，请审核后签发上报。",
        roles=(Role.LEADER,),
    )
    return report


@transaction.atomic
def submit_report(report, *, actor, request=None) -> SelfCheckReport:
    """The unit leader signs off: the report goes to the justice bureau."""
    lock(report)
    check_submit(report, actor, timezone.localdate())
    check_complete(report)
    now = timezone.now()
    resubmitted = report.first_submitted_at is not None
    report.state = State.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.submitted_by = actor
    report.returned_reason = ""
    report.save()
    log(
        "campaigns.report.submitted",
        actor=actor,
        obj=report,
        request=request,
        data={"resubmitted": resubmitted, "late": report.is_late},
    )

    supervisors = role_users(Role.SUPERVISOR)
    notify(
        supervisors,
        f"{report.unit.name}{'重新' if resubmitted else ''}上报了自查表",
        report.campaign.title,
        url=_report_url(report),
    )
    return report


@transaction.atomic
def return_report(report, *, actor, reason: str, request=None) -> SelfCheckReport:
    lock(report)
    check_return(report, actor, timezone.localdate())
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回原因。"})
    report.state = State.RETURNED
    report.returned_reason = reason
    report.save()
    log(
        "campaigns.report.returned",
        actor=actor,
        obj=report,
        request=request,
        data={"reason": reason},
    )
    _notify_unit(
        report, f"自查表被退回：{report.campaign.title}", f"退回原因：{reason}", important=True
    )
    return report


@transaction.atomic
def accept_report(report, *, actor, request=None) -> list:
    """Accept a submitted report; each 存在问题 answer becomes a Problem of source 自查 in
    the unit's ledger, with the unit's measures and responsible person, and the unit's
    deadline when it lies within the default for self-check problems (a later one is cut
    to the default: the unit cannot give itself more time than any other unit)."""

    lock(report)
    check_accept(report, actor, timezone.localdate())
    problems = []
    answers = report.answers.filter(has_problem=True).select_related("item", "item__focus_area")
    for answer in answers:
        if answer.problem_id:
            continue
        problem = create_problem(
            unit=report.unit,
            focus_area=answer.item.focus_area,
            description=answer.description,
            source=Problem.Source.SELF_CHECK,
            origin=answer,
            campaign=report.campaign,
            source_ref=f"自查表第{answer.item.order}项",
            measures=answer.measures,
            responsible_person=answer.responsible_person,
            deadline=capped_deadline(
                Problem.Source.SELF_CHECK,
                Problem.Severity.NORMAL,
                answer.deadline,
                timezone.localdate(),
            ),
            actor=actor,
            request=request,
        )
        answer.problem = problem
        answer.save(update_fields=["problem"])
        problems.append(problem)
    report.state = State.ACCEPTED
    report.accepted_at = timezone.now()
    report.accepted_by = actor
    report.save()
    log(
        "campaigns.report.accepted",
        actor=actor,
        obj=report,
        request=request,
        data={"problems": [p.pk for p in problems]},
    )
    body = (
        f"自查发现的 {len(problems)} 个问题已列入本单位整改台账，请按整改措施和时限推进整改。"
        if problems
        else "自查未发现问题。"
    )
    _notify_unit(report, f"自查表已接收：{report.campaign.title}", body)
    return problems


NOT_SUBMITTED = {None, State.DRAFT, State.PENDING_SIGNOFF, State.RETURNED}


@transaction.atomic
def remind_units(campaign, units, *, actor, request=None) -> int:
    """催报: an in-app notification to the clerks and leaders of each unit whose report is
    not with the justice bureau. Returns how many units were reminded."""
    require_supervisor(actor, "只有监督管理员可以催报。")
    states = dict(campaign.reports.values_list("unit_id", "state"))
    deadline = campaign.self_check_deadline
    url = reverse("campaigns:reports")
    count = 0
    for unit in units:
        state = states.get(unit.pk)
        if not unit.is_enforcement_unit or state not in NOT_SUBMITTED:
            continue
        body = (
            f"请于 {deadline:%Y-%m-%d} 前完成本单位自查表填报并由负责人签发上报。"
            if deadline and deadline >= timezone.localdate()
            else "自查表填报已逾期，请尽快完成填报并由负责人签发上报。"
        )
        if state == State.RETURNED:
            body = "本单位自查表已被退回，请按退回意见修改后重新签发上报。"
        users = list(unit_users(unit.pk, Role.CLERK, Role.LEADER))
        sent = notify(users, f"催报：{campaign.title}自查表", body, url=url, important=True)
        urged.send(
            sender=None,
            campaign=campaign,
            unit=unit,
            users=users,
            actor=actor,
            url=url,
            text=body,
            deadline=deadline,
        )
        log(
            "campaigns.report.reminded",
            actor=actor,
            obj=campaign,
            unit=unit,
            request=request,
            data={"recipients": sent, "state": state or "none"},
        )
        count += 1
    return count
