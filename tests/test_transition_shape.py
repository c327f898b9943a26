"""One shape for every stateful object, the campaign apps' included: each transition has a
`check_<name>(obj, actor, today)` that refuses the wrong person or state without looking
at the input, and `available_actions(obj, user)` lists exactly the transitions a persona
may take now. Views outside the campaign apps run them through `jiandu.lib.transitions`."""

import inspect
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from jiandu.intake import actions as intake
from jiandu.intake.models import ImportBatch
from jiandu.ledger import actions as ledger
from jiandu.ledger import views as ledger_views
from jiandu.ledger.models import DeadlineChange, Lead, Problem
from jiandu.lib.transitions import Transition
from jiandu.monitoring import actions as monitoring
from jiandu.monitoring import views as monitoring_views
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea
from jiandu.portal import actions as portal
from jiandu.portal import manage as portal_manage
from jiandu.portal.models import Complaint, PublishedCase

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(monkeypatch):
    """TODAY as the pages see it when the test runs, not when it was collected: a run
    that crosses midnight compared two different days."""
    monkeypatch.setitem(globals(), "TODAY", timezone.localdate())


C = Complaint.State


# -- objects in a given state ---------------------------------------------------------


def _problem(units, state=Problem.State.PENDING, **fields):
    defaults = {
        "focus_area": FocusArea.objects.get(code="procedure"),
        "description": "执法全过程记录不完整",
        "source": Problem.Source.SUPERVISION,
        "deadline": TODAY + timedelta(days=30),
    }
    defaults.update(fields)
    return Problem.objects.create(unit=units["a"], state=state, **defaults)


def _with_pending_extension(units, personas):
    p = _problem(units, Problem.State.IN_PROGRESS)
    DeadlineChange.objects.create(
        problem=p,
        kind=DeadlineChange.Kind.EXTENSION,
        state=DeadlineChange.State.PENDING,
        old_deadline=p.deadline,
        new_deadline=p.deadline + timedelta(days=10),
        reason="需要更多时间",
        requested_by=personas["clerk_a"],
    )
    return p


def _complaint(units, state, **fields):
    return Complaint.objects.create(
        tracking_code=f"SHAPE{Complaint.objects.count():07d}",
        category="other",
        description="反映甲镇执法不规范",
        state=state,
        unit=units["a"] if state != C.RECEIVED else None,
        reported_unit=units["a"],
        **fields,
    )


def _alert(units, state=Alert.State.NEW):
    return Alert.objects.create(
        rule="PROC-02",
        subject_kind="case",
        subject_key=f"T-A/甲罚〔2026〕{Alert.objects.count() + 1}号",
        unit=units["a"],
        severity="normal",
        state=state,
        evidence={},
        evidence_hash="h",
    )


def _lead(units, state=Lead.State.NEW):
    return Lead.objects.create(
        unit=units["a"],
        title="甲镇的线索",
        description="线索",
        source=Problem.Source.SUPERVISION,
        state=state,
    )


def _batch(units, personas, state=ImportBatch.State.INTERRUPTED, with_file=True):
    batch = ImportBatch.objects.create(
        kind="cases", unit=units["a"], created_by=personas["clerk_a"], state=state
    )
    if with_file:
        batch.file.save("cases.csv", ContentFile(b"x"), save=True)
    return batch


# -- every transition is offered to its persona ----------------------------------------

