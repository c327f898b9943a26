"""Pages of the 条例's instruments: 督办函 and 意见书 with their replies, objections and
escalation; 处理建议 and the government's 决定书; 约谈, 通报, officer recommendations and
the discipline commission's 督办 requests. Mounted as the `supervision:` namespace."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu.audit.exports import xlsx_response
from jiandu.documents import staging
from jiandu.documents.staging import KeepsUploads
from jiandu.documents.uploads import attachments_of
from jiandu.ledger.models import Lead, Problem
from jiandu.lib.action_errors import add_action_errors
from jiandu.lib.lists import Listing
from jiandu.lib.transitions import Transition, post_transition
from jiandu.orgs.access import (
    get_for_user,
    is_discipline,
    is_supervisor,
    is_supervisor_or_discipline,
    scope,
    sees_all,
)
from jiandu.orgs.models import Unit
from jiandu.supervision import actions
from jiandu.supervision.documents import document_of
from jiandu.supervision.exports import InstrumentExporter
from jiandu.supervision.filters import INSTRUMENT_SORTS, InstrumentFilter
from jiandu.supervision.forms import (
    AcceptReplyForm,
    AnswerRequestForm,
    CircularForm,
    DecisionForm,
    EscalateForm,
    HandleObjectionForm,
    InstrumentForm,
    InterviewForm,
    IssueForm,
    MinutesForm,
    ObjectForm,
    OfficerDecisionForm,
    OfficerForm,
    ProposalForm,
    ReferForm,
    ReplyDaysForm,
    ReplyForm,
    RequestForm,
    ReturnReplyForm,
    ScheduleInterviewForm,
)
from jiandu.supervision.models import (
    Circular,
    DisciplineRequest,
    Instrument,
    InstrumentSubject,
    Interview,
    OfficerRecommendation,
    Proposal,
)
from jiandu.workdays import calendar

# Objects an instrument may be about (`?about=<app>.<model>:<id>` on the new page).
SUBJECT_MODELS = {
    "ledger.problem",
    "monitoring.alert",
    "portal.complaint",
    "enforcement.penaltycase",
    "supervision.supervisionvisit",
}


def _require_supervisor(user):
    if not is_supervisor(user):
        raise PermissionDenied("只有监督管理员可以执行此操作。")


def _posted(request, form, action, *args, **extra):
    """A valid POSTed `form` runs `action(*args, actor, request, **extra, **cleaned_data)`:
    `(True, what it returned)`; otherwise `(False, None)`, with the action's refusal, if
    any, next to the fields it names so what was typed is shown again."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    try:
        return True, action(
            *args, actor=request.user, request=request, **extra, **form.cleaned_data
        )
    except ValidationError as exc:
        add_action_errors(form, exc)
        return False, None


def _new_page(request, form_class, action, *, done, to, title, button):
    """A supervisor's page creating one object: the form, then `to` (a URL name taking
    the new object's pk) with `done` (a message, or a function of the new object)."""
    _require_supervisor(request.user)
    form = form_class(request.POST or None)
    ok, obj = _posted(request, form, action)
    if ok:
        messages.success(request, done(obj) if callable(done) else done)
        return redirect(to, pk=obj.pk)
    return _form_page(request, form, title, button)


def _posted_from_list(request, form, action, obj, done):
    """A small form posted from a list (no page of its own): the outcome as a message."""
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return
    try:
        action(obj, actor=request.user, request=request, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, done)


def _visible_instruments(user):
    """Every instrument for county roles; a unit sees the ones issued to it (not drafts)."""
    qs = scope(Instrument.objects.select_related("unit", "focus_area"), user)
    return qs if sees_all(user) else qs.exclude(state=Instrument.State.DRAFT)


def _listing(request, today):
    return Listing(
        request,
        _visible_instruments(request.user),
        InstrumentFilter,
        INSTRUMENT_SORTS,
        filter_kwargs={"today": today},
    )


