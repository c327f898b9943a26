"""A unit cannot move its own deadline: 延期申请 and the supervisor's approval, the
deadline's history, overdue from the approved deadline and not while submitted in time,
and the default deadline every problem gets when it is registered."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.ledger import actions
from jiandu.ledger.deadlines import DEFAULT_WORKDAYS, default_deadline, workdays_table
from jiandu.ledger.models import DeadlineChange, Lead, Problem
from jiandu.orgs.models import Notification
from jiandu.workdays import add_workdays

S = Problem.State
DC = DeadlineChange
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_is_the_day_the_test_runs(monkeypatch):
    """TODAY as the pages see it when the test runs, not when it was collected: a run
    that crosses midnight compared two different days."""
    monkeypatch.setitem(globals(), "TODAY", timezone.localdate())


@pytest.fixture
def in_progress(make_problem):
    return make_problem(state=S.IN_PROGRESS, deadline=TODAY + timedelta(days=10))


def _ask(problem, actor, days=30, reason="需协调上级部门出具意见，无法按期完成"):
    return actions.request_extension(
        problem, actor=actor, new_deadline=TODAY + timedelta(days=days), reason=reason
    )


# -- 延期申请 -------------------------------------------------------------------------


def test_the_deadline_stays_until_the_supervisor_approves(
    personas, in_progress, django_capture_on_commit_callbacks
):
    old = in_progress.deadline
    with django_capture_on_commit_callbacks(execute=True):
        change = _ask(in_progress, personas["clerk_a"])
    in_progress.refresh_from_db()
    assert in_progress.deadline == old  # asked, not granted
    assert change.state == DC.State.PENDING and change.old_deadline == old
    assert Notification.objects.filter(
        user=personas["supervisor"], title__startswith="延期申请待审批"
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_extension(
            in_progress, actor=personas["supervisor"], approve=True, note="同意"
        )
    in_progress.refresh_from_db()
    change.refresh_from_db()
    assert in_progress.deadline == TODAY + timedelta(days=30)
    assert in_progress.original_deadline is None or in_progress.original_deadline == old
    assert change.state == DC.State.APPROVED and change.decided_by == personas["supervisor"]
    assert change.decided_at is not None
    assert AuditEvent.objects.filter(
        action="ledger.deadline.approved", object_id=str(in_progress.pk)
    ).exists()
    assert Notification.objects.filter(
        user=personas["clerk_a"], title__startswith="延期申请已批准"
    ).exists()


def test_refusal_keeps_the_old_date_and_needs_a_reason(personas, in_progress):
    old = in_progress.deadline
    _ask(in_progress, personas["leader_a"])
    with pytest.raises(ValidationError) as exc:
        actions.decide_extension(in_progress, actor=personas["supervisor"], approve=False)
    assert "理由" in exc.value.message_dict["note"][0]
    actions.decide_extension(
        in_progress, actor=personas["supervisor"], approve=False, note="理由不充分"
    )
    in_progress.refresh_from_db()
    assert in_progress.deadline == old
    assert in_progress.deadline_changes.get().state == DC.State.REFUSED
    # After a refusal the unit may ask again (with a better reason).
    _ask(in_progress, personas["clerk_a"], days=20, reason="已取得上级书面意见，需20天完成")


@pytest.mark.parametrize("who", ["clerk_b", "supervisor", "discipline", "inspector"])
def test_only_the_units_writers_may_ask(who, personas, in_progress):
    with pytest.raises(PermissionDenied):
        _ask(in_progress, personas[who])
    assert not in_progress.deadline_changes.exists()


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "discipline", "inspector"])
def test_only_the_supervisor_approves(who, personas, in_progress):
    _ask(in_progress, personas["clerk_a"])
    with pytest.raises(PermissionDenied):
        actions.decide_extension(in_progress, actor=personas[who], approve=True)
    in_progress.refresh_from_db()
    assert in_progress.deadline == TODAY + timedelta(days=10)


def test_a_request_needs_a_reason_and_a_later_date(personas, in_progress):
    with pytest.raises(ValidationError) as exc:
        actions.request_extension(
            in_progress, actor=personas["clerk_a"], new_deadline=TODAY, reason=" "
        )
    assert set(exc.value.message_dict) == {"reason", "new_deadline"}
    assert not in_progress.deadline_changes.exists()


def test_one_pending_request_at_a_time(personas, in_progress):
    _ask(in_progress, personas["clerk_a"])
    with pytest.raises(ValidationError, match="正在等待审批"):
        _ask(in_progress, personas["leader_a"], days=40)
    assert in_progress.deadline_changes.count() == 1


def test_after_escalation_only_the_supervisor_changes_the_date(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=3))
    actions.escalate(problem, actor=personas["supervisor"], note="请一周内整改到位")
    assert "extension" not in actions.available_actions(problem, personas["clerk_a"])
    with pytest.raises(ValidationError, match="只能由监督管理员调整"):
        _ask(problem, personas["clerk_a"])
    with pytest.raises(PermissionDenied):
        actions.change_deadline(
            problem, actor=personas["clerk_a"], new_deadline=TODAY + timedelta(days=5), reason="x"
        )
    actions.change_deadline(
        problem,
        actor=personas["supervisor"],
        new_deadline=TODAY + timedelta(days=7),
        reason="督办要求一周内完成",
    )
    problem.refresh_from_db()
    assert problem.deadline == TODAY + timedelta(days=7) and not problem.is_overdue(TODAY)
    change = problem.deadline_changes.get()
    assert change.kind == DC.Kind.SUPERVISOR and change.decided_by == personas["supervisor"]


def test_after_a_lead_to_discipline_the_unit_cannot_ask(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY + timedelta(days=3))
    actions.create_lead(
        unit=problem.unit,
        title="线索",
        description="反映问题",
        source=Problem.Source.COMPLAINT,
        actor=personas["supervisor"],
        problem=problem,
    )
    with pytest.raises(ValidationError, match="只能由监督管理员调整"):
        _ask(problem, personas["leader_a"])


def test_the_unit_cannot_move_the_date_by_editing_the_rectification(personas, in_progress):
    with pytest.raises(ValidationError):
        actions.update_rectification(
            in_progress,
            actor=personas["clerk_a"],
            measures="措施",
            responsible_person="张三",
            deadline=TODAY + timedelta(days=90),
        )
    in_progress.refresh_from_db()
    assert in_progress.deadline == TODAY + timedelta(days=10)


# -- the first deadline -------------------------------------------------------------


def test_start_keeps_the_problems_deadline_or_an_earlier_promise(personas, make_problem):
    due = TODAY + timedelta(days=20)
    problem = make_problem(deadline=due, original_deadline=due)
    with pytest.raises(ValidationError) as exc:
        actions.start_rectification(
            problem,
            actor=personas["clerk_a"],
            measures="措施",
            responsible_person="张三",
            deadline=due + timedelta(days=1),
        )
    assert "延期申请" in exc.value.message_dict["deadline"][0]
    problem.refresh_from_db()
    assert problem.state == S.PENDING and problem.deadline == due

    actions.start_rectification(
        problem, actor=personas["clerk_a"], measures="措施", responsible_person="张三"
    )
    problem.refresh_from_db()
    assert problem.state == S.IN_PROGRESS and problem.deadline == due

    other = make_problem(deadline=due, original_deadline=due)
    actions.start_rectification(
        other,
        actor=personas["clerk_a"],
        measures="措施",
        responsible_person="张三",
        deadline=due - timedelta(days=5),
    )
    other.refresh_from_db()
    assert other.deadline == due - timedelta(days=5) and other.original_deadline == due
    assert other.deadline_changes.get().kind == DC.Kind.COMMITMENT


def test_history_shows_the_original_deadline_and_every_approved_change(
    personas, make_problem, client_for
):
    due = TODAY + timedelta(days=10)
    problem = make_problem(state=S.IN_PROGRESS, deadline=due, original_deadline=due)
    _ask(problem, personas["clerk_a"], days=30)
    actions.decide_extension(problem, actor=personas["supervisor"], approve=True, note="同意延期")
    _ask(problem, personas["clerk_a"], days=60, reason="再次延期")
    actions.decide_extension(problem, actor=personas["supervisor"], approve=False, note="不同意")
    page = client_for(personas["clerk_a"]).get(f"/ledger/{problem.pk}/").content.decode()
    history = page[page.index('id="deadline-history"') : page.index("整改过程")]
    assert "原定整改时限" in history and f"{due:%Y-%m-%d}" in history
    assert f"{TODAY + timedelta(days=30):%Y-%m-%d}" in history
    assert "已批准" in history and "不予批准" in history and "同意延期" in history
    assert "supervisor" in history  # who decided
    problem.refresh_from_db()
    assert problem.original_deadline == due and problem.deadline == TODAY + timedelta(days=30)


# -- overdue ------------------------------------------------------------------------


def test_overdue_counts_from_the_approved_deadline_only(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY + timedelta(days=2))
    _ask(problem, personas["clerk_a"], days=30)
    later = TODAY + timedelta(days=5)
    # A pending request does not stop the clock...
    assert problem.is_overdue(later)
    assert problem in Problem.objects.overdue(later)
    actions.decide_extension(problem, actor=personas["supervisor"], approve=True)
    problem.refresh_from_db()
    # ...an approved one does.
    assert not problem.is_overdue(later)
    assert problem not in Problem.objects.overdue(later)
    assert problem in Problem.objects.not_overdue(later)


def test_submitted_in_time_is_not_overdue_while_waiting_for_the_supervisor(
    personas, make_problem, client_for
):
    due = TODAY - timedelta(days=5)
    submitted = timezone.now() - timedelta(days=8)
    in_time = make_problem(state=S.AWAITING_ACCEPTANCE, deadline=due, submitted_at=submitted)
    late = make_problem(
        state=S.AWAITING_ACCEPTANCE, deadline=due, submitted_at=timezone.now() - timedelta(days=1)
    )
    assert not in_time.is_overdue(TODAY) and in_time.submitted_in_time
    assert late.is_overdue(TODAY)
    assert set(Problem.objects.overdue(TODAY)) == {late}
    assert set(Problem.objects.not_overdue(TODAY)) == {in_time}
    assert in_time.awaiting_days(TODAY) == 8
    assert "escalate" not in actions.available_actions(in_time, personas["supervisor"], TODAY)

    page = client_for(personas["supervisor"]).get(f"/ledger/{in_time.pk}/").content.decode()
    assert "按期提请，验收期间不计逾期" in page and "已等待监督管理员验收 8 天" in page
    listed = client_for(personas["supervisor"]).get("/ledger/?overdue=1").content.decode()
    assert f"#{late.pk}<" in listed and f"#{in_time.pk}<" not in listed

    # Returned: the unit's clock runs again from its deadline.
    actions.return_problem(in_time, actor=personas["supervisor"], reason="材料不全")
    in_time.refresh_from_db()
    assert in_time.is_overdue(TODAY) and in_time in Problem.objects.overdue(TODAY)


# -- default deadlines and campaigns ------------------------------------------------


def test_every_problem_gets_a_default_deadline_in_working_days(personas, units, area):
    for source, severity in [("supervision", "normal"), ("other", "grave")]:
        problem = actions.create_problem_by_hand(
            actor=personas["supervisor"],
            unit=units["a"],
            focus_area=area,
            description="问题",
            source=source,
            severity=severity,
        )
        expected = add_workdays(TODAY, DEFAULT_WORKDAYS[source][severity])
        assert problem.deadline == expected == problem.original_deadline


def test_the_default_is_a_setting(db, settings, monkeypatch):
    settings.LEDGER_DEADLINE_WORKDAYS = {"alert.grave": 3}
    monkeypatch.setenv("JIANDU_DEADLINE_WORKDAYS", "complaint.normal=7")
    table = workdays_table()
    assert table["alert"]["grave"] == 3 and table["complaint"]["normal"] == 7
    assert default_deadline("alert", "grave", TODAY) == add_workdays(TODAY, 3)
    monkeypatch.setenv("JIANDU_DEADLINE_WORKDAYS", "alert.huge=3")
    with pytest.raises(ImproperlyConfigured):
        workdays_table()


def test_the_supervisor_may_set_another_date_when_registering(personas, units, area):
    chosen = TODAY + timedelta(days=9)
    problem = actions.create_problem_by_hand(
        actor=personas["supervisor"],
        unit=units["a"],
        focus_area=area,
        description="问题",
        source="supervision",
        deadline=chosen,
    )
    assert problem.deadline == chosen == problem.original_deadline


@pytest.fixture
def campaign(personas, units):
    return create_campaign_from_plan(
        lead_unit=units["justice"],
        start=TODAY - timedelta(days=5),
        actor=personas["supervisor"],
    )


def test_a_confirmed_alert_has_a_deadline_and_the_running_campaign(personas, units, campaign):
    from jiandu.monitoring import actions as monitoring
    from jiandu.monitoring.engine import run_rules
    from jiandu.monitoring.models import Alert
    from tests.monitoring import factories as f

    d = TODAY - timedelta(days=60)
    f.case(units["a"], decided_on=d, served_on=d + timedelta(days=8))
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get()
    problem = monitoring.confirm_alert(alert, actor=personas["supervisor"])
    assert problem.campaign == campaign
    assert problem.deadline == add_workdays(TODAY, DEFAULT_WORKDAYS["alert"][problem.severity])


def test_the_supervisor_sets_the_alerts_deadline_when_confirming(
    personas, units, campaign, client_for
):
    from jiandu.monitoring.engine import run_rules
    from jiandu.monitoring.models import Alert
    from tests.monitoring import factories as f

    d = TODAY - timedelta(days=60)
    f.case(units["a"], decided_on=d, served_on=d + timedelta(days=8))
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get()
    chosen = TODAY + timedelta(days=12)
    response = client_for(personas["supervisor"]).post(
        f"/monitoring/alerts/{alert.pk}/confirm/", {"note": "", "deadline": chosen.isoformat()}
    )
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.problem.deadline == chosen and alert.problem.campaign == campaign


def test_a_complaint_problem_has_a_deadline_and_the_running_campaign(
    personas, units, campaign, client_for
):
    from jiandu.portal import actions as portal
    from tests.portal.factories import report_form_data

    public = client_for(None)
    public.post("/public/report/", report_form_data(public))
    from jiandu.portal.models import Complaint

    complaint = Complaint.objects.get()
    portal.accept_complaint(complaint, actor=personas["supervisor"])
    portal.assign_complaint(complaint, unit=units["a"], actor=personas["supervisor"])
    chosen = TODAY + timedelta(days=8)
    problem = portal.complaint_to_problem(
        complaint, actor=personas["supervisor"], severity="serious", deadline=chosen
    )
    assert problem.deadline == chosen and problem.campaign == campaign


def test_a_self_check_date_beyond_the_default_is_cut_to_it(db):
    from jiandu.ledger.deadlines import capped_deadline

    default = add_workdays(TODAY, DEFAULT_WORKDAYS["self_check"]["normal"])
    assert capped_deadline("self_check", "normal", TODAY + timedelta(days=400), TODAY) == default
    soon = TODAY + timedelta(days=3)
    assert capped_deadline("self_check", "normal", soon, TODAY) == soon


# -- pages: the unit asks, the supervisor finds and decides ----------------------------


def test_request_and_approval_over_http(personas, in_progress, client_for, campaign):
    clerk = client_for(personas["clerk_a"])
    wanted = (TODAY + timedelta(days=25)).isoformat()
    response = clerk.post(
        f"/ledger/{in_progress.pk}/extension/",
        {"extension-new_deadline": wanted, "extension-reason": "需等待检测报告"},
    )
    assert response.status_code == 302
    page = clerk.get(f"/ledger/{in_progress.pk}/").content.decode()
    assert "延期申请待审批" in page and "监督管理员批准前，整改时限仍为" in page

    sup = client_for(personas["supervisor"])
    queue = sup.get("/ledger/?extension=pending").content.decode()
    assert f"#{in_progress.pk}<" in queue and "延期待审批" in queue
    cockpit = sup.get("/dashboard/").content.decode()
    assert "/ledger/extensions/" in cockpit

    # The clerk cannot approve its own request (403), the supervisor can.
    assert clerk.post(f"/ledger/{in_progress.pk}/approve_extension/", {}).status_code == 403
    assert sup.post(f"/ledger/{in_progress.pk}/approve_extension/", {}).status_code == 302
    in_progress.refresh_from_db()
    assert in_progress.deadline.isoformat() == wanted
    assert "已批准" in clerk.get(f"/ledger/{in_progress.pk}/").content.decode()
    assert f"#{in_progress.pk}<" not in sup.get("/ledger/?extension=pending").content.decode()


def test_a_refused_request_over_http_keeps_the_date_and_the_form_input(
    personas, in_progress, client_for
):
    _ask(in_progress, personas["clerk_a"])
    sup = client_for(personas["supervisor"])
    bad = sup.post(f"/ledger/{in_progress.pk}/refuse_extension/", {"refuse_extension-note": ""})
    assert bad.status_code == 400 and "不予批准时请填写理由" in bad.content.decode()
    ok = sup.post(
        f"/ledger/{in_progress.pk}/refuse_extension/", {"refuse_extension-note": "理由不充分"}
    )
    assert ok.status_code == 302
    in_progress.refresh_from_db()
    assert in_progress.deadline == TODAY + timedelta(days=10)
    page = client_for(personas["clerk_a"]).get(f"/ledger/{in_progress.pk}/").content.decode()
    assert "不予批准" in page and "理由不充分" in page


def test_a_second_open_lead_for_the_same_problem_is_refused(personas, make_problem):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=3))
    actions.escalate(problem, actor=personas["supervisor"], note="第一次", to_discipline=True)
    with pytest.raises(ValidationError, match="未办结的线索"):
        actions.escalate(problem, actor=personas["supervisor"], note="第二次", to_discipline=True)
    # Without the lead, a new reason is a new 督办.
    actions.escalate(problem, actor=personas["supervisor"], note="第二次")
    assert problem.escalations.count() == 2 and Lead.objects.filter(problem=problem).count() == 1


def test_the_same_escalation_twice_a_day_is_refused(
    personas, make_problem, django_capture_on_commit_callbacks
):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        actions.escalate(problem, actor=personas["supervisor"], note="请加快整改")
    with (
        pytest.raises(ValidationError, match="相同督办意见"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.escalate(problem, actor=personas["discipline"], note=" 请加快整改 ")
    assert problem.escalations.count() == 1
    assert (
        Notification.objects.filter(user=personas["clerk_a"], title__startswith="督办").count() == 1
    )


def test_registering_by_hand_takes_a_deadline_or_the_default(personas, units, area, client_for):
    sup = client_for(personas["supervisor"])
    form = {
        "unit": units["a"].pk,
        "focus_area": area.pk,
        "source": "supervision",
        "severity": "serious",
        "description": "检查发现执法案卷缺少送达回证",
    }
    past = sup.post("/ledger/new/", {**form, "deadline": (TODAY - timedelta(days=1)).isoformat()})
    assert past.status_code == 400 and "整改时限不能早于今天" in past.content.decode()
    assert "检查发现执法案卷缺少送达回证" in past.content.decode()  # the input is kept
    assert not Problem.objects.exists()
    assert sup.post("/ledger/new/", form).status_code == 302
    assert Problem.objects.get().deadline == add_workdays(
        TODAY, DEFAULT_WORKDAYS["supervision"]["serious"]
    )


def test_a_repeated_escalation_over_http_says_why_and_changes_nothing(
    personas, make_problem, client_for
):
    problem = make_problem(state=S.IN_PROGRESS, deadline=TODAY - timedelta(days=3))
    sup = client_for(personas["supervisor"])
    data = {"escalate-note": "请三日内整改到位", "escalate-to_discipline": "on"}
    assert sup.post(f"/ledger/{problem.pk}/escalate/", data).status_code == 302
    again = sup.post(f"/ledger/{problem.pk}/escalate/", data)
    assert again.status_code == 400 and "相同督办意见" in again.content.decode()
    other = sup.post(
        f"/ledger/{problem.pk}/escalate/", {**data, "escalate-note": "再次督办：请负责人说明"}
    )
    assert other.status_code == 400 and "未办结的线索" in other.content.decode()
    assert problem.escalations.count() == 1 and Lead.objects.filter(problem=problem).count() == 1


# -- a lead made from an alert or a complaint locks the problem it became -------------


def _public_complaint(client_for, **fields):
    from jiandu.portal.models import Complaint
    from tests.portal.factories import report_form_data

    public = client_for(None)
    public.post("/public/report/", report_form_data(public, **fields))
    return Complaint.objects.get()


def test_a_confirmed_alert_handed_to_discipline_locks_its_problems_deadline(
    personas, units, campaign
):
    from jiandu.monitoring import actions as monitoring
    from jiandu.monitoring.engine import run_rules
    from jiandu.monitoring.models import Alert
    from tests.monitoring import factories as f

    d = TODAY - timedelta(days=60)
    f.case(units["a"], decided_on=d, served_on=d + timedelta(days=8))
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get()
    problem = monitoring.confirm_alert(alert, actor=personas["supervisor"])
    actions.start_rectification(
        problem, actor=personas["clerk_a"], measures="补送达", responsible_person="张三"
    )
    lead = monitoring.transfer_alert_to_discipline(alert, actor=personas["supervisor"])
    assert lead.problem == problem
    problem.refresh_from_db()
    with pytest.raises(ValidationError, match="只能由监督管理员调整"):
        _ask(problem, personas["clerk_a"])


def test_a_complaint_handed_to_discipline_locks_its_problems_deadline(
    personas, units, campaign, client_for
):
    from jiandu.portal import actions as portal

    complaint = _public_complaint(client_for)
    supervisor = personas["supervisor"]
    portal.accept_complaint(complaint, actor=supervisor)
    portal.assign_complaint(complaint, unit=units["a"], actor=supervisor)
    problem = portal.complaint_to_problem(complaint, actor=supervisor)
    actions.start_rectification(
        problem, actor=personas["clerk_a"], measures="整改", responsible_person="张三"
    )
    lead = portal.hand_to_discipline(complaint, actor=supervisor)
    assert lead.problem == problem
    with pytest.raises(ValidationError, match="只能由监督管理员调整"):
        _ask(problem, personas["clerk_a"])


def test_a_misconduct_complaint_made_a_problem_after_its_lead_locks_the_deadline(
    personas, units, campaign, client_for
):
    """吃拿卡要 goes to 纪委 as a lead when accepted; the problem registered afterwards for
    the unit complained about is that lead's problem: the unit cannot ask for more time."""
    from jiandu.portal import actions as portal

    complaint = _public_complaint(client_for, category="bribe", reported_unit=units["a"].pk)
    supervisor = personas["supervisor"]
    portal.accept_complaint(complaint, actor=supervisor)
    complaint.refresh_from_db()
    assert complaint.lead_id
    problem = portal.complaint_to_problem(complaint, actor=supervisor)
    assert problem.unit == units["a"]
    complaint.lead.refresh_from_db()
    assert complaint.lead.problem == problem
    actions.start_rectification(
        problem, actor=personas["clerk_a"], measures="整改", responsible_person="张三"
    )
    with pytest.raises(ValidationError, match="只能由监督管理员调整") as refused:
        _ask(problem, personas["leader_a"])
    # The unit complained about must not learn from the refusal that 纪委 has a lead.
    assert "纪委" not in str(refused.value)