# (app, transition) -> (make the object, persona who may take it now)
OFFERED = {
    ("ledger", "start"): (lambda u, p: _problem(u), "clerk_a"),
    ("ledger", "update"): (lambda u, p: _problem(u, Problem.State.IN_PROGRESS), "leader_a"),
    ("ledger", "progress"): (lambda u, p: _problem(u, Problem.State.IN_PROGRESS), "clerk_a"),
    ("ledger", "submit"): (lambda u, p: _problem(u, Problem.State.IN_PROGRESS), "clerk_a"),
    ("ledger", "accept"): (
        lambda u, p: _problem(u, Problem.State.AWAITING_ACCEPTANCE),
        "supervisor",
    ),
    ("ledger", "return"): (
        lambda u, p: _problem(u, Problem.State.AWAITING_ACCEPTANCE),
        "supervisor",
    ),
    ("ledger", "escalate"): (
        lambda u, p: _problem(u, deadline=TODAY - timedelta(days=3)),
        "discipline",
    ),
    ("ledger", "extension"): (lambda u, p: _problem(u, Problem.State.IN_PROGRESS), "clerk_a"),
    ("ledger", "approve_extension"): (_with_pending_extension, "supervisor"),
    ("ledger", "refuse_extension"): (_with_pending_extension, "supervisor"),
    ("ledger", "deadline"): (lambda u, p: _problem(u), "supervisor"),
    ("lead", "receive"): (lambda u, p: _lead(u), "discipline"),
    ("lead", "close"): (lambda u, p: _lead(u, Lead.State.RECEIVED), "discipline"),
    ("lead", "dispose"): (lambda u, p: _lead(u, Lead.State.RECEIVED), "discipline"),
    ("lead", "return"): (lambda u, p: _lead(u), "discipline"),
    ("portal", "accept"): (lambda u, p: _complaint(u, C.RECEIVED), "supervisor"),
    ("portal", "reject"): (lambda u, p: _complaint(u, C.RECEIVED), "supervisor"),
    ("portal", "assign"): (lambda u, p: _complaint(u, C.ACCEPTED), "supervisor"),
    ("portal", "reply"): (lambda u, p: _complaint(u, C.ASSIGNED), "clerk_a"),
    ("portal", "close"): (lambda u, p: _complaint(u, C.REPLIED), "supervisor"),
    ("portal", "lead"): (lambda u, p: _complaint(u, C.ASSIGNED), "supervisor"),
    ("portal", "problem"): (lambda u, p: _complaint(u, C.ASSIGNED), "supervisor"),
    ("portal", "publish"): (lambda u, p: _complaint(u, C.CLOSED), "supervisor"),
    ("monitoring", "confirm"): (lambda u, p: _alert(u), "supervisor"),
    ("monitoring", "dismiss"): (lambda u, p: _alert(u), "supervisor"),
    ("monitoring", "assign"): (lambda u, p: _alert(u), "supervisor"),
    ("monitoring", "transfer"): (lambda u, p: _alert(u, Alert.State.CONFIRMED), "discipline"),
    ("intake", "resume"): (_batch, "clerk_a"),
}

AVAILABLE = {
    "ledger": (ledger.PROBLEM_CHECKS, ledger.available_actions),
    "lead": (ledger.LEAD_CHECKS, ledger.available_lead_actions),
    "portal": (portal.COMPLAINT_CHECKS, portal.available_actions),
    "monitoring": (monitoring.ALERT_CHECKS, monitoring.available_actions),
    "intake": (intake.BATCH_CHECKS, intake.available_actions),
}


def test_every_transition_of_these_apps_is_listed_here():
    declared = {(app, name) for app, (checks, _) in AVAILABLE.items() for name in checks}
    assert declared == set(OFFERED)


@pytest.mark.parametrize("app,name", sorted(OFFERED), ids="-".join)
def test_every_transition_is_available_to_its_persona_and_not_to_unit_b(app, name, units, personas):
    make, who = OFFERED[(app, name)]
    obj = make(units, personas)
    _, available = AVAILABLE[app]
    assert name in available(obj, personas[who])
    # A unit that is not concerned never sees the form.
    assert name not in available(obj, personas["clerk_b"])


# -- the checks added for this shape: one refused and one allowed case each -----------


def _refused(check, obj, user, exc):
    with pytest.raises(exc):
        check(obj, user, TODAY)


def test_check_accept_complaint(units, personas):
    c = _complaint(units, C.RECEIVED)
    portal.check_accept(c, personas["supervisor"], TODAY)
    _refused(portal.check_accept, c, personas["clerk_a"], PermissionDenied)
    _refused(
        portal.check_accept, _complaint(units, C.ACCEPTED), personas["supervisor"], ValidationError
    )


def test_check_reject_complaint(units, personas):
    portal.check_reject(_complaint(units, C.RECEIVED), personas["supervisor"], TODAY)
    _refused(
        portal.check_reject, _complaint(units, C.CLOSED), personas["supervisor"], ValidationError
    )
    _refused(
        portal.check_reject, _complaint(units, C.RECEIVED), personas["discipline"], PermissionDenied
    )


