"""State changes of 监督检查: plan a visit, record findings (each a ledger Problem whose
origin is the visit), complete it; score sampled case files and put a failed one in the
ledger. Audit codes keep their `campaigns.` prefix so stored rows read as before.

Visit states:  planned --complete_visit--> done
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.ledger.actions import create_problem, problem_url
from jiandu.ledger.models import Problem
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import require_supervisor, unit_users
from jiandu.orgs.models import FocusArea, Role
from jiandu.orgs.notify import notify
from jiandu.supervision.models import CaseFileReview, SupervisionVisit
from jiandu.supervision.rubric import DEFAULT_RUBRIC, lost_points, score

TEAM_ROLES = (Role.SUPERVISOR, Role.INSPECTOR, Role.DISCIPLINE)


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
    if unit is None or not unit.is_enforcement_unit:
        errors["unit"] = "请选择一个乡镇或县直执法部门。"
    if visit_date is None:
        errors["visit_date"] = "请填写检查日期。"
    team = list(team)
    if not team:
        errors["team"] = "请至少选择一名检查组成员。"
    elif any(not m.has_role(*TEAM_ROLES) for m in team):
        errors["team"] = "检查组成员应为监督管理员、检查组成员或纪检监督员。"
    if errors:
        raise ValidationError(errors)
    visit = SupervisionVisit.objects.create(
        campaign=campaign,
        unit=unit,
        visit_date=visit_date,
        summary=summary or "",
        created_by=actor,
    )
    visit.team.set(team)
    visit.domains.set(list(domains))
    log(
        "campaigns.visit.planned",
        actor=actor,
        obj=visit,
        request=request,
        data={
            "visit_date": f"{visit_date:%Y-%m-%d}",
            "team": [m.pk for m in team],
            "domains": [d.name for d in domains],
        },
    )
    notify(
        unit_users(unit.pk, Role.CLERK, Role.LEADER),
        f"监督检查安排：{campaign.title}",
        f"县司法局会同县纪委监委将于 {visit_date:%Y-%m-%d} 对本单位开展联合监督检查，请做好准备。",
        url=reverse("campaigns:visit", args=[visit.pk]),
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
    description = (description or "").strip()
    errors = {}
    if focus_area is None:
        errors["focus_area"] = "请选择问题领域。"
    if not description:
        errors["description"] = "请填写问题描述。"
    if deadline_error := _check_deadline(deadline, today):
        errors["deadline"] = deadline_error
    if errors:
        raise ValidationError(errors)
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
    log(
        "campaigns.visit.finding_recorded",
        actor=actor,
        obj=visit,
        request=request,
        data={"problem": problem.pk, "focus_area": focus_area.code, "severity": problem.severity},
    )
    notify(
        unit_users(visit.unit_id, Role.CLERK, Role.LEADER),
        "监督检查发现问题，已列入整改台账",
        f"{description[:80]}（整改时限 {deadline:%Y-%m-%d}）",
        url=problem_url(problem),
    )
    return problem


@transaction.atomic
def complete_visit(visit, *, actor, summary, request=None):
    lock(visit)
    check_complete_visit(visit, actor, timezone.localdate())
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": "请填写检查情况小结。"})
    visit.summary = summary
    visit.state = SupervisionVisit.State.DONE
    visit.completed_at = timezone.now()
    visit.completed_by = actor
    visit.save()
    findings = visit.findings().count()
    log(
        "campaigns.visit.completed",
        actor=actor,
        obj=visit,
        request=request,
        data={"findings": findings, "reviews": visit.reviews.count()},
    )
    notify(
        unit_users(visit.unit_id, Role.CLERK, Role.LEADER),
        "监督检查已完成",
        f"本次检查发现问题 {findings} 个，请在整改台账中逐项整改。",
        url=reverse("campaigns:visit", args=[visit.pk]),
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
    if errors:
        raise ValidationError(errors)
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
