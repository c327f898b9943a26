"""The units' pages of 信用修复 (list, detail with the review and withdrawal forms) and
the case page's 三书同达 actions (the documents, the record of service)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu import workdays
from jiandu.audit.exports import xlsx_response
from jiandu.credit import actions
from jiandu.credit.filters import SORTS, ApplicationFilter
from jiandu.credit.forms import OpinionForm, ReasonForm, ServeForm, WithdrawForm
from jiandu.credit.models import RepairApplication
from jiandu.credit.threedocs import DOCS, render_three_docs
from jiandu.documents.serving import attachment_of, attachment_response
from jiandu.documents.uploads import attachments_of
from jiandu.enforcement.models import PenaltyCase
from jiandu.lib.exports import Exporter, download
from jiandu.lib.lists import Listing
from jiandu.lib.transitions import (
    Transition,
    post_transition,
    run_transition,
    transition_forms,
)
from jiandu.orgs.access import get_for_user, scope

# The case's unit reviews; the units asked to withdraw the publication see it too.
UNITS = ("unit", "withdrawals__unit")

TRANSITIONS = {
    "approve": Transition(
        OpinionForm, actions.approve_application, "已准予信用修复，已通知公示单位撤下公示。"
    ),
    "refuse": Transition(ReasonForm, actions.refuse_application, "已决定不予修复。"),
    "withdraw": Transition(WithdrawForm, actions.confirm_withdrawal, "已确认撤下公示。"),
}
LABELS = {"approve": "准予修复", "refuse": "不予修复", "withdraw": "确认已撤下公示"}


def _qs(user):
    return scope(RepairApplication.objects.select_related("unit", "case"), user, UNITS)


def _listing(request):
    return Listing(request, _qs(request.user), ApplicationFilter, SORTS)


@login_required
def application_list(request):
    listing = _listing(request)
    page = listing.page()
    calendar = workdays.calendar()
    today = timezone.localdate()
    rows = []
    for app in page.object_list:
        due = None
        if app.state == RepairApplication.State.SUBMITTED:
            due = ("审核", actions.review_item(app, calendar))
        elif app.state == RepairApplication.State.APPROVED and (
            pending := app.pending_withdrawals()
        ):
            # Every publishing unit has the same deadline: the first one stands for all.
            due = ("撤下公示", actions.withdrawal_item(pending[0], calendar))
        rows.append((app, due, bool(due and due[1].overdue(today))))
    return render(
        request,
        "credit/list.html",
        {
            "page": page,
            "listing": listing,
            "rows": rows,
            "filters": listing.filterset.form,
            "states": RepairApplication.State.choices,
        },
    )


class ApplicationExporter(Exporter):
    title = "信用修复申请台账"
    filename = "信用修复申请台账"
    sheet = "信用修复"
    columns = [
        ("编号", 12),
        ("申请主体", 28),
        ("决定书文号", 24),
        ("作出处罚单位", 24),
        ("申请日期", 12),
        ("状态", 10),
        ("决定日期", 12),
        ("尚未撤下公示的单位", 30),
    ]

    def __init__(self, qs):
        self.qs = qs

    def rows(self):
        for app in self.qs.prefetch_related("withdrawals__unit"):
            yield [
                app.reference,
                app.enterprise_name,
                app.decision_no,
                app.unit.name,
                app.applied_on,
                app.get_state_display(),
                app.decided_on,
                "、".join(w.unit.name for w in app.pending_withdrawals()),
            ]


@login_required
def application_export(request):
    listing = _listing(request)
    return xlsx_response(
        request,
        ApplicationExporter(listing.filtered()),
        filename="信用修复申请台账.xlsx",
        action="credit.export",
        data={"filters": listing.export_query},
    )


def _detail(request, app, bound=None, status=200):
    names = actions.available_actions(app, request.user)
    forms = transition_forms(TRANSITIONS, LABELS, names, bound)
    calendar = workdays.calendar()
    review = actions.review_item(app, calendar)
    ctx = {
        "app": app,
        "withdrawals": list(app.withdrawals.select_related("unit", "confirmed_by")),
        "files": attachments_of(app),
        "forms": forms,
        "review_deadline": review.deadline,
        "review_overdue": review.overdue(timezone.localdate()),
        "withdrawal_deadline": actions.withdrawal_deadline(app, calendar),
    }
    return render(request, "credit/detail.html", ctx, status=status)


@login_required
def application_detail(request, pk):
    return _detail(request, get_for_user(_qs(request.user), request.user, pk, unit_field=UNITS))


@login_required
@require_POST
def application_step(request, pk, name):
    if name not in TRANSITIONS:
        raise Http404
    app = get_for_user(_qs(request.user), request.user, pk, unit_field=UNITS)
    step = TRANSITIONS[name]
    form = step.form(request.POST, prefix=name)
    return post_transition(request, app, name, TRANSITIONS, actions.CHECKS, form, _detail)


@login_required
def application_file(request, pk):
    """An application's evidence, for whoever may open the application (the publishing
    units asked to withdraw too): documents:download shows it to the case's unit only."""
    att = attachment_of(RepairApplication, pk)
    get_for_user(_qs(request.user), request.user, att.owner_id, unit_field=UNITS)
    return attachment_response(att)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# --- 三书同达 on the case page ---------------------------------------------------------------


def _case(request, pk):
    return get_for_user(PenaltyCase.objects.select_related("unit", "violation"), request.user, pk)


@login_required
def three_docs(request, pk):
    """The case's 信用修复告知书 (?doc=notice) or 合规指导意见书 (?doc=advice) as 公文."""
    case = _case(request, pk)
    if not case.three_docs_required:
        raise Http404("该案件不要求三书同达。")
    which = request.GET.get("doc", "notice")
    if which not in DOCS:
        raise Http404("未知的文书。")
    content = render_three_docs(case, which)
    name = DOCS[which][1].split("（")[0]
    return download(content, f"{name}_{case.case_no}.docx", DOCX)


@login_required
@require_POST
def serve_three_docs(request, pk):
    case = _case(request, pk)
    form = ServeForm(request.POST, prefix="serve")
    step = Transition(ServeForm, actions.record_three_docs, "三书送达已登记。")
    try:
        actions.check_serve(case, request.user, timezone.localdate())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("enforcement:case", pk=case.pk)
    if run_transition(step, case, form, request.user, request):
        messages.success(request, step.done)
    else:
        errors = "；".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"未登记：{errors}")
    return redirect(reverse("enforcement:case", args=[case.pk]) + "#three-docs")
