from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.audit.exports import xlsx_response
from jiandu.lib.lists import Listing
from jiandu.lib.transitions import Transition, run_bulk, run_transition
from jiandu.monitoring import actions, charts
from jiandu.monitoring.engine import enabled, params_for
from jiandu.monitoring.evidence import evidence_lines
from jiandu.monitoring.exports import AlertExporter
from jiandu.monitoring.filters import SORTS, AlertFilter, with_severity_rank
from jiandu.monitoring.forms import (
    AssignForm,
    BulkAlertForm,
    CompareForm,
    ConfirmForm,
    NoteForm,
    ReasonForm,
    RuleSettingForm,
)
from jiandu.monitoring.models import Alert, RuleRun, RuleSetting, Severity
from jiandu.monitoring.rules import AREA_LABELS, REGISTRY, RULES, SUBJECT_LABELS, get_rule
from jiandu.monitoring.rules.declaration import DAY_TYPES
from jiandu.monitoring.rules.inspection import FIGURES
from jiandu.orgs.access import get_for_user, is_supervisor, role_users, scope, sees_all
from jiandu.orgs.models import Role, Unit


@login_required
def alerts(request):
    listing = Listing(
        request,
        with_severity_rank(scope(Alert.objects.all(), request.user)),
        AlertFilter,
        SORTS,
        filter_kwargs={"user": request.user},
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            request,
            AlertExporter(listing.filtered().select_related("unit")),
            filename="预警清单",
            action="monitoring.export",
        )
    page = listing.page(listing.filtered().select_related("unit", "assignee"))
    county = sees_all(request.user)
    return render(
        request,
        "monitoring/alerts.html",
        {
            "page": page,
            "listing": listing,
            "can_bulk": is_supervisor(request.user),
            "supervisors": role_users(Role.SUPERVISOR).order_by("username") if county else [],
            "back": request.GET.urlencode(),
            "f": request.GET,
            "state": request.GET.get("state", "new"),
            "rules": RULES,
            "by_rule": REGISTRY,
            "areas": AREA_LABELS.items(),
            "states": Alert.State.choices,
            "severities": Severity.choices,
            "units": Unit.objects.enforcement() if county else [],
            "county": county,
            "last_run": RuleRun.objects.filter(status="done").first(),
            "subject_labels": SUBJECT_LABELS,
        },
    )


@login_required
def alert(request, pk):
    a = get_for_user(
        Alert.objects.select_related("unit", "problem", "lead", "acted_by", "assignee"),
        request.user,
        pk,
    )
    rule = get_rule(a.rule)
    user = request.user
    allowed = actions.available_actions(a, user)
    return render(
        request,
        "monitoring/alert.html",
        {
            "a": a,
            "rule": rule,
            "lines": evidence_lines(a),
            "area": AREA_LABELS.get(rule.area if rule else "", ""),
            "visual": charts.visual_for(a, user),
            "can_act": {"confirm", "dismiss"} <= allowed,
            "can_transfer": "transfer" in allowed,
            "can_assign": "assign" in allowed,
            "assign_form": AssignForm(initial={"assignee": a.assignee_id or user.pk}),
            "reason_form": ReasonForm(),
            "note_form": NoteForm(),
            "confirm_form": ConfirmForm(),
            "subject_label": SUBJECT_LABELS.get(a.subject_kind, ""),
        },
    )


# The names are those of actions.ALERT_CHECKS; each has its own route below.
TRANSITIONS = {
    "confirm": Transition(
        ConfirmForm,
        actions.confirm_alert,
        "已确认，问题已列入该单位整改台账。",
        fields=("note", "deadline"),
    ),
    "dismiss": Transition(ReasonForm, actions.dismiss_alert, "已排除该预警。", fields=("reason",)),
    "assign": Transition(AssignForm, actions.assign_alert, "已分配承办人。", fields=("assignee",)),
    "transfer": Transition(
        NoteForm, actions.transfer_alert_to_discipline, "已移交纪委监委。", fields=("note",)
    ),
}


def _act(request, pk, name):
    """The alert page's forms: a refusal comes back as a message on the alert page."""
    a = get_for_user(Alert.objects.all(), request.user, pk)
    step = TRANSITIONS[name]
    form = step.form(request.POST)
    if run_transition(step, a, form, request.user, request):
        messages.success(request, step.done)
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("monitoring:alert", pk=a.pk)


@login_required
@require_POST
def confirm(request, pk):
    return _act(request, pk, "confirm")


@login_required
@require_POST
def dismiss(request, pk):
    return _act(request, pk, "dismiss")


@login_required
@require_POST
def transfer(request, pk):
    return _act(request, pk, "transfer")


@login_required
@require_POST
def assign(request, pk):
    return _act(request, pk, "assign")


# What the bulk bar says it did: "已确认 3 条预警" / "以下 1 条未能确认：…".
BULK_DONE = {
    "confirm": "已确认 {n} 条预警，问题已列入各单位整改台账。",
    "dismiss": "已排除 {n} 条预警。",
    "assign": "已将 {n} 条预警分配给{who}。",
}


