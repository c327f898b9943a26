from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.audit.exports import xlsx_response
from jiandu.audit.labels import label_for
from jiandu.audit.models import AuditEvent
from jiandu.campaigns.models import Campaign
from jiandu.documents import staging
from jiandu.documents.models import Attachment
from jiandu.documents.staging import KeepsUploads
from jiandu.ledger import actions
from jiandu.ledger.exports import LedgerExporter
from jiandu.ledger.filters import EXTENSION_SORTS, LEAD_SORTS, SORTING, LeadFilter, ProblemFilter
from jiandu.ledger.forms import (
    AcceptForm,
    BulkExtensionForm,
    ChangeDeadlineForm,
    CloseLeadForm,
    DecideExtensionForm,
    DisposeLeadForm,
    EscalateForm,
    ExtensionForm,
    ProblemForm,
    ProgressForm,
    RectificationForm,
    RefuseExtensionForm,
    ReturnForm,
    ReturnLeadForm,
    SubmitForm,
    UpdateForm,
)
from jiandu.ledger.models import DeadlineChange, Lead, Problem, ProgressNote
from jiandu.lib.action_errors import add_action_errors
from jiandu.lib.lists import Listing
from jiandu.lib.transitions import Transition, run_bulk, run_transition
from jiandu.orgs.access import get_for_user, is_discipline, is_supervisor, scope, sees_all
from jiandu.orgs.models import FocusArea, Unit

# -- the ledger ----------------------------------------------------------------------


def _listing(request, today):
    return Listing(
        request,
        scope(Problem.objects.all(), request.user),
        filterset_class=ProblemFilter,
        sorts=SORTING,
        filter_kwargs={"today": today},
    )


@login_required
def problems(request):
    today = timezone.localdate()
    listing = _listing(request, today)
    page = listing.page(
        listing.filtered().select_related("unit", "focus_area").with_escalation_flag()
    )
    county = sees_all(request.user)
    return render(
        request,
        "ledger/problems.html",
        {
            "page": page,
            "listing": listing,
            "f": request.GET,
            "filtered": listing.is_filtered,
            "sort": listing.sort,
            "today": today,
            "county": county,
            "units": (Unit.objects.enforcement() if county else []),
            "focus_areas": FocusArea.objects.all(),
            "campaigns": Campaign.objects.all(),
            "sources": Problem.Source.choices,
            "states": Problem.State.choices,
            "severities": Problem.Severity.choices,
            "can_create": bool(actions.hand_sources_for(request.user)),
        },
    )


@login_required
def export(request):
    today = timezone.localdate()
    qs = _listing(request, today).filtered().with_latest_note()
    count = qs.count()
    who = request.user.unit.name if request.user.unit_id and not sees_all(request.user) else ""
    subtitle = "　".join(x for x in (who, f"导出日期：{today:%Y-%m-%d}", f"共 {count} 条") if x)
    return xlsx_response(
        request,
        LedgerExporter(qs, today=today, subtitle=subtitle),
        filename="整改台账",
        action="ledger.export",
        data={"count": count},
    )


# -- one problem ---------------------------------------------------------------------


def _problem_qs():
    return Problem.objects.select_related(
        "unit",
        "focus_area",
        "campaign",
        "created_by",
        "closed_by",
        "origin_type",
    )


def _event_text(event):
    data = event.data or {}
    if event.action == "ledger.problem.updated":
        names = {"measures": "整改措施", "responsible_person": "责任人", "deadline": "整改时限"}
        parts = []
        for key, change in data.items():
            if key == "measures":
                parts.append("整改措施已修改")
            elif isinstance(change, list) and len(change) == 2:
                parts.append(f"{names.get(key, key)}：{change[0] or '—'} → {change[1]}")
        return "；".join(parts)
    if event.action == "ledger.problem.started":
        return f"责任人 {data.get('responsible_person', '')}，整改时限 {data.get('deadline', '')}"
    if event.action == "ledger.problem.escalated":
        return f"{data.get('note', '')}（逾期 {data.get('days_overdue', '')} 天）"
    if event.action.startswith("ledger.deadline."):
        text = f"整改时限 {data.get('old') or '—'} → {data.get('new', '')}；理由：{data.get('reason', '')}"
        if data.get("note"):
            text += f"；审批意见：{data['note']}"
        return text
    return data.get("reason") or data.get("note") or ""