@login_required
def instruments(request):
    today = timezone.localdate()
    listing = _listing(request, today)
    page = listing.page()
    cal = calendar()
    for obj in page.object_list:
        obj.left = obj.workdays_left(today, cal)
        obj.overdue = obj.is_overdue(today)
    county = sees_all(request.user)
    return render(
        request,
        "supervision/instruments.html",
        {
            "page": page,
            "listing": listing,
            "f": request.GET,
            "kinds": Instrument.Kind.choices,
            "states": Instrument.State.choices,
            "units": Unit.objects.enforcement() if county else [],
            "county": county,
            "is_supervisor": is_supervisor(request.user),
            "is_discipline": is_discipline(request.user),
            "open_requests": DisciplineRequest.objects.filter(
                state=DisciplineRequest.State.OPEN
            ).count()
            if is_supervisor_or_discipline(request.user)
            else 0,
        },
    )


@login_required
def export(request):
    today = timezone.localdate()
    qs = _listing(request, today).filtered()
    return xlsx_response(
        request,
        InstrumentExporter(qs, today=today),
        filename="监督文书台账",
        action="supervision.instrument.export",
        data={"count": qs.count()},
    )


def _subjects_from(params, user, unit_id=None):
    """The objects named by `about=<app>.<model>:<id>` that the user may read."""
    found = []
    for value in params.getlist("about"):
        label, _, pk = value.partition(":")
        if label not in SUBJECT_MODELS or not pk.isdigit():
            continue
        app, _, model = label.partition(".")
        try:
            ct = ContentType.objects.get_by_natural_key(app, model)
        except ContentType.DoesNotExist:
            continue
        obj = scope(ct.model_class().objects.all(), user).filter(pk=int(pk)).first()
        if obj is not None and (unit_id is None or obj.unit_id == unit_id):
            found.append(obj)
    return found


@login_required
def instrument_new(request):
    _require_supervisor(request.user)
    params = request.POST if request.method == "POST" else request.GET
    initial = {}
    if request.GET.get("unit", "").isdigit():
        initial["unit"] = request.GET["unit"]
    if request.GET.get("kind") in Instrument.Kind.values:
        initial["kind"] = request.GET["kind"]
    subjects = _subjects_from(params, request.user)
    if subjects and "unit" not in initial:
        initial["unit"] = subjects[0].unit_id
    form = InstrumentForm(request.POST or None, initial=initial)
    ok, obj = _posted(request, form, actions.draft_instrument, subjects=subjects)
    if ok:
        messages.success(request, "文书草稿已保存，核对无误后签发。")
        return redirect("supervision:instrument", pk=obj.pk)
    return render(
        request,
        "supervision/instrument_new.html",
        {"form": form, "subjects": subjects, "about": params.getlist("about")},
        status=400 if form.is_bound else 200,
    )


INSTRUMENT_TRANSITIONS = {
    "issue": Transition(IssueForm, actions.issue_instrument, "文书已签发，主送单位已收到通知。"),
    "reply": Transition(ReplyForm, actions.reply_instrument, "已提交答复，等待监督管理员审核。"),
    "object": Transition(ObjectForm, actions.object_instrument, "已提出异议，等待监督管理员处理。"),
    "accept": Transition(
        AcceptReplyForm, actions.accept_reply, "答复已认可，文书办结，相关问题已销号。"
    ),
    "return": Transition(ReturnReplyForm, actions.return_reply, "答复已退回，主送单位需重新答复。"),
    "uphold": Transition(
        HandleObjectionForm,
        actions.handle_objection,
        "异议成立，文书已撤回。",
        fixed={"uphold": True},
    ),
    "reject": Transition(
        HandleObjectionForm,
        actions.handle_objection,
        "异议不成立，主送单位仍须按期答复。",
        fixed={"uphold": False},
    ),
    "escalate": Transition(
        EscalateForm, actions.escalate_instrument, "已形成处理建议，提请县政府作出决定。"
    ),
    "refer": Transition(ReferForm, actions.refer_to_discipline, "已向纪委监委移送问题线索。"),
}

