from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Problem
from jiandu.orgs.models import Notification
from jiandu.selfcheck import actions
from jiandu.selfcheck.models import SelfCheckReport
from tests.selfcheck.factories import answer_all, submitted

State = SelfCheckReport.State


def audited(action, report):
    return AuditEvent.objects.filter(action=action, object_id=str(report.pk)).count()


def test_first_open_creates_a_draft_with_one_blank_answer_per_item(report_a, campaign):
    assert report_a.state == State.DRAFT
    assert report_a.answers.count() == campaign.template.items.count()
    assert not report_a.answers.exclude(has_problem=None).exists()
    assert audited("campaigns.report.created", report_a) == 1


def test_clerk_saves_answers_and_the_save_is_audited(report_a, personas):
    answer_all(report_a, personas["clerk_a"], problems={3: {}})
    assert report_a.answers.filter(has_problem=True).count() == 1
    assert report_a.answers.filter(has_problem=False).count() == report_a.answers.count() - 1
    assert audited("campaigns.report.saved", report_a) == 1


@pytest.mark.parametrize("who", ["clerk_b", "supervisor", "discipline", "inspector"])
def test_save_answers_is_refused_to_anyone_but_the_units_own_users(report_a, personas, who):
    answer = report_a.answers.first()
    with pytest.raises(PermissionDenied):
        actions.save_answers(
            report_a, actor=personas[who], answers={answer.pk: {"has_problem": False}}
        )
    answer.refresh_from_db()
    assert answer.has_problem is None


def test_save_answers_refuses_an_answer_of_another_report(report_a, report_b, personas):
    foreign = report_b.answers.first()
    with pytest.raises(ValidationError):
        actions.save_answers(
            report_a, actor=personas["clerk_a"], answers={foreign.pk: {"has_problem": True}}
        )
    foreign.refresh_from_db()
    assert foreign.has_problem is None


def test_save_answers_refused_once_submitted(report_a, personas):
    submitted(report_a, personas)
    answer = report_a.answers.first()
    with pytest.raises(ValidationError, match="不能再修改"):
        actions.save_answers(
            report_a, actor=personas["clerk_a"], answers={answer.pk: {"has_problem": True}}
        )


def test_signoff_request_needs_every_item_answered(report_a, personas):
    first = report_a.answers.select_related("item").first()
    actions.save_answers(
        report_a, actor=personas["clerk_a"], answers={first.pk: {"has_problem": False}}
    )
    with pytest.raises(actions.IncompleteReport) as exc:
        actions.request_signoff(report_a, actor=personas["clerk_a"])
    assert "第 2 项：请选择“无此问题”或“存在问题”。" in exc.value.messages
    report_a.refresh_from_db()
    assert report_a.state == State.DRAFT


def test_clerk_requests_signoff_and_the_leader_is_notified(
    report_a, personas, django_capture_on_commit_callbacks
):
    answer_all(report_a, personas["clerk_a"])
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_signoff(report_a, actor=personas["clerk_a"])
    report_a.refresh_from_db()
    assert report_a.state == State.PENDING_SIGNOFF
    assert Notification.objects.filter(user=personas["leader_a"], title__contains="待签发").exists()
    assert audited("campaigns.report.signoff_requested", report_a) == 1


def test_signoff_request_refused_to_other_units_clerk(report_a, personas):
    answer_all(report_a, personas["clerk_a"])
    with pytest.raises(PermissionDenied):
        actions.request_signoff(report_a, actor=personas["clerk_b"])


