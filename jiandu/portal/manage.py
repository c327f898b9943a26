"""Internal pages: handling complaints (supervisors, the discipline commission, and the
assigned unit without the complainant's identity), inspection ratings in aggregate."""

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiandu.audit.log import log
from jiandu.documents.models import Attachment
from jiandu.documents.uploads import attachments_of
from jiandu.lib.lists import IdFilter, Listing, Sorts
from jiandu.lib.transitions import Transition, run_transition
from jiandu.orgs.access import is_supervisor_or_discipline, scope
from jiandu.orgs.templatetags.jd import mask
from jiandu.portal import actions, crypto
from jiandu.portal.forms import (
    AssignForm,
    CloseForm,
    NoteForm,
    ProblemForm,
    PublishForm,
    RejectForm,
    ReplyForm,
)
from jiandu.portal.models import (
    MISCONDUCT_CATEGORIES,
    Category,
    Complaint,
    InspectionRating,
    OriginalFile,
    PublishedCase,
    pk_of_reference,
)
from jiandu.workdays import calendar

STATE_BADGE = {
    "received": "secondary",
    "accepted": "primary",
    "rejected": "dark",
    "assigned": "info",
    "replied": "warning",
    "closed": "success",
    "withdrawn": "light",
}


def _get_complaint(user, pk) -> Complaint:
    try:
        return Complaint.objects.visible_to(user).select_related("unit", "reported_unit").get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该记录，或您无权查看。") from exc


def _masked_identity(complaint) -> str:
    """For lists: enough to tell complainants apart, never the identity itself."""
    if complaint.anonymous:
        return "匿名"
    name = crypto.decrypt(complaint.name_cipher)
    phone = crypto.decrypt(complaint.phone_cipher)
    return f"实名 {name[:1]}{'*' * max(1, len(name) - 1)} {mask(phone, 3, 4) if phone else ''}"


COMPLAINT_SORTS = Sorts({"received": ("received_at",), "state": ("state",)}, "-received")