ACTION_TEXT = {
    "issue": (
        "签发",
        "签发后主送单位收到通知，答复期限开始计算；督办/纠正事项列入整改台账。",
        "primary",
    ),
    "reply": ("答复纠正情况", "", "primary"),
    "object": ("提出异议（条例第三十条）", "", "outline-secondary"),
    "accept": ("认可答复、办结", "", "success"),
    "return": ("退回答复", "", "outline-danger"),
    "uphold": ("异议成立，撤回文书", "", "outline-secondary"),
    "reject": ("异议不成立", "", "outline-danger"),
    "escalate": ("提请县政府处理（条例第二十九条）", "", "outline-danger"),
    "refer": ("向纪委监委移送线索（条例第三十三条）", "", "outline-dark"),
}


def _instrument_context(request, obj, bound=None):
    today = timezone.localdate()
    allowed = actions.available_instrument_actions(obj, request.user, today)
    bound = bound or {}
    forms = []
    for name in INSTRUMENT_TRANSITIONS:
        if name not in allowed:
            continue
        step = INSTRUMENT_TRANSITIONS[name]
        form = bound.get(name) or step.form(prefix=name)
        title, hint, style = ACTION_TEXT[name]
        forms.append(
            {
                "name": name,
                "title": title,
                "hint": hint,
                "style": style,
                "form": form,
                "multipart": issubclass(step.form, KeepsUploads),
            }
        )
    replies = list(obj.replies.select_related("by", "decided_by"))
    for reply in replies:
        reply.files = list(attachments_of(reply))
    subjects = [s.target for s in obj.subjects.select_related("content_type")]
    county = sees_all(request.user)
    leads = (
        Lead.objects.filter(
            origin_type=ContentType.objects.get_for_model(Instrument), origin_id=obj.pk
        )
        if is_supervisor_or_discipline(request.user)
        else []
    )
    return {
        "obj": obj,
        "today": today,
        "left": obj.workdays_left(today),
        "overdue": obj.is_overdue(today),
        "forms": forms,
        "replies": replies,
        "subjects": [s for s in subjects if s is not None],
        "problems": obj.problems().order_by("pk"),
        "proposals": obj.proposals.all(),
        "interviews": obj.interviews.all(),
        "leads": leads,
        "county": county,
        "document": document_of(obj),
    }


def _one(request, pk):
    return get_for_user(_visible_instruments(request.user), request.user, pk)


def _instrument_page(request, obj, bound=None, status=200):
    ctx = _instrument_context(request, obj, bound=bound)
    return render(request, "supervision/instrument.html", ctx, status=status)


@login_required
def instrument(request, pk):
    return _instrument_page(request, _one(request, pk))


@login_required
@require_POST
def instrument_step(request, pk, name):
    if name not in INSTRUMENT_TRANSITIONS:
        raise Http404("未找到该操作。")
    obj = _one(request, pk)
    step = INSTRUMENT_TRANSITIONS[name]
    keeps = {"uploader": request.user} if issubclass(step.form, KeepsUploads) else {}
    form = step.form(request.POST, request.FILES, prefix=name, **keeps)
    return post_transition(
        request,
        obj,
        name,
        INSTRUMENT_TRANSITIONS,
        actions.INSTRUMENT_CHECKS,
        form,
        _instrument_page,
        done=staging.discard,
    )


@login_required
def reply_days(request):
    _require_supervisor(request.user)
    initial = {kind: actions.reply_workdays(kind) for kind in Instrument.Kind.values}
    form = ReplyDaysForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for kind in Instrument.Kind.values:
            if form.cleaned_data[kind] != initial[kind]:
                actions.set_reply_workdays(
                    actor=request.user, kind=kind, workdays=form.cleaned_data[kind], request=request
                )
        messages.success(request, "答复期限已保存，此后签发的文书按新期限计算。")
        return redirect("supervision:reply_days")
    return render(request, "supervision/reply_days.html", {"form": form})


# ---------------------------------------------------------------- 处理建议 and 决定书