def test_clerk_cannot_submit_only_the_leader_signs_off(
    report_a, personas, django_capture_on_commit_callbacks
):
    answer_all(report_a, personas["clerk_a"])
    actions.request_signoff(report_a, actor=personas["clerk_a"])
    for who in ("clerk_a", "leader_b", "supervisor"):
        with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
            actions.submit_report(report_a, actor=personas[who])
    assert not Notification.objects.filter(user=personas["supervisor"]).exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit_report(report_a, actor=personas["leader_a"])
    report_a.refresh_from_db()
    assert report_a.state == State.SUBMITTED
    assert report_a.submitted_by == personas["leader_a"]
    assert report_a.first_submitted_at == report_a.submitted_at
    assert audited("campaigns.report.submitted", report_a) == 1
    assert Notification.objects.filter(user=personas["supervisor"]).exists()


def test_submit_refuses_a_problem_without_measures_deadline_or_person(report_a, personas):
    answer_all(
        report_a,
        personas["clerk_a"],
        problems={4: {"measures": "", "deadline": None, "responsible_person": " "}},
    )
    with pytest.raises(actions.IncompleteReport) as exc:
        actions.submit_report(report_a, actor=personas["leader_a"])
    assert exc.value.messages == [
        "第 4 项：存在问题的，请填写整改措施。",
        "第 4 项：存在问题的，请填写整改时限。",
        "第 4 项：存在问题的，请填写责任人。",
    ]
    fields = [f for f, _m in next(iter(exc.value.by_answer.values()))]
    assert fields == ["measures", "deadline", "responsible_person"]
    report_a.refresh_from_db()
    assert report_a.state == State.DRAFT
    assert report_a.submitted_at is None


def test_submit_twice_is_refused(report_a, personas):
    submitted(report_a, personas)
    with pytest.raises(ValidationError, match="不能再次上报"):
        actions.submit_report(report_a, actor=personas["leader_a"])


def test_return_needs_a_reason_and_a_supervisor(report_a, personas):
    submitted(report_a, personas)
    with pytest.raises(ValidationError, match="请填写退回原因"):
        actions.return_report(report_a, actor=personas["supervisor"], reason="  ")
    for who in ("leader_a", "discipline", "inspector"):
        with pytest.raises(PermissionDenied):
            actions.return_report(report_a, actor=personas[who], reason="不合格")
    report_a.refresh_from_db()
    assert report_a.state == State.SUBMITTED


def test_returned_report_is_corrected_and_resubmitted(
    report_a, personas, django_capture_on_commit_callbacks
):
    submitted(report_a, personas)
    first = SelfCheckReport.objects.get(pk=report_a.pk).first_submitted_at
    with django_capture_on_commit_callbacks(execute=True):
        actions.return_report(report_a, actor=personas["supervisor"], reason="第3项描述过于笼统")
    report_a.refresh_from_db()
    assert report_a.state == State.RETURNED
    assert report_a.returned_reason == "第3项描述过于笼统"
    note = Notification.objects.get(user=personas["clerk_a"], title__contains="退回")
    assert note.important and "第3项描述过于笼统" in note.body
    assert Notification.objects.filter(user=personas["leader_a"], title__contains="退回").exists()
    assert not Notification.objects.filter(user=personas["clerk_b"]).exists()

    answer_all(report_a, personas["clerk_a"], problems={3: {"description": "具体描述"}})
    actions.submit_report(report_a, actor=personas["leader_a"])
    report_a.refresh_from_db()
    assert report_a.state == State.SUBMITTED
    assert report_a.first_submitted_at == first
    assert report_a.returned_reason == ""
    assert audited("campaigns.report.returned", report_a) == 1


def test_return_refused_unless_submitted(report_a, personas):
    with pytest.raises(ValidationError, match="不能退回"):
        actions.return_report(report_a, actor=personas["supervisor"], reason="x")


