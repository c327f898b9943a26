"""State changes of 总结验收 (the justice bureau's acceptance of each unit's rectification)
and of the 最佳案例/最佳实践 showcase. One shape for every transition: `check_<name>(obj,
actor, today)` refuses the wrong person or state without looking at the input; the action
locks the row, checks, writes, audits and notifies once the transaction has committed;
`available_actions(obj, user)` / `available_showcase_actions(showcase, user)` tell the
pages which buttons to show. The audit codes keep the `campaigns.` prefix they were
stored with before the app split."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.acceptance.models import Showcase, UnitAcceptance
from jiandu.audit.log import log
from jiandu.lib.locking import lock
from jiandu.lib.redaction import personal_data_problem
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import can_write_unit, require_supervisor, unit_users
from jiandu.orgs.models import Role
from jiandu.orgs.notify import notify

A = UnitAcceptance.State
S = Showcase.State

# ---------------------------------------------------------------- 总结验收 (phase 4)

DECIDE_DENIED = "只有监督管理员可以开展整改验收。"


def unit_problem_counts(campaign, unit_ids=None, today=None) -> dict[int, dict]:
    """Per unit: the campaign's problems counted as everywhere else (total, per state,
    open, overdue, rate; `Problem.objects.of_campaign(...).counts_by_unit`), one query.
    With `unit_ids`, every one of them is in the answer, zeros (rate None) when clean."""
    from jiandu.ledger.models import Problem

    qs = Problem.objects.of_campaign(campaign)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.counts_by_unit(today, units=unit_ids)


def acceptance_of(campaign, unit) -> UnitAcceptance:
    """The unit's acceptance in the campaign, or an unsaved pending one (what the page
    and `available_actions` look at before the first decision)."""
    found = UnitAcceptance.objects.filter(campaign=campaign, unit=unit).first()
    return found or UnitAcceptance(campaign=campaign, unit=unit)


def _acceptance_for(campaign, unit):
    """The row, created when missing, locked for the rest of the transaction."""
    acceptance, _ = UnitAcceptance.objects.select_for_update().get_or_create(
        campaign=campaign, unit=unit
    )
    return acceptance


def _open_problems(campaign, unit, today=None) -> int:
    return unit_problem_counts(campaign, [unit.pk], today)[unit.pk]["open"]


def _check_acceptance(acceptance, actor):
    require_supervisor(actor, DECIDE_DENIED)
    if not acceptance.unit.is_enforcement_unit:
        raise ValidationError("只有乡镇和县直部门需要整改验收。")
    if acceptance.state == A.PASSED:
        raise ValidationError(f"{acceptance.unit.name}已验收通过，不能再次验收。")


def check_pass_acceptance(acceptance, actor, today=None):
    _check_acceptance(acceptance, actor)


def check_fail_acceptance(acceptance, actor, today=None):
    _check_acceptance(acceptance, actor)


ACCEPTANCE_CHECKS = {
    "pass": check_pass_acceptance,
    "fail": check_fail_acceptance,
}


def available_actions(acceptance, user, today=None) -> set[str]:
    """The acceptance decisions `user` may take now ('pass', 'fail')."""
    return allowed(ACCEPTANCE_CHECKS, acceptance, user, today)


def _decide(acceptance, state, *, actor, opinion, open_problems, open_reason="", today=None):
    acceptance.state = state
    acceptance.opinion = opinion
    acceptance.open_reason = open_reason
    acceptance.open_problems = open_problems
    acceptance.checked_by = actor
    acceptance.checked_on = today or timezone.localdate()
    acceptance.save()


def _notify_unit(unit, title, body, url, important=False):
    users = list(unit_users(unit.pk, Role.CLERK, Role.LEADER))
    notify(users, title, body, url=url, important=important)


@transaction.atomic
def pass_acceptance(campaign, unit, *, actor, opinion, open_reason="", today=None, request=None):
    """Pass a unit's rectification. Refused while the unit has open problems in the
    campaign, unless the supervisor writes down why it passes anyway."""
    require_supervisor(actor, DECIDE_DENIED)
    acceptance = _acceptance_for(campaign, unit)
    check_pass_acceptance(acceptance, actor, today)
    opinion, open_reason = (opinion or "").strip(), (open_reason or "").strip()
    open_problems = _open_problems(campaign, unit, today)
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
        A.PASSED,
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
    _notify_unit(
        unit,
        f"整改验收通过：{campaign.title}",
        opinion,
        reverse("campaigns:acceptance", args=[campaign.pk]),
    )
    return acceptance


@transaction.atomic
def fail_acceptance(campaign, unit, *, actor, opinion, today=None, request=None):
    require_supervisor(actor, DECIDE_DENIED)
    acceptance = _acceptance_for(campaign, unit)
    check_fail_acceptance(acceptance, actor, today)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": "验收不通过的，请填写验收意见，说明需继续整改的内容。"})
    open_problems = _open_problems(campaign, unit, today)
    _decide(
        acceptance,
        A.FAILED,
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
    _notify_unit(
        unit,
        f"整改验收未通过：{campaign.title}",
        opinion,
        reverse("campaigns:acceptance", args=[campaign.pk]),
        important=True,
    )
    return acceptance


def _refusal(unit, exc: ValidationError) -> str:
    text = "；".join(exc.messages)
    return text if text.startswith(unit.name) else f"{unit.name}：{text}"


def pass_acceptances(campaign, units, *, actor, opinion, today=None, request=None):
    """批量验收通过: the units ticked on the acceptance page pass with one opinion. Each
    unit is still its own transition (`pass_acceptance`: own lock, own check, own audit
    row, own notice), so a unit that cannot pass — open problems and no reason, already
    passed — is left as it was and the others pass all the same. Returns (passed
    acceptances, refusals: one Chinese sentence per refused unit, naming it)."""
    require_supervisor(actor, DECIDE_DENIED)
    opinion = (opinion or "").strip()
    errors = {}
    if not opinion:
        errors["opinion"] = "请填写验收意见。"
    if not units:
        errors["units"] = "请勾选要验收通过的单位。"
    if errors:
        raise ValidationError(errors)
    passed, refused = [], []
    for unit in units:
        try:
            passed.append(
                pass_acceptance(
                    campaign, unit, actor=actor, opinion=opinion, today=today, request=request
                )
            )
        except ValidationError as exc:
            refused.append(_refusal(unit, exc))
    return passed, refused


# ---------------------------------------------------------------- 最佳案例 / 最佳实践


PROPOSE_DENIED = "只有监督管理员或单位填报员、负责人可以推荐最佳案例和实践。"
EDIT_DENIED = "只有推荐中的案例可以修改，且只能由推荐单位或监督管理员修改。"
STEP_DENIED = "只有监督管理员可以评选和发布最佳案例和实践。"


def can_propose_showcase(user) -> bool:
    """A supervisor (for any unit or the whole county) or a unit's clerk or leader."""
    return can_write_unit(user, getattr(user, "unit_id", None))