@login_required
def proposal(request, pk):
    obj = get_for_user(Proposal.objects.select_related("unit", "instrument"), request.user, pk)
    return render(request, "supervision/proposal.html", _proposal_context(request, obj))


def _proposal_context(request, obj, form=None):
    allowed = actions.available_proposal_actions(obj, request.user)
    return {
        "obj": obj,
        "allowed": allowed,
        "form": form or DecisionForm(),
        "files": attachments_of(obj),
        "document": document_of(obj),
    }


@login_required
@require_POST
def proposal_decision(request, pk):
    obj = get_for_user(Proposal.objects.select_related("unit"), request.user, pk)
    try:
        actions.check_record_decision(obj, request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("supervision:proposal", pk=pk)
    form = DecisionForm(request.POST, request.FILES, uploader=request.user)
    if form.is_valid():
        files = form.cleaned_data["file"] or []
        try:
            actions.record_decision(
                obj,
                actor=request.user,
                number=form.cleaned_data["number"],
                date=form.cleaned_data["date"],
                content=form.cleaned_data["content"],
                file=files[0] if files else None,
                request=request,
            )
        except ValidationError as exc:
            add_action_errors(form, exc)
        else:
            staging.discard(form)
            messages.success(request, "已登记县政府的行政执法监督决定书。")
            return redirect("supervision:proposal", pk=pk)
    obj.refresh_from_db()
    return render(
        request, "supervision/proposal.html", _proposal_context(request, obj, form), status=400
    )


@login_required
def proposal_new(request):
    return _new_page(
        request,
        ProposalForm,
        actions.propose_for_major_problem,
        done="处理建议已形成，报县人民政府。",
        to="supervision:proposal",
        title="提请县政府处理（重大问题）",
        button="提交",
    )


def _form_page(request, form, title, button, multipart=False):
    return render(
        request,
        "supervision/form.html",
        {"form": form, "title": title, "button": button, "multipart": multipart},
        status=400 if form.is_bound else 200,
    )


# ---------------------------------------------------------------- measures


@login_required
def measures(request):
    """The measures around the instruments: 处理建议, 约谈, 通报, officer recommendations."""
    user = request.user
    return render(
        request,
        "supervision/measures.html",
        {
            "proposals": scope(Proposal.objects.select_related("unit"), user)[:50],
            "interviews": scope(Interview.objects.select_related("unit"), user)[:50],
            "circulars": Circular.objects.all()[:50],
            "officers": scope(OfficerRecommendation.objects.select_related("unit"), user)[:50]
            if sees_all(user)
            else [],
            "is_supervisor": is_supervisor(user),
        },
    )


@login_required
def interview_new(request):
    return _new_page(
        request,
        InterviewForm,
        actions.record_interview,
        done="约谈记录已保存，整改事项已列入整改台账。",
        to="supervision:interview",
        title="记录约谈",
        button="保存",
    )


@login_required
def interview_schedule(request):
    return _new_page(
        request,
        ScheduleInterviewForm,
        actions.schedule_interview,
        done=lambda obj: f"约谈通知已印发（{obj.number}），约谈后记录约谈情况。",
        to="supervision:interview",
        title="安排约谈（印发约谈通知）",
        button="印发约谈通知",
    )


def _interview_page(request, obj, form=None, status=200):
    allowed = set()
    try:
        actions.check_record_minutes(obj, request.user)
        allowed.add("minutes")
    except (PermissionDenied, ValidationError):
        pass
    return render(
        request,
        "supervision/interview.html",
        {
            "obj": obj,
            "problems": obj.problems().order_by("pk"),
            "document": document_of(obj),
            "allowed": allowed,
            "form": form or MinutesForm(),
        },
        status=status,
    )


@login_required
def interview(request, pk):
    obj = get_for_user(Interview.objects.select_related("unit", "instrument"), request.user, pk)
    return _interview_page(request, obj)


@login_required
@require_POST
def interview_minutes(request, pk):
    obj = get_for_user(Interview.objects.select_related("unit"), request.user, pk)
    _require_supervisor(request.user)
    form = MinutesForm(request.POST)
    ok, _ = _posted(request, form, actions.record_minutes, obj)
    if ok:
        messages.success(request, "约谈情况已记录，整改事项已列入整改台账。")
        return redirect("supervision:interview", pk=pk)
    obj.refresh_from_db()
    return _interview_page(request, obj, form, status=400)


@login_required
def circular_new(request):
    return _new_page(
        request,
        CircularForm,
        actions.publish_circular,
        done="通报已发布。",
        to="supervision:circular",
        title="发布通报（条例第三十一条）",
        button="发布",
    )


@login_required
def circular(request, pk):
    # A 通报 goes to every unit: every signed-in user reads it.
    obj = get_object_or_404(Circular, pk=pk)
    return render(
        request,
        "supervision/circular.html",
        {"obj": obj, "document": document_of(obj), "public": False},
    )


def public_circulars(request):
    """The public portal's list of 通报 made public (Art. 31)."""
    items = Circular.objects.filter(audience=Circular.Audience.PUBLIC)
    listing = Listing(request, items)
    return render(
        request, "supervision/public_circulars.html", {"page": listing.page(), "listing": listing}
    )


def public_circular(request, pk):
    obj = get_object_or_404(Circular, pk=pk, audience=Circular.Audience.PUBLIC)
    return render(request, "supervision/circular.html", {"obj": obj, "public": True})


@login_required
def officers(request):
    _require_supervisor(request.user)
    form = OfficerForm(request.POST or None)
    ok, _ = _posted(request, form, actions.recommend_officer)
    if ok:
        messages.success(request, "处理建议已提出，待有权机关决定后登记。")
        return redirect("supervision:officers")
    items = OfficerRecommendation.objects.select_related("unit")
    return render(
        request,
        "supervision/officers.html",
        {"form": form, "items": items, "decision_form": OfficerDecisionForm()},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def officer_decision(request, pk):
    rec = get_for_user(OfficerRecommendation.objects.all(), request.user, pk)
    _require_supervisor(request.user)
    form = OfficerDecisionForm(request.POST)
    _posted_from_list(request, form, actions.record_officer_decision, rec, "已登记有权机关的决定。")
    return redirect("supervision:officers")


# ---------------------------------------------------------------- the commission's requests


@login_required
def requests(request):
    user = request.user
    if not is_supervisor_or_discipline(user):
        raise Http404("未找到该页面。")
    initial = {}
    if request.GET.get("problem", "").isdigit():
        problem = Problem.objects.open().filter(pk=int(request.GET["problem"])).first()
        if problem is not None:
            initial = {"problem": problem.pk, "unit": problem.unit_id}
    form = RequestForm(request.POST or None, initial=initial) if is_discipline(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("只有纪检监督员可以提出督办请求。")
        ok, _ = _posted(request, form, actions.request_supervision)
        if ok:
            messages.success(request, "督办请求已送监督管理员。")
            return redirect("supervision:requests")
    items = DisciplineRequest.objects.select_related(
        "unit", "problem", "requested_by", "instrument"
    )
    return render(
        request,
        "supervision/requests.html",
        {
            "form": form,
            "items": items,
            "answer_form": AnswerRequestForm(),
            "is_supervisor": is_supervisor(user),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
@require_POST
def request_answer(request, pk):
    # The commission's requests are county business: a unit learns nothing (404).
    if not is_supervisor_or_discipline(request.user):
        raise Http404("未找到该页面。")
    _require_supervisor(request.user)
    req = get_object_or_404(DisciplineRequest, pk=pk)
    form = AnswerRequestForm(request.POST)
    _posted_from_list(request, form, actions.answer_request, req, "督办请求已处理。")
    return redirect("supervision:requests")


def instruments_about(obj, user):
    """The instruments about `obj` (a problem, an alert, a complaint, a case, a visit)
    that `user` may read: for the include on those pages."""
    ids = InstrumentSubject.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).values("instrument_id")
    return _visible_instruments(user).filter(pk__in=ids)
