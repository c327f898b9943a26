"""INTG-02 deadlines: derived from the day received and working days, never stored."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from jiandu.portal.models import Complaint
from jiandu.workdays import add_workdays, calendar


def _complaint(received_on, state, n):
    return Complaint.objects.create(
        tracking_code=f"T{n:011d}",
        category="other",
        description="x",
        state=state,
        received_at=timezone.make_aware(datetime.combine(received_on, time(16, 30))),
    )


def test_deadlines_count_working_days_across_the_national_day_holiday(db):
    c = _complaint(date(2026, 9, 29), Complaint.State.RECEIVED, 1)
    due = c.deadlines()
    assert due["accept"] == add_workdays(date(2026, 9, 29), 7)
    assert due["close"] == add_workdays(date(2026, 9, 29), 15)
    # The holiday week pushes the acceptance deadline well past 7 calendar days.
    assert (due["accept"] - date(2026, 9, 29)).days > 10
    assert due["reply"] < due["close"]


def test_overdue_filter_agrees_with_each_complaints_own_deadline(db):
    today = timezone.localdate()
    cal = calendar()
    states = [
        Complaint.State.RECEIVED,
        Complaint.State.ACCEPTED,
        Complaint.State.ASSIGNED,
        Complaint.State.REPLIED,
        Complaint.State.CLOSED,
        Complaint.State.REJECTED,
    ]
    n = 0
    for days_ago in range(0, 35):
        for state in states:
            n += 1
            _complaint(today - timedelta(days=days_ago), state, n)
    by_query = set(Complaint.objects.overdue(today=today, cal=cal).values_list("pk", flat=True))
    by_object = {
        c.pk
        for c in Complaint.objects.all()
        if (step := c.current_step(cal, today)) and step["overdue"]
    }
    assert by_query == by_object
    assert by_query  # the range is wide enough to have overdue ones
    assert (
        not Complaint.objects.overdue(today=today).filter(state__in=["closed", "rejected"]).exists()
    )


def test_overdue_step_stands_out_on_the_handling_list(db, personas, client_for):
    old = timezone.localdate() - timedelta(days=30)
    c = _complaint(old, Complaint.State.RECEIVED, 1)
    html = client_for(personas["supervisor"]).get("/public/manage/?overdue=1").content.decode()
    assert c.reference in html and c.tracking_code not in html
    assert "已超期" in html and "table-danger" in html
