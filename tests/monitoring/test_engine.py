import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Lead, Problem
from jiandu.monitoring import actions
from jiandu.monitoring.engine import run_rules
from jiandu.monitoring.models import Alert, RuleRun, RuleSetting
from tests.monitoring import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2025, 12, 31)


def late_case(u, days=8):
    d = date(2025, 5, 6)
    return f.case(u, decided_on=d, served_on=d + timedelta(days=days))


def test_rerun_adds_no_duplicates_and_records_the_run(units):
    c = late_case(units["a"])
    run = run_rules(["PROC-02"], today=TODAY)
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get(rule="PROC-02")
    assert Alert.objects.count() == 1
    assert alert.subject_key == f"T-A/{c.case_no}" and alert.unit == units["a"]
    assert alert.evidence["days_taken"] == 8 and "第六十一条" in alert.basis
    assert run.status == RuleRun.Status.DONE and run.results["PROC-02"]["hits"] == 1
    assert run.params["PROC-02"] == {"days": 7, "day_type": "calendar"}


def test_fixed_subject_is_resolved_and_comes_back_when_it_hits_again(units):
    c = late_case(units["a"])
    run_rules(["PROC-02"], today=TODAY)
    c.served_on = c.decided_on + timedelta(days=2)
    c.save()
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get(rule="PROC-02")
    assert alert.state == Alert.State.RESOLVED and alert.resolved_at
    c.served_on = c.decided_on + timedelta(days=9)
    c.save()
    run_rules(["PROC-02"], today=TODAY)
    alert.refresh_from_db()
    assert alert.state == Alert.State.NEW


def test_dismissed_stays_dismissed_unless_evidence_changes(units, personas):
    c = late_case(units["a"])
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get()
    actions.dismiss_alert(alert, actor=personas["supervisor"], reason="送达回证另有记载")
    run_rules(["PROC-02"], today=TODAY)
    alert.refresh_from_db()
    assert alert.state == Alert.State.DISMISSED
    c.served_on = c.decided_on + timedelta(days=12)
    c.save()
    run_rules(["PROC-02"], today=TODAY)
    alert.refresh_from_db()
    assert alert.state == Alert.State.NEW and alert.evidence["days_taken"] == 12


def test_dismiss_requires_a_reason_and_a_supervisor(units, personas):
    late_case(units["a"])
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get()
    with pytest.raises(ValidationError):
        actions.dismiss_alert(alert, actor=personas["supervisor"], reason="  ")
    with pytest.raises(PermissionDenied):
        actions.dismiss_alert(alert, actor=personas["leader_a"], reason="不是问题")
    alert.refresh_from_db()
    assert alert.state == Alert.State.NEW


def test_confirm_creates_a_linked_problem_of_source_alert(units, personas):
    late_case(units["a"])
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get()
    problem = actions.confirm_alert(alert, actor=personas["supervisor"], note="请整改")
    alert.refresh_from_db()
    assert alert.state == Alert.State.CONFIRMED and alert.problem == problem
    assert problem.source == Problem.Source.ALERT and problem.unit == units["a"]
    assert (
        problem.source_ref == f"PROC-02:{alert.subject_key}"
        and problem.focus_area.code == "procedure"
    )
    assert problem.alerts.get() == alert and "送达超期" in problem.description
    assert Problem.objects.get(pk=problem.pk).origin == alert
    assert AuditEvent.objects.filter(
        action="monitoring.alert.confirmed", object_id=str(alert.pk)
    ).exists()
    with pytest.raises(ValidationError):
        actions.confirm_alert(alert, actor=personas["supervisor"])


def test_discipline_reader_may_transfer_but_not_confirm(units, personas):
    late_case(units["a"])
    run_rules(["PROC-02"], today=TODAY)
    alert = Alert.objects.get()
    with pytest.raises(PermissionDenied):
        actions.confirm_alert(alert, actor=personas["discipline"])
    lead = actions.transfer_alert_to_discipline(
        alert, actor=personas["discipline"], note="涉嫌失职"
    )
    alert.refresh_from_db()
    assert alert.state == Alert.State.TRANSFERRED and alert.lead == lead
    assert Lead.objects.get().source_ref == alert.source_ref


def test_each_transition_stamps_who_and_when_and_is_audited(units, personas):
    late_case(units["a"])
    late_case(units["b"])
    run_rules(["PROC-02"], today=TODAY)
    first, second = Alert.objects.order_by("unit__code")
    supervisor, discipline = personas["supervisor"], personas["discipline"]
    actions.confirm_alert(first, actor=supervisor)
    actions.transfer_alert_to_discipline(first, actor=discipline, note="涉嫌失职")
    actions.dismiss_alert(second, actor=supervisor, reason="已补正")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Alert.State.TRANSFERRED and first.acted_by == discipline
    assert first.confirmed_at and first.problem and first.lead
    assert first.acted_at >= first.confirmed_at
    assert second.state == Alert.State.DISMISSED and second.acted_by == supervisor
    assert second.dismissed_reason == "已补正" and second.acted_at
    events = AuditEvent.objects.filter(action__startswith="monitoring.alert.")
    assert sorted(events.values_list("action", flat=True)) == [
        "monitoring.alert.confirmed",
        "monitoring.alert.dismissed",
        "monitoring.alert.transferred",
    ]
    assert events.get(action="monitoring.alert.dismissed").data == {"reason": "已补正"}