class ComplaintFilter(django_filters.FilterSet):
    """The handling list's GET filters; a malformed value is ignored."""

    q = django_filters.CharFilter(method="filter_q")
    state = django_filters.ChoiceFilter(choices=Complaint.State.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    unit = IdFilter(field_name="unit_id")
    overdue = django_filters.ChoiceFilter(choices=[("1", "只看超期")], method="filter_overdue")

    def __init__(self, *args, user, cal, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.cal = user, cal

    def filter_q(self, qs, name, value):
        match = Q(description__icontains=value)
        ref_pk = pk_of_reference(value)
        if ref_pk is not None:
            match |= Q(pk=ref_pk)
        if actions.can_handle(self.user) or self.user.is_discipline:
            # A complainant who calls in reads out the code: the whole code finds the
            # complaint (a part never does, so a list cannot spell the code out). The
            # code itself is never shown here.
            match |= Q(tracking_code=actions.normalize_code(value))
        return qs.filter(match)

    def filter_overdue(self, qs, name, value):
        return qs.overdue(cal=self.cal)


@login_required
def complaints(request):
    user = request.user
    cal = calendar()
    qs = (
        Complaint.objects.visible_to(user)
        .select_related("unit", "reported_unit")
        .annotate(n_assign=Count("assignments"))
    )
    f = {
        k: (request.GET.get(k) or "").strip() for k in ("q", "state", "category", "unit", "overdue")
    }
    listing = Listing(
        request,
        qs,
        filterset_class=ComplaintFilter,
        sorts=COMPLAINT_SORTS,
        filter_kwargs={"user": user, "cal": cal},
    )
    page = listing.page()
    show_identity = actions.can_see_identity(user)
    rows = []
    for c in page.object_list:
        rows.append(
            {
                "c": c,
                "step": c.current_step(cal),
                "reassignments": max(0, c.n_assign - 1),
                "identity": _masked_identity(c) if show_identity else None,
            }
        )
    return render(
        request,
        "portal/manage_list.html",
        {
            "page": page,
            "listing": listing,
            "rows": rows,
            "count": page.paginator.count,
            "f": f,
            "states": Complaint.State.choices,
            "categories": Category.choices,
            "units": actions.enforcement_units() if user.sees_all_units else [],
            "show_identity": show_identity,
            "badges": STATE_BADGE,
            "overdue_count": Complaint.objects.visible_to(user).overdue(cal=cal).count(),
        },
    )


def _detail_context(request, complaint, forms=None):
    user = request.user
    handler = actions.can_handle(user)
    forms = forms or {}
    ctx = {
        "c": complaint,
        "deadlines": complaint.deadlines(),
        "step": complaint.current_step(),
        "assignments": complaint.assignments.select_related("unit", "assigned_by"),
        "messages_list": complaint.messages.select_related("author", "unit"),
        "attachments": _named(attachments_of(complaint), user),
        "badge": STATE_BADGE.get(complaint.state),
        "handler": handler,
        "can_reply": "reply" in actions.available_actions(complaint, user),
        "can_see_identity": actions.can_see_identity(user),
        "can_open_original": actions.can_open_original(user),
        "originals": set(
            OriginalFile.objects.filter(attachment__in=attachments_of(complaint)).values_list(
                "attachment_id", flat=True
            )
        ),
        "accused": actions.accused_unit_ids(complaint),
        "misconduct": complaint.category in MISCONDUCT_CATEGORIES,
        "published": PublishedCase.objects.filter(complaint=complaint).first(),
    }
    if handler:
        ctx.update(
            accept_form=forms.get("accept") or NoteForm(),
            reject_form=forms.get("reject") or RejectForm(),
            assign_form=forms.get("assign")
            or AssignForm(initial={"unit": _suggested_unit(complaint)}),
            close_form=forms.get("close") or CloseForm(),
            lead_form=forms.get("lead") or NoteForm(),
            problem_form=forms.get("problem")
            or ProblemForm(initial={"description": complaint.description}),
            publish_form=forms.get("publish")
            or PublishForm(initial={"title": f"{complaint.get_category_display()}典型案例"}),
        )
    if ctx["can_reply"]:
        ctx["reply_form"] = forms.get("reply") or ReplyForm()
    return ctx


def _named(attachments, user) -> list:
    """The complaint's files, each with the name `user` may read (`shown_name`)."""
    files = list(attachments)
    for n, att in enumerate(files, start=1):
        att.shown_name = actions.shown_name(att, n, user)
    return files


def _suggested_unit(complaint):
    """The unit to preselect: never one the complaint is about (the supervisor picks
    that one deliberately, with a reason)."""
    for unit_id in (complaint.unit_id, complaint.reported_unit_id):
        if unit_id and unit_id not in actions.accused_unit_ids(complaint):
            return unit_id
    return None


@login_required
def complaint_detail(request, pk):
    complaint = _get_complaint(request.user, pk)
    return render(request, "portal/manage_detail.html", _detail_context(request, complaint))


# The names are those of actions.COMPLAINT_CHECKS.
TRANSITIONS = {
    "accept": Transition(NoteForm, actions.accept_complaint, "已受理。", fields=("note",)),
    "reject": Transition(
        RejectForm,
        actions.reject_complaint,
        "已决定不予受理，举报人可通过查询码看到理由。",
        fields=("reason",),
    ),
    "assign": Transition(
        AssignForm,
        actions.assign_complaint,
        "已交办，承办单位已收到通知。",
        fields=("unit", "note", "conflict_reason"),
    ),
    "reply": Transition(ReplyForm, actions.reply_complaint, "答复已提交。", fields=("text",)),
    "close": Transition(CloseForm, actions.close_complaint, "已办结。", fields=("result",)),
    "lead": Transition(
        NoteForm, actions.hand_to_discipline, "已作为线索移交纪委监委。", fields=("note",)
    ),
    "problem": Transition(
        ProblemForm,
        actions.complaint_to_problem,
        "已登记到整改台账。",
        fields=("description", "severity", "deadline"),
    ),
    "publish": Transition(
        PublishForm,
        actions.publish_case,
        "已作为典型案例在公开页面曝光。",
        fields=("title", "text"),
    ),
}


@login_required
@require_POST
def complaint_transition(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    complaint = _get_complaint(request.user, pk)
    step = TRANSITIONS[action]
    form = step.form(request.POST)
    if run_transition(step, complaint, form, request.user, request):
        messages.success(request, step.done)
        # A unit that assigned the complaint away can no longer open it.
        if Complaint.objects.visible_to(request.user).filter(pk=pk).exists():
            return redirect("portal:complaint", pk=pk)
        return redirect("portal:complaints")
    ctx = _detail_context(request, complaint, forms={action: form})
    ctx["open_action"] = action
    return render(request, "portal/manage_detail.html", ctx, status=400)


@login_required
@require_POST
def withdraw_case(request, pk):
    complaint = _get_complaint(request.user, pk)
    case = PublishedCase.objects.filter(complaint=complaint).first()
    if case is None:
        raise Http404
    try:
        actions.withdraw_case(case, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已撤下。")
    return redirect("portal:complaint", pk=pk)


@login_required
@require_POST
def reveal_identity(request, pk):
    complaint = _get_complaint(request.user, pk)
    if not actions.can_see_identity(request.user):
        raise PermissionDenied("您的角色不能查看举报人身份。")
    identity = actions.reveal_identity(complaint, actor=request.user, request=request)
    ctx = {"c": complaint, "identity": identity, "can_see_identity": True}
    if request.htmx:
        return render(request, "portal/manage_detail.html#identity", ctx)
    return render(
        request, "portal/manage_detail.html", {**_detail_context(request, complaint), **ctx}
    )


@login_required
def attachment(request, pk):
    """A complaint's file, for whoever may open the complaint: the copy without its
    metadata. `?original=1`: the file as sent, for the supervisor only."""
    ct = ContentType.objects.get_for_model(Complaint)
    att = Attachment.objects.filter(pk=pk, owner_type=ct).first()
    if att is None:
        raise Http404("未找到该记录，或您无权查看。")
    complaint = _get_complaint(request.user, att.owner_id)
    stored = att.file
    code = "portal.attachment.opened"
    if request.GET.get("original") == "1":
        if not actions.can_open_original(request.user):
            raise PermissionDenied("附件原件仅供监督部门查看。")
        original = OriginalFile.objects.filter(attachment=att).first()
        if original is not None:
            stored, code = original.file, "portal.attachment.original_opened"
    # A complainant's photo or document can reveal who they are: every opening is audited.
    log(
        code,
        actor=request.user,
        obj=complaint,
        request=request,
        data={"attachment": att.pk, "name": att.original_name},
    )

    number = list(attachments_of(complaint).values_list("pk", flat=True)).index(att.pk) + 1
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=actions.shown_name(att, number, request.user),
        content_type=att.content_type,
    )


@login_required
def ratings(request):
    """Inspection ratings in aggregate: per unit for supervisors, one's own unit otherwise.
    Single ratings and comments are shown to supervisors and the commission only."""
    user = request.user
    qs = scope(InspectionRating.objects.all(), user, "inspection__unit")
    show_comments = is_supervisor_or_discipline(user)
    if not show_comments:
        # Inspection teams see all units' data elsewhere; here a unit sees itself only.
        qs = qs.filter(inspection__unit_id=user.unit_id) if user.unit_id else qs.none()
    by_unit = (
        qs.values("inspection__unit__name", "inspection__unit_id")
        .annotate(
            n=Count("id"),
            avg=Avg("score"),
            low=Count("id", filter=Q(score__lte=2)),
            high=Count("id", filter=Q(score__gte=4)),
        )
        .order_by("avg", "inspection__unit__name")
    )
    distribution = {row["score"]: row["n"] for row in qs.values("score").annotate(n=Count("id"))}
    recent = (
        qs.exclude(comment="").select_related("inspection", "inspection__unit")[:20]
        if show_comments
        else []
    )
    return render(
        request,
        "portal/ratings.html",
        {
            "by_unit": by_unit,
            "distribution": [(s, distribution.get(s, 0)) for s in (5, 4, 3, 2, 1)],
            "total": sum(distribution.values()),
            "recent": recent,
            "show_comments": show_comments,
        },
    )
