"""自查表 pages: the county's overview and reminders, a unit's report (fill in, sign off),
reception. Mounted inside the `campaigns:` namespace (see jiandu/urls.py)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jiandu.audit.exports import xlsx_response
from jiandu.campaigns.models import Campaign
from jiandu.campaigns.views import _campaign_or_404, _errors, _requested_campaign
from jiandu.documents import staging
from jiandu.documents.models import Attachment
from jiandu.ledger.models import Problem
from jiandu.lib.lists import Listing
from jiandu.orgs.access import get_for_user, require_role, sees_all
from jiandu.orgs.models import Role, Unit
from jiandu.selfcheck import actions
from jiandu.selfcheck.exports import ReportExporter, SummaryExporter
from jiandu.selfcheck.forms import AnswerForm, ReportContactForm, ReturnForm
from jiandu.selfcheck.models import SelfCheckAnswer, SelfCheckReport

State = SelfCheckReport.State


def _unit_rows(campaign, today):
    """Every active township and county department with its report (or None)."""
    reports = {
        r.unit_id: r
        for r in campaign.reports.annotate(
            problem_count=Count("answers", filter=Q(answers__has_problem=True))
        )
    }
    deadline = campaign.self_check_deadline
    rows = []
    for unit in Unit.objects.enforcement().active():
        report = reports.get(unit.pk)
        if report is not None:
            report.campaign = campaign  # phases are prefetched on this instance
            late = report.is_late
        else:
            late = bool(deadline and today > deadline)
        rows.append(
            {
                "unit": unit,
                "report": report,
                "state": report.state if report else "none",
                "late": late,
                "problems": report.problem_count if report else 0,
                "not_submitted": (report.state if report else None) in actions.NOT_SUBMITTED,
            }
        )
    return rows


STATE_FILTERS = [("none", "未开始填报"), *State.choices]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reports(request):
    user = request.user
    campaign = _requested_campaign(request)
    if not sees_all(user):
        if campaign is None or not (user.unit and user.unit.is_enforcement_unit):
            return render(request, "selfcheck/reports_none.html", {"campaign": campaign})
        # A GET only reads: the unit's draft is created by the 开始填报 button (POST).
        if request.method == "POST":
            report = actions.open_report(campaign, user.unit, actor=user, request=request)
        else:
            report = SelfCheckReport.objects.filter(campaign=campaign, unit=user.unit).first()
        if report is None:
            return render(request, "selfcheck/reports_start.html", {"campaign": campaign})
        return redirect("campaigns:report", report.pk)
    if request.method == "POST":
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if campaign is None:
        return render(request, "selfcheck/reports_none.html", {"campaign": None})
    today = timezone.localdate()
    rows = _unit_rows(campaign, today)
    counts = defaultdict(int)
    for row in rows:
        counts[row["state"]] += 1
    not_submitted = [r for r in rows if r["not_submitted"]]
    state = request.GET.get("state", "")
    late = request.GET.get("late", "")
    shown = [r for r in rows if (not state or r["state"] == state) and (late != "1" or r["late"])]
    # The rows are built in Python (one per unit, with or without a report): the
    # toolkit pages them and offers the size choice; the filters stay the state badges.
    listing = Listing(request, shown)
    page = listing.page()
    return render(
        request,
        "selfcheck/reports.html",
        {
            "campaign": campaign,
            "page": page,
            "listing": listing,
            "total": len(shown),
            "state": state,
            "late": late,
            "state_filters": [(code, label, counts[code]) for code, label in STATE_FILTERS],
            "late_count": sum(1 for r in rows if r["late"]),
            "not_submitted": not_submitted,
            "campaigns": Campaign.objects.all(),
            "deadline": campaign.self_check_deadline,
        },
    )


@login_required
@require_POST
def remind(request):
    require_role(request.user, Role.SUPERVISOR)
    campaign = _campaign_or_404(request.POST.get("campaign"))
    units = list(Unit.objects.enforcement().active())
    if request.POST.get("all") != "1":
        # Matched as text: a malformed or huge id selects nothing instead of a 500.
        chosen = set(request.POST.getlist("unit"))
        units = [u for u in units if str(u.pk) in chosen]
    count = actions.remind_units(campaign, units, actor=request.user, request=request)
    if count:
        messages.success(request, f"已向 {count} 个单位发送催报通知。")
    else:
        messages.info(request, "没有需要催报的单位。")
    return redirect(f"{reverse('campaigns:reports')}?campaign={campaign.pk}")


def _report_qs():
    return SelfCheckReport.objects.select_related(
        "campaign", "campaign__lead_unit", "unit", "submitted_by", "accepted_by"
    ).prefetch_related("campaign__phases")


def _attachments_by_answer(answers):
    ct = ContentType.objects.get_for_model(SelfCheckAnswer)
    grouped = defaultdict(list)
    for att in Attachment.objects.filter(owner_type=ct, owner_id__in=[a.pk for a in answers]):
        grouped[att.owner_id].append(att)
    return grouped


def _problems_by_answer(answers):
    problems = Problem.objects.in_bulk([a.problem_id for a in answers if a.problem_id])
    return {a.pk: problems[a.problem_id] for a in answers if a.problem_id in problems}


DONE = {
    "save": "草稿已保存。",
    "signoff": "已提请单位负责人签发。",
    "submit": "自查表已签发上报县司法局。",
}


def _answer_forms(report, answers, user, data=None, files=None):
    attachments = _attachments_by_answer(answers)
    forms = [
        AnswerForm(data, files, answer=a, attachments=attachments.get(a.pk, ()), uploader=user)
        for a in answers
    ]
    contact_form = ReportContactForm(
        data, initial={"contact_name": report.contact_name, "contact_phone": report.contact_phone}
    )
    return forms, contact_form, attachments


def _answers(report):
    return list(report.answers.select_related("item", "item__focus_area"))


@login_required
@require_http_methods(["GET", "HEAD"])
def report(request, pk):
    """The report page: each button posts to its own transition's URL (report_save,
    report_signoff, report_submit, report_accept, report_return)."""
    report = get_for_user(_report_qs(), request.user, pk)
    return _render_report(request, report, _answers(report))


def _render_report(
    request,
    report,
    answers,
    *,
    forms=None,
    contact_form=None,
    attachments=None,
    return_form=None,
    status=200,
):
    user = request.user
    available = actions.available_actions(report, user)
    if forms is None:
        forms, contact_form, attachments = _answer_forms(report, answers, user)
    problems = _problems_by_answer(answers)
    rows = [
        {"form": f, "answer": f.answer, "attachments": attachments.get(f.answer.pk, [])}
        for f in forms
    ]
    for row in rows:
        row["problem"] = problems.get(row["answer"].pk)
    return render(
        request,
        "selfcheck/report.html",
        {
            "report": report,
            "campaign": report.campaign,
            "rows": rows,
            "can_fill": "save" in available,
            # The leader signs off directly: only a clerk is offered to ask for it.
            "can_signoff": "signoff" in available and user.is_clerk,
            "can_submit": "submit" in available,
            "can_review": "accept" in available,
            "contact_form": contact_form,
            "return_form": return_form or ReturnForm(),
            "problem_count": sum(1 for a in answers if a.has_problem),
            "answered": sum(1 for a in answers if a.has_problem is not None),
        },
        status=status,
    )


def _fill(request, pk, op):
    """保存草稿, 提请签发 and 签发上报 share the page's one form (the buttons post it to
    their own URL with `formaction`): the answers are saved, then the transition runs."""
    user = request.user
    report = get_for_user(_report_qs(), user, pk)
    if "save" not in actions.available_actions(report, user):
        raise PermissionDenied("您不能修改这份自查表。")
    answers = _answers(report)
    forms, contact_form, attachments = _answer_forms(
        report, answers, user, request.POST, request.FILES
    )
    # Every form is cleaned (no short cut), so each one's files are kept on an error.
    valid = [f.is_valid() for f in forms] + [contact_form.is_valid()]
    if all(valid):
        try:
            if op != "save":
                _precheck(forms)  # before any file is stored
            with transaction.atomic():
                actions.save_answers(
                    report,
                    actor=user,
                    answers={f.answer.pk: f.values() for f in forms},
                    request=request,
                    **contact_form.cleaned_data,
                )
                if op == "signoff":
                    actions.request_signoff(report, actor=user, request=request)
                elif op == "submit":
                    actions.submit_report(report, actor=user, request=request)
        except actions.IncompleteReport as exc:
            by_pk = {f.answer.pk: f for f in forms}
            for answer_pk, missing in exc.by_answer.items():
                for field, message in missing:
                    by_pk[answer_pk].add_error(field, message)
            report.refresh_from_db()
            orders = sorted(by_pk[pk].answer.item.order for pk in exc.by_answer)
            listed = "、".join(str(o) for o in orders[:12]) + ("等" if len(orders) > 12 else "")
            messages.error(
                request,
                f"自查表尚未填写完整（{len(orders)} 项：第 {listed} 项），未提交，请按提示补充。",
            )
        except ValidationError as exc:
            report.refresh_from_db()
            messages.error(request, _errors(exc))
        else:
            staging.discard(*forms)
            messages.success(request, DONE[op])
            return redirect("campaigns:report", report.pk)
    else:
        messages.error(request, "有填写错误，未保存，请按提示修改。")
    return _render_report(
        request,
        report,
        answers,
        forms=forms,
        contact_form=contact_form,
        attachments=attachments,
        status=400,
    )


@login_required
@require_POST
def report_save(request, pk):
    return _fill(request, pk, "save")


@login_required
@require_POST
def report_signoff(request, pk):
    return _fill(request, pk, "signoff")


@login_required
@require_POST
def report_submit(request, pk):
    return _fill(request, pk, "submit")


@login_required
@require_POST
def report_accept(request, pk):
    report = get_for_user(_report_qs(), request.user, pk)
    try:
        problems = actions.accept_report(report, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return _render_report(request, report, _answers(report), status=400)
    messages.success(request, f"已接收自查表，{len(problems)} 个问题已列入该单位整改台账。")
    return redirect("campaigns:report", report.pk)


@login_required
@require_POST
def report_return(request, pk):
    report = get_for_user(_report_qs(), request.user, pk)
    return_form = ReturnForm(request.POST)
    try:
        if return_form.is_valid():
            actions.return_report(
                report,
                actor=request.user,
                reason=return_form.cleaned_data["reason"],
                request=request,
            )
            messages.success(request, "自查表已退回，单位将收到退回原因。")
            return redirect("campaigns:report", report.pk)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return _render_report(request, report, _answers(report), return_form=return_form, status=400)


def _precheck(forms):
    """The completeness check on what was typed, so an incomplete sign-off stores nothing
    (uploaded files are only kept for the user, documents.staging, until the corrected
    post); the action checks again on the saved answers."""
    by_answer, messages_ = {}, []
    for form in forms:
        values = {k: v for k, v in form.values().items() if k in actions.ANSWER_FIELDS}
        missing = actions.missing_fields(SelfCheckAnswer(**values))
        if missing:
            by_answer[form.answer.pk] = missing
            messages_.extend(f"第 {form.answer.item.order} 项：{m}" for _f, m in missing)
    if by_answer:
        raise actions.IncompleteReport(messages_, by_answer)


@login_required
def report_export(request, pk):
    report = get_for_user(_report_qs(), request.user, pk)
    return xlsx_response(
        request,
        ReportExporter(report),
        filename=f"自查表-{report.unit.name}",
        action="campaigns.export",
        data={"report": report.pk},
    )


@login_required
def reports_export(request):
    if not sees_all(request.user):
        raise PermissionDenied("只有县级监督人员可以导出全部单位的自查表。")
    campaign = _requested_campaign(request)
    if campaign is None:
        raise Http404("当前没有专项行动。")
    rows = _unit_rows(campaign, timezone.localdate())
    sheets = [SummaryExporter(campaign, rows)]
    answers = defaultdict(list)
    for answer in SelfCheckAnswer.objects.filter(report__campaign=campaign).select_related(
        "item", "item__focus_area"
    ):
        answers[answer.report_id].append(answer)
    for row in rows:
        if row["report"] is not None:
            sheets.append(ReportExporter(row["report"], answers[row["report"].pk]))
    return xlsx_response(
        request,
        *sheets,
        filename=f"自查表汇总-{campaign.title}",
        action="campaigns.export",
        data={"campaign": campaign.pk},
    )
