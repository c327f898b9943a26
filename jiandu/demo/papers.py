"""The office's 公文 in the demo county: one issued document of each kind that belongs to
an existing page (acceptance/papers.py), each downloadable from that page, with its 文号
from the register; a couple already opened by the unit (送达) and one with a paper 回执."""

from django.core.files.uploadedfile import SimpleUploadedFile

from jiandu.acceptance import actions as acceptance
from jiandu.acceptance import papers
from jiandu.documents import gongwen
from jiandu.ledger.models import Problem
from jiandu.orgs.models import Unit
from jiandu.selfcheck.models import SelfCheckReport
from jiandu.supervision.models import SupervisionVisit

# A scanned 送达回执 stands in as a one-page PDF.
RECEIPT = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _issue(kind, obj, today, supervisor):
    unit, context = papers.PAPERS[kind][1](obj, today)
    return gongwen.issue_document(kind, unit=unit, context=context, actor=supervisor, subject=obj)


def seed(ctx):
    today, users = ctx["today"], ctx["users"]
    supervisor, campaign = users["supervisor"], ctx["campaign"]
    enforcement = list(Unit.objects.enforcement().active().order_by("code"))
    open_counts = {u.pk: Problem.objects.filter(unit=u).open().count() for u in enforcement}
    overdue_counts = {
        u.pk: Problem.objects.filter(unit=u).overdue(today).count() for u in enforcement
    }
    most_open = max(enforcement, key=lambda u: (open_counts[u.pk], -u.pk))
    most_overdue = max(enforcement, key=lambda u: (overdue_counts[u.pk], -u.pk))

    notice = _issue("rectification_notice", most_open, today, supervisor)
    reminder = _issue("reminder_letter", most_overdue, today, supervisor)

    visits = SupervisionVisit.objects.filter(campaign=campaign).order_by("visit_date", "id")
    planned = visits.filter(state=SupervisionVisit.State.PLANNED).first() or visits.first()
    done = visits.filter(state=SupervisionVisit.State.DONE).last()
    if planned is not None:
        _issue("inspection_notice", planned, today, supervisor)
    if done is not None:
        _issue("inspection_notice", done, today, supervisor)
        _issue("inspection_feedback", done, today, supervisor)

    report = (
        SelfCheckReport.objects.filter(campaign=campaign, state=SelfCheckReport.State.ACCEPTED)
        .order_by("unit__code")
        .first()
    )
    if report is not None:
        _issue("selfcheck_form", report, today, supervisor)

    # One unit's acceptance decided early, for its 验收意见书: the unit with the fewest open
    # problems; a pass needs every problem closed, otherwise it is sent back for more work.
    unit = min(enforcement, key=lambda u: (open_counts[u.pk], u.pk))
    if open_counts[unit.pk] == 0:
        decided = acceptance.pass_acceptance(
            campaign,
            unit,
            actor=supervisor,
            opinion="问题均已整改销号，整改措施落实到位。",
            today=today,
        )
    else:
        decided = acceptance.fail_acceptance(
            campaign,
            unit,
            actor=supervisor,
            opinion="尚有问题未整改到位，请对照整改台账逐项落实后重新提请验收。",
            today=today,
        )
    _issue("acceptance_opinion", decided, today, supervisor)
    _issue("campaign_summary", campaign, today, supervisor)

    # The first unit's users opened theirs (送达), and one sent back the signed 回执.
    for doc in (notice, reminder):
        reader = users[f"{doc.unit.code}:clerk"]
        gongwen.mark_delivered(doc, reader)
    gongwen.attach_receipt(
        notice,
        SimpleUploadedFile("送达回执.pdf", RECEIPT),
        users[f"{notice.unit.code}:clerk"],
    )