def _timeline(problem, notes):
    """Registration, every audited step and the progress notes, oldest first. The
    registration comes from the problem itself (its date may precede the audit row
    when problems are carried over from an earlier ledger)."""
    events = AuditEvent.objects.filter(
        object_type=Problem._meta.label_lower, object_id=str(problem.pk)
    ).exclude(action__in=["ledger.problem.created", "ledger.problem.progress"])
    items = [
        {
            "at": problem.created_at,
            "action": "created",
            "title": "登记问题",
            "who": problem.created_by.display_name if problem.created_by else "",
            "text": problem.get_source_display(),
        }
    ]
    for e in events:
        action = e.action.rsplit(".", 1)[-1]
        items.append(
            {
                "at": e.created_at,
                "action": action,
                "title": label_for(e.action),
                "who": e.actor_name,
                # A submission's note is already a progress note below.
                "text": "" if action == "submitted" else _event_text(e),
            }
        )
    for note in notes:
        items.append(
            {
                "at": note.created_at,
                "action": "progress",
                "title": "整改进展",
                "who": note.author.display_name if note.author else "",
                "text": note.text,
                "attachments": note.files,
            }
        )
    items.sort(key=lambda i: i["at"])
    return items


def _problem_context(request, problem, bound=None, flash=""):
    today = timezone.localdate()
    notes = list(problem.notes.select_related("author"))
    files = defaultdict(list)
    if notes:
        for att in Attachment.objects.filter(
            owner_type=ContentType.objects.get_for_model(ProgressNote),
            owner_id__in=[n.pk for n in notes],
        ):
            files[att.owner_id].append(att)
    for note in notes:
        note.files = files.get(note.pk, [])
    allowed = actions.available_actions(problem, request.user, today)
    rect_initial = {
        "measures": problem.measures,
        "responsible_person": problem.responsible_person,
        "deadline": problem.deadline,
    }
    forms = {
        name: step.form(
            initial=rect_initial if step.form in (RectificationForm, UpdateForm) else None,
            prefix=name,
        )
        for name, step in TRANSITIONS.items()
    }
    forms.update(bound or {})
    changes = list(problem.deadline_changes.select_related("requested_by", "decided_by"))
    return {
        "problem": problem,
        "today": today,
        "overdue": problem.is_overdue(today),
        "days_overdue": problem.days_overdue(today),
        "awaiting_days": problem.awaiting_days(today),
        "deadline_text": f"{problem.deadline:%Y-%m-%d}" if problem.deadline else "（未定）",
        "submitted_in_time": problem.submitted_in_time,
        "deadline_changes": changes,
        "pending_extension": next(
            (c for c in changes if c.state == DeadlineChange.State.PENDING), None
        ),
        "escalations": list(problem.escalations.select_related("by")),
        "timeline": _timeline(problem, notes),
        "allowed": allowed,
        "forms": forms,
        "open_form": next(iter(bound), "") if bound else "",
        # The origin is stored data: its own page, no text parsed, no app looked up.
        "source_link": problem.origin_url,
        "self_check_answer": (
            problem.origin if problem.source == Problem.Source.SELF_CHECK else None
        ),
        "flash": flash,
        "is_supervisor": actions.is_supervisor(request.user),
    }


@login_required
def problem(request, pk):
    obj = get_for_user(_problem_qs(), request.user, pk)
    return render(request, "ledger/problem.html", _problem_context(request, obj))


def _done(request, pk, text, level=messages.SUCCESS):
    if request.htmx:
        fresh = get_for_user(_problem_qs(), request.user, pk)
        ctx = _problem_context(request, fresh, flash=text)
        ctx["flash_level"] = "success" if level == messages.SUCCESS else "danger"
        return render(request, "ledger/problem.html#body", ctx)
    messages.add_message(request, level, text)
    return redirect("ledger:problem", pk=pk)


