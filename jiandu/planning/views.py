"""Planning pages: plans, who plans whom, joint visits, draws. Views only: the rules are
in actions.py, caps.py and lottery.py; every list is scoped through orgs.access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.audit.exports import xlsx_response
from jiandu.enforcement import qr
from jiandu.enforcement.models import Enterprise
from jiandu.lib.action_errors import add_action_errors
from jiandu.lib.lists import Listing
from jiandu.monitoring.rules.inspection import insp02_figures
from jiandu.orgs.access import enforcement_units, get_for_user, is_supervisor, scope, sees_all
from jiandu.orgs.models import Unit
from jiandu.planning import actions, caps
from jiandu.planning.exports import EntryExporter, PlanExporter
from jiandu.planning.filters import (
    DRAW_SORTS,
    ENTRY_SORTS,
    JOINT_SORTS,
    PLAN_SORTS,
    DrawFilter,
    EntryFilter,
    JointFilter,
    PlanFilter,
)
from jiandu.planning.forms import DeclineForm, DrawForm, EntryForm, PlanForm, WitnessForm
from jiandu.planning.models import Draw, JointParticipant, JointVisit, Plan, PlanEntry


def _writing_unit(request):
    """The unit a new plan or draw is for: the user's own, or the one a supervisor picks."""
    user = request.user
    if user.is_supervisor:
        try:
            return Unit.objects.enforcement().get(pk=int(request.POST.get("unit") or 0))
        except (Unit.DoesNotExist, ValueError):
            return None
    if not user.unit_id or not user.has_role("clerk", "leader"):
        raise PermissionDenied("只有执法单位的填报员、负责人或监督管理员可以编制。")
    return user.unit


# ---------------------------------------------------------------- plans


@login_required
def plans(request):
    listing = Listing(request, scope(Plan.objects.all(), request.user), PlanFilter, PLAN_SORTS)
    if request.GET.get("export") == "xlsx":
        sheet = PlanExporter(listing.filtered().select_related("unit"))
        return xlsx_response(request, sheet, filename=sheet.filename, action="planning.export")
    page = listing.page(listing.filtered().select_related("unit"))
    return render(
        request,
        "planning/plans.html",
        {
            "page": page,
            "listing": listing,
            "f": request.GET,
            "units": enforcement_units(request.user),
            "states": Plan.State.choices,
        },
    )