def test_a_request_still_pending_when_the_problem_is_closed_leaves_the_queue(
    personas, in_progress, client_for, campaign
):
    """The unit asked for more time, then finished early and the supervisor closed the
    problem from the 待验收 queue: nothing is left to decide, so the request leaves the
    supervisor's 延期待审批 queue and a closed problem's deadline cannot move."""
    _ask(in_progress, personas["clerk_a"])
    actions.submit_for_acceptance(in_progress, actor=personas["clerk_a"], note="已整改完毕")
    actions.accept_problem(in_progress, actor=personas["supervisor"])
    change = in_progress.deadline_changes.get()
    assert change.state != DC.State.PENDING and change.decision_note
    assert in_progress.deadline == TODAY + timedelta(days=10)

    sup = client_for(personas["supervisor"])
    assert not Problem.objects.with_pending_extension().exists()
    assert f"#{in_progress.pk}<" not in sup.get("/ledger/?extension=pending").content.decode()
    cockpit = sup.get("/dashboard/").content.decode()
    assert 'id="queue-extensions">延期待审批 <span class="badge text-bg-light">0<' in cockpit
    page = sup.get(f"/ledger/{in_progress.pk}/").content.decode()
    assert "批准延期" not in page and "延期申请待审批" not in page
    response = sup.post(f"/ledger/{in_progress.pk}/approve_extension/", {})
    in_progress.refresh_from_db()
    assert response.status_code == 302 and in_progress.deadline == TODAY + timedelta(days=10)
