"""Pages: the supervisor's 提醒与督办 page (drafts to approve, failed sends, paused items,
the whole history), one draft, one unit's history; pause and resume posted from an item's
page (the history include)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jiandu.lib.lists import Listing
from jiandu.lib.transitions import Transition, run_transition
from jiandu.orgs.access import (
    get_for_user,
    is_supervisor,
    is_supervisor_or_discipline,
    scope,
    sees_all,
)
from jiandu.orgs.models import Unit
from jiandu.reminders import actions
from jiandu.reminders.filters import LOG_SORTS, LogFilter
from jiandu.reminders.forms import ApproveForm, EmptyForm, ReasonForm
from jiandu.reminders.keys import resolve
from jiandu.reminders.models import Channel, ReminderDraft, ReminderLog, ReminderPause, Step


@login_required
def index(request):
    if not is_supervisor_or_discipline(request.user):
        raise PermissionDenied
    logs = scope(ReminderLog.objects.select_related("unit", "recipient"), request.user)
    listing = Listing(request, logs, LogFilter, LOG_SORTS)
    return render(
        request,
        "reminders/index.html",
        {
            "page": listing.page(),
            "listing": listing,
            "f": request.GET,
            "drafts": scope(
                ReminderDraft.objects.filter(state__in=["draft", "approved"]), request.user
            ).select_related("unit"),
            "failed": scope(
                ReminderLog.objects.filter(status=ReminderLog.Status.FAILED), request.user
            ).select_related("unit")[:100],
            "pauses": scope(
                ReminderPause.objects.filter(resumed_at__isnull=True), request.user
            ).select_related("unit", "paused_by"),
            "units": Unit.objects.order_by("kind", "code"),
            "channels": Channel.choices,
            "steps": Step.choices,
            "statuses": ReminderLog.Status.choices,
        },
    )


DRAFT_TRANSITIONS = {
    "approve": Transition(ApproveForm, actions.approve, "已审批。", fields=("text",)),
    "issue": Transition(EmptyForm, actions.issue, "已印发，已通知单位。", fields=()),
    "discard": Transition(ReasonForm, actions.discard, "草稿已作废。", fields=("reason",)),
}


@login_required
def draft(request, pk):
    if not is_supervisor_or_discipline(request.user):
        raise PermissionDenied
    obj = get_for_user(ReminderDraft.objects.select_related("unit"), request.user, pk)
    forms = {
        "approve": ApproveForm(initial={"text": obj.text}),
        "issue": EmptyForm(),
        "discard": ReasonForm(),
    }
    if request.method == "POST":
        name = request.POST.get("action", "")
        if name not in DRAFT_TRANSITIONS:
            raise Http404
        transition = DRAFT_TRANSITIONS[name]
        form = transition.form(request.POST)
        if run_transition(transition, obj, form, request.user, request):
            messages.success(request, transition.done)
            return redirect("reminders:draft", pk=obj.pk)
        forms[name] = form
    return render(
        request,
        "reminders/draft.html",
        {
            "draft": obj,
            "forms": forms,
            "can": actions.available_draft_actions(obj, request.user),
        },
    )


@login_required
def unit(request, pk):
    """One unit's reminder history: its own users, or the county-wide roles."""
    obj = get_object_or_404(Unit, pk=pk)
    if not (sees_all(request.user) or request.user.unit_id == obj.pk):
        raise Http404
    logs = scope(ReminderLog.objects.filter(unit=obj), request.user).select_related(
        "recipient", "sent_by"
    )
    listing = Listing(request, logs, LogFilter, LOG_SORTS)
    return render(
        request,
        "reminders/unit.html",
        {
            "unit": obj,
            "page": listing.page(),
            "listing": listing,
            "f": request.GET,
            "channels": Channel.choices,
            "steps": Step.choices,
            "statuses": ReminderLog.Status.choices,
        },
    )


PAUSE_TRANSITIONS = {
    "pause": Transition(ReasonForm, actions.pause, "已暂停。", fields=("reason",)),
    "resume": Transition(EmptyForm, actions.resume, "已恢复。", fields=()),
}


def _back(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _switch(request, key, name, done):
    """Pause or resume one item's reminders (a supervisor's), then back to the list."""
    if not is_supervisor(request.user):
        raise PermissionDenied
    item = resolve(key)
    if item is None:
        raise Http404
    step = PAUSE_TRANSITIONS[name]
    form = step.form(request.POST)
    if run_transition(step, item, form, request.user, request):
        messages.success(request, done.format(label=item.label))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return _back(request, "reminders:index")


@login_required
@require_POST
def pause(request, key):
    return _switch(request, key, "pause", "已暂停{label}的提醒。")


@login_required
@require_POST
def resume(request, key):
    return _switch(request, key, "resume", "已恢复{label}的提醒。")
