"""Every transition, allowed and refused, for each persona; and the state and input rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.ledger import actions
from jiandu.ledger.models import Escalation, Lead, Problem, ProgressNote
from jiandu.orgs.models import Notification
from tests.ledger.factories import PERSONAS, persona

S = Problem.State
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(monkeypatch):
    """TODAY as the pages see it when the test runs, not when it was collected: a run
    that crosses midnight compared two different days."""
    monkeypatch.setitem(globals(), "TODAY", timezone.localdate())


def _start(p, actor):
    return actions.start_rectification(
        p,
        actor=actor,
        measures="制定执法记录仪使用规范",
        responsible_person="李四",
        deadline=TODAY + timedelta(days=20),
    )


def _update(p, actor):
    return actions.update_rectification(
        p,
        actor=actor,
        measures="新的措施",
        responsible_person="王五",
    )


# transition -> (state to start from, overdue?, call, state afterwards, audit code, who may)
TRANSITIONS = {
    "start": (S.PENDING, False, _start, S.IN_PROGRESS, "started", {"clerk_a", "leader_a"}),
    "update": (
        S.IN_PROGRESS,
        False,
        _update,
        S.IN_PROGRESS,
        "updated",
        {"clerk_a", "leader_a", "supervisor"},
    ),
    "progress": (
        S.IN_PROGRESS,
        False,
        lambda p, a: actions.add_progress(p, actor=a, text="已完成培训"),
        S.IN_PROGRESS,
        "progress",
        {"clerk_a", "leader_a", "supervisor"},
    ),
    "submit": (
        S.IN_PROGRESS,
        False,
        lambda p, a: actions.submit_for_acceptance(p, actor=a, note="整改完成"),
        S.AWAITING_ACCEPTANCE,
        "submitted",
        {"clerk_a", "leader_a"},
    ),
    "accept": (
        S.AWAITING_ACCEPTANCE,
        False,
        lambda p, a: actions.accept_problem(p, actor=a, note="整改到位"),
        S.CLOSED,
        "accepted",
        {"supervisor"},
    ),
    "return": (
        S.AWAITING_ACCEPTANCE,
        False,
        lambda p, a: actions.return_problem(p, actor=a, reason="佐证材料不足"),
        S.IN_PROGRESS,
        "returned",
        {"supervisor"},
    ),
    "escalate": (
        S.IN_PROGRESS,
        True,
        lambda p, a: actions.escalate(p, actor=a, note="限三日内整改到位"),
        S.IN_PROGRESS,
        "escalated",
        {"supervisor", "discipline"},
    ),
}
CASES = [(t, who) for t in TRANSITIONS for who in PERSONAS]


def _setup(make_problem, name):
    state, overdue, *_ = TRANSITIONS[name]
    extra = {"deadline": TODAY - timedelta(days=3)} if overdue else {}
    return make_problem(state=state, **extra)


def _audit_count(problem, code):
    return AuditEvent.objects.filter(
        action=f"ledger.problem.{code}", object_type="ledger.problem", object_id=str(problem.pk)
    ).count()


@pytest.mark.parametrize(("name", "who"), CASES)
def test_transition_permission_by_persona(name, who, personas, make_problem):
    _state, _overdue, call, after, code, allowed = TRANSITIONS[name]
    problem = _setup(make_problem, name)
    before = problem.state
    actor = persona(personas, who)
    if who in allowed:
        call(problem, actor)
        problem.refresh_from_db()
        assert problem.state == after
        assert _audit_count(problem, code) == 1
    else:
        with pytest.raises(PermissionDenied):
            call(problem, actor)
        problem.refresh_from_db()
        assert problem.state == before
        assert _audit_count(problem, code) == 0


@pytest.mark.parametrize(("name", "who"), CASES)
def test_transition_over_http_by_persona(name, who, personas, make_problem, client_for):
    """Allowed: redirect to the problem. Other unit: 404. Read-only role: 403."""
    _state, _overdue, _call, after, _code, allowed = TRANSITIONS[name]
    problem = _setup(make_problem, name)
    data = {
        "start-measures": "措施",
        "start-responsible_person": "李四",
        "start-deadline": (TODAY + timedelta(days=10)).isoformat(),
        "update-measures": "措施二",
        "update-responsible_person": "王五",
        "progress-text": "进展",
        "submit-note": "完成",
        "accept-note": "",
        "return-reason": "不到位",
        "escalate-note": "请加快",
    }
    response = client_for(persona(personas, who)).post(f"/ledger/{problem.pk}/{name}/", data)
    problem.refresh_from_db()
    if who == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif who in allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == f"/ledger/{problem.pk}/"
        assert problem.state == after
    elif who == "clerk_b":
        assert response.status_code == 404
    else:
        assert response.status_code == 403


def test_start_requires_measures_responsible_and_deadline(personas, make_problem):
    problem = make_problem()
    with pytest.raises(ValidationError) as exc:
        actions.start_rectification(
            problem, actor=personas["clerk_a"], measures=" ", responsible_person="", deadline=None
        )
    assert set(exc.value.message_dict) == {"measures", "responsible_person", "deadline"}
    problem.refresh_from_db()
    assert problem.state == S.PENDING


def test_start_refuses_a_deadline_in_the_past(personas, make_problem):
    problem = make_problem()
    with pytest.raises(ValidationError) as exc:
        actions.start_rectification(
            problem,
            actor=personas["clerk_a"],
            measures="措施",
            responsible_person="李四",
            deadline=TODAY - timedelta(days=1),
        )
    assert "不能早于今天" in exc.value.message_dict["deadline"][0]


@pytest.mark.parametrize(
    ("name", "wrong_state"),
    [
        ("start", S.IN_PROGRESS),
        ("submit", S.PENDING),
        ("submit", S.AWAITING_ACCEPTANCE),
        ("accept", S.IN_PROGRESS),
        ("return", S.CLOSED),
        ("progress", S.PENDING),
        ("progress", S.CLOSED),
        ("update", S.CLOSED),
    ],
)
def test_transition_refused_in_wrong_state(name, wrong_state, personas, make_problem):
    _s, _o, call, _a, code, allowed = TRANSITIONS[name]
    actor = personas[sorted(allowed)[0]]
    problem = make_problem(state=wrong_state)
    with pytest.raises(ValidationError):
        call(problem, actor)
    problem.refresh_from_db()
    assert problem.state == wrong_state
    assert _audit_count(problem, code) == 0


def test_escalation_needs_an_overdue_problem(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY)
    with pytest.raises(ValidationError, match="逾期"):
        actions.escalate(problem, actor=personas["supervisor"], note="请加快")
    closed = make_problem(state=S.CLOSED, deadline=TODAY - timedelta(days=5))
    with pytest.raises(ValidationError):
        actions.escalate(closed, actor=personas["supervisor"], note="请加快")
    assert not Escalation.objects.exists()


def test_escalation_needs_a_note(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=1))
    with pytest.raises(ValidationError):
        actions.escalate(problem, actor=personas["supervisor"], note="  ")
    assert not Escalation.objects.exists()


def test_escalation_notifies_unit_users_prominently(
    personas, make_problem, django_capture_on_commit_callbacks
):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=4))
    with django_capture_on_commit_callbacks(execute=True):
        actions.escalate(problem, actor=personas["discipline"], note="限期整改")
    notes = Notification.objects.filter(important=True)
    assert {n.user.username for n in notes} == {"clerk_a", "leader_a"}
    # The title holds no day count that would be stale by the time it is read.
    assert all(
        n.title == f"督办：问题 #{problem.pk} 逾期未整改" and n.url == f"/ledger/{problem.pk}/"
        for n in notes
    )


def test_escalation_can_hand_the_problem_to_the_discipline_commission(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=4))
    actions.escalate(problem, actor=personas["supervisor"], note="屡催不改", to_discipline=True)
    lead = Lead.objects.get()
    assert lead.problem == problem and lead.unit == problem.unit
    assert "屡催不改" in lead.description


def test_return_requires_a_reason_and_keeps_it(personas, make_problem):
    problem = make_problem(state=S.AWAITING_ACCEPTANCE)
    with pytest.raises(ValidationError):
        actions.return_problem(problem, actor=personas["supervisor"], reason="")
    problem.refresh_from_db()
    assert problem.state == S.AWAITING_ACCEPTANCE
    actions.return_problem(problem, actor=personas["supervisor"], reason="台账照片缺失")
    problem.refresh_from_db()
    assert problem.returned_reason == "台账照片缺失"
    event = AuditEvent.objects.get(action="ledger.problem.returned")
    assert event.data["reason"] == "台账照片缺失"


def test_accept_sets_closing_time_and_closer(personas, make_problem):
    problem = make_problem(state=S.AWAITING_ACCEPTANCE)
    actions.accept_problem(problem, actor=personas["supervisor"], note="同意销号")
    problem.refresh_from_db()
    assert problem.closed_at is not None
    assert problem.closed_by == personas["supervisor"]
    assert problem.acceptance_note == "同意销号"


def test_submit_without_any_progress_needs_a_note(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS)
    with pytest.raises(ValidationError) as exc:
        actions.submit_for_acceptance(problem, actor=personas["clerk_a"], note="")
    assert "note" in exc.value.message_dict
    actions.add_progress(problem, actor=personas["clerk_a"], text="已整改")
    actions.submit_for_acceptance(problem, actor=personas["clerk_a"], note="")
    problem.refresh_from_db()
    assert problem.state == S.AWAITING_ACCEPTANCE and problem.submitted_at


def test_update_records_what_changed(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS)
    old = problem.deadline
    _update(problem, personas["supervisor"])
    event = AuditEvent.objects.get(action="ledger.problem.updated")
    assert event.data["responsible_person"] == ["张三", "王五"]
    assert "deadline" not in event.data
    problem.refresh_from_db()
    assert problem.deadline == old


@pytest.mark.parametrize("who", ["clerk_a", "supervisor"])
def test_update_does_not_move_the_deadline(who, personas, make_problem):
    """The deadline moves only by an approved 延期申请 or the supervisor's change_deadline."""
    problem = make_problem(state=S.IN_PROGRESS)
    old = problem.deadline
    with pytest.raises(ValidationError) as exc:
        actions.update_rectification(
            problem,
            actor=personas[who],
            measures="新的措施",
            responsible_person="王五",
            deadline=old + timedelta(days=30),
        )
    assert "延期申请" in exc.value.message_dict["deadline"][0]
    problem.refresh_from_db()
    assert problem.deadline == old and problem.measures != "新的措施"


