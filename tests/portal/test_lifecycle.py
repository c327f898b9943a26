"""The whole life cycle of a complaint, through the pages a person would use."""

import pytest

from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Lead, Problem
from jiandu.portal.models import Complaint, ComplaintAssignment, PublishedCase


def test_complaint_life_cycle_from_report_to_published_case(submit, units, personas, client_for):
    public = client_for(None)
    response, complaint = submit(
        public,
        reported_unit=units["a"].pk,
        identity="named",
        name="张三丰",
        phone="13812345678",
    )
    assert response.status_code == 302
    code = complaint.tracking_code
    assert response["Location"] == f"/public/track/{code}/?new=1"
    receipt = public.get(response["Location"]).content.decode()
    assert "已收到您的举报" in receipt
    assert "-".join(code[i : i + 4] for i in range(0, 12, 4)) in receipt
    assert complaint.state == Complaint.State.RECEIVED and not complaint.anonymous

    sup = client_for(personas["supervisor"])
    assert (
        sup.post(f"/public/manage/{complaint.pk}/accept/", {"note": "属实，受理"}).status_code
        == 302
    )
    assert (
        sup.post(f"/public/manage/{complaint.pk}/assign/", {"unit": units["b"].pk}).status_code
        == 302
    )
    assert (
        sup.post(
            f"/public/manage/{complaint.pk}/assign/",
            {
                "unit": units["a"].pk,
                "note": "改派",
                "conflict_reason": "反映的是检查频次，由其自查",
            },
        ).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.ASSIGNED and complaint.unit == units["a"]
    assert ComplaintAssignment.objects.filter(complaint=complaint).count() == 2
    assert complaint.accepted_at is not None

    # The unit that was assigned away no longer sees it; the current one replies.
    assert client_for(personas["clerk_b"]).get(f"/public/manage/{complaint.pk}/").status_code == 404
    clerk = client_for(personas["clerk_a"])
    page = clerk.get(f"/public/manage/{complaint.pk}/")
    assert page.status_code == 200 and "提交答复" in page.content.decode()
    assert (
        clerk.post(
            f"/public/manage/{complaint.pk}/reply/", {"text": "已核实，停止重复检查。"}
        ).status_code
        == 302
    )

    # The complainant sees the reply and adds information.
    track = public.get(f"/public/track/{code}/").content.decode()
    assert "已核实，停止重复检查。" in track and "单位已答复" in track
    assert (
        public.post(
            f"/public/track/{code}/supplement/", {"text": "补充：第三次是 11 月 3 日。"}
        ).status_code
        == 302
    )

    assert (
        sup.post(
            f"/public/manage/{complaint.pk}/problem/",
            {"description": "重复检查", "severity": "normal"},
        ).status_code
        == 302
    )
    assert (
        sup.post(f"/public/manage/{complaint.pk}/lead/", {"note": "请纪委关注"}).status_code == 302
    )
    assert (
        sup.post(
            f"/public/manage/{complaint.pk}/close/", {"result": "责令整改，约谈负责人。"}
        ).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.CLOSED and complaint.closed_at
    # The ledger and the lead name the complaint by its internal reference: the unit
    # reads its ledger, and the tracking code would let it act as the complainant.
    problem = Problem.objects.get(source=Problem.Source.COMPLAINT, source_ref=complaint.reference)
    assert problem.unit == units["a"] and problem.focus_area.code == "inspection"
    assert problem.origin == complaint
    lead = Lead.objects.get(source_ref=complaint.reference)
    assert code not in lead.title and code not in problem.description

    assert (
        public.post(f"/public/track/{code}/rate/", {"score": "4", "comment": "满意"}).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert complaint.rating == 4
    # Rated once only.
    assert public.post(f"/public/track/{code}/rate/", {"score": "1"}).status_code == 400

    # Publishing refuses the complainant's name, accepts a redacted text.
    refused = sup.post(
        f"/public/manage/{complaint.pk}/publish/",
        {"title": "重复检查案例", "text": "举报人张三丰反映……"},
    )
    assert refused.status_code == 400 and "含有举报人姓名" in refused.content.decode()
    assert (
        sup.post(
            f"/public/manage/{complaint.pk}/publish/",
            {"title": "甲镇重复检查案例", "text": "某企业反映一个月内被重复检查三次，已责令整改。"},
        ).status_code
        == 302
    )
    case = PublishedCase.objects.get(complaint=complaint)
    assert "甲镇重复检查案例" in public.get("/public/").content.decode()
    assert public.get(f"/public/cases/{case.pk}/").status_code == 200

    actions = set(
        AuditEvent.objects.filter(
            object_id=str(complaint.pk), object_type="portal.complaint"
        ).values_list("action", flat=True)
    )
    assert {
        "portal.complaint.received",
        "portal.complaint.accepted",
        "portal.complaint.assigned",
        "portal.complaint.reassigned",
        "portal.complaint.replied",
        "portal.complaint.supplemented",
        "portal.complaint.closed",
        "portal.complaint.rated",
        "portal.complaint.to_problem",
        "portal.complaint.to_discipline",
    } <= actions
    assert AuditEvent.objects.filter(
        action="portal.case.published", object_id=str(case.pk)
    ).exists()


def test_rejection_needs_a_reason_and_is_shown_to_the_complainant(submit, personas, client_for):
    public = client_for(None)
    _, complaint = submit(public)
    sup = client_for(personas["supervisor"])
    response = sup.post(f"/public/manage/{complaint.pk}/reject/", {"reason": ""})
    assert response.status_code == 400
    assert (
        sup.post(
            f"/public/manage/{complaint.pk}/reject/", {"reason": "不属于行政执法事项"}
        ).status_code
        == 302
    )
    complaint.refresh_from_db()
    assert (
        complaint.state == Complaint.State.REJECTED
        and complaint.closed_at
        and not complaint.accepted_at
    )
    assert (
        "不属于行政执法事项"
        in public.get(f"/public/track/{complaint.tracking_code}/").content.decode()
    )


def test_unit_cannot_accept_or_close(submit, personas, client_for):
    _, complaint = submit(client_for(None))
    clerk = client_for(personas["clerk_a"])
    # Not assigned to the unit: not even visible.
    assert clerk.post(f"/public/manage/{complaint.pk}/accept/", {}).status_code == 404
    from jiandu.portal import actions

    actions.accept_complaint(complaint, actor=personas["supervisor"])
    actions.assign_complaint(complaint, unit=personas["clerk_a"].unit, actor=personas["supervisor"])
    assert clerk.post(f"/public/manage/{complaint.pk}/close/", {"result": "x"}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.ASSIGNED


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("clerk_a", 302),
        ("leader_a", 302),
        ("clerk_b", 404),
        ("supervisor", 403),
        ("discipline", 403),
        ("inspector", 404),
    ],
)
def test_only_the_assigned_units_writers_reply_and_only_once(
    who, status, submit, units, personas, client_for
):
    from jiandu.portal import actions

    _, complaint = submit(client_for(None))
    actions.accept_complaint(complaint, actor=personas["supervisor"])
    actions.assign_complaint(complaint, unit=units["a"], actor=personas["supervisor"])
    client = client_for(personas[who])
    url = f"/public/manage/{complaint.pk}/reply/"
    assert client.post(url, {"text": "已核实"}).status_code == status
    complaint.refresh_from_db()
    replied = status == 302
    assert complaint.state == (Complaint.State.REPLIED if replied else Complaint.State.ASSIGNED)
    if replied:
        # Replied: the form is gone and a second answer is refused.
        assert "提交答复" not in client.get(f"/public/manage/{complaint.pk}/").content.decode()
        assert client.post(url, {"text": "再答复"}).status_code == 403


def test_a_second_click_on_a_stale_page_is_checked_against_what_the_first_wrote(
    submit, units, personas, client_for
):
    """Each transition re-reads the complaint under a lock: a double click on 交办 does
    not count as a reassignment (INTG-03), nor does a second 受理 or rating overwrite."""
    from django.core.exceptions import ValidationError

    from jiandu.portal import actions

    sup = personas["supervisor"]
    _, complaint = submit(client_for(None))
    first, second = Complaint.objects.get(pk=complaint.pk), Complaint.objects.get(pk=complaint.pk)
    actions.accept_complaint(first, actor=sup, note="受理")
    with pytest.raises(ValidationError, match="只有待受理的举报可以受理"):
        actions.accept_complaint(second, actor=sup, note="又受理")
    first, second = Complaint.objects.get(pk=complaint.pk), Complaint.objects.get(pk=complaint.pk)
    actions.assign_complaint(first, unit=units["a"], actor=sup)
    with pytest.raises(ValidationError, match="已交办给这个单位"):
        actions.assign_complaint(second, unit=units["a"], actor=sup)
    assert ComplaintAssignment.objects.filter(complaint=complaint).count() == 1
    assert not AuditEvent.objects.filter(action="portal.complaint.reassigned").exists()
    actions.close_complaint(Complaint.objects.get(pk=complaint.pk), actor=sup, result="已处理")
    first, second = Complaint.objects.get(pk=complaint.pk), Complaint.objects.get(pk=complaint.pk)
    actions.rate_complaint(first, score=5)
    with pytest.raises(ValidationError, match="已经评价过了"):
        actions.rate_complaint(second, score=1)
    complaint.refresh_from_db()
    assert complaint.accept_note == "受理" and complaint.rating == 5


def test_a_blank_note_adds_no_empty_opinion_to_the_lead(submit, personas, client_for):
    from jiandu.portal import actions

    _, complaint = submit(client_for(None))
    actions.accept_complaint(complaint, actor=personas["supervisor"])
    lead = actions.hand_to_discipline(complaint, actor=personas["supervisor"], note="  ")
    assert lead.description == complaint.description