def test_check_assign_complaint(units, personas):
    portal.check_assign(_complaint(units, C.REPLIED), personas["supervisor"], TODAY)
    _refused(
        portal.check_assign, _complaint(units, C.RECEIVED), personas["supervisor"], ValidationError
    )


def test_check_reply_complaint(units, personas):
    c = _complaint(units, C.ASSIGNED)
    portal.check_reply(c, personas["leader_a"], TODAY)
    _refused(portal.check_reply, c, personas["clerk_b"], PermissionDenied)
    _refused(portal.check_reply, c, personas["supervisor"], PermissionDenied)


def test_check_close_complaint(units, personas):
    portal.check_close(_complaint(units, C.ACCEPTED), personas["supervisor"], TODAY)
    _refused(
        portal.check_close, _complaint(units, C.CLOSED), personas["supervisor"], ValidationError
    )


def test_check_lead_complaint(units, personas):
    c = _complaint(units, C.ACCEPTED)
    portal.check_lead(c, personas["supervisor"], TODAY)
    c.lead = _lead(units)
    _refused(portal.check_lead, c, personas["supervisor"], ValidationError)


def test_check_problem_complaint(units, personas):
    c = _complaint(units, C.ACCEPTED)
    portal.check_problem(c, personas["supervisor"], TODAY)
    _refused(
        portal.check_problem, _complaint(units, C.REJECTED), personas["supervisor"], ValidationError
    )
    _refused(portal.check_problem, c, personas["inspector"], PermissionDenied)


def test_check_publish_complaint(units, personas):
    c = _complaint(units, C.CLOSED)
    portal.check_publish(c, personas["supervisor"], TODAY)
    PublishedCase.objects.create(
        complaint=c, unit=units["a"], title="案例", text="案例", category="other"
    )
    _refused(portal.check_publish, c, personas["supervisor"], ValidationError)


def test_check_supplement_and_withdraw_by_the_complainant(units):
    for check in (portal.check_supplement, portal.check_withdraw):
        check(_complaint(units, C.ASSIGNED), None, TODAY)
        _refused(check, _complaint(units, C.CLOSED), None, ValidationError)


def test_check_withdraw_case(units, personas):
    c = _complaint(units, C.CLOSED)
    case = PublishedCase.objects.create(
        complaint=c, unit=units["a"], title="案例", text="案例", category="other"
    )
    portal.check_withdraw_case(case, personas["supervisor"], TODAY)
    _refused(portal.check_withdraw_case, case, personas["clerk_a"], PermissionDenied)
    case.withdrawn_at = timezone.now()
    _refused(portal.check_withdraw_case, case, personas["supervisor"], ValidationError)


def test_check_confirm_and_dismiss_alert(units, personas):
    for check in (monitoring.check_confirm, monitoring.check_dismiss):
        check(_alert(units), personas["supervisor"], TODAY)
        _refused(check, _alert(units), personas["discipline"], PermissionDenied)
        _refused(
            check, _alert(units, Alert.State.DISMISSED), personas["supervisor"], ValidationError
        )


def test_check_transfer_alert(units, personas):
    monitoring.check_transfer(_alert(units, Alert.State.CONFIRMED), personas["discipline"], TODAY)
    _refused(monitoring.check_transfer, _alert(units), personas["clerk_a"], PermissionDenied)
    _refused(
        monitoring.check_transfer,
        _alert(units, Alert.State.DISMISSED),
        personas["supervisor"],
        ValidationError,
    )


def test_check_receive_and_close_lead(units, personas):
    ledger.check_receive_lead(_lead(units), personas["discipline"], TODAY)
    _refused(ledger.check_receive_lead, _lead(units), personas["supervisor"], PermissionDenied)
    ledger.check_close_lead(_lead(units, Lead.State.RECEIVED), personas["discipline"], TODAY)
    _refused(ledger.check_close_lead, _lead(units), personas["discipline"], ValidationError)


def test_check_resume_batch(units, personas):
    batch = _batch(units, personas)
    intake.check_resume(batch, personas["clerk_a"], TODAY)
    intake.check_resume(batch, personas["supervisor"], TODAY)
    _refused(intake.check_resume, batch, personas["clerk_b"], PermissionDenied)
    _refused(intake.check_resume, batch, personas["discipline"], PermissionDenied)
    done = _batch(units, personas, state=ImportBatch.State.DONE)
    _refused(intake.check_resume, done, personas["clerk_a"], ValidationError)
    no_file = _batch(units, personas, with_file=False)
    _refused(intake.check_resume, no_file, personas["clerk_a"], ValidationError)


