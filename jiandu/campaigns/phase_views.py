"""Pages of the campaign's later phases: 监督检查 (visits and case-file reviews), 总结验收
(per-unit acceptance) and the 最佳案例/最佳实践 showcase."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BigIntegerField, Case, Count, F, OuterRef, Subquery, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.action_errors import add_action_errors
from jiandu.campaigns import actions
from jiandu.campaigns.forms import (
    AcceptanceForm,
    CompleteVisitForm,
    DeadlineForm,
    FindingForm,
    ReviewForm,
    ShowcaseForm,
    VisitForm,
)
from jiandu.campaigns.models import (
    Campaign,
    CaseFileReview,
    Showcase,
    SupervisionVisit,
    UnitAcceptance,
)
from jiandu.campaigns.rubric import DEFAULT_RUBRIC
from jiandu.orgs.access import enforcement_units, get_for_user, require_role, scope, sees_all
from jiandu.orgs.models import Role, Unit

PER_PAGE = 30


def _campaign(pk):
    return get_object_or_404(Campaign.objects.prefetch_related("phases"), pk=pk)


def _run(form, action, *args, **kwargs):
    """Call the action; on a ValidationError its messages go onto the form (next to the
    fields they name) and the result is None, so the view re-renders what was typed."""
    try:
        return action(*args, **kwargs)
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None


# ---------------------------------------------------------------- 监督检查


def _visit_qs():
    return SupervisionVisit.objects.select_related("campaign", "unit", "created_by")


def _finding_counts(campaign) -> Counter:
    """Problems per visit: those whose origin is the visit or one of its case-file
    reviews (stored origins, no text parsed), in one query."""
    from jiandu.ledger.models import Problem

    visits = SupervisionVisit.objects.filter(campaign=campaign)
    reviews = CaseFileReview.objects.filter(visit__campaign=campaign)
    review_ct = ContentType.objects.get_for_model(CaseFileReview)
    review_visit = reviews.filter(pk=OuterRef("origin_id")).values("visit_id")[:1]
    findings = (
        Problem.objects.from_origin(visits) | Problem.objects.from_origin(reviews)
    ).annotate(
        visit_id=Case(
            When(origin_type=review_ct, then=Subquery(review_visit)),
            default=F("origin_id"),
            output_field=BigIntegerField(),
        )
    )
    return Counter(findings.values_list("visit_id", flat=True))


@login_required
def visits(request, pk):
    campaign = _campaign(pk)
    qs = scope(_visit_qs().filter(campaign=campaign), request.user)
    state = request.GET.get("state", "")
    if state in SupervisionVisit.State.values:
        qs = qs.filter(state=state)
    units = list(Unit.objects.enforcement().active()) if sees_all(request.user) else []
    unit = request.GET.get("unit", "")
    # Only a unit of the drop-down filters: a malformed or huge id is ignored, not a 500.
    if unit in {str(u.pk) for u in units}:
        qs = qs.filter(unit_id=int(unit))
    qs = qs.annotate(review_count=Count("reviews")).order_by("-visit_date", "-id")
    qs = qs.prefetch_related("team", "domains")
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    counts = _finding_counts(campaign)
    for visit in page.object_list:
        visit.finding_count = counts.get(visit.pk, 0)
    return render(
        request,
        "campaigns/visits.html",
        {
            "campaign": campaign,
            "page": page,
            "total": page.paginator.count,
            "state": state,
            "unit": unit,
            "states": SupervisionVisit.State.choices,
            "units": units,
            "phase": campaign.phase("supervision"),
            "can_plan": request.user.is_supervisor,
        },
    )


@login_required
def visit_new(request, pk):
    require_role(request.user, Role.SUPERVISOR, message="只有监督管理员可以安排监督检查。")
    campaign = _campaign(pk)
    phase = campaign.phase("supervision")
    initial = {"visit_date": timezone.localdate()}
    if phase and timezone.localdate() < phase.start:
        initial["visit_date"] = phase.start
    form = VisitForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid() and (
            visit := _run(
                form,
                actions.plan_visit,
                campaign,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        ):
            messages.success(request, f"已安排对{visit.unit.name}的监督检查。")
            return redirect("campaigns:visit", visit.pk)
        status = 400
    return render(
        request,
        "campaigns/visit_new.html",
        {"campaign": campaign, "form": form, "phase": phase},
        status=status,
    )


def _render_visit(request, visit, *, finding_form=None, complete_form=None, status=200):
    user = request.user
    can_record = visit.state == SupervisionVisit.State.PLANNED and actions.can_record_on(
        visit, user
    )
    findings = visit.findings().select_related("focus_area").order_by("id")
    reviews = visit.reviews.select_related("reviewer", "case", "problem")
    return render(
        request,
        "campaigns/visit.html",
        {
            "visit": visit,
            "campaign": visit.campaign,
            "team": visit.team.select_related("unit"),
            "domains": visit.domains.all(),
            "findings": findings,
            "reviews": reviews,
            "can_record": can_record,
            "can_raise": actions.can_record_on(visit, user),
            "finding_form": finding_form or (FindingForm() if can_record else None),
            "complete_form": complete_form
            or (CompleteVisitForm(initial={"summary": visit.summary}) if can_record else None),
            "deadline_form": DeadlineForm(),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _closed_visit(request, visit):
    """None when the user may record on the visit now; a redirect back to the visit page
    with the reason when it is already completed. A 403 for everyone else."""
    try:
        actions.check_record(visit, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("campaigns:visit", visit.pk)
    return None


@login_required
def visit(request, pk):
    return _render_visit(request, get_for_user(_visit_qs(), request.user, pk))


@login_required
@require_POST
def visit_finding(request, pk):
    visit = get_for_user(_visit_qs(), request.user, pk)
    if closed := _closed_visit(request, visit):
        return closed
    form = FindingForm(request.POST)
    if form.is_valid() and (
        problem := _run(
            form,
            actions.record_finding,
            visit,
            actor=request.user,
            request=request,
            **form.cleaned_data,
        )
    ):
        messages.success(request, f"问题已列入{visit.unit.name}整改台账（#{problem.pk}）。")
        return redirect("campaigns:visit", visit.pk)
    return _render_visit(request, visit, finding_form=form, status=400)


@login_required
@require_POST
def visit_complete(request, pk):
    visit = get_for_user(_visit_qs(), request.user, pk)
    if closed := _closed_visit(request, visit):
        return closed
    form = CompleteVisitForm(request.POST)
    if form.is_valid() and _run(
        form,
        actions.complete_visit,
        visit,
        actor=request.user,
        summary=form.cleaned_data["summary"],
        request=request,
    ):
        messages.success(request, "本次监督检查已完成。")
        return redirect("campaigns:visit", visit.pk)
    return _render_visit(request, visit, complete_form=form, status=400)


# ---------------------------------------------------------------- 案卷评查


def _review_qs():
    return CaseFileReview.objects.select_related(
        "visit", "visit__unit", "visit__campaign", "reviewer", "case", "problem"
    )


@login_required
def review_new(request, pk):
    visit = get_for_user(_visit_qs(), request.user, pk)
    if closed := _closed_visit(request, visit):
        return closed
    form = ReviewForm(request.POST or None, visit=visit, rubric=DEFAULT_RUBRIC)
    status = 200
    if request.method == "POST":
        if form.is_valid() and (
            review := _run(
                form,
                actions.review_case_file,
                visit,
                actor=request.user,
                case_no=form.cleaned_data["case_no"],
                case=form.cleaned_data["case"],
                comments=form.cleaned_data["comments"],
                scores=form.scores(),
                request=request,
            )
        ):
            messages.success(
                request,
                f"案卷 {review.case_no} 评查完成：{review.total} 分，{review.get_grade_display()}。",
            )
            return redirect("campaigns:review", review.pk)
        status = 400
    return render(
        request,
        "campaigns/review_new.html",
        {"visit": visit, "campaign": visit.campaign, "form": form},
        status=status,
    )


@login_required
def review(request, pk):
    review = get_for_user(_review_qs(), request.user, pk, unit_field="visit__unit")
    return render(
        request,
        "campaigns/review.html",
        {
            "review": review,
            "visit": review.visit,
            "rows": review.score_rows(),
            "can_raise": review.grade == CaseFileReview.Grade.FAIL
            and not review.problem_id
            and actions.can_record_on(review.visit, request.user),
            "deadline_form": DeadlineForm(),
        },
    )


@login_required
@require_POST
def review_problem(request, pk):
    review = get_for_user(_review_qs(), request.user, pk, unit_field="visit__unit")
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(_form_messages(form)))
        return redirect("campaigns:review", review.pk)
    try:
        problem = actions.review_to_problem(
            review, actor=request.user, deadline=form.cleaned_data["deadline"], request=request
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已列入{review.visit.unit.name}整改台账（#{problem.pk}）。")
    return redirect("campaigns:review", review.pk)


# ---------------------------------------------------------------- 总结验收


def _acceptance_rows(campaign, user, today):
    units = list(enforcement_units(user))
    counts = actions.unit_problem_counts(campaign, [u.pk for u in units], today)
    acceptances = {
        a.unit_id: a
        for a in scope(UnitAcceptance.objects.filter(campaign=campaign), user).select_related(
            "checked_by"
        )
    }
    return [
        {
            "unit": u,
            "counts": counts[u.pk],
            "acceptance": acceptances.get(u.pk),
            "state": acceptances[u.pk].state if u.pk in acceptances else "pending",
        }
        for u in units
    ]


@login_required
def acceptance(request, pk):
    return _render_acceptance(request, _campaign(pk))


def _render_acceptance(request, campaign, *, forms=None, status=200):
    today = timezone.localdate()
    every = _acceptance_rows(campaign, request.user, today)
    totals = Counter(r["state"] for r in every)
    state = request.GET.get("state", "")
    rows = every
    if state in UnitAcceptance.State.values:
        rows = [r for r in every if r["state"] == state]
    forms = forms or {}
    can_decide = request.user.is_supervisor
    for row in rows:
        row["form"] = forms.get(row["unit"].pk) or (AcceptanceForm() if can_decide else None)
    return render(
        request,
        "campaigns/acceptance.html",
        {
            "campaign": campaign,
            "rows": rows,
            "state": state,
            "states": [(v, label, totals.get(v, 0)) for v, label in UnitAcceptance.State.choices],
            "phase": campaign.phase("acceptance"),
            "can_decide": can_decide,
            "today": today,
        },
        status=status,
    )


@login_required
@require_POST
def acceptance_decide(request, pk, unit_pk):
    campaign = _campaign(pk)
    unit = get_for_user(enforcement_units(request.user), request.user, unit_pk, unit_field="pk")
    require_role(request.user, Role.SUPERVISOR, message="只有监督管理员可以开展整改验收。")
    form = AcceptanceForm(request.POST)
    op = request.POST.get("op")
    if op not in {"pass", "fail"}:
        # Never read a missing or unknown button as 不通过.
        form.add_error(None, "请点击“验收通过”或“不通过”。")
    elif form.is_valid():
        if op == "pass":
            done = _run(
                form,
                actions.pass_acceptance,
                campaign,
                unit,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
            message = f"{unit.name}整改验收通过。"
        else:
            done = _run(
                form,
                actions.fail_acceptance,
                campaign,
                unit,
                actor=request.user,
                opinion=form.cleaned_data["opinion"],
                request=request,
            )
            message = f"已记录{unit.name}验收不通过，单位将收到验收意见。"
        if done:
            messages.success(request, message)
            return redirect(f"{reverse('campaigns:acceptance', args=[pk])}#unit-{unit.pk}")
    messages.error(request, f"{unit.name}：{'；'.join(_form_messages(form))}")
    return _render_acceptance(request, campaign, forms={unit.pk: form}, status=400)


def _form_messages(form):
    return [e for errs in form.errors.values() for e in errs]


# ---------------------------------------------------------------- 最佳案例 / 最佳实践


def _showcase_qs(user):
    return Showcase.objects.visible_to(user).select_related("campaign", "unit", "problem")


@login_required
def showcases(request, pk):
    campaign = _campaign(pk)
    qs = _showcase_qs(request.user).filter(campaign=campaign)
    published = qs.filter(state=Showcase.State.PUBLISHED)
    kind = request.GET.get("kind", "")
    if kind in Showcase.Kind.values:
        published = published.filter(kind=kind)
    others = qs.exclude(state=Showcase.State.PUBLISHED).order_by("state", "-id")
    page = Paginator(published, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/showcases.html",
        {
            "campaign": campaign,
            "page": page,
            "total": page.paginator.count,
            "kind": kind,
            "kinds": Showcase.Kind.choices,
            "others": others,
            "can_propose": actions.can_propose_showcase(request.user),
        },
    )


@login_required
def showcase_new(request, pk):
    campaign = _campaign(pk)
    user = request.user
    if not actions.can_propose_showcase(user):
        raise PermissionDenied(actions.PROPOSE_DENIED)
    form = ShowcaseForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid() and (
            showcase := _run(
                form,
                actions.propose_showcase,
                campaign,
                actor=user,
                request=request,
                **form.cleaned_data,
            )
        ):
            messages.success(request, "已提交推荐，待监督管理员评选。")
            return redirect("campaigns:showcase", showcase.pk)
        status = 400
    return render(
        request,
        "campaigns/showcase_form.html",
        {"campaign": campaign, "form": form, "showcase": None},
        status=status,
    )


def _get_showcase(request, pk):
    try:
        return _showcase_qs(request.user).get(pk=pk)
    except (Showcase.DoesNotExist, ValueError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


@login_required
def showcase(request, pk):
    showcase = _get_showcase(request, pk)
    user = request.user
    return render(
        request,
        "campaigns/showcase.html",
        {
            "showcase": showcase,
            "campaign": showcase.campaign,
            "can_edit": actions.can_edit_showcase(showcase, user),
            "can_select": user.is_supervisor and showcase.state == Showcase.State.DRAFT,
            "can_publish": user.is_supervisor and showcase.state == Showcase.State.SELECTED,
        },
    )


@login_required
def showcase_edit(request, pk):
    showcase = _get_showcase(request, pk)
    if not actions.can_edit_showcase(showcase, request.user):
        raise PermissionDenied("只有推荐中的案例可以修改，且只能由推荐单位或监督管理员修改。")
    initial = {
        "kind": showcase.kind,
        "title": showcase.title,
        "summary": showcase.summary,
        "body": showcase.body,
        "unit": showcase.unit,
    }
    form = ShowcaseForm(request.POST or None, user=request.user, initial=initial)
    form.fields.pop("unit", None)  # the unit a case belongs to is fixed once proposed
    status = 200
    if request.method == "POST":
        if form.is_valid() and _run(
            form,
            actions.update_showcase,
            showcase,
            actor=request.user,
            request=request,
            **{k: form.cleaned_data[k] for k in ("kind", "title", "summary", "body")},
        ):
            messages.success(request, "已保存。")
            return redirect("campaigns:showcase", showcase.pk)
        status = 400
    return render(
        request,
        "campaigns/showcase_form.html",
        {"campaign": showcase.campaign, "form": form, "showcase": showcase},
        status=status,
    )


@login_required
@require_POST
def showcase_step(request, pk, step):
    showcase = _get_showcase(request, pk)
    action = {"select": actions.select_showcase, "publish": actions.publish_showcase}.get(step)
    if action is None:
        raise Http404("未知操作。")
    try:
        action(showcase, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已评选。" if step == "select" else "已发布，全县均可查看。")
    return redirect("campaigns:showcase", showcase.pk)
