"""The ladder over simulated days: who receives what on which working day, a second run
on the same day sends nothing, a paused item gets nothing, weekends and holidays move the
steps and send nothing themselves."""

from datetime import date

import pytest
from django.core import mail

from jiandu.documents.models import IssuedDocument
from jiandu.orgs.models import Notification
from jiandu.reminders import actions
from jiandu.reminders.keys import item_key, watched
from jiandu.reminders.models import ReminderDraft, ReminderLog
from jiandu.reminders.run import run
from jiandu.workdays.models import CalendarDay
from tests.reminders.helpers import make_problem

pytestmark = pytest.mark.django_db


def sent_on(day, **filters):
    return set(
        ReminderLog.objects.filter(day=day, **filters).values_list(
            "step", "channel", "recipient__username"
        )
    )


def both(step, *usernames):
    return {(step, ch, u) for u in usernames for ch in ("inapp", "email")}


def test_the_ladder_day_by_day(problem, people, units, django_capture_on_commit_callbacks):
    key = item_key(problem)
    # Wednesday: three working days before, outside the 2-day 提醒 window.
    assert run(date(2026, 3, 11)).sent == 0
    # Thursday: 提醒 to the responsible (the unit's leader) and the unit's clerk.
    with django_capture_on_commit_callbacks(execute=True):
        result = run(date(2026, 3, 12))
    assert sent_on(date(2026, 3, 12)) == both("before", "leader_a", "clerk_a")
    assert result.sent == 4
    text = ReminderLog.objects.filter(day=date(2026, 3, 12)).first().text
    assert "甲镇人民政府" in text and "2026年3月16日" in text and "执法全过程记录不完整" in text
    assert f"https://jiandu.example.gov.cn/ledger/{problem.pk}/" in text
    assert {m.to[0] for m in mail.outbox} == {"leader_a@example.gov.cn", "clerk_a@example.gov.cn"}
    assert (
        Notification.objects.filter(user=people["clerk_a"], url=f"/ledger/{problem.pk}/").count()
        == 1
    )
    # The same day again: nothing new.
    again = run(date(2026, 3, 12))
    assert again.sent == 0 and again.messages == []
    assert ReminderLog.objects.count() == 4
    # Friday: the 提醒 was given; the weekend is no working day.
    assert run(date(2026, 3, 13)).sent == 0
    weekend = run(date(2026, 3, 14))
    assert not weekend.workday and weekend.sent == 0
    # Monday, the deadline: 到期提醒.
    run(date(2026, 3, 16))
    assert sent_on(date(2026, 3, 16)) == both("due", "leader_a", "clerk_a")
    assert run(date(2026, 3, 17)).sent == 0
    # Two working days overdue: a draft 提醒函 and the supervisor told, not the unit.
    run(date(2026, 3, 18))
    assert sent_on(date(2026, 3, 18)) == both("letter", "supervisor")
    letter = ReminderDraft.objects.get(item_key=key)
    assert letter.kind == "reminder_letter" and letter.state == "draft"
    assert "甲镇人民政府" in letter.text and "已逾期2个工作日" in letter.text
    # Three working days later (Thu, Fri, Mon): a draft 督办函, the discipline commission told.
    assert run(date(2026, 3, 20)).sent == 0
    run(date(2026, 3, 23))
    assert sent_on(date(2026, 3, 23)) == both("supervision", "supervisor", "discipline")
    assert set(ReminderDraft.objects.values_list("kind", flat=True)) == {
        "reminder_letter",
        "supervision_letter",
    }
    # Unit B heard nothing of it.
    assert not ReminderLog.objects.filter(recipient__unit=units["b"]).exists()
    assert run(date(2026, 3, 24)).sent == 0


def test_a_run_after_missed_days_takes_the_reached_step_only(problem):
    run(date(2026, 3, 18))
    assert set(ReminderLog.objects.values_list("step", flat=True)) == {"letter"}


def test_a_paused_item_gets_nothing_until_resumed(problem, people):
    other = make_problem(problem.unit, description="另一个问题")
    item = watched(problem)
    actions.pause(item, actor=people["supervisor"], reason="已协调，待市局答复")
    run(date(2026, 3, 12))
    assert set(ReminderLog.objects.values_list("item_key", flat=True)) == {item_key(other)}
    actions.resume(item, actor=people["supervisor"])
    run(date(2026, 3, 13))
    assert ReminderLog.objects.filter(item_key=item.key, step="before").exists()


def test_pause_needs_the_supervisor_and_a_reason(problem, people):
    from django.core.exceptions import PermissionDenied, ValidationError

    item = watched(problem)
    with pytest.raises(PermissionDenied):
        actions.pause(item, actor=people["clerk_a"], reason="x")
    with pytest.raises(ValidationError):
        actions.pause(item, actor=people["supervisor"], reason="  ")
    assert item.pause is None
    actions.pause(item, actor=people["supervisor"], reason="理由")
    assert actions.available_pause_actions(item, people["supervisor"]) == {"resume"}


def test_a_holiday_moves_the_step_and_sends_nothing(problem):
    # Thursday the 12th made a holiday: two working days before Monday is Wednesday.
    CalendarDay.objects.create(date=date(2026, 3, 12), is_workday=False)
    assert not run(date(2026, 3, 12)).workday
    run(date(2026, 3, 11))
    assert sent_on(date(2026, 3, 11)) == both("before", "leader_a", "clerk_a")


def test_an_extended_deadline_starts_the_ladder_again(problem):
    run(date(2026, 3, 16))
    problem.deadline = date(2026, 3, 20)
    problem.save(update_fields=["deadline"])
    run(date(2026, 3, 18))
    assert sent_on(date(2026, 3, 18)) == both("before", "leader_a", "clerk_a")


def test_a_closed_problem_is_not_watched(problem):
    problem.state = problem.State.CLOSED
    problem.save(update_fields=["state"])
    assert run(date(2026, 3, 16)).messages == []


def test_dry_run_sends_and_records_nothing(problem, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = run(date(2026, 3, 12), dry_run=True)
    assert len(result.messages) == 4
    assert ReminderLog.objects.count() == 0 and mail.outbox == []
    assert Notification.objects.count() == 0


def test_the_draft_is_approved_and_issued_to_the_unit(
    problem, people, django_capture_on_commit_callbacks
):
    run(date(2026, 3, 18))
    draft = ReminderDraft.objects.get()
    sup = people["supervisor"]
    assert actions.available_draft_actions(draft, people["clerk_a"]) == set()
    actions.approve(draft, actor=sup, text=draft.text + "特此函告。")
    with django_capture_on_commit_callbacks(execute=True):
        actions.issue(draft, actor=sup)
    draft.refresh_from_db()
    assert draft.state == "issued" and draft.text.endswith("特此函告。")
    assert draft.document_ref.startswith("平司提醒") and draft.document_id
    doc = IssuedDocument.objects.get(pk=draft.document_id)
    assert doc.kind == "reminder_letter" and doc.unit == problem.unit
    notice = Notification.objects.get(user=people["clerk_a"], title__startswith="收到提醒函")
    assert draft.document_ref in notice.title


def test_the_letter_is_drafted_even_with_no_supervisor_to_tell(problem, people):
    people["supervisor"].delete()
    people["discipline"].delete()
    result = run(date(2026, 3, 18))
    assert result.drafts == 1 and result.sent == 0
    assert ReminderDraft.objects.get().kind == "reminder_letter"
    assert run(date(2026, 3, 19)).drafts == 0
