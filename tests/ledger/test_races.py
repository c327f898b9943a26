"""Every transition is exactly-once under parallel identical requests: threads, each with
its own database connection, released together by a barrier. On PostgreSQL (real row
locks); SQLite serialises writers itself and is measured by bench/race_bench.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiandu_x pytest tests/ledger/test_races.py
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.ledger import actions
from jiandu.ledger.models import DeadlineChange, Escalation, Lead, Problem
from jiandu.orgs.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks under threads: PostgreSQL"
    ),
]

N = 8
S = Problem.State
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(monkeypatch):
    """TODAY as the pages see it when the test runs, not when it was collected: a run
    that crosses midnight compared two different days."""
    monkeypatch.setitem(globals(), "TODAY", timezone.localdate())


def fire(n, call):
    """Run call(i) in n threads at once; returns (succeeded, refused) counts."""
    barrier = threading.Barrier(n)
    outcomes = []
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            call(i)
            result = "ok"
        except (ValidationError, PermissionDenied):
            result = "refused"
        except Exception as exc:  # an IntegrityError here would be a lost race
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [o for o in outcomes if o.startswith("error")]
    assert not errors, errors
    return outcomes.count("ok"), outcomes.count("refused")


def fresh(problem):
    # Each request reads the problem itself, as a web request would.
    return Problem.objects.get(pk=problem.pk)


def audit_rows(problem, code):
    return AuditEvent.objects.filter(action=code, object_id=str(problem.pk)).count()


def test_identical_escalations_make_one_escalation_and_one_lead(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=5))
    sup = personas["supervisor"]
    ok, refused = fire(
        N,
        lambda i: actions.escalate(
            fresh(problem), actor=sup, note="请三日内整改到位", to_discipline=True
        ),
    )
    assert (ok, refused) == (1, N - 1)
    assert Escalation.objects.filter(problem=problem).count() == 1
    assert Lead.objects.filter(problem=problem).count() == 1
    assert audit_rows(problem, "ledger.problem.escalated") == 1
    assert Notification.objects.filter(user=personas["clerk_a"], important=True).count() == 1


def test_escalations_with_new_reasons_still_make_at_most_one_open_lead(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=5))
    sup = personas["supervisor"]
    ok, refused = fire(
        N,
        lambda i: actions.escalate(
            fresh(problem), actor=sup, note=f"督办意见{i}", to_discipline=True
        ),
    )
    assert (ok, refused) == (1, N - 1)
    assert Lead.objects.filter(problem=problem).exclude(state=Lead.State.CLOSED).count() == 1
    # Without a lead, each new reason is its own 督办.
    ok, refused = fire(N, lambda i: actions.escalate(fresh(problem), actor=sup, note=f"新意见{i}"))
    assert (ok, refused) == (N, 0)
    assert Escalation.objects.filter(problem=problem).count() == N + 1


def test_identical_acceptances_close_once(personas, make_problem):
    problem = make_problem(state=S.AWAITING_ACCEPTANCE, deadline=TODAY + timedelta(days=5))
    sup = personas["supervisor"]
    ok, refused = fire(N, lambda i: actions.accept_problem(fresh(problem), actor=sup, note="同意"))
    assert (ok, refused) == (1, N - 1)
    assert audit_rows(problem, "ledger.problem.accepted") == 1
    assert (
        Notification.objects.filter(user=personas["clerk_a"], title__contains="销号").count() == 1
    )


def test_identical_extension_requests_make_one_pending_request(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY + timedelta(days=5))
    clerk = personas["clerk_a"]
    wanted = TODAY + timedelta(days=30)
    ok, refused = fire(
        N,
        lambda i: actions.request_extension(
            fresh(problem), actor=clerk, new_deadline=wanted, reason="等待检测报告"
        ),
    )
    assert (ok, refused) == (1, N - 1)
    assert DeadlineChange.objects.filter(problem=problem).count() == 1
    sup = personas["supervisor"]
    ok, refused = fire(
        N, lambda i: actions.decide_extension(fresh(problem), actor=sup, approve=True)
    )
    assert (ok, refused) == (1, N - 1)
    assert audit_rows(problem, "ledger.deadline.approved") == 1
    assert fresh(problem).deadline == wanted
