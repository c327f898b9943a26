"""The office's documents issued from their pages (acceptance/papers.py): each opens as a
公文 with its 文号, holds the page's data, shows on the page it belongs to, and reaches the
unit's to-do page, where the unit's first opening is its 送达."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from jiandu.acceptance.models import UnitAcceptance
from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.documents import gongwen
from jiandu.documents.models import DocumentNumber, DocumentTemplate, IssuedDocument
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea
from jiandu.selfcheck import actions as selfcheck_actions
from jiandu.supervision.models import SupervisionVisit
from tests.documents.gongwen_checks import assert_gongwen

TODAY = timezone.localdate()


@pytest.fixture
def campaign(units, personas):
    return create_campaign_from_plan(
        lead_unit=units["justice"], start=TODAY - timedelta(days=5), actor=personas["supervisor"]
    )


def _problem(unit, description, deadline, **kw):
    return Problem.objects.create(
        unit=unit,
        focus_area=FocusArea.objects.get(code="procedure"),
        description=description,
        source=Problem.Source.SUPERVISION,
        deadline=deadline,
        **kw,
    )


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def _issue(client, kind, pk, next_url="/"):
    return client.post(f"/files/issue/{kind}/{pk}/", {"next": next_url})


def _last(kind) -> IssuedDocument:
    return IssuedDocument.objects.filter(kind=kind).latest("id")


def test_rectification_notice_from_the_unit_page_reaches_the_unit(
    personas, units, client_for, django_capture_on_commit_callbacks
):
    a = units["a"]
    _problem(a, "行政处罚决定未在七日内公示", TODAY + timedelta(days=10), measures="三日内补公示")
    _problem(a, "已销号的问题", TODAY, state=Problem.State.CLOSED)
    sup = client_for(personas["supervisor"])
    page = sup.get(f"/files/unit/{a.pk}/").content.decode()
    assert "印发整改通知书（未整改问题 1 个）" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _issue(sup, "rectification_notice", a.pk, f"/files/unit/{a.pk}/")
    assert response.status_code == 302
    doc = _last("rectification_notice")
    data = doc.file.open("rb").read()
    assert_gongwen(data, title=f"关于{a.name}限期整改有关问题的通知", number=doc.number.text)
    text = _text(data)
    assert "行政处罚决定未在七日内公示" in text and "三日内补公示" in text
    assert "已销号的问题" not in text
    assert f"{a.name}：" in text  # 主送
    # the unit's to-do page lists it until its first opening, which is the 送达
    clerk = client_for(personas["clerk_a"])
    todo = clerk.get("/dashboard/todo/").content.decode()
    assert "1 件未签收" in todo and doc.title in todo
    assert clerk.get(f"/files/issued/{doc.pk}/").status_code == 200
    doc.refresh_from_db()
    assert doc.served_by == personas["clerk_a"]
    assert "未签收" not in clerk.get("/dashboard/todo/").content.decode()
    # and the unit's page shows it with its 送达
    page = clerk.get(f"/files/unit/{a.pk}/").content.decode()
    assert doc.number.text in page and "印发整改通知书" not in page


def test_a_reminder_needs_overdue_items_and_lists_them(personas, units, client_for):
    a = units["a"]
    sup = client_for(personas["supervisor"])
    _problem(a, "尚未逾期", TODAY + timedelta(days=3))
    response = _issue(sup, "reminder_letter", a.pk)
    assert not IssuedDocument.objects.exists() and not DocumentNumber.objects.exists()
    _problem(a, "逾期未整改的问题", TODAY - timedelta(days=4))
    _issue(sup, "reminder_letter", a.pk)
    doc = _last("reminder_letter")
    text = _text(doc.file.open("rb").read())
    assert "逾期未整改的问题" in text and "4 天" in text and "尚未逾期" not in text
    assert response.status_code == 302


def test_only_the_supervisor_issues(personas, units, client_for):
    for who in ("clerk_a", "leader_a", "discipline"):
        response = _issue(client_for(personas[who]), "rectification_notice", units["a"].pk)
        assert response.status_code == 403
    assert client_for(personas["clerk_b"]).get(f"/files/unit/{units['a'].pk}/").status_code == 404
    assert _issue(client_for(personas["supervisor"]), "no_such", 1).status_code == 404


def test_inspection_notice_and_feedback_from_the_visit_page(personas, units, client_for, campaign):
    visit = SupervisionVisit.objects.create(
        campaign=campaign, unit=units["a"], visit_date=TODAY + timedelta(days=3)
    )
    visit.team.add(personas["supervisor"], personas["inspector"])
    sup = client_for(personas["supervisor"])
    page = sup.get(f"/campaigns/visits/{visit.pk}/").content.decode()
    assert "印发检查通知书" in page and "印发检查反馈意见书" in page
    _issue(sup, "inspection_notice", visit.pk)
    notice = _last("inspection_notice")
    text = _text(notice.file.open("rb").read())
    assert personas["inspector"].display_name in text and "需准备的材料" in text
    assert notice.subject == visit and notice.unit == units["a"]
    finding = _problem(units["a"], "执法案卷缺少送达回证", TODAY + timedelta(days=20))
    finding.origin_type_id, finding.origin_id = notice.subject_type_id, visit.pk
    finding.save()
    _issue(sup, "inspection_feedback", visit.pk)
    feedback = _last("inspection_feedback")
    assert "执法案卷缺少送达回证" in _text(feedback.file.open("rb").read())
    page = sup.get(f"/campaigns/visits/{visit.pk}/").content.decode()
    assert notice.number.text in page and feedback.number.text in page
    # the unit sees the visit's documents too, not the issue buttons
    page = client_for(personas["clerk_a"]).get(f"/campaigns/visits/{visit.pk}/").content.decode()
    assert notice.number.text in page and "印发检查通知书" not in page


def test_acceptance_opinion_and_summary_from_the_acceptance_page(
    personas, units, client_for, campaign
):
    acc = UnitAcceptance.objects.create(
        campaign=campaign,
        unit=units["a"],
        state=UnitAcceptance.State.PASSED,
        opinion="整改措施落实到位",
        checked_on=TODAY,
    )
    sup = client_for(personas["supervisor"])
    url = f"/campaigns/{campaign.pk}/acceptance/"
    assert "印发验收意见书" in sup.get(url).content.decode()
    _issue(sup, "acceptance_opinion", acc.pk, url)
    opinion = _last("acceptance_opinion")
    text = _text(opinion.file.open("rb").read())
    assert "验收结论：验收通过" in text and "整改措施落实到位" in text
    _issue(sup, "campaign_summary", campaign.pk, url)
    summary = _last("campaign_summary")
    assert summary.unit is None
    data = summary.file.open("rb").read()
    doc = assert_gongwen(data, title=summary.title, number=summary.number.text)
    assert "六、总结验收情况" in _text(data) and "验收通过 1 个" in _text(data)
    assert doc.paragraphs[0].text == "平川县司法局"
    page = sup.get(url).content.decode()
    assert opinion.number.text in page and summary.number.text in page
    # a unit's user never opens the county's summary
    assert client_for(personas["clerk_a"]).get(f"/files/issued/{summary.pk}/").status_code == 404


def test_selfcheck_form_blank_and_filled(personas, units, client_for, campaign):
    report = selfcheck_actions.open_report(campaign, units["a"], actor=personas["clerk_a"])
    item = campaign.template.items.order_by("order", "id").first()
    answer = report.answers.get(item=item)
    answer.has_problem, answer.description = True, "裁量基准未公开"
    answer.save()
    clerk = client_for(personas["clerk_a"])
    blank = clerk.get(f"/files/selfcheck-form/{campaign.pk}/")
    assert blank.status_code == 200
    text = _text(blank.content)
    assert item.text in text and "裁量基准未公开" not in text
    sup = client_for(personas["supervisor"])
    _issue(sup, "selfcheck_form", report.pk)
    filled = _last("selfcheck_form")
    text = _text(filled.file.open("rb").read())
    assert "存在问题" in text and "裁量基准未公开" in text
    page = clerk.get(f"/campaigns/reports/{report.pk}/").content.decode()
    assert filled.number.text in page and "空白表" in page


def test_templates_page_checks_uploads_and_falls_back(personas, client_for):
    sup = client_for(personas["supervisor"])
    assert client_for(personas["clerk_a"]).get("/files/templates/").status_code == 403
    default = sup.get("/files/templates/supervision_letter/")
    assert default.status_code == 200 and default.content[:2] == b"PK"
    bad = Document()
    bad.add_paragraph("{{ title }}")
    out = io.BytesIO()
    bad.save(out)
    page = sup.post(
        "/files/templates/",
        {"kind": "supervision_letter", "file": SimpleUploadedFile("督办函.docx", out.getvalue())},
        follow=True,
    ).content.decode()
    assert "缺少必需的字段" in page and not DocumentTemplate.objects.exists()
    page = sup.post(
        "/files/templates/",
        {"kind": "supervision_letter", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 x")},
        follow=True,
    ).content.decode()
    assert "类型不被接受" in page
    sup.post(
        "/files/templates/",
        {"kind": "supervision_letter", "file": SimpleUploadedFile("督办函.docx", default.content)},
    )
    assert DocumentTemplate.objects.get().kind == "supervision_letter"
    assert "自定义" in sup.get("/files/templates/").content.decode()
    sup.post("/files/templates/", {"kind": "supervision_letter", "reset": "1"})
    assert not DocumentTemplate.objects.exists()
    assert gongwen.render("supervision_letter", {"title": "督办函"})[:2] == b"PK"


def test_a_receipt_is_uploaded_by_the_unit(personas, units, client_for):
    doc = gongwen.issue_document(
        "reminder_letter",
        unit=units["a"],
        context={"title": "提醒函"},
        actor=personas["supervisor"],
    )
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client_for(personas["clerk_a"]).post(
        f"/files/issued/{doc.pk}/receipt/", {"receipt": SimpleUploadedFile("回执.pdf", pdf)}
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.receipt.original_name == "回执.pdf" and doc.receipt.unit == units["a"]
    assert (
        client_for(personas["clerk_b"])
        .post(f"/files/issued/{doc.pk}/receipt/", {"receipt": SimpleUploadedFile("x.pdf", pdf)})
        .status_code
        == 404
    )


def test_the_register_lists_numbers_and_the_supervisor_cancels_one(personas, units, client_for):
    doc = gongwen.issue_document(
        "reminder_letter",
        unit=units["a"],
        context={"title": "提醒函"},
        actor=personas["supervisor"],
    )
    gongwen.issue_number("circular", TODAY.year)
    sup = client_for(personas["supervisor"])
    page = sup.get("/files/register/").content.decode()
    assert doc.number.text in page and "共 2 个文号" in page and "（未关联文书）" in page
    page = sup.get("/files/register/?kind=circular").content.decode()
    assert "共 1 个文号（已筛选）" in page and doc.number.text not in page
    assert client_for(personas["clerk_a"]).get("/files/register/").status_code == 403
    assert (
        'name="reason"'
        not in client_for(personas["discipline"]).get("/files/register/").content.decode()
    )
    url = f"/files/register/{doc.number.pk}/cancel/"
    assert client_for(personas["discipline"]).post(url, {"reason": "x"}).status_code == 403
    page = sup.post(url, {"reason": ""}, follow=True).content.decode()
    assert "请填写作废原因" in page
    sup.post(url, {"reason": "主送单位有误，重新发文"})
    doc.number.refresh_from_db()
    assert doc.number.state == DocumentNumber.State.CANCELLED
    page = sup.get("/files/register/?state=cancelled").content.decode()
    assert "主送单位有误，重新发文" in page


def test_summary_charts_count_in_whole_numbers():
    from jiandu.acceptance.summary import bar_figure

    fig = bar_figure("问题", ["裁量基准", "执法程序"], [("问题数", [1, 2]), ("已销号", [0, 1])])
    ticks = fig.axes[0].get_yticks()
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)
