"""The 条例's instruments: 督办函 / 意见书 from draft to accepted, returned, objected,
escalated; who may take each step; the ledger problems they create and close; overdue
in working days; scoping; the measures around them."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.documents.uploads import attachments_of
from jiandu.ledger import actions as ledger
from jiandu.ledger.models import Lead, Problem
from jiandu.orgs.models import FocusArea, Notification
from jiandu.supervision import actions
from jiandu.supervision.models import (
    Circular,
    DisciplineRequest,
    Instrument,
    InstrumentReply,
    Interview,
    OfficerRecommendation,
    Proposal,
)
from jiandu.workdays import add_workdays
from tests.supervision.factories import draft, escalate_late, interview

IS = Instrument.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def area(db):
    return FocusArea.objects.get(code="procedure")


@pytest.fixture
def issued(personas, units, area, django_capture_on_commit_callbacks):
    obj = draft(personas, units, area)
    with django_capture_on_commit_callbacks(execute=True):
        actions.issue_instrument(obj, actor=personas["supervisor"])
    obj.refresh_from_db()
    return obj


def reply(obj, personas, who="clerk_a", **extra):
    return actions.reply_instrument(obj, actor=personas[who], text="已全部补充公示。", **extra)


# ---------------------------------------------------------------- issue


def test_issue_sets_the_deadline_in_working_days_and_puts_each_item_in_the_ledger(issued, personas):
    today = timezone.localdate()
    assert issued.state == IS.ISSUED
    assert issued.reply_workdays == 15
    assert issued.deadline == add_workdays(today, 15)
    problems = list(issued.problems().order_by("pk"))
    assert len(problems) == 2
    assert {p.deadline for p in problems} == {issued.deadline}
    assert all(p.origin == issued and p.state == Problem.State.PENDING for p in problems)
    assert "建立公示台账" in problems[1].description
    assert Notification.objects.filter(user=personas["clerk_a"], important=True).exists()
    assert not Notification.objects.filter(user=personas["clerk_b"]).exists()
    # One notice of the letter, linking to where the unit replies (not a second one from
    # the 公文 engine pointing at the file).
    received = Notification.objects.filter(user=personas["clerk_a"], title__startswith="收到")
    assert [n.url for n in received] == [issued.get_absolute_url()]
    assert AuditEvent.objects.filter(action="supervision.instrument.issued").exists()


def test_reply_days_are_a_setting_the_supervisor_edits(personas, units, area):
    actions.set_reply_workdays(actor=personas["supervisor"], kind="opinion_letter", workdays=10)
    obj = draft(personas, units, area, kind=Instrument.Kind.OPINION_LETTER)
    assert obj.reply_workdays == 10
    with pytest.raises(PermissionDenied):
        actions.set_reply_workdays(actor=personas["clerk_a"], kind="opinion_letter", workdays=30)
    with pytest.raises(ValidationError):
        actions.set_reply_workdays(actor=personas["supervisor"], kind="opinion_letter", workdays=0)
    # A draft may set its own number of days.
    assert draft(personas, units, area, reply_days=5).reply_workdays == 5


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "discipline", "inspector", "clerk_b"])
def test_only_the_supervisor_drafts_and_issues(personas, units, area, who):
    with pytest.raises(PermissionDenied):
        draft({"supervisor": personas[who]}, units, area)
    obj = draft(personas, units, area)
    with pytest.raises(PermissionDenied):
        actions.issue_instrument(obj, actor=personas[who])
    assert Instrument.objects.get(pk=obj.pk).state == IS.DRAFT


def test_a_draft_names_what_is_missing(personas, units, area):
    with pytest.raises(ValidationError) as exc:
        draft(personas, units, area, facts=" ", required_action="")
    assert set(exc.value.message_dict) == {"facts", "required_action"}
    assert not Instrument.objects.exists()


def test_issuing_twice_is_refused(issued, personas):
    with pytest.raises(ValidationError):
        actions.issue_instrument(issued, actor=personas["supervisor"])
    assert issued.problems().count() == 2


# ---------------------------------------------------------------- reply, accept, return


def test_the_unit_replies_with_evidence_and_the_supervisor_accepts(issued, personas):
    upload = SimpleUploadedFile("公示截图.pdf", PDF, content_type="application/pdf")
    r = reply(issued, personas, files=[upload])
    issued.refresh_from_db()
    assert issued.state == IS.REPLIED
    assert [a.original_name for a in attachments_of(r)] == ["公示截图.pdf"]
    assert set(issued.problems().values_list("state", flat=True)) == {"awaiting_acceptance"}
    actions.accept_reply(issued, actor=personas["supervisor"], note="公示已核实")
    issued.refresh_from_db()
    assert issued.state == IS.ACCEPTED and issued.closed_at
    assert set(issued.problems().values_list("state", flat=True)) == {"closed"}
    assert InstrumentReply.objects.get(pk=r.pk).decision == "accepted"


@pytest.mark.parametrize("who", ["clerk_b", "leader_b", "supervisor", "discipline", "inspector"])
def test_only_the_units_writers_reply_or_object(issued, personas, who):
    with pytest.raises(PermissionDenied):
        reply(issued, personas, who)
    with pytest.raises(PermissionDenied):
        actions.object_instrument(issued, actor=personas[who], text="理由")


def test_a_reply_needs_its_text_and_nothing_changes(issued, personas):
    with pytest.raises(ValidationError):
        actions.reply_instrument(issued, actor=personas["clerk_a"], text="  ")
    issued.refresh_from_db()
    assert issued.state == IS.ISSUED and not issued.replies.exists()


def test_a_bad_evidence_file_is_refused_before_anything_is_written(issued, personas):
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        reply(issued, personas, files=[bad])
    issued.refresh_from_db()
    assert issued.state == IS.ISSUED and not issued.replies.exists()


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "discipline", "inspector"])
def test_only_the_supervisor_accepts_or_returns(issued, personas, who):
    reply(issued, personas)
    with pytest.raises(PermissionDenied):
        actions.accept_reply(issued, actor=personas[who])
    with pytest.raises(PermissionDenied):
        actions.return_reply(issued, actor=personas[who], reason="不完整")


def test_a_returned_reply_is_due_again_and_the_problems_go_back(issued, personas):
    reply(issued, personas)
    with pytest.raises(ValidationError):
        actions.return_reply(issued, actor=personas["supervisor"], reason="")
    actions.return_reply(issued, actor=personas["supervisor"], reason="缺少公示截图")
    issued.refresh_from_db()
    assert issued.state == IS.RETURNED
    assert set(issued.problems().values_list("state", flat=True)) == {"in_progress"}
    reply(issued, personas)
    actions.accept_reply(issued, actor=personas["supervisor"])
    issued.refresh_from_db()
    assert issued.state == IS.ACCEPTED
    assert list(issued.replies.values_list("decision", flat=True)) == ["returned", "accepted"]


# ---------------------------------------------------------------- objection


def test_an_upheld_objection_withdraws_the_instrument_and_its_problems(issued, personas):
    actions.object_instrument(issued, actor=personas["leader_a"], text="该事项已由县市场监管局办理")
    issued.refresh_from_db()
    assert issued.state == IS.OBJECTED
    with pytest.raises(ValidationError):
        actions.handle_objection(issued, actor=personas["supervisor"], uphold=True, note="")
    actions.handle_objection(issued, actor=personas["supervisor"], uphold=True, note="经核实属实")
    issued.refresh_from_db()
    assert issued.state == IS.WITHDRAWN
    assert set(issued.problems().values_list("state", flat=True)) == {"closed"}
    assert AuditEvent.objects.filter(action="ledger.problem.withdrawn").count() == 2


def test_a_rejected_objection_leaves_the_reply_due_and_only_one_objection(issued, personas):
    actions.object_instrument(issued, actor=personas["clerk_a"], text="理由不成立的异议")
    with pytest.raises(PermissionDenied):
        actions.handle_objection(issued, actor=personas["discipline"], uphold=False, note="x")
    actions.handle_objection(issued, actor=personas["supervisor"], uphold=False, note="证据确凿")
    issued.refresh_from_db()
    assert issued.state == IS.ISSUED
    assert "object" not in actions.available_instrument_actions(issued, personas["clerk_a"])
    assert "reply" in actions.available_instrument_actions(issued, personas["clerk_a"])


# ---------------------------------------------------------------- overdue and escalation


def test_overdue_is_derived_from_the_working_day_deadline(issued, personas):
    deadline = issued.deadline
    assert not issued.is_overdue(deadline)
    assert issued.is_overdue(deadline + timedelta(days=1))
    assert issued.workdays_left(deadline) == 0
    assert list(Instrument.objects.overdue(deadline + timedelta(days=1))) == [issued]
    assert not Instrument.objects.overdue(deadline).exists()
    # The ledger counts the items as overdue too.
    assert issued.problems().overdue(deadline + timedelta(days=1)).count() == 2
    # A reply waiting for the supervisor is not the unit's delay.
    reply(issued, personas)
    issued.refresh_from_db()
    assert not issued.is_overdue(deadline + timedelta(days=1))


def test_escalation_needs_noncompliance_and_records_the_decision(issued, personas):
    late = issued.deadline + timedelta(days=1)
    with pytest.raises(ValidationError):
        actions.escalate_instrument(
            issued, actor=personas["supervisor"], facts="f", proposal="p", today=issued.deadline
        )
    with pytest.raises(PermissionDenied):
        actions.escalate_instrument(
            issued, actor=personas["discipline"], facts="f", proposal="p", today=late
        )
    p = actions.escalate_instrument(
        issued,
        actor=personas["supervisor"],
        facts="逾期未答复",
        proposal="建议县人民政府责令甲镇限期改正",
        today=late,
    )
    issued.refresh_from_db()
    assert issued.state == IS.ESCALATED and p.instrument == issued
    assert p.reason == Proposal.Reason.NONCOMPLIANCE
    with pytest.raises(PermissionDenied):
        actions.record_decision(
            p, actor=personas["clerk_a"], number="平政监决〔2026〕1号", date=late, content="c"
        )
    with pytest.raises(ValidationError):
        actions.record_decision(p, actor=personas["supervisor"], number="", date=None, content="")
    scan = SimpleUploadedFile("决定书.pdf", PDF, content_type="application/pdf")
    actions.record_decision(
        p,
        actor=personas["supervisor"],
        number="平政监决〔2026〕1号",
        date=timezone.localdate(),
        content="责令甲镇人民政府于十日内改正",
        file=scan,
    )
    p.refresh_from_db()
    assert p.state == Proposal.State.DECIDED
    assert [a.original_name for a in attachments_of(p)] == ["决定书.pdf"]
    with pytest.raises(ValidationError):
        actions.check_record_decision(p, personas["supervisor"])


def test_a_major_problem_goes_to_the_government_without_an_instrument(personas, units):
    p = actions.propose_for_major_problem(
        actor=personas["supervisor"], unit=units["b"], facts="重大问题", proposal="建议"
    )
    assert p.reason == Proposal.Reason.MAJOR and p.instrument is None
    with pytest.raises(PermissionDenied):
        actions.propose_for_major_problem(
            actor=personas["discipline"], unit=units["b"], facts="f", proposal="p"
        )


def test_referral_to_the_commission_is_a_lead_with_its_origin(issued, personas):
    lead = actions.refer_to_discipline(issued, actor=personas["supervisor"], note="涉嫌失职")
    assert lead.origin == issued and lead.unit == issued.unit
    assert lead.due_date and lead.state == Lead.State.NEW
    assert lead.origin_url == reverse("supervision:instrument", args=[issued.pk])
    with pytest.raises(ValidationError):
        actions.refer_to_discipline(issued, actor=personas["supervisor"], note="再次")
    with pytest.raises(PermissionDenied):
        actions.refer_to_discipline(issued, actor=personas["clerk_a"], note="x")


# ---------------------------------------------------------------- the shape of the checks


OFFERED = {
    "issue": (lambda o: o, "supervisor"),
    "reply": (lambda o: _state(o, IS.ISSUED), "clerk_a"),
    "object": (lambda o: _state(o, IS.RETURNED), "leader_a"),
    "accept": (lambda o: _state(o, IS.REPLIED), "supervisor"),
    "return": (lambda o: _state(o, IS.REPLIED), "supervisor"),
    "uphold": (lambda o: _state(o, IS.OBJECTED), "supervisor"),
    "reject": (lambda o: _state(o, IS.OBJECTED), "supervisor"),
    "escalate": (lambda o: _state(o, IS.RETURNED), "supervisor"),
    "refer": (lambda o: _state(o, IS.ISSUED), "supervisor"),
}


def _state(obj, state):
    Instrument.objects.filter(pk=obj.pk).update(
        state=state, deadline=timezone.localdate() + timedelta(days=20)
    )
    obj.refresh_from_db()
    return obj


def test_every_instrument_transition_is_listed():
    assert set(OFFERED) == set(actions.INSTRUMENT_CHECKS)


@pytest.mark.parametrize("name", sorted(OFFERED))
def test_each_transition_is_offered_to_its_persona_only(name, personas, units, area):
    make, who = OFFERED[name]
    obj = make(draft(personas, units, area))
    for persona, user in personas.items():
        offered = name in actions.available_instrument_actions(obj, user)
        assert offered == (
            persona == who
            or (who == "clerk_a" and persona == "leader_a")
            or (who == "leader_a" and persona == "clerk_a")
        ), persona


# ---------------------------------------------------------------- pages and scoping


def test_pages_are_scoped_to_the_unit(issued, personas, client_for):
    url = reverse("supervision:instrument", args=[issued.pk])
    assert client_for(personas["clerk_a"]).get(url).status_code == 200
    assert client_for(personas["clerk_b"]).get(url).status_code == 404
    assert client_for(personas["discipline"]).get(url).status_code == 200
    listing = client_for(personas["clerk_b"]).get(reverse("supervision:instruments"))
    assert issued.title not in listing.content.decode()
    # The unit's start page lists what it received, with the working days left.
    todo = client_for(personas["clerk_a"]).get(reverse("dashboard:todo")).content.decode()
    assert issued.title in todo and "个工作日" in todo
    # The problem page shows the instrument it came from.
    problem = issued.problems().first()
    page = client_for(personas["clerk_a"]).get(reverse("ledger:problem", args=[problem.pk]))
    assert reverse("supervision:instrument", args=[issued.pk]) in page.content.decode()


def test_a_draft_is_not_shown_to_the_unit(personas, units, area, client_for):
    obj = draft(personas, units, area)
    url = reverse("supervision:instrument", args=[obj.pk])
    assert client_for(personas["clerk_a"]).get(url).status_code == 404
    assert client_for(personas["supervisor"]).get(url).status_code == 200


def test_the_supervisor_issues_from_a_problem_page(personas, units, area, client_for):
    p = ledger.create_problem(
        unit=units["a"], focus_area=area, description="有案不立", source="supervision"
    )
    c = client_for(personas["supervisor"])
    page = c.get(reverse("ledger:problem", args=[p.pk])).content.decode()
    assert f"about=ledger.problem:{p.pk}" in page
    response = c.post(
        reverse("supervision:instrument_new"),
        {
            "about": f"ledger.problem:{p.pk}",
            "kind": "opinion_letter",
            "unit": units["a"].pk,
            "title": "有案不立",
            "focus_area": area.pk,
            "facts": "事实",
            "basis": "《行政执法监督条例》第二十八条",
            "required_action": "立案查处",
        },
    )
    assert response.status_code == 302
    obj = Instrument.objects.get()
    assert [s.target for s in obj.subjects.all()] == [p]
    page = c.get(reverse("ledger:problem", args=[p.pk])).content.decode()
    assert reverse("supervision:instrument", args=[obj.pk]) in page


def test_the_list_filters_and_exports(issued, personas, client_for):
    c = client_for(personas["supervisor"])
    assert (
        issued.title in c.get(reverse("supervision:instruments") + "?state=open").content.decode()
    )
    assert (
        issued.title
        not in c.get(reverse("supervision:instruments") + "?overdue=1").content.decode()
    )
    response = c.get(reverse("supervision:export") + "?kind=supervision_letter")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_reply_through_the_page(issued, personas, client_for):
    c = client_for(personas["clerk_a"])
    url = reverse("supervision:instrument_step", args=[issued.pk, "reply"])
    assert c.post(url, {"reply-text": ""}).status_code == 400
    assert c.post(url, {"reply-text": "已整改"}).status_code == 302
    issued.refresh_from_db()
    assert issued.state == IS.REPLIED
    # Another unit: 404, nothing changed.
    assert (
        client_for(personas["clerk_b"])
        .post(reverse("supervision:instrument_step", args=[issued.pk, "accept"]), {})
        .status_code
        == 404
    )


# ---------------------------------------------------------------- measures


def test_an_interview_puts_its_follow_ups_in_the_ledger(personas, units, area):
    held = timezone.make_aware(datetime(2026, 11, 20, 9, 30))
    obj = actions.record_interview(
        actor=personas["supervisor"],
        unit=units["a"],
        held_at=held,
        interviewers="县司法局局长",
        attendees="甲镇镇长",
        content="指出执法公示不及时",
        follow_ups="一周内补齐公示\n完善公示制度",
        focus_area=area,
    )
    assert obj.problems().count() == 2
    with pytest.raises(PermissionDenied):
        interview(actions.record_interview, personas["discipline"], units, held, content="z")
    with pytest.raises(ValidationError):
        interview(
            actions.record_interview,
            personas["supervisor"],
            units,
            held,
            content="z",
            follow_ups="事项",
        )
    assert Interview.objects.count() == 1


def test_a_public_circular_is_on_the_public_list(personas, units, client):
    actions.publish_circular(
        actor=personas["supervisor"],
        title="关于全县行政执法监督情况的通报",
        content="正文",
        audience="public",
        units=[units["a"]],
    )
    actions.publish_circular(
        actor=personas["supervisor"], title="内部通报", content="正文", audience="units"
    )
    page = client.get(reverse("supervision:public_circulars")).content.decode()
    assert "关于全县行政执法监督情况的通报" in page and "内部通报" not in page
    internal = Circular.objects.get(title="内部通报")
    assert client.get(reverse("supervision:public_circular", args=[internal.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        actions.publish_circular(
            actor=personas["clerk_a"], title="t", content="c", audience="units"
        )


def test_officer_recommendation_and_its_decision(personas, units):
    rec = actions.recommend_officer(
        actor=personas["supervisor"],
        unit=units["a"],
        officer_name="王某",
        measure="training",
        reason="多次程序违法",
        competent_body="甲镇人民政府",
    )
    with pytest.raises(PermissionDenied):
        actions.record_officer_decision(
            rec, actor=personas["clerk_a"], decision="d", date=date(2026, 1, 5)
        )
    actions.record_officer_decision(
        rec, actor=personas["supervisor"], decision="同意离岗培训三个月", date=timezone.localdate()
    )
    assert OfficerRecommendation.objects.get().decision_date == timezone.localdate()


def test_the_commission_asks_for_a_duban_and_the_supervisor_answers(
    personas, units, client_for, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        actions.request_supervision(actor=personas["supervisor"], unit=units["a"], reason="r")
    with django_capture_on_commit_callbacks(execute=True):
        req = actions.request_supervision(
            actor=personas["discipline"], unit=units["a"], reason="群众反映甲镇乱罚款"
        )
    assert Notification.objects.filter(user=personas["supervisor"], important=True).exists()
    page = client_for(personas["supervisor"]).get(reverse("supervision:requests")).content.decode()
    assert "群众反映甲镇乱罚款" in page
    assert client_for(personas["clerk_a"]).get(reverse("supervision:requests")).status_code == 404
    actions.answer_request(req, actor=personas["supervisor"], answer="已签发督办函")
    assert DisciplineRequest.objects.get().state == DisciplineRequest.State.DONE
    with pytest.raises(ValidationError):
        actions.answer_request(req, actor=personas["supervisor"], answer="again")


# ---------------------------------------------------------------- leads


@pytest.fixture
def lead(units, personas):
    return ledger.create_lead(
        unit=units["a"],
        title="线索",
        description="d",
        source="supervision",
        actor=personas["supervisor"],
    )


def test_a_lead_is_disposed_and_concluded_and_the_bureau_sees_the_result_only(
    lead, personas, client_for
):
    d = personas["discipline"]
    with pytest.raises(ValidationError):
        ledger.dispose_lead(lead, actor=d, disposal="talk")
    ledger.receive_lead(lead, actor=d)
    with pytest.raises(PermissionDenied):
        ledger.dispose_lead(lead, actor=personas["supervisor"], disposal="talk")
    ledger.dispose_lead(lead, actor=d, disposal="verify", working_notes="初核底稿：约谈张某")
    ledger.close_lead(
        lead, actor=d, result="给予诫勉谈话", outcome="org", result_date=timezone.localdate()
    )
    lead.refresh_from_db()
    assert lead.get_disposal_display() == "初步核实" and lead.outcome == "org"
    url = reverse("ledger:lead", args=[lead.pk])
    bureau = client_for(personas["supervisor"]).get(url).content.decode()
    assert "给予诫勉谈话" in bureau and "初步核实" in bureau and "初核底稿" not in bureau
    assert "初核底稿" in client_for(d).get(url).content.decode()


def test_a_lead_returned_as_no_discipline_matter(
    lead, personas, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        ledger.return_lead(lead, actor=personas["supervisor"], reason="r")
    with pytest.raises(ValidationError):
        ledger.return_lead(lead, actor=personas["discipline"], reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        ledger.return_lead(lead, actor=personas["discipline"], reason="属业务问题，不属纪律问题")
    lead.refresh_from_db()
    assert lead.state == Lead.State.RETURNED and lead.return_reason
    assert not lead.is_open
    assert Notification.objects.filter(user=personas["supervisor"], title__contains="退回").exists()


def test_a_lead_is_overdue_after_its_due_date(lead):
    assert not lead.is_overdue(lead.due_date)
    assert lead.is_overdue(lead.due_date + timedelta(days=1))


# ---------------------------------------------------------------- the 公文 issued with them


def test_issuing_issues_the_document_with_a_number_and_the_page_offers_it(
    issued, personas, client_for
):
    from jiandu.supervision.documents import document_of
    from tests.documents.gongwen_checks import NUMBER, assert_gongwen

    doc = document_of(issued)
    assert NUMBER.match(issued.number) and issued.number.startswith("平司监督〔")
    assert doc.unit == issued.unit and doc.subject == issued
    with doc.file.open("rb") as f:
        assert_gongwen(
            f.read(), title=f"关于{issued.title}的行政执法监督督办函", number=issued.number
        )
    # The ledger items carry the number as their source text.
    assert set(issued.problems().values_list("source_ref", flat=True)) == {issued.number}
    download = reverse("documents:issued_download", args=[doc.pk])
    assert (
        download in client_for(personas["clerk_a"]).get(issued.get_absolute_url()).content.decode()
    )
    assert client_for(personas["clerk_a"]).get(download).status_code == 200
    doc.refresh_from_db()
    assert doc.served_by == personas["clerk_a"]  # 送达 on the unit's first opening
    assert client_for(personas["clerk_b"]).get(download).status_code == 404


def test_escalation_and_circular_issue_their_documents(issued, personas, units):
    from jiandu.supervision.documents import document_of

    p = escalate_late(issued, personas)
    assert p.number.startswith("平司建议〔") and document_of(p).kind == "decision_proposal"
    c = actions.publish_circular(
        actor=personas["supervisor"], title="通报", content="内容", audience="units"
    )
    assert c.number.startswith("平司通报〔") and document_of(c).unit is None


def test_escalation_tells_the_unit_once(issued, personas, django_capture_on_commit_callbacks):
    before = Notification.objects.filter(user=personas["clerk_a"]).count()
    with django_capture_on_commit_callbacks(execute=True):
        escalate_late(issued, personas)
    new = Notification.objects.filter(user=personas["clerk_a"]).order_by("pk")[before:]
    assert [n.url for n in new] == [issued.get_absolute_url()]


def test_the_decision_is_recorded_through_the_page_with_its_scan(issued, personas, client_for):
    p = escalate_late(issued, personas)
    url = reverse("supervision:proposal_decision", args=[p.pk])
    c = client_for(personas["supervisor"])
    bad = c.post(url, {"number": "", "date": "", "content": ""})
    assert bad.status_code == 400 and "请填写决定书文号" in bad.content.decode()
    scan = SimpleUploadedFile("决定书.pdf", PDF, content_type="application/pdf")
    ok = c.post(
        url,
        {
            "number": "平政执监决〔2026〕2号",
            "date": timezone.localdate().isoformat(),
            "content": "责令改正",
            "file": scan,
        },
    )
    assert ok.status_code == 302
    page = c.get(reverse("supervision:proposal", args=[p.pk])).content.decode()
    assert "平政执监决〔2026〕2号" in page and "决定书.pdf" in page
    # The unit reads it, another unit does not.
    assert (
        client_for(personas["clerk_a"])
        .get(reverse("supervision:proposal", args=[p.pk]))
        .status_code
        == 200
    )
    assert (
        client_for(personas["clerk_b"])
        .get(reverse("supervision:proposal", args=[p.pk]))
        .status_code
        == 404
    )


def test_a_scheduled_interview_issues_its_notice_then_its_minutes(
    personas, units, area, client_for
):
    from jiandu.supervision.documents import document_of
    from tests.documents.gongwen_checks import assert_gongwen

    held = timezone.now() + timedelta(days=3)
    with pytest.raises(ValidationError):
        interview(actions.schedule_interview, personas["supervisor"], units, held, reason="")
    with pytest.raises(PermissionDenied):
        interview(actions.schedule_interview, personas["discipline"], units, held, reason="r")
    obj = actions.schedule_interview(
        actor=personas["supervisor"],
        unit=units["a"],
        held_at=held,
        place="三楼会议室",
        interviewers="县司法局局长",
        attendees="甲镇镇长",
        reason="督办函逾期未答复",
    )
    assert obj.state == Interview.State.PLANNED and obj.number.startswith("平司约谈〔")
    with document_of(obj).file.open("rb") as f:
        assert_gongwen(f.read(), title="关于约谈甲镇人民政府负责人的通知", number=obj.number)
    url = reverse("supervision:interview_minutes", args=[obj.pk])
    assert client_for(personas["clerk_a"]).post(url, {"content": "x"}).status_code == 403
    c = client_for(personas["supervisor"])
    assert c.post(url, {"content": ""}).status_code == 400
    assert (
        c.post(
            url, {"content": "指出问题", "follow_ups": "补齐公示", "focus_area": area.pk}
        ).status_code
        == 302
    )
    obj.refresh_from_db()
    assert obj.state == Interview.State.HELD and obj.problems().count() == 1
    with pytest.raises(ValidationError):
        actions.record_minutes(obj, actor=personas["supervisor"], content="again")


def test_the_commission_asks_for_a_duban_from_a_problem_page(personas, units, area, client_for):
    p = ledger.create_problem(
        unit=units["a"], focus_area=area, description="乱罚款", source="supervision"
    )
    c = client_for(personas["discipline"])
    page = c.get(reverse("ledger:problem", args=[p.pk])).content.decode()
    assert f"/supervision/requests/?problem={p.pk}" in page
    form = c.get(reverse("supervision:requests") + f"?problem={p.pk}").content.decode()
    assert f'name="problem" value="{p.pk}"' in form
    response = c.post(
        reverse("supervision:requests"),
        {"unit": units["a"].pk, "problem": p.pk, "reason": "请督办"},
    )
    assert response.status_code == 302
    assert DisciplineRequest.objects.get().problem == p
    # A unit's clerk never sees the link.
    page = client_for(personas["clerk_a"]).get(reverse("ledger:problem", args=[p.pk]))
    assert "request-duban" not in page.content.decode()