# The names are those of actions.PROBLEM_CHECKS.
TRANSITIONS = {
    "start": Transition(RectificationForm, actions.start_rectification, "已启动整改。"),
    "update": Transition(UpdateForm, actions.update_rectification, "整改措施已保存。"),
    "progress": Transition(
        ProgressForm, actions.add_progress, "整改进展已记录。", fields=("text", "files")
    ),
    "submit": Transition(
        SubmitForm,
        actions.submit_for_acceptance,
        "已提请验收，等待监督管理员验收。",
        fields=("note",),
    ),
    "accept": Transition(AcceptForm, actions.accept_problem, "已验收销号。", fields=("note",)),
    "return": Transition(ReturnForm, actions.return_problem, "已退回整改。", fields=("reason",)),
    "escalate": Transition(
        EscalateForm,
        actions.escalate,
        "已督办，责任单位将在每个页面看到醒目提示。",
        fields=("note", "to_discipline"),
    ),
    "extension": Transition(
        ExtensionForm,
        actions.request_extension,
        "延期申请已提交，监督管理员批准前整改时限不变。",
    ),
    "approve_extension": Transition(
        DecideExtensionForm,
        actions.decide_extension,
        "已批准延期，整改时限已更新。",
        fields=("note",),
        fixed={"approve": True},
    ),
    "refuse_extension": Transition(
        RefuseExtensionForm,
        actions.decide_extension,
        "已不予批准，整改时限不变。",
        fields=("note",),
        fixed={"approve": False},
    ),
    "deadline": Transition(ChangeDeadlineForm, actions.change_deadline, "整改时限已调整。"),
}


@login_required
@require_POST
def transition(request, pk, name):
    if name not in TRANSITIONS:
        raise Http404
    obj = get_for_user(_problem_qs(), request.user, pk)
    step = TRANSITIONS[name]
    keeps = {"uploader": request.user} if issubclass(step.form, KeepsUploads) else {}
    form = step.form(request.POST, request.FILES, prefix=name, **keeps)
    try:
        # Who may act is settled before the input is looked at (403, not a form error).
        actions.PROBLEM_CHECKS[name](obj, request.user, timezone.localdate())
    except ValidationError as exc:
        # The page was stale (someone else moved the problem on): show where it stands now.
        return _done(request, pk, "；".join(exc.messages), level=messages.ERROR)
    if run_transition(step, obj, form, request.user, request):
        staging.discard(form)
        return _done(request, pk, step.done)
    obj.refresh_from_db()
    ctx = _problem_context(request, obj, bound={name: form})
    if request.htmx:
        return render(request, "ledger/problem.html#body", ctx)
    return render(request, "ledger/problem.html", ctx, status=400)