def test_rule_settings_change_thresholds_from_their_date(units, personas):
    late_case(units["a"], days=9)
    actions.update_rule_setting(
        "PROC-02",
        actor=personas["supervisor"],
        params={"days": 10, "day_type": "calendar"},
        effective_from=date(2025, 12, 1),
        note="省级规定",
    )
    assert run_rules(["PROC-02"], today=TODAY).results["PROC-02"]["hits"] == 0
    assert run_rules(["PROC-02"], today=date(2025, 11, 30)).results["PROC-02"]["hits"] == 1
    assert AuditEvent.objects.filter(action="monitoring.rule.updated").exists()


def test_disabled_rule_is_skipped_when_running_all(units, personas):
    RuleSetting.objects.create(
        rule_id="PROC-02", params={}, enabled=False, effective_from=date(2020, 1, 1)
    )
    late_case(units["a"])
    run = run_rules(today=TODAY)
    assert "PROC-02" not in run.results and len(run.results) == 28
    assert run.status == RuleRun.Status.DONE, run.results


def test_unit_scoped_run_leaves_other_units_alerts_alone(units):
    a_case, b_case = late_case(units["a"]), late_case(units["b"])
    run_rules(["PROC-02"], today=TODAY)
    b_case.served_on = b_case.decided_on
    b_case.save()
    a_case.served_on = a_case.decided_on
    a_case.save()
    run_rules(["PROC-02"], today=TODAY, unit_ids=[units["a"].pk])
    states = dict(Alert.objects.values_list("unit__code", "state"))
    assert states == {"T-A": "resolved", "T-B": "new"}


def test_after_import_hook_runs_the_rules_of_that_kind(units, django_capture_on_commit_callbacks):
    from jiandu.monitoring.hooks import after_import

    late_case(units["a"])
    with django_capture_on_commit_callbacks(execute=True):
        after_import("cases", [units["a"].pk])
    run = RuleRun.objects.get()
    assert run.trigger == "import" and "PROC-02" in run.rule_ids and "INSP-02" not in run.rule_ids
    assert run.status == RuleRun.Status.DONE and run.unit_ids == [units["a"].pk]
    assert Alert.objects.filter(rule="PROC-02", unit=units["a"]).exists()


def test_after_import_of_lenient_lists_reruns_standards_rules_for_every_unit(
    units, django_capture_on_commit_callbacks
):
    from jiandu.monitoring.hooks import after_import

    with django_capture_on_commit_callbacks(execute=True):
        after_import("units", [units["a"].pk])
    assert not RuleRun.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        after_import("lenient", [units["a"].pk])
    run = RuleRun.objects.get()
    assert "DISC-02" in run.rule_ids and "PROC-02" not in run.rule_ids
    assert run.unit_ids is None


def test_cli_check_and_alerts_json(units):
    late_case(units["a"])
    out = StringIO()
    call_command("check_rules", "--rule", "PROC-02", "--json", stdout=out)
    assert json.loads(out.getvalue())["results"]["PROC-02"]["hits"] >= 1
    out = StringIO()
    call_command("alerts", "--rule", "PROC-02", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data) == 1
    row = data[0]
    assert {
        "rule",
        "title",
        "subject_kind",
        "subject_key",
        "unit",
        "severity",
        "state",
        "evidence",
        "basis",
    } <= set(row)
    assert row["rule"] == "PROC-02" and row["unit"] == "T-A" and row["title"] == "送达超期"
    out = StringIO()
    call_command("alerts", "--state", "dismissed", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == []


def test_cli_alerts_xlsx_and_csv(units, tmp_path):
    late_case(units["a"])
    call_command("check_rules", "--rule", "PROC-02", stdout=StringIO())
    path = tmp_path / "a.xlsx"
    call_command("alerts", "--format", "xlsx", "--out", str(path), stderr=StringIO())
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    assert ws.cell(2, 1).value == "规则" and ws.cell(3, 1).value == "PROC-02"
    out = StringIO()
    call_command("alerts", "--format", "csv", stdout=out)
    assert "PROC-02" in out.getvalue()


@pytest.mark.slow
def test_jiandu_check_runs_the_rules_and_leaves_djangos_check_alone(tmp_path, migrated_sqlite):
    """Through the real console script, on a database of its own (the command closes
    its connections when it ends, which a test transaction cannot share). No `jiandu
    init` first: the migrated copy is all either check needs."""
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        JIANDU_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{migrated_sqlite(tmp_path / 'db.sqlite3')}",
    )
    cli = [sys.executable, "-m", "jiandu.cli"]
    rules = subprocess.run(
        [*cli, "check", "--rule", "PROC-02", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    assert '"PROC-02"' in rules.stdout
    system = subprocess.run(
        [*cli, "manage", "check"], env=env, check=True, capture_output=True, text=True
    )
    assert "System check identified no issues" in system.stdout
