"""Pages of 案件移送: the list (sender and receiver see it, county roles all), the
sending form, the detail with its timeline and the forms of the allowed transitions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu import workdays
from jiandu.audit.exports import xlsx_response
from jiandu.documents import staging
from jiandu.documents.serving import attachment_of, attachment_response
from jiandu.documents.staging import KeepsUploads
from jiandu.documents.uploads import attachments_of
from jiandu.lib.action_errors import add_action_errors
from jiandu.lib.exports import Exporter
from jiandu.lib.lists import Listing
from jiandu.lib.transitions import Transition, post_transition, transition_forms
from jiandu.orgs.access import get_for_user, is_unit_writer, scope
from jiandu.transfers import actions
from jiandu.transfers.filters import SORTS, TransferFilter
from jiandu.transfers.forms import (
    AcceptForm,
    DecideForm,
    NoteForm,
    ReasonForm,
    ResendForm,
    SendForm,
)
from jiandu.transfers.models import CaseTransfer

UNITS = ("from_unit", "to_unit")

TRANSITIONS = {
    "accept": Transition(AcceptForm, actions.accept_transfer, "已接收移送。"),
    "refuse": Transition(ReasonForm, actions.refuse_transfer, "已拒绝接收，并通知移出单位。"),
    "return": Transition(ReasonForm, actions.return_transfer, "已退回补正，并通知移出单位。"),
    "resend": Transition(ResendForm, actions.resend_transfer, "已补正后重新移送。"),
    "dispute": Transition(ReasonForm, actions.dispute_transfer, "已报请监督机关裁定管辖。"),
    "keep": Transition(NoteForm, actions.keep_transfer, "已改由本单位办理。", fields=("note",)),
    "decide": Transition(DecideForm, actions.decide_transfer, "裁定已记录，并通知双方单位。"),
}
LABELS = {
    "accept": "接收",
    "refuse": "拒绝接收",
    "return": "退回补正",
    "resend": "补正后重新移送",
    "dispute": "报请管辖裁定",
    "keep": "改由本单位办理",
    "decide": "裁定管辖",
}


def _qs(user):
    return scope(CaseTransfer.objects.select_related("from_unit", "to_unit", "case"), user, UNITS)


def _listing(request):
    return Listing(
        request, _qs(request.user), TransferFilter, SORTS, filter_kwargs={"user": request.user}
    )


@login_required
def transfer_list(request):
    listing = _listing(request)
    page = listing.page()
    calendar = workdays.calendar()
    today = timezone.localdate()
    rows = []
    for t in page.object_list:
        due = actions.open_step(t, calendar)
        rows.append((t, due, bool(due and due.overdue(today))))
    return render(
        request,
        "transfers/list.html",
        {
            "page": page,
            "listing": listing,
            "rows": rows,
            "filters": listing.filterset.form,
            "states": CaseTransfer.State.choices,
            "can_send": _can_send(request.user),
        },
    )


class TransferExporter(Exporter):
    title = "案件移送台账"
    filename = "案件移送台账"
    sheet = "案件移送"
    columns = [
        ("移送编号", 16),
        ("类型", 8),
        ("移出单位", 24),
        ("接收单位", 24),
        ("当事人", 24),
        ("移送日期", 12),
        ("状态", 16),
        ("首次答复日期", 12),
        ("理由", 30),
        ("裁定意见", 30),
    ]

    def __init__(self, qs):
        self.qs = qs

    def rows(self):
        for t in self.qs:
            yield [
                t.transfer_no,
                t.get_kind_display(),
                t.from_unit.name,
                t.receiver_name,
                t.party_name,
                t.sent_on,
                t.get_state_display(),
                t.first_answered_on,
                t.reason,
                t.decision,
            ]


@login_required
def transfer_export(request):
    listing = _listing(request)
    return xlsx_response(
        request,
        TransferExporter(listing.filtered()),
        filename="案件移送台账.xlsx",
        action="transfers.export",
        data={"filters": listing.export_query},
    )


def _can_send(user):
    return bool(
        user.unit_id and is_unit_writer(user, user.unit_id) and user.unit.is_enforcement_unit
    )


@login_required
def transfer_new(request):
    user = request.user
    if not _can_send(user):
        raise PermissionDenied(actions.SEND_DENIED)
    initial = {}
    case_id = request.GET.get("case")
    if case_id and case_id.isdigit():
        case = user.unit and user.unit.cases.filter(pk=case_id).first()
        if case:
            initial = {"case": case, "party_name": case.party_name, "facts": case.facts}
    form = SendForm(
        request.POST or None, request.FILES or None, user=user, uploader=user, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                t = actions.send_transfer(
                    actor=user,
                    kind=data["kind"],
                    to_unit=data.get("to_unit"),
                    external=data.get("external") or "",
                    external_name=data.get("external_name") or "",
                    case=data.get("case"),
                    party_name=data["party_name"],
                    facts=data["facts"],
                    basis=data["basis"],
                    files=data.get("files") or [],
                    request=request,
                )
            except ValidationError as exc:
                add_action_errors(form, exc)
            else:
                staging.discard(form)
                messages.success(request, f"已移送（{t.transfer_no}），等待{t.receiver_name}接收。")
                return redirect(t)
        status = 400
    return render(request, "transfers/new.html", {"form": form}, status=status)


def timeline(t, calendar):
    """The steps, each with the working days since the previous one."""
    steps, previous = [], None
    for s in t.steps.select_related("actor", "unit"):
        days = calendar.count_workdays(previous, s.on) if previous else None
        steps.append({"step": s, "workdays": days})
        previous = s.on
    return steps


def _detail(request, t, bound=None, status=200):
    calendar = workdays.calendar()
    due = actions.open_step(t, calendar)
    ctx = {
        "t": t,
        "timeline": timeline(t, calendar),
        "due": due,
        "overdue": bool(due and due.overdue(timezone.localdate())),
        "files": attachments_of(t),
        "forms": transition_forms(
            TRANSITIONS, LABELS, actions.available_actions(t, request.user), bound
        ),
    }
    return render(request, "transfers/detail.html", ctx, status=status)


@login_required
def transfer_detail(request, pk):
    return _detail(request, get_for_user(_qs(request.user), request.user, pk, unit_field=UNITS))


@login_required
@require_POST
def transfer_step(request, pk, name):
    if name not in TRANSITIONS:
        raise Http404
    t = get_for_user(_qs(request.user), request.user, pk, unit_field=UNITS)
    step = TRANSITIONS[name]
    keeps = {"uploader": request.user} if issubclass(step.form, KeepsUploads) else {}
    form = step.form(request.POST, request.FILES, prefix=name, **keeps)
    return post_transition(
        request, t, name, TRANSITIONS, actions.CHECKS, form, _detail, done=staging.discard
    )


@login_required
def transfer_file(request, pk):
    """A transfer's attachment, for whoever may open the transfer (sender, receiver,
    county roles): documents:download would show it to the sender's unit only."""
    att = attachment_of(CaseTransfer, pk)
    get_for_user(_qs(request.user), request.user, att.owner_id, unit_field=UNITS)
    return attachment_response(att)