def _alert_name(alert):
    return f"{alert.rule} {alert.subject_key}"


@login_required
@require_POST
def bulk(request):
    """The alert list's bulk bar: each ticked alert goes through its own transition
    (`run_bulk`); those that cannot are named in the message and the rest still happen."""
    if not is_supervisor(request.user):
        raise PermissionDenied("只有监督管理员可以处理预警。")
    back = QueryDict(request.POST.get("back", "")).urlencode()
    target = reverse("monitoring:alerts") + (f"?{back}" if back else "")
    form = BulkAlertForm(scope(Alert.objects.all(), request.user), request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(target)
    name = form.cleaned_data["action"]
    result = run_bulk(
        TRANSITIONS[name], form.cleaned_data["ids"], form.transition_data(), request.user, request
    )
    if result.done:
        who = form.cleaned_data["assignee"].display_name if name == "assign" else ""
        messages.success(request, BULK_DONE[name].format(n=len(result.done), who=who))
    if result.refused:
        label = BulkAlertForm.ACTIONS[name]
        messages.warning(
            request,
            f"以下 {len(result.refused)} 条未能{label}：{result.refused_text(_alert_name)}",
        )
    return redirect(target)


def _require_county(user):
    if not sees_all(user):
        raise Http404("未找到该页面。")


@login_required
def rules(request):
    _require_county(request.user)
    today = timezone.localdate()
    counts = dict(
        Alert.objects.filter(state=Alert.State.NEW)
        .values("rule")
        .annotate(n=Count("id"))
        .values_list("rule", "n")
    )
    settings_now = RuleSetting.objects.in_force_by_rule(today)
    rows = []
    for r in RULES:
        setting = settings_now.get(r.id)
        params = params_for(r, today, setting=setting)
        rows.append(
            {
                "rule": r,
                "area": AREA_LABELS[r.area],
                "enabled": enabled(r, today, setting=setting),
                "open": counts.get(r.id, 0),
                "params": [(p.label, _show(p, params[p.name])) for p in r.params],
                "setting": setting,
                "figures": FIGURES[r.id]() if r.id in FIGURES else None,
            }
        )
    return render(
        request,
        "monitoring/rules.html",
        {
            "rows": rows,
            "runs": RuleRun.objects.select_related("actor")[:10],
            "can_edit": request.user.is_supervisor,
            "severities": dict(Severity.choices),
            "subject_labels": SUBJECT_LABELS,
        },
    )


def _show(p, value):
    if p.kind == "day_type":
        return dict(DAY_TYPES).get(value, value)
    if p.kind == "choices":
        labels = dict(p.choices)
        return "、".join(labels.get(v, v) for v in value)
    return value


@login_required
def rule_edit(request, rule_id):
    _require_county(request.user)
    rule = get_rule(rule_id)
    if rule is None:
        raise Http404("没有这条规则。")
    if not request.user.is_supervisor:
        raise PermissionDenied("只有监督管理员可以调整规则参数。")
    today = timezone.localdate()
    current = params_for(rule, today)
    if request.method == "POST":
        form = RuleSettingForm(rule, request.POST)
        if form.is_valid():
            actions.update_rule_setting(
                rule.id,
                actor=request.user,
                params=form.params(),
                enabled=form.cleaned_data["enabled"],
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
                request=request,
            )
            messages.success(
                request,
                f"已保存 {rule.id} 的参数，自 {form.cleaned_data['effective_from']:%Y-%m-%d} 起生效。",
            )
            return redirect("monitoring:rules")
    else:
        initial = {"enabled": enabled(rule, today), "effective_from": today}
        initial.update(
            {f"p_{k}": list(v) if isinstance(v, tuple) else v for k, v in current.items()}
        )
        form = RuleSettingForm(rule, initial=initial)
    history = RuleSetting.objects.filter(rule_id=rule.id).select_related("changed_by")
    return render(
        request,
        "monitoring/rule_form.html",
        {
            "rule": rule,
            "form": form,
            "history": history,
            "area": AREA_LABELS[rule.area],
            "param_fields": [form[f"p_{p.name}"] for p in rule.params],
        },
    )


@login_required
@require_POST
def run_start(request):
    rule_ids = [r for r in request.POST.getlist("rule") if get_rule(r)]
    run = actions.start_run(actor=request.user, rule_ids=rule_ids or None, request=request)
    return redirect("monitoring:run", pk=run.pk)


@login_required
def run(request, pk):
    _require_county(request.user)
    r = get_object_or_404(RuleRun, pk=pk)
    template = "monitoring/run.html#progress" if request.htmx else "monitoring/run.html"
    results = [(get_rule(k), v) for k, v in r.results.items()]
    return render(request, template, {"r": r, "results": results})


@login_required
def compare(request):
    form = CompareForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else None
    data = charts.unit_comparison(request.user, request.GET.get("item"), year)
    return render(request, "monitoring/compare.html", {**data, "f": request.GET, "form": form})