# -- one way for views to call them ------------------------------------------------------


def test_views_declare_their_transitions_in_one_way():
    """No table of lambdas: every route's transition is a declared `Transition`, and its
    action is the named function of the app's actions module."""
    tables = {
        ledger: ledger_views.TRANSITIONS,
        portal: portal_manage.TRANSITIONS,
        monitoring: monitoring_views.TRANSITIONS,
    }
    for module, table in tables.items():
        for name, step in table.items():
            assert isinstance(step, Transition), name
            assert step.action.__name__ != "<lambda>", name
            assert getattr(module, step.action.__name__) is step.action, name
    assert set(ledger_views.TRANSITIONS) == set(ledger.PROBLEM_CHECKS)
    assert set(portal_manage.TRANSITIONS) == set(portal.COMPLAINT_CHECKS)
    assert set(monitoring_views.TRANSITIONS) == set(monitoring.ALERT_CHECKS)


def test_shared_predicates_in_orgs_access(personas):
    from django.contrib.auth.models import AnonymousUser

    from jiandu.orgs import access

    who = {
        name: (
            access.is_supervisor(user),
            access.is_discipline(user),
            access.is_supervisor_or_discipline(user),
        )
        for name, user in {**personas, "anonymous": AnonymousUser()}.items()
    }
    assert who["supervisor"] == (True, False, True)
    assert who["discipline"] == (False, True, True)
    for name in ("clerk_a", "leader_b", "inspector", "anonymous"):
        assert who[name] == (False, False, False), name
    # The ledger and the portal ask the same question through it.
    assert ledger.is_supervisor is access.is_supervisor
    assert ledger.can_read_leads is access.is_supervisor_or_discipline


# -- the campaign apps: self-check, supervision, acceptance -----------------------------


def _campaign(units, personas):
    from jiandu.campaigns.default_template import create_campaign_from_plan

    return create_campaign_from_plan(
        lead_unit=units["justice"], start=TODAY - timedelta(days=5), actor=personas["supervisor"]
    )


def _report(units, personas, state=None):
    from jiandu.selfcheck.actions import open_report
    from jiandu.selfcheck.models import SelfCheckReport

    report = open_report(_campaign(units, personas), units["a"], actor=personas["clerk_a"])
    if state:
        SelfCheckReport.objects.filter(pk=report.pk).update(state=state)
        report.refresh_from_db()
    return report


def _visit(units, personas, state=None):
    from jiandu.supervision.models import SupervisionVisit

    visit = SupervisionVisit.objects.create(
        campaign=_campaign(units, personas),
        unit=units["a"],
        visit_date=TODAY,
        created_by=personas["supervisor"],
        state=state or SupervisionVisit.State.PLANNED,
    )
    visit.team.set([personas["inspector"]])
    return visit


def _review(units, personas, grade="fail"):
    from jiandu.supervision.models import CaseFileReview

    return CaseFileReview.objects.create(
        visit=_visit(units, personas),
        case_no="甲罚〔2026〕1号",
        reviewer=personas["supervisor"],
        total=50,
        grade=grade,
    )


def _acceptance(units, personas):
    from jiandu.acceptance.actions import acceptance_of

    return acceptance_of(_campaign(units, personas), units["a"])


def _showcase(units, personas, state="draft"):
    from jiandu.acceptance.models import Showcase

    return Showcase.objects.create(
        campaign=_campaign(units, personas),
        title="案例",
        summary="简介",
        unit=units["a"],
        state=state,
        created_by=personas["clerk_a"],
    )