def test_start_records_who_and_by_when(personas, make_problem):
    problem = make_problem()
    _start(problem, personas["clerk_a"])
    event = AuditEvent.objects.get(action="ledger.problem.started")
    assert event.data == {
        "responsible_person": "李四",
        "deadline": (TODAY + timedelta(days=20)).isoformat(),
    }


def test_update_of_a_pending_problem_records_each_field_from_empty(personas, make_problem):
    problem = make_problem()
    actions.update_rectification(
        problem,
        actor=personas["supervisor"],
        measures=" 先行制定方案 ",
        responsible_person="李四",
    )
    problem.refresh_from_db()
    assert problem.state == S.PENDING and problem.measures == "先行制定方案"
    event = AuditEvent.objects.get(action="ledger.problem.updated")
    assert event.data == {
        "measures": ["", "先行制定方案"],
        "responsible_person": ["", "李四"],
    }


def test_update_without_a_change_writes_no_audit_row(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS)
    actions.update_rectification(
        problem,
        actor=personas["clerk_a"],
        measures=problem.measures + "  ",
        responsible_person=problem.responsible_person,
        deadline=problem.deadline,
    )
    assert not AuditEvent.objects.filter(action="ledger.problem.updated").exists()


def test_update_keeps_a_past_deadline_that_was_not_changed(personas, make_problem):
    past = TODAY - timedelta(days=2)
    problem = make_problem(state=S.IN_PROGRESS, deadline=past)
    actions.update_rectification(
        problem,
        actor=personas["clerk_a"],
        measures="补充措施",
        responsible_person="张三",
        deadline=past,
    )
    problem.refresh_from_db()
    assert problem.measures == "补充措施"


