"""The demo ledger looks lived-in and was built by the real actions."""

import pytest
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Escalation, Lead, Problem, ProgressNote
from jiandu.orgs.models import Notification

pytestmark = pytest.mark.slow  # the demo county


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    # Without the campaigns demo (slow, and its own to test) the ledger works with the
    # problems the supervision teams found; `jiandu demo` runs both.
    from jiandu.demo import county as orgs_demo
    from jiandu.demo import ledger as ledger_demo

    ctx = {"today": timezone.localdate()}
    # `jiandu demo` commits each part; its notices (and the demo's marking of the old
    # routine ones as read) happen then.
    with django_capture_on_commit_callbacks(execute=True):
        orgs_demo.seed(ctx)
    with django_capture_on_commit_callbacks(execute=True):
        ledger_demo.seed(ctx)
    return ctx


def test_demo_ledger_has_every_state_and_its_history(demo):
    today = demo["today"]
    states = set(Problem.objects.values_list("state", flat=True))
    assert states == set(Problem.State.values)
    assert Problem.objects.filter(source=Problem.Source.SUPERVISION).count() >= 5
    assert Problem.objects.overdue(today).count() >= 2
    assert Problem.objects.exclude(returned_reason="").exists()
    assert ProgressNote.objects.count() >= 8
    assert Escalation.objects.exists() and Lead.objects.exists()
    # Histories happened in the past, in order, and were audited.
    for p in Problem.objects.filter(state=Problem.State.CLOSED):
        assert p.created_at < p.submitted_at < p.closed_at
        assert timezone.localdate(p.closed_at) < today
    assert AuditEvent.objects.filter(action="ledger.problem.accepted").count() == (
        Problem.objects.filter(state=Problem.State.CLOSED).count()
    )
    # Closures spread over several weeks (the dashboard's weekly trend).
    weeks = {
        timezone.localdate(d).isocalendar()[1]
        for d in Problem.objects.filter(closed_at__isnull=False).values_list("closed_at", flat=True)
    }
    assert len(weeks) >= 3
    # The units under 督办 see it prominently.
    assert Notification.objects.filter(
        important=True, title__startswith="督办", read_at=None
    ).exists()