@login_required
def problem_new(request):
    sources = actions.hand_sources_for(request.user)
    if not sources:
        raise PermissionDenied("只有监督管理员或检查组成员可以登记问题。")
    initial = {k: request.GET[k] for k in ("unit", "source", "focus_area") if k in request.GET}
    if "focus_area" in initial:
        initial["focus_area"] = FocusArea.objects.filter(code=initial["focus_area"]).first()
    form = ProblemForm(request.POST or None, sources=sources, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            obj = actions.create_problem_by_hand(
                actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            messages.success(request, f"已登记问题 #{obj.pk}，责任单位将在整改台账中看到。")
            return redirect("ledger:problem", pk=obj.pk)
    return render(
        request,
        "ledger/problem_new.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


# -- leads ---------------------------------------------------------------------------


# -- the extension queue (延期待审批) ----------------------------------------------------


def _extension_queue(user):
    """The problems whose 延期申请 waits for `user` (a supervisor), oldest request first."""
    if not is_supervisor(user):
        raise PermissionDenied("只有监督管理员可以审批延期申请。")
    return scope(Problem.objects.with_pending_extension(), user)


@login_required
def extensions(request):
    problems = _extension_queue(request.user).select_related("unit", "focus_area")
    pending = DeadlineChange.objects.filter(
        state=DeadlineChange.State.PENDING, problem__in=problems
    ).select_related("problem__unit", "problem__focus_area", "requested_by")
    listing = Listing(request, pending, sorts=EXTENSION_SORTS)
    page = listing.page()
    today = timezone.localdate()
    page.object_list = list(page.object_list)
    for change in page.object_list:  # the one rule (Problem.is_overdue), not deadline < today
        change.problem.overdue = change.problem.is_overdue(today)
    return render(
        request,
        "ledger/extensions.html",
        {"page": page, "listing": listing, "form": BulkExtensionForm(problems)},
    )


def _problem_name(problem):
    return f"问题 #{problem.pk}（{problem.unit.name}）"


@login_required
@require_POST
def extensions_decide(request):
    """Approve or refuse the ticked requests at once; each is its own `decide_extension`
    (`run_bulk`), and the ones that cannot be decided are named in the message."""
    _extension_queue(request.user)
    # Any problem the supervisor sees: one decided meanwhile is refused by name below,
    # not by the form, so the others are still decided.
    form = BulkExtensionForm(
        scope(Problem.objects.select_related("unit"), request.user), request.POST
    )
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect("ledger:extensions")
    decision = form.cleaned_data["decision"]
    step = TRANSITIONS[f"{decision}_extension"]
    result = run_bulk(
        step, form.cleaned_data["ids"], {"note": form.cleaned_data["note"]}, request.user, request
    )
    label = BulkExtensionForm.DECISIONS[decision]
    if result.done:
        messages.success(request, f"已{label} {len(result.done)} 份延期申请。")
    if result.refused:
        messages.warning(
            request,
            f"以下 {len(result.refused)} 份未能{label}：{result.refused_text(_problem_name)}",
        )
    return redirect("ledger:extensions")


def _lead_reader(user):
    # Units must not learn that a lead about them exists: 404, not 403.
    if not actions.can_read_leads(user):
        raise Http404("未找到该页面。")


@login_required
def leads(request):
    _lead_reader(request.user)
    qs = scope(Lead.objects.select_related("unit", "problem"), request.user)
    listing = Listing(request, qs, LeadFilter, LEAD_SORTS)
    page = listing.page()
    return render(
        request,
        "ledger/leads.html",
        {
            "page": page,
            "listing": listing,
            "f": request.GET,
            "states": Lead.State.choices,
            "units": Unit.objects.enforcement(),
        },
    )


LEAD_TRANSITIONS = {
    "dispose": Transition(DisposeLeadForm, actions.dispose_lead, "已确定处置方式。"),
    "close": Transition(CloseLeadForm, actions.close_lead, "线索已办结。"),
    "return": Transition(ReturnLeadForm, actions.return_lead, "线索已退回司法局。"),
}


def _lead_context(request, lead, name=None, form=None):
    forms = {n: step.form() for n, step in LEAD_TRANSITIONS.items()}
    if name:
        forms[name] = form
    return {
        "lead": lead,
        "allowed": actions.available_lead_actions(lead, request.user),
        # The commission's working papers: never shown to the justice bureau.
        "sees_working_notes": is_discipline(request.user),
        "dispose_form": forms["dispose"],
        "close_form": forms["close"],
        "return_form": forms["return"],
    }


def _one_lead(request, pk):
    return get_for_user(
        Lead.objects.select_related(
            "unit", "problem", "created_by", "received_by", "closed_by", "origin_type"
        ),
        request.user,
        pk,
    )


@login_required
def lead(request, pk):
    _lead_reader(request.user)
    obj = _one_lead(request, pk)
    return render(request, "ledger/lead.html", _lead_context(request, obj))


@login_required
@require_POST
def lead_receive(request, pk):
    _lead_reader(request.user)
    obj = get_for_user(Lead.objects.all(), request.user, pk)
    try:
        actions.receive_lead(obj, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已接收线索。")
    return redirect("ledger:lead", pk=pk)


def _lead_step(name):
    @login_required
    @require_POST
    def view(request, pk):
        _lead_reader(request.user)
        obj = _one_lead(request, pk)
        step = LEAD_TRANSITIONS[name]
        form = step.form(request.POST)
        if run_transition(step, obj, form, request.user, request):
            messages.success(request, step.done)
            return redirect("ledger:lead", pk=pk)
        obj.refresh_from_db()
        return render(
            request, "ledger/lead.html", _lead_context(request, obj, name, form), status=400
        )

    view.__name__ = f"lead_{name}"
    return view


lead_dispose = _lead_step("dispose")
lead_close = _lead_step("close")
lead_return = _lead_step("return")


def campaign_work(user, campaign) -> dict:
    """The ledger's counts on the campaign page (registered in apps.py)."""
    problems = scope(Problem.objects.of_campaign(campaign), user).counts()
    return {
        "problems": problems["total"],
        "closed": problems[Problem.State.CLOSED],
        "rate": problems["rate"],
    }
