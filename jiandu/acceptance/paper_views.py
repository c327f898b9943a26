"""Pages of the office's documents (acceptance/papers.py): issuing one from the page it
belongs to (POST, supervisors), a unit's documents page, the blank 自查表."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jiandu.acceptance import papers
from jiandu.campaigns.models import Campaign
from jiandu.documents import gongwen
from jiandu.documents.models import IssuedDocument
from jiandu.ledger.models import Problem
from jiandu.lib.exports import download
from jiandu.orgs.access import (
    can_write_unit,
    get_for_user,
    is_supervisor,
    require_supervisor,
    scope,
)
from jiandu.orgs.models import Unit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _back(request, fallback: str) -> str:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        return nxt
    return fallback


@login_required
@require_POST
def issue(request, kind, pk):
    """印发: the document of `kind` about object `pk`, built from the data, with its 文号."""
    require_supervisor(request.user, "只有监督管理员可以印发公文。")
    if kind not in papers.PAPERS:
        raise Http404("未知的文书种类。")
    model, build = papers.PAPERS[kind]
    obj = get_object_or_404(model, pk=pk)
    today = timezone.localdate()
    unit, context = build(obj, today)
    name = gongwen.KINDS[kind].name
    fallback = reverse("documents:unit_papers", args=[unit.pk]) if unit else "/"
    try:
        if "rows" in context and not context["rows"] and kind in EMPTY_REFUSALS:
            raise ValidationError(EMPTY_REFUSALS[kind])
        doc = gongwen.issue_document(
            kind, unit=unit, context=context, actor=request.user, subject=obj
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已印发{name}，文号 {doc.number.text}。")
    return redirect(_back(request, fallback))


EMPTY_REFUSALS = {
    "rectification_notice": "该单位没有未整改的问题，无需印发整改通知书。",
    "reminder_letter": "该单位没有逾期事项，无需印发提醒函。",
}


@login_required
def unit_papers(request, pk):
    """A unit's documents: those it received (with 送达), and for the supervisor the
    整改通知书 and 提醒函 to issue from its open and overdue problems."""
    unit = get_for_user(Unit.objects.all(), request.user, pk, unit_field="pk")
    today = timezone.localdate()
    problems = Problem.objects.filter(unit=unit)
    docs = scope(IssuedDocument.objects.filter(unit=unit), request.user).select_related(
        "number", "served_by", "receipt"
    )
    return render(
        request,
        "acceptance/unit_papers.html",
        {
            "unit": unit,
            "docs": docs,
            "open_count": problems.open().count(),
            "overdue_count": problems.overdue(today).count(),
            "can_issue": is_supervisor(request.user),
            "can_receipt": can_write_unit(request.user, unit.pk),
            "ledger_url": f"{reverse('ledger:problems')}?unit={unit.pk}",
        },
    )


@login_required
def blank_selfcheck(request, pk):
    """The campaign's 自查表 as a printable blank form (unnumbered: nothing is issued)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    if not hasattr(campaign, "template"):
        raise Http404("该专项行动尚未设置自查表。")
    context = papers.blank_selfcheck_form(campaign, timezone.localdate())
    return download(
        gongwen.render("selfcheck_form", context), f"{context['title']}（空白）.docx", DOCX
    )
