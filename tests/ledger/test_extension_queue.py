"""The supervisor's 延期待审批 queue: several requests approved or refused at once, each
its own `decide_extension` (its own lock, audit row and notification to the unit)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.ledger import actions
from jiandu.ledger.models import DeadlineChange, Problem
from jiandu.orgs.models import Notification

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
QUEUE = reverse("ledger:extensions")
DECIDE = reverse("ledger:extensions_decide")
DC = DeadlineChange.State


@pytest.fixture
def requested(make_problem, personas):
    """Three in-progress problems, two of unit A and one of unit B, each with a pending
    request for 20 more days."""

    def ask(unit, clerk):
        p = make_problem(unit, Problem.State.IN_PROGRESS)
        actions.request_extension(
            p,
            actor=personas[clerk],
            new_deadline=p.deadline + timedelta(days=20),
            reason=f"{unit}需等待检测报告",
        )
        return p

    return [ask("a", "clerk_a"), ask("a", "clerk_a"), ask("b", "clerk_b")]


def _audit(action, problems):
    return AuditEvent.objects.filter(action=action, object_id__in=[str(p.pk) for p in problems])


def test_the_queue_lists_pending_requests_for_the_supervisor_only(requested, personas, client_for):
    page = client_for(personas["supervisor"]).get(QUEUE).content.decode()
    assert "共 3 份延期申请待审批" in page
    for p in requested:
        assert f'name="ids" value="{p.pk}"' in page
    assert "a需等待检测报告" in page and "data-bulk-all" in page
    for who in ("clerk_a", "leader_b", "discipline", "inspector"):
        assert client_for(personas[who]).get(QUEUE).status_code == 403, who
    assert (
        client_for(personas["clerk_a"])
        .post(DECIDE, {"ids": [requested[0].pk], "decision": "approve"})
        .status_code
        == 403
    )
    assert DeadlineChange.objects.filter(state=DC.PENDING).count() == 3


def test_approve_several_at_once(
    requested, personas, client_for, django_capture_on_commit_callbacks
):
    first, second, third = requested
    wanted = {p.pk: p.pending_extension.new_deadline for p in requested}
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        r = client_for(personas["supervisor"]).post(
            DECIDE,
            {"ids": [first.pk, third.pk], "decision": "approve", "note": "同意"},
            follow=True,
        )
    assert r.redirect_chain[-1][0] == QUEUE
    page = r.content.decode()
    assert "已批准 2 份延期申请。" in page and "共 1 份延期申请待审批" in page
    for p in (first, third):
        p.refresh_from_db()
        assert p.deadline == wanted[p.pk] and p.pending_extension is None
        change = p.deadline_changes.get(kind=DeadlineChange.Kind.EXTENSION)
        assert change.state == DC.APPROVED and change.decision_note == "同意"
    assert _audit("ledger.deadline.approved", [first, third]).count() == 2
    second.refresh_from_db()
    assert second.pending_extension is not None
    # Each unit hears about its own problem.
    assert Notification.objects.filter(
        user=personas["clerk_b"], title__contains=f"#{third.pk}"
    ).exists()
    assert not Notification.objects.filter(
        user=personas["clerk_b"], title__contains=f"#{first.pk}"
    ).exists()


def test_refuse_with_one_reason_and_already_decided_rows_are_named(requested, personas, client_for):
    sup = client_for(personas["supervisor"])
    first, second, third = requested
    old = {p.pk: p.deadline for p in requested}
    # Decided on its own page meanwhile: the bulk form names it and decides the rest.
    actions.decide_extension(first, actor=personas["supervisor"], approve=True)
    page = sup.post(
        DECIDE, {"ids": [p.pk for p in requested], "decision": "refuse"}, follow=True
    ).content.decode()
    assert "不予批准时请填写理由。" in page
    assert DeadlineChange.objects.filter(state=DC.PENDING).count() == 2
    page = sup.post(
        DECIDE,
        {"ids": [p.pk for p in requested], "decision": "refuse", "note": "理由不充分"},
        follow=True,
    ).content.decode()
    assert "已不予批准 2 份延期申请。" in page
    assert (
        f"以下 1 份未能不予批准：问题 #{first.pk}（甲镇人民政府）：该问题没有待审批的延期申请"
        in page
    )
    for p in (second, third):
        p.refresh_from_db()
        assert p.deadline == old[p.pk]
        assert p.deadline_changes.get().state == DC.REFUSED
    assert _audit("ledger.deadline.refused", [second, third]).count() == 2
    assert not _audit("ledger.deadline.refused", [first]).exists()
    assert "没有待审批的延期申请" in sup.get(QUEUE).content.decode()


def test_nothing_ticked(requested, personas, client_for):
    page = (
        client_for(personas["supervisor"])
        .post(DECIDE, {"decision": "approve"}, follow=True)
        .content.decode()
    )
    assert "请先勾选延期申请。" in page
    assert DeadlineChange.objects.filter(state=DC.PENDING).count() == 3


def test_the_queue_sorts_by_unit_and_folds_on_a_phone(requested, units, personas, client_for):
    client = client_for(personas["supervisor"])
    page = client.get(QUEUE, {"sort": "-unit"}).content.decode()
    first_b = page.index(f'value="{requested[2].pk}"')
    assert first_b < page.index(f'value="{requested[0].pk}"')  # unit b before unit a
    assert "责任单位 ↓" in page and "sort=unit" in page
    page = client.get(QUEUE).content.decode()
    assert "申请时间 ↑" in page  # the oldest request first
    assert page.index(f'value="{requested[0].pk}"') < page.index(f'value="{requested[2].pk}"')
    fold = page.split("jd-fold")[1].split("</div>")[0]
    assert units["a"].name in fold and "需等待检测报告" in fold


def test_the_queue_marks_overdue_by_the_problem_rule(requested, personas, client_for):
    """已逾期 in the queue is Problem.is_overdue (the one rule), shown for the late one only."""
    late = requested[0]
    Problem.objects.filter(pk=late.pk).update(deadline=TODAY - timedelta(days=2))
    late.refresh_from_db()
    assert late.is_overdue(TODAY) and not requested[1].is_overdue(TODAY)
    page = client_for(personas["supervisor"]).get(QUEUE).content.decode()
    assert page.count("已逾期</span>") == 1
    row = page.split(f'name="ids" value="{late.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "已逾期" in row
