"""The one transition shape for 总结验收 and the showcases: `check_<name>(obj, actor,
today)` refuses the wrong person or state without looking at the input, and
`available_actions` lists exactly what a persona may do now. Old audit rows, stored
while the models were in `campaigns`, still read in Chinese."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiandu.acceptance import actions
from jiandu.acceptance.models import Showcase, UnitAcceptance
from jiandu.audit.labels import details
from jiandu.audit.models import AuditEvent

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(monkeypatch):
    """TODAY as the pages see it when the test runs, not when it was collected: a run
    that crosses midnight compared two different days."""
    monkeypatch.setitem(globals(), "TODAY", timezone.localdate())


A = UnitAcceptance.State
S = Showcase.State


def _refused(check, obj, user, exc):
    with pytest.raises(exc):
        check(obj, user, TODAY)


@pytest.mark.parametrize("name", ["pass", "fail"])
def test_acceptance_checks(campaign, units, personas, name):
    check = actions.ACCEPTANCE_CHECKS[name]
    pending = actions.acceptance_of(campaign, units["a"])
    check(pending, personas["supervisor"], TODAY)
    for who in ("clerk_a", "leader_a", "discipline", "inspector"):
        _refused(check, pending, personas[who], PermissionDenied)
    passed = UnitAcceptance(campaign=campaign, unit=units["a"], state=A.PASSED)
    _refused(check, passed, personas["supervisor"], ValidationError)
    not_supervised = UnitAcceptance(campaign=campaign, unit=units["justice"])
    _refused(check, not_supervised, personas["supervisor"], ValidationError)


def test_available_acceptance_actions(campaign, units, personas):
    pending = actions.acceptance_of(campaign, units["a"])
    assert actions.available_actions(pending, personas["supervisor"]) == {"pass", "fail"}
    assert actions.available_actions(pending, personas["clerk_a"]) == set()
    failed = actions.fail_acceptance(
        campaign, units["a"], actor=personas["supervisor"], opinion="需继续整改"
    )
    assert actions.acceptance_of(campaign, units["a"]) == failed
    assert actions.available_actions(failed, personas["supervisor"]) == {"pass", "fail"}
    actions.pass_acceptance(campaign, units["a"], actor=personas["supervisor"], opinion="已整改")
    failed.refresh_from_db()
    assert actions.available_actions(failed, personas["supervisor"]) == set()


def _showcase(campaign, units, state):
    return Showcase.objects.create(
        campaign=campaign, unit=units["a"], title="综合查一次", summary="做法", state=state
    )


SHOWCASE_OFFERED = {
    # step -> (state it is offered in, personas it is offered to)
    "edit": (S.DRAFT, {"supervisor", "clerk_a", "leader_a"}),
    "select": (S.DRAFT, {"supervisor"}),
    "publish": (S.SELECTED, {"supervisor"}),
}


@pytest.mark.parametrize("step", sorted(SHOWCASE_OFFERED))
def test_every_showcase_step_is_offered_to_its_personas_only(campaign, units, personas, step):
    assert set(actions.SHOWCASE_CHECKS) == set(SHOWCASE_OFFERED)
    state, who = SHOWCASE_OFFERED[step]
    showcase = _showcase(campaign, units, state)
    for name, user in personas.items():
        offered = step in actions.available_showcase_actions(showcase, user)
        assert offered == (name in who), (step, name)
    for other in S.values:
        if other != state:
            showcase.state = other
            assert step not in actions.available_showcase_actions(showcase, personas["supervisor"])


def test_showcase_step_checks_raise_the_right_refusal(campaign, units, personas):
    draft = _showcase(campaign, units, S.DRAFT)
    _refused(actions.check_select_showcase, draft, personas["clerk_a"], PermissionDenied)
    _refused(actions.check_publish_showcase, draft, personas["supervisor"], ValidationError)
    _refused(actions.check_update_showcase, draft, personas["clerk_b"], PermissionDenied)
    published = _showcase(campaign, units, S.PUBLISHED)
    _refused(actions.check_select_showcase, published, personas["supervisor"], ValidationError)


def test_audit_rows_stored_before_the_move_still_read_in_chinese(campaign, units):
    showcase = _showcase(campaign, units, S.DRAFT)
    acceptance = UnitAcceptance.objects.create(campaign=campaign, unit=units["a"])
    old_showcase = AuditEvent.objects.create(
        action="campaigns.showcase.proposed",
        object_type="campaigns.showcase",
        object_id=str(showcase.pk),
        data={"kind": "case", "title": "综合查一次"},
    )
    old_acceptance = AuditEvent.objects.create(
        action="campaigns.acceptance.failed",
        object_type="campaigns.unitacceptance",
        object_id=str(acceptance.pk),
        data={"state": "failed", "opinion": "需继续整改"},
    )
    assert ("类型", "最佳案例") in details(
        old_showcase.action, old_showcase.data, old_showcase.object_type
    )
    assert ("状态", "验收不通过") in details(
        old_acceptance.action, old_acceptance.data, old_acceptance.object_type
    )