def test_accept_turns_each_problem_answer_into_a_ledger_problem(
    report_a, personas, campaign, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    submitted(
        report_a,
        personas,
        problems={
            4: {"deadline": today + timedelta(days=20)},
            20: {"responsible_person": "李四", "measures": "建立检查登记备案台账"},
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        problems = actions.accept_report(report_a, actor=personas["supervisor"])
    assert len(problems) == 2
    report_a.refresh_from_db()
    assert report_a.state == State.ACCEPTED
    assert report_a.accepted_by == personas["supervisor"]
    # Each answer points at its problem, and the problem stores the answer as its origin.
    answers = report_a.answers.filter(problem__isnull=False).select_related("item", "problem")
    by_order = {a.item.order: a.problem for a in answers}
    assert all(a.problem.origin == a for a in answers)
    assert set(by_order) == {4, 20}
    p4, p20 = by_order[4], by_order[20]
    assert p4.source == Problem.Source.SELF_CHECK
    assert p4.unit_id == report_a.unit_id and p4.campaign_id == campaign.pk
    assert p4.focus_area.code == "discretion"
    assert p4.description == "第4项问题描述"
    assert p4.deadline == today + timedelta(days=20)
    assert p20.focus_area.code == "inspection"
    assert p20.responsible_person == "李四" and p20.measures == "建立检查登记备案台账"
    assert AuditEvent.objects.filter(action="ledger.problem.created").count() == 2
    assert audited("campaigns.report.accepted", report_a) == 1
    note = Notification.objects.get(user=personas["clerk_a"], title__contains="已接收")
    assert "2 个问题" in note.body


def test_accept_refused_to_non_supervisors_and_twice(report_a, personas):
    submitted(report_a, personas, problems={1: {}})
    for who in ("leader_a", "discipline", "inspector"):
        with pytest.raises(PermissionDenied):
            actions.accept_report(report_a, actor=personas[who])
    actions.accept_report(report_a, actor=personas["supervisor"])
    with pytest.raises(ValidationError, match="不能接收"):
        actions.accept_report(report_a, actor=personas["supervisor"])
    assert Problem.objects.count() == 1


def test_accept_refused_for_a_draft(report_a, personas):
    with pytest.raises(ValidationError):
        actions.accept_report(report_a, actor=personas["supervisor"])


def test_late_is_derived_from_first_submission_after_the_self_check_end(report_a, personas):
    submitted(report_a, personas)
    assert report_a.is_late is False
    deadline = report_a.campaign.self_check_deadline
    SelfCheckReport.objects.filter(pk=report_a.pk).update(
        first_submitted_at=timezone.make_aware(
            timezone.datetime.combine(deadline + timedelta(days=1), timezone.datetime.min.time())
        )
        + timedelta(hours=10)
    )
    report = SelfCheckReport.objects.get(pk=report_a.pk)
    assert report.is_late is True


def test_an_unsubmitted_report_is_late_only_after_the_deadline(report_a):
    assert report_a.is_late is False
    phase = report_a.campaign.phase("self_check")
    phase.end = timezone.localdate() - timedelta(days=1)
    phase.save()
    report = SelfCheckReport.objects.get(pk=report_a.pk)
    assert report.is_late is True


def test_remind_notifies_clerks_and_leaders_of_units_not_submitted(
    campaign, report_a, report_b, personas, units, django_capture_on_commit_callbacks
):
    submitted(report_a, personas)
    with django_capture_on_commit_callbacks(execute=True):
        count = actions.remind_units(
            campaign, [units["a"], units["b"], units["justice"]], actor=personas["supervisor"]
        )
    assert count == 1
    assert Notification.objects.filter(user=personas["clerk_b"], title__contains="催报").exists()
    assert Notification.objects.filter(user=personas["leader_b"], title__contains="催报").exists()
    assert not Notification.objects.filter(
        user=personas["clerk_a"], title__contains="催报"
    ).exists()
    event = AuditEvent.objects.get(action="campaigns.report.reminded")
    assert event.unit_id == units["b"].pk and event.data["recipients"] == 2


def test_remind_is_for_supervisors_only(campaign, personas, units):
    with pytest.raises(PermissionDenied):
        actions.remind_units(campaign, [units["b"]], actor=personas["discipline"])
    assert not Notification.objects.exists()