@login_required
def plan_new(request):
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        unit = _writing_unit(request)
        if unit is None:
            form.add_error(None, "请选择执法单位。")
        else:
            try:
                plan = actions.create_plan(
                    unit=unit, actor=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                return redirect("planning:plan", plan.pk)
    return render(
        request,
        "planning/plan_new.html",
        {"form": form, "units": enforcement_units(request.user)},
    )


def _plan_page(request, plan, entry_form=None, status=200):
    can = actions.available_plan_actions(plan, request.user)
    return render(
        request,
        "planning/plan.html",
        {
            "plan": plan,
            "entries": plan.entries.select_related("enterprise"),
            "can": can,
            "entry_form": entry_form or (EntryForm() if "edit" in can else None),
            "warnings": caps.plan_warnings(plan) if "file" in can else [],
            "versions": Plan.objects.filter(
                unit=plan.unit, year=plan.year, month=plan.month
            ).order_by("version"),
        },
        status=status,
    )


@login_required
def plan(request, pk):
    obj = get_for_user(Plan.objects.select_related("unit"), request.user, pk)
    if request.method != "POST":
        return _plan_page(request, obj)
    obj = get_for_user(Plan.objects.select_related("unit"), request.user, pk, write=True)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            actions.add_entry(obj, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, "已添加计划事项。")
            return redirect("planning:plan", obj.pk)
    return _plan_page(request, obj, entry_form=form, status=400)


@login_required
@require_POST
def entry_remove(request, pk):
    entry = get_for_user(
        PlanEntry.objects.select_related("plan"),
        request.user,
        pk,
        write=True,
        unit_field="plan__unit",
    )
    try:
        actions.remove_entry(entry, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("planning:plan", entry.plan_id)


PLAN_ACTIONS = {
    "file": (actions.file_plan, "计划已报备。"),
    "revise": (actions.revise_plan, "已生成新版本草稿，修改后请重新报备。"),
}


@login_required
@require_POST
def plan_action(request, pk, action):
    obj = get_for_user(Plan.objects.select_related("unit"), request.user, pk, write=True)
    if action not in PLAN_ACTIONS:
        raise Http404("没有该操作。")
    run, done = PLAN_ACTIONS[action]
    if action == "file" and caps.plan_warnings(obj) and request.POST.get("confirm") != "1":
        messages.error(request, "计划中有企业超过检查频次上限，请确认后再报备。")
        return redirect("planning:plan", obj.pk)
    try:
        result = run(obj, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("planning:plan", obj.pk)
    messages.success(request, done)
    return redirect("planning:plan", result.pk)


@login_required
def visits(request):
    """Who plans to visit whom and when: every filed plan's enterprise entries (the county's
    plans are shared so that units can join visits, as the enterprise page shows visits)."""
    qs = PlanEntry.objects.filter(plan__state=Plan.State.FILED, enterprise__isnull=False)
    listing = Listing(request, qs, EntryFilter, ENTRY_SORTS)
    own = None if sees_all(request.user) else request.user.unit_id
    if request.GET.get("export") == "xlsx":
        sheet = EntryExporter(listing.filtered().select_related("enterprise", "plan__unit"), own)
        return xlsx_response(request, sheet, filename=sheet.filename, action="planning.export")
    page = listing.page(listing.filtered().select_related("enterprise", "plan__unit"))
    return render(
        request,
        "planning/visits.html",
        {
            "page": page,
            "listing": listing,
            "f": request.GET,
            "units": Unit.objects.enforcement().active(),
            "own": own,
        },
    )


@login_required
def enterprise(request, pk):
    """One enterprise: which units plan to visit it and when, and its joint visits."""
    ent = get_object_or_404(Enterprise, pk=pk)
    entries = (
        PlanEntry.objects.filter(enterprise=ent, plan__state=Plan.State.FILED)
        .select_related("plan__unit")
        .order_by("planned_on", "months", "id")
    )
    return render(
        request,
        "planning/enterprise.html",
        {
            "enterprise": ent,
            "entries": entries,
            "joints": ent.joint_visits.select_related("lead_unit"),
            "own": None if sees_all(request.user) else request.user.unit_id,
        },
    )


# ---------------------------------------------------------------- joint visits


def _joints_for(user):
    qs = JointVisit.objects.all()
    if sees_all(user):
        return qs
    return scope(qs, user, "participants__unit")


@login_required
def joints(request):
    listing = Listing(request, _joints_for(request.user), JointFilter, JOINT_SORTS)
    page = listing.page(listing.filtered().select_related("enterprise", "lead_unit"))
    window = actions.joint_window()
    try:
        window = max(0, min(int(request.GET.get("window", window)), 365))
    except ValueError:
        messages.warning(request, f"时间窗口应为天数（整数），已按 {window} 天查找。")
    candidates = actions.joint_candidates(window=window) if is_supervisor(request.user) else []
    return render(
        request,
        "planning/joints.html",
        {
            "page": page,
            "listing": listing,
            "f": request.GET,
            "candidates": candidates,
            "window": window,
            "states": JointVisit.State.choices,
            "figures": insp02_figures() if sees_all(request.user) else None,
        },
    )


@login_required
@require_POST
def joint_propose(request):
    if not is_supervisor(request.user):
        raise PermissionDenied(actions.JOINT_PROPOSER)
    try:
        window = int(request.POST.get("window", actions.joint_window()))
        ids = [int(v) for v in request.POST.getlist("entry")]
    except ValueError as exc:
        raise Http404("参数有误。") from exc
    found = {
        c["entries"][0][0].pk: c
        for c in actions.joint_candidates(window=window)
        if {e.pk for e, _ in c["entries"]} == set(ids)
    }
    if not found:
        messages.error(request, "这些计划事项已不构成联合检查候选（可能已被提议），请刷新。")
        return redirect("planning:joints")
    candidate = next(iter(found.values()))
    try:
        joint = actions.propose_joint_visit(
            candidate["entries"], actor=request.user, window=window, request=request
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("planning:joints")
    messages.success(request, f"已提议联合检查 {joint.joint_no}，等待各单位确认。")
    return redirect("planning:joint", joint.pk)


def _joint(request, pk):
    return get_object_or_404(
        _joints_for(request.user).select_related("enterprise", "lead_unit"), pk=pk
    )


@login_required
def joint(request, pk):
    obj = _joint(request, pk)
    parts = list(obj.participants.select_related("unit", "inspection", "decided_by"))
    for p in parts:
        p.can = actions.available_joint_actions(p, request.user)
    verify_url = request.build_absolute_uri(qr.verify_path(obj.verify_code))
    return render(
        request,
        "planning/joint.html",
        {
            "joint": obj,
            "parts": parts,
            "decline_form": DeclineForm(),
            "verify_url": verify_url,
            "qr_svg": qr.svg(verify_url) if obj.state == JointVisit.State.CONFIRMED else "",
        },
    )


@login_required
@require_POST
def joint_answer(request, pk, action):
    obj = _joint(request, pk)
    if action not in actions.JOINT_CHECKS:
        raise Http404("没有该操作。")
    parts = JointParticipant.objects.select_related("unit", "joint").filter(joint=obj)
    chosen = request.POST.get("participant", "")
    part = (
        parts.filter(pk=chosen).first()
        if chosen.isdigit()
        else parts.filter(unit_id=request.user.unit_id).first()
    )
    if part is None:
        messages.error(request, "请选择参与单位。")
        return redirect("planning:joint", obj.pk)
    try:
        if action == "accept":
            certs = request.POST.get("officers", "").replace("，", ",").replace("、", ",")
            actions.accept_joint(
                part, actor=request.user, request=request, officers=certs.split(",")
            )
            messages.success(request, "已接受联合检查。")
        else:
            form = DeclineForm(request.POST)
            if not form.is_valid():
                messages.error(request, "请填写不参加联合检查的理由。")
                return redirect("planning:joint", obj.pk)
            actions.decline_joint(part, actor=request.user, request=request, **form.cleaned_data)
            messages.success(request, "已答复不参加，理由已告知监督管理员。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("planning:joint", obj.pk)


# ---------------------------------------------------------------- draws


@login_required
def draws(request):
    listing = Listing(request, scope(Draw.objects.all(), request.user), DrawFilter, DRAW_SORTS)
    page = listing.page(listing.filtered().select_related("unit"))
    return render(
        request,
        "planning/draws.html",
        {
            "page": page,
            "listing": listing,
            "f": request.GET,
            "units": enforcement_units(request.user),
            "states": Draw.State.choices,
        },
    )


@login_required
def draw_new(request):
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = _writing_unit(request)
        if unit is None:
            form.add_error(None, "请选择执法单位。")
        else:
            try:
                obj = actions.create_draw(
                    unit=unit, actor=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                messages.success(request, "已创建抽查草稿，请通知纪检监督员到场见证公告。")
                return redirect("planning:draw", obj.pk)
    return render(
        request, "planning/draw_new.html", {"form": form, "units": enforcement_units(request.user)}
    )


def _draw_page(request, obj, witness_form=None, status=200):
    can = actions.available_draw_actions(obj, request.user)
    preview = actions.pools(obj) if obj.state == Draw.State.DRAFT else None
    return render(
        request,
        "planning/draw.html",
        {
            "draw": obj,
            "can": can,
            "preview": preview,
            "witness_form": witness_form or (WitnessForm() if "announce" in can else None),
            "deadline": actions.publication_deadline(obj) if obj.revealed else None,
            "results": list(obj.random_draw.inspections.select_related("enterprise"))
            if obj.random_draw_id
            else [],
        },
        status=status,
    )


@login_required
def draw(request, pk):
    obj = get_for_user(Draw.objects.select_related("unit", "random_draw"), request.user, pk)
    return _draw_page(request, obj)


@login_required
@require_POST
def draw_action(request, pk, action):
    obj = get_for_user(Draw.objects.select_related("unit", "random_draw"), request.user, pk)
    if action not in actions.DRAW_CHECKS:
        raise Http404("没有该操作。")
    try:
        if action == "announce":
            form = WitnessForm(request.POST)
            if not form.is_valid():
                return _draw_page(request, obj, witness_form=form, status=400)
            try:
                actions.announce_draw(obj, actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as exc:
                add_action_errors(form, exc)
                return _draw_page(request, obj, witness_form=form, status=400)
            messages.success(request, "已公告：承诺值和抽查对象库已公开。")
        elif action == "draw":
            actions.run_draw(obj, actor=request.user, request=request)
            messages.success(request, "已抽取，抽中企业已登记为计划检查。")
        else:
            actions.publish_draw(obj, actor=request.user, request=request)
            messages.success(request, "抽查结果已公示。")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("planning:draw", obj.pk)


def draw_url(draw) -> str:
    return reverse("draws:detail", args=[draw.pk])