def check_update_showcase(showcase, actor, today=None):
    """A draft, by a supervisor or its own unit's clerk or leader."""
    if not (showcase.state == S.DRAFT and can_write_unit(actor, showcase.unit_id)):
        raise PermissionDenied(EDIT_DENIED)


def check_select_showcase(showcase, actor, today=None):
    require_supervisor(actor, STEP_DENIED)
    if showcase.state != S.DRAFT:
        raise ValidationError(f"该案例{showcase.get_state_display()}，不能评选。")


def check_publish_showcase(showcase, actor, today=None):
    require_supervisor(actor, STEP_DENIED)
    if showcase.state != S.SELECTED:
        raise ValidationError(f"该案例{showcase.get_state_display()}，只有已评选的案例可以发布。")
    # Published on the public portal: redacted as the portal's 曝光 is.
    text = "\n".join([showcase.title, showcase.summary, showcase.body])
    problem = personal_data_problem(text, "案例内容")
    if problem:
        raise ValidationError(problem)


SHOWCASE_CHECKS = {
    "edit": check_update_showcase,
    "select": check_select_showcase,
    "publish": check_publish_showcase,
}


def available_showcase_actions(showcase, user, today=None) -> set[str]:
    """What `user` may do with the showcase now ('edit', 'select', 'publish')."""
    return allowed(SHOWCASE_CHECKS, showcase, user, today)


def can_edit_showcase(showcase, user) -> bool:
    return "edit" in available_showcase_actions(showcase, user)


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
    # Judged on the locked row: a copy read before the supervisor selected it would
    # still say 推荐中 and would undo the selection when saved whole.
    lock(showcase)
    check_update_showcase(showcase, actor)
    showcase.title, showcase.summary = _clean_showcase(title, summary)
    showcase.kind, showcase.body = kind, (body or "").strip()
    showcase.save(update_fields=["title", "summary", "kind", "body"])
    log("campaigns.showcase.updated", actor=actor, obj=showcase, request=request)
    return showcase


def _showcase_step(showcase, actor, check, to_state, code, request):
    require_supervisor(actor, STEP_DENIED)
    # The row as it is now, under its lock: the caller's copy may predate an edit by the
    # unit, and saving it whole would put the old title and text back.
    lock(showcase)
    check(showcase, actor)
    showcase.state = to_state
    fields = ["state"]
    if to_state == S.PUBLISHED:
        showcase.published_at = timezone.now()
        fields.append("published_at")
    showcase.save(update_fields=fields)
    log(code, actor=actor, obj=showcase, request=request)
    return showcase


@transaction.atomic
def select_showcase(showcase, *, actor, request=None):
    return _showcase_step(
        showcase, actor, check_select_showcase, S.SELECTED, "campaigns.showcase.selected", request
    )


@transaction.atomic
def publish_showcase(showcase, *, actor, request=None):
    showcase = _showcase_step(
        showcase,
        actor,
        check_publish_showcase,
        S.PUBLISHED,
        "campaigns.showcase.published",
        request,
    )
    if showcase.unit_id:
        users = list(unit_users(showcase.unit_id, Role.CLERK, Role.LEADER))
        title = f"本单位的{showcase.get_kind_display()}已发布：{showcase.title}"
        url = reverse("campaigns:showcase", args=[showcase.pk])
        notify(users, title, "供全县交流学习。", url=url)
    return showcase
