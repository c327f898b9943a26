"""Pages of 监督检查: visits, their findings, and the case-file reviews done on them."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, Case, Count, F, OuterRef, Subquery, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.campaigns.view_helpers import campaign_or_404, form_messages, run_action
from jiandu.ledger.models import Problem
from jiandu.lib.lists import Listing
from jiandu.orgs.access import get_for_user, require_role, scope, sees_all
from jiandu.orgs.models import Role, Unit
from jiandu.supervision import actions
from jiandu.supervision.filters import VISIT_SORTS, VisitFilter
from jiandu.supervision.forms import (
    CompleteVisitForm,
    DeadlineForm,
    FindingForm,
    ReviewForm,
    VisitForm,
)
from jiandu.supervision.models import CaseFileReview, SupervisionVisit
from jiandu.supervision.rubric import DEFAULT_RUBRIC


def _visit_qs():
    return SupervisionVisit.objects.select_related("campaign", "unit", "created_by")


def _finding_counts(campaign) -> Counter:
    """Problems per visit: those whose origin is the visit or one of its case-file
    reviews (stored origins, no text parsed), in one query."""
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
    campaign = campaign_or_404(pk)
    qs = scope(_visit_qs().filter(campaign=campaign), request.user)
    units = list(Unit.objects.enforcement().active()) if sees_all(request.user) else []
    qs = qs.annotate(review_count=Count("reviews")).prefetch_related("team", "domains")
    listing = Listing(request, qs, VisitFilter, VISIT_SORTS, filter_kwargs={"units": units})
    page = listing.page()
    state = request.GET.get("state", "")
    unit = request.GET.get("unit", "")
    counts = _finding_counts(campaign)
    for visit in page.object_list:
        visit.finding_count = counts.get(visit.pk, 0)
    return render(
        request,
        "supervision/visits.html",
        {
            "campaign": campaign,
            "page": page,
            "listing": listing,
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
    campaign = campaign_or_404(pk)
    phase = campaign.phase("supervision")
    initial = {"visit_date": timezone.localdate()}
    if phase and timezone.localdate() < phase.start:
        initial["visit_date"] = phase.start
    form = VisitForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid() and (
            visit := run_action(
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
        "supervision/visit_new.html",
        {"campaign": campaign, "form": form, "phase": phase},
        status=status,
    )


def _render_visit(request, visit, *, finding_form=None, complete_form=None, status=200):
    user = request.user
    can_record = "finding" in actions.available_actions(visit, user)
    findings = visit.findings().select_related("focus_area").order_by("id")
    reviews = visit.reviews.select_related("reviewer", "case", "problem")
    return render(
        request,
        "supervision/visit.html",
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
        problem := run_action(
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
    if form.is_valid() and run_action(
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
            review := run_action(
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
        "supervision/review_new.html",
        {"visit": visit, "campaign": visit.campaign, "form": form},
        status=status,
    )


@login_required
def review(request, pk):
    review = get_for_user(_review_qs(), request.user, pk, unit_field="visit__unit")
    return render(
        request,
        "supervision/review.html",
        {
            "review": review,
            "visit": review.visit,
            "rows": review.score_rows(),
            "can_raise": "problem" in actions.available_review_actions(review, request.user),
            "deadline_form": DeadlineForm(),
        },
    )


@login_required
@require_POST
def review_problem(request, pk):
    review = get_for_user(_review_qs(), request.user, pk, unit_field="visit__unit")
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(form_messages(form)))
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


def campaign_work(user, campaign) -> dict:
    """Supervision's count on the campaign page (registered in apps.py)."""
    return {"visits": scope(SupervisionVisit.objects.filter(campaign=campaign), user).count()}
