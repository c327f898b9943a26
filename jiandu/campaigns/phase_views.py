"""Pages of the campaign's later phases: 总结验收 (per-unit acceptance) and the
最佳案例/最佳实践 showcase. 监督检查 lives in the `supervision` app."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.campaigns import actions
from jiandu.campaigns.forms import (
    AcceptanceForm,
    ShowcaseForm,
)
from jiandu.campaigns.models import (
    Campaign,
    Showcase,
    UnitAcceptance,
)
from jiandu.lib.action_errors import add_action_errors
from jiandu.orgs.access import enforcement_units, get_for_user, require_role, scope
from jiandu.orgs.models import Role

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