def test_progress_with_a_bad_attachment_writes_nothing(personas, make_problem):
    from django.core.files.uploadedfile import SimpleUploadedFile

    problem = make_problem(state=S.IN_PROGRESS)
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        actions.add_progress(problem, actor=personas["clerk_a"], text="进展", files=[bad])
    assert "files" in exc.value.message_dict
    assert not ProgressNote.objects.exists()


# -- problems registered by hand ----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "source", "outcome"),
    [
        ("supervisor", Problem.Source.SUPERVISION, "ok"),
        ("supervisor", Problem.Source.COMPLAINT, "ok"),
        ("supervisor", Problem.Source.OTHER, "ok"),
        ("supervisor", Problem.Source.SELF_CHECK, "invalid"),
        ("inspector", Problem.Source.SUPERVISION, "ok"),
        ("inspector", Problem.Source.COMPLAINT, "denied"),
        ("inspector", Problem.Source.OTHER, "denied"),
        ("clerk_a", Problem.Source.SUPERVISION, "denied"),
        ("leader_a", Problem.Source.SUPERVISION, "denied"),
        ("clerk_b", Problem.Source.SUPERVISION, "denied"),
        ("discipline", Problem.Source.SUPERVISION, "denied"),
        ("anonymous", Problem.Source.SUPERVISION, "denied"),
    ],
)
def test_create_problem_by_hand(who, source, outcome, personas, units, area):
    def call():
        return actions.create_problem_by_hand(
            actor=persona(personas, who),
            unit=units["a"],
            focus_area=area,
            description="未落实重大执法决定法制审核",
            source=source,
            severity=Problem.Severity.SERIOUS,
        )

    if outcome == "ok":
        problem = call()
        assert problem.state == S.PENDING and problem.source == source
        assert problem.created_by == personas[who]
        assert AuditEvent.objects.filter(action="ledger.problem.created").count() == 1
    else:
        with pytest.raises(PermissionDenied if outcome == "denied" else ValidationError):
            call()
        assert not Problem.objects.exists()


