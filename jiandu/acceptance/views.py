"""Pages of 总结验收 (per-unit acceptance, one at a time or several at once), the
最佳案例/最佳实践 showcase and the campaign's Word summary report. The first two are
mounted in the `campaigns:` namespace, the report in `documents:` (paths and URL names
as before the app split)."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.acceptance import actions, summary
from jiandu.acceptance.filters import ShowcaseFilter
from jiandu.acceptance.forms import AcceptanceForm, BulkAcceptanceForm, ShowcaseForm
from jiandu.acceptance.models import Showcase, UnitAcceptance
from jiandu.audit.log import log
from jiandu.campaigns.models import Campaign
from jiandu.campaigns.view_helpers import campaign_or_404, form_messages, run_action
from jiandu.lib.exports import download
from jiandu.lib.lists import Listing
from jiandu.orgs.access import enforcement_units, get_for_user, require_role, scope
from jiandu.orgs.models import Role

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# ---------------------------------------------------------------- 总结验收


def _acceptance_rows(campaign, user, today):
    units = list(enforcement_units(user))
    counts = actions.unit_problem_counts(campaign, [u.pk for u in units], today)
    acceptances = {
        a.unit_id: a
        for a in scope(UnitAcceptance.objects.filter(campaign=campaign), user).select_related(
            "unit", "checked_by"
        )
    }
    rows = []
    for u in units:
        acceptance = acceptances.get(u.pk)
        rows.append(
            {
                "unit": u,
                "counts": counts[u.pk],
                "acceptance": acceptance,
                "state": acceptance.state if acceptance else UnitAcceptance.State.PENDING,
                "actions": actions.available_actions(
                    acceptance or UnitAcceptance(campaign=campaign, unit=u), user, today
                ),
            }
        )
    return rows


@login_required
def acceptance(request, pk):
    return _render_acceptance(request, campaign_or_404(pk))


def _render_acceptance(request, campaign, *, forms=None, bulk_form=None, status=200):
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
        row["form"] = forms.get(row["unit"].pk) or (AcceptanceForm() if row["actions"] else None)
    ticked = {str(u) for u in (bulk_form.data.getlist("units") if bulk_form else [])}
    return render(
        request,
        "acceptance/acceptance.html",
        {
            "campaign": campaign,
            "rows": rows,
            "state": state,
            "states": [(v, label, totals.get(v, 0)) for v, label in UnitAcceptance.State.choices],
            "phase": campaign.phase("acceptance"),
            "can_decide": can_decide,
            "can_bulk": any("pass" in r["actions"] for r in rows),
            "bulk_form": bulk_form,
            "ticked": ticked,
            "today": today,
        },
        status=status,
    )


def _decide(request, pk, unit_pk, act):
    """验收通过 / 不通过 of one unit: each button posts to its own URL (acceptance_pass,
    acceptance_fail), both with the same form (opinion, open_reason)."""
    campaign = campaign_or_404(pk)
    unit = get_for_user(enforcement_units(request.user), request.user, unit_pk, unit_field="pk")
    require_role(request.user, Role.SUPERVISOR, message=actions.DECIDE_DENIED)
    form = AcceptanceForm(request.POST)
    if form.is_valid():
        if act == "pass":
            done = run_action(
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
            done = run_action(
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
    messages.error(request, f"{unit.name}：{'；'.join(form_messages(form))}")
    return _render_acceptance(request, campaign, forms={unit.pk: form}, status=400)


@login_required
@require_POST
def acceptance_pass(request, pk, unit_pk):
    return _decide(request, pk, unit_pk, "pass")


@login_required
@require_POST
def acceptance_fail(request, pk, unit_pk):
    return _decide(request, pk, unit_pk, "fail")


@login_required
@require_POST
def acceptance_bulk(request, pk):
    """批量验收通过: every ticked unit passes through its own `pass_acceptance`; those
    that cannot pass are named in one message and stay as they were."""
    campaign = campaign_or_404(pk)
    require_role(request.user, Role.SUPERVISOR, message=actions.DECIDE_DENIED)
    form = BulkAcceptanceForm(request.POST, units=enforcement_units(request.user))
    result = form.is_valid() and run_action(
        form,
        actions.pass_acceptances,
        campaign,
        list(form.cleaned_data["units"]),
        actor=request.user,
        opinion=form.cleaned_data["opinion"],
        request=request,
    )
    if not result:
        messages.error(request, f"批量验收：{'；'.join(form_messages(form))}")
        return _render_acceptance(request, campaign, bulk_form=form, status=400)
    passed, refused = result
    if passed:
        names = "、".join(a.unit.name for a in passed)
        messages.success(request, f"{len(passed)} 个单位整改验收通过：{names}。")
    if refused:
        messages.error(
            request,
            f"{len(refused)} 个单位未能验收通过，请逐个处理：{'；'.join(refused)}",
        )
    return redirect("campaigns:acceptance", pk)


# ---------------------------------------------------------------- 最佳案例 / 最佳实践


def _showcase_qs(user):
    return Showcase.objects.visible_to(user).select_related("campaign", "unit", "problem")


@login_required
def showcases(request, pk):
    campaign = campaign_or_404(pk)
    qs = _showcase_qs(request.user).filter(campaign=campaign)
    published = qs.filter(state=Showcase.State.PUBLISHED)
    # Newest published first (the model's order, ties by id); `?kind=` narrows them.
    listing = Listing(request, published, ShowcaseFilter)
    page = listing.page()
    kind = request.GET.get("kind", "")
    others = qs.exclude(state=Showcase.State.PUBLISHED).order_by("state", "-id")
    return render(
        request,
        "acceptance/showcases.html",
        {
            "campaign": campaign,
            "page": page,
            "listing": listing,
            "kind": kind,
            "kinds": Showcase.Kind.choices,
            "others": others,
            "can_propose": actions.can_propose_showcase(request.user),
        },
    )


@login_required
def showcase_new(request, pk):
    campaign = campaign_or_404(pk)
    user = request.user
    if not actions.can_propose_showcase(user):
        raise PermissionDenied(actions.PROPOSE_DENIED)
    form = ShowcaseForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid() and (
            showcase := run_action(
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
        "acceptance/showcase_form.html",
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
    allowed = actions.available_showcase_actions(showcase, request.user)
    return render(
        request,
        "acceptance/showcase.html",
        {
            "showcase": showcase,
            "campaign": showcase.campaign,
            "can_edit": "edit" in allowed,
            "can_select": "select" in allowed,
            "can_publish": "publish" in allowed,
        },
    )


@login_required
def showcase_edit(request, pk):
    showcase = _get_showcase(request, pk)
    actions.check_update_showcase(showcase, request.user)
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
        if form.is_valid() and run_action(
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
        "acceptance/showcase_form.html",
        {"campaign": showcase.campaign, "form": form, "showcase": showcase},
        status=status,
    )


SHOWCASE_STEPS = {
    "select": (actions.select_showcase, "已评选。"),
    "publish": (actions.publish_showcase, "已发布，全县均可查看。"),
}


@login_required
@require_POST
def showcase_step(request, pk, step):
    showcase = _get_showcase(request, pk)
    if step not in SHOWCASE_STEPS:
        raise Http404("未知操作。")
    action, done = SHOWCASE_STEPS[step]
    try:
        action(showcase, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("campaigns:showcase", showcase.pk)


# ---------------------------------------------------------------- 总结报告


@login_required
def summary_report(request, campaign_id):
    require_role(
        request.user,
        "supervisor",
        "discipline",
        message="只有监督管理员和纪检监督员可以生成总结报告。",
    )
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    content = summary.render_docx(summary.collect(campaign))
    log(
        "documents.summary.exported",
        actor=request.user,
        obj=campaign,
        unit=request.user.unit,
        request=request,
    )
    return download(
        content, f"{campaign.title}工作总结-{timezone.localdate():%Y%m%d}.docx", DOCX_TYPE
    )


def campaign_work(user, campaign) -> dict:
    """Acceptance's counts on the campaign page (registered in apps.py)."""
    return {
        "passed": scope(
            UnitAcceptance.objects.filter(campaign=campaign, state=UnitAcceptance.State.PASSED),
            user,
        ).count(),
        "published": Showcase.objects.filter(
            campaign=campaign, state=Showcase.State.PUBLISHED
        ).count(),
    }