# (app, transition) -> (make the object, persona who may take it now)
CAMPAIGN_OFFERED = {
    ("selfcheck", "save"): (_report, "clerk_a"),
    ("selfcheck", "signoff"): (_report, "clerk_a"),
    ("selfcheck", "submit"): (_report, "leader_a"),
    ("selfcheck", "return"): (lambda u, p: _report(u, p, "submitted"), "supervisor"),
    ("selfcheck", "accept"): (lambda u, p: _report(u, p, "submitted"), "supervisor"),
    ("visit", "finding"): (_visit, "inspector"),
    ("visit", "review"): (_visit, "inspector"),
    ("visit", "complete"): (_visit, "supervisor"),
    ("review", "problem"): (_review, "inspector"),
    ("acceptance", "pass"): (_acceptance, "supervisor"),
    ("acceptance", "fail"): (_acceptance, "supervisor"),
    ("showcase", "edit"): (_showcase, "clerk_a"),
    ("showcase", "select"): (_showcase, "supervisor"),
    ("showcase", "publish"): (lambda u, p: _showcase(u, p, "selected"), "supervisor"),
}


def _campaign_available():
    from jiandu.acceptance import actions as acceptance
    from jiandu.selfcheck import actions as selfcheck
    from jiandu.supervision import actions as supervision

    return {
        "selfcheck": (selfcheck.REPORT_CHECKS, selfcheck.available_actions),
        "visit": (supervision.VISIT_CHECKS, supervision.available_actions),
        "review": (supervision.REVIEW_CHECKS, supervision.available_review_actions),
        "acceptance": (acceptance.ACCEPTANCE_CHECKS, acceptance.available_actions),
        "showcase": (acceptance.SHOWCASE_CHECKS, acceptance.available_showcase_actions),
    }


def test_every_transition_of_the_campaign_apps_is_listed_here():
    available = _campaign_available()
    declared = {(app, name) for app, (checks, _) in available.items() for name in checks}
    assert declared == set(CAMPAIGN_OFFERED)
    for checks, _ in available.values():
        for name, check in checks.items():
            assert check.__name__.startswith("check_"), name
            assert list(inspect.signature(check).parameters)[1:3] == ["actor", "today"], name


@pytest.mark.parametrize("app,name", sorted(CAMPAIGN_OFFERED), ids="-".join)
def test_every_campaign_transition_is_available_to_its_persona_and_not_to_unit_b(
    app, name, units, personas
):
    make, who = CAMPAIGN_OFFERED[(app, name)]
    obj = make(units, personas)
    _, available = _campaign_available()[app]
    assert name in available(obj, personas[who])
    assert name not in available(obj, personas["clerk_b"])


def test_self_check_checks_refuse_the_wrong_person_and_state(units, personas):
    from jiandu.selfcheck import actions as selfcheck

    draft = _report(units, personas)
    assert selfcheck.available_actions(draft, personas["clerk_a"]) == {"save", "signoff"}
    assert selfcheck.available_actions(draft, personas["leader_a"]) == {
        "save",
        "signoff",
        "submit",
    }
    assert selfcheck.available_actions(draft, personas["supervisor"]) == set()
    _refused(selfcheck.check_submit, draft, personas["clerk_a"], PermissionDenied)
    _refused(selfcheck.check_accept, draft, personas["supervisor"], ValidationError)
    accepted = _report(units, personas, "accepted")
    for name in ("save", "signoff", "submit"):
        _refused(selfcheck.REPORT_CHECKS[name], accepted, personas["leader_a"], ValidationError)
    _refused(selfcheck.check_return, accepted, personas["supervisor"], ValidationError)


def test_supervision_checks_refuse_the_wrong_person_and_state(units, personas):
    from jiandu.supervision import actions as supervision
    from jiandu.supervision.models import SupervisionVisit

    visit = _visit(units, personas)
    assert supervision.available_actions(visit, personas["supervisor"]) == set(
        supervision.VISIT_CHECKS
    )
    # An inspector outside the team and the unit itself record nothing.
    visit.team.clear()
    assert supervision.available_actions(visit, personas["inspector"]) == set()
    assert supervision.available_actions(visit, personas["leader_a"]) == set()
    done = _visit(units, personas, SupervisionVisit.State.DONE)
    for check in supervision.VISIT_CHECKS.values():
        _refused(check, done, personas["supervisor"], ValidationError)
    passed = _review(units, personas, grade="pass")
    _refused(supervision.check_review_to_problem, passed, personas["supervisor"], ValidationError)
    failed = _review(units, personas)
    _refused(supervision.check_review_to_problem, failed, personas["clerk_a"], PermissionDenied)
    problem = _problem(units)
    failed.problem = problem
    _refused(supervision.check_review_to_problem, failed, personas["supervisor"], ValidationError)