def test_problem_by_hand_needs_an_enforcement_unit(personas, units, area):
    with pytest.raises(ValidationError) as exc:
        actions.create_problem_by_hand(
            actor=personas["supervisor"],
            unit=units["discipline"],
            focus_area=area,
            description="x",
            source=Problem.Source.OTHER,
        )
    assert "unit" in exc.value.message_dict


# -- leads ---------------------------------------------------------------------------


@pytest.fixture
def lead(units):
    return actions.create_lead(
        unit=units["a"], title="执法人员违规收费", description="群众反映", source="complaint"
    )


@pytest.mark.parametrize("who", PERSONAS)
def test_receive_and_close_lead_by_persona(who, personas, lead):
    actor = persona(personas, who)
    if who == "discipline":
        actions.receive_lead(lead, actor=actor)
        actions.close_lead(lead, actor=actor, result="已立案调查")
        lead.refresh_from_db()
        assert lead.state == Lead.State.CLOSED and lead.closed_by == actor
        assert AuditEvent.objects.filter(action="ledger.lead.closed").count() == 1
    else:
        with pytest.raises(PermissionDenied):
            actions.receive_lead(lead, actor=actor)
        lead.refresh_from_db()
        assert lead.state == Lead.State.NEW


def test_closing_a_lead_needs_a_result_and_a_receipt(personas, lead):
    jw = personas["discipline"]
    with pytest.raises(ValidationError, match="请先接收"):
        actions.close_lead(lead, actor=jw, result="结果")
    actions.receive_lead(lead, actor=jw)
    with pytest.raises(ValidationError):
        actions.close_lead(lead, actor=jw, result=" ")
    lead.refresh_from_db()
    assert lead.state == Lead.State.RECEIVED
