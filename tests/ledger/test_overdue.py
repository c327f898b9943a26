"""Overdue is derived from the deadline and the day it is asked on, never stored."""

from datetime import date

from jiandu.ledger.models import Problem

S = Problem.State
DAY = date(2026, 9, 15)


def test_open_problem_is_overdue_the_day_after_its_deadline(make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=DAY)
    assert not problem.is_overdue(today=DAY)
    assert problem.days_overdue(today=DAY) == 0
    assert problem.is_overdue(today=date(2026, 9, 16))
    assert problem.days_overdue(today=date(2026, 9, 25)) == 10


def test_closed_or_undated_problem_is_never_overdue(make_problem):
    closed = make_problem(state=S.CLOSED, deadline=date(2026, 1, 1))
    undated = make_problem(state=S.PENDING)
    assert not closed.is_overdue(today=DAY)
    assert not undated.is_overdue(today=DAY)


def test_overdue_queryset_matches_the_model(make_problem):
    late = make_problem(state=S.AWAITING_ACCEPTANCE, deadline=date(2026, 9, 14))
    on_time = make_problem(state=S.IN_PROGRESS, deadline=DAY)
    closed = make_problem(state=S.CLOSED, deadline=date(2026, 9, 1))
    undated = make_problem(state=S.PENDING)
    assert set(Problem.objects.overdue(today=DAY)) == {late}
    assert set(Problem.objects.not_overdue(today=DAY)) == {on_time, closed, undated}
    # Asked a week later, the on-time one has slipped too.
    assert set(Problem.objects.overdue(today=date(2026, 9, 22))) == {late, on_time}
