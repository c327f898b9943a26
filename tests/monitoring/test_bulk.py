"""Bulk actions on the alert list: each ticked alert goes through its own transition
(`jiandu.lib.transitions.run_bulk`); the ones that cannot are named, the rest still happen."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jiandu.audit.log import log
from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Problem
from jiandu.lib.transitions import Transition, run_bulk
from jiandu.monitoring import actions
from jiandu.monitoring import views as monitoring_views
from jiandu.monitoring.forms import ReasonForm
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import Notification, Role
from tests.monitoring import factories as f
from tests.orgs.factories import make_user

pytestmark = pytest.mark.django_db
S = Alert.State
BULK = reverse("monitoring:bulk")


def _audit(action, alerts):
    return AuditEvent.objects.filter(action=action, object_id__in=[str(a.pk) for a in alerts])


# -- the shared helper ------------------------------------------------------------------


def test_run_bulk_does_each_row_and_names_the_refused(units, personas):
    new = [f.alert(units["a"]), f.alert(units["b"])]
    handled = f.alert(units["a"], state=S.DISMISSED)
    step = monitoring_views.TRANSITIONS["dismiss"]
    result = run_bulk(
        step, [new[0], handled, new[1]], {"reason": "重复预警"}, personas["supervisor"]
    )
    assert result.done == [new[0], new[1]]
    assert [obj for obj, _ in result.refused] == [handled]
    assert "已排除" in result.refused[0][1] and "不能再处理" in result.refused[0][1]
    assert f"{handled}：" in result.refused_text()
    for a in new:
        a.refresh_from_db()
        assert a.state == S.DISMISSED and a.dismissed_reason == "重复预警"
    # One audit row per alert moved on, none for the refused one.
    assert _audit("monitoring.alert.dismissed", new).count() == 2
    assert not _audit("monitoring.alert.dismissed", [handled]).exists()


def test_run_bulk_leaves_nothing_half_written_for_a_refused_row(units, personas):
    """A row refused after it wrote something is rolled back to its own savepoint."""

    def writes_then_refuses(alert, *, actor, request=None, reason):
        alert.dismissed_reason = reason
        alert.save(update_fields=["dismissed_reason"])
        log("monitoring.alert.dismissed", actor=actor, obj=alert)
        if alert.severity == "grave":
            raise ValidationError("严重预警不能排除。")

    step = Transition(ReasonForm, writes_then_refuses, "", fields=("reason",))
    ok, grave = f.alert(units["a"]), f.alert(units["a"], severity="grave")
    result = run_bulk(step, [ok, grave], {"reason": "试"}, personas["supervisor"])
    assert result.done == [ok] and result.refused == [(grave, "严重预警不能排除。")]
    grave.refresh_from_db()
    ok.refresh_from_db()
    assert grave.dismissed_reason == "" and ok.dismissed_reason == "试"
    assert not _audit("monitoring.alert.dismissed", [grave]).exists()


def test_run_bulk_refuses_every_row_for_a_person_who_may_not(units, personas):
    rows = [f.alert(units["a"]), f.alert(units["a"])]
    step = monitoring_views.TRANSITIONS["dismiss"]
    result = run_bulk(step, rows, {"reason": "x"}, personas["clerk_a"])
    assert result.done == [] and len(result.refused) == 2
    assert all("只有监督管理员" in reason for _, reason in result.refused)
    assert Alert.objects.filter(state=S.NEW).count() == 2


# -- assign: the new transition -----------------------------------------------------------


def test_assign_alert_records_notifies_after_commit_and_refuses_handled(
    units, personas, django_capture_on_commit_callbacks
):
    sup = personas["supervisor"]
    other = make_user("王监督", units["justice"], Role.SUPERVISOR)
    a = f.alert(units["a"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.assign_alert(a, actor=sup, assignee=other)
        assert not Notification.objects.filter(user=other).exists()  # not before commit
    # notify() defers its rows to the commit.
    assert len(callbacks) == 1
    a.refresh_from_db()
    assert a.assignee == other and a.state == S.NEW
    note = Notification.objects.get(user=other)
    assert "预警分配给您处理" in note.title and note.url == a.get_absolute_url()
    event = _audit("monitoring.alert.assigned", [a]).get()
    assert event.data == {"assignee": "王监督", "previous_assignee": ""}
    # Assigning to oneself writes no notification to oneself.
    with django_capture_on_commit_callbacks(execute=True):
        actions.assign_alert(a, actor=sup, assignee=sup)
    assert not Notification.objects.filter(user=sup).exists()
    with pytest.raises(ValidationError, match="已分配给"):
        actions.assign_alert(a, actor=sup, assignee=sup)
    with pytest.raises(ValidationError, match="只能分配给监督管理员"):
        actions.assign_alert(a, actor=sup, assignee=personas["clerk_a"])
    with pytest.raises(ValidationError, match="不能再处理"):
        actions.assign_alert(f.alert(units["a"], state=S.CONFIRMED), actor=sup, assignee=other)


def test_check_assign(units, personas):
    a = f.alert(units["a"])
    actions.check_assign(a, personas["supervisor"])
    assert "assign" in actions.available_actions(a, personas["supervisor"])
    assert "assign" not in actions.available_actions(a, personas["discipline"])
    assert "assign" not in actions.available_actions(a, personas["clerk_a"])


# -- the list's bulk bar ------------------------------------------------------------------


def test_bulk_dismiss_with_one_reason_names_the_refused(units, personas, client_for):
    c = client_for(personas["supervisor"])
    rows = [f.alert(units["a"]), f.alert(units["b"])]
    handled = f.alert(units["a"], state=S.CONFIRMED)
    r = c.post(
        BULK,
        {
            "ids": [a.pk for a in [*rows, handled]],
            "action": "dismiss",
            "reason": "数据录入错误",
            "back": "state=new&sort=-severity",
        },
        follow=True,
    )
    assert r.redirect_chain[-1][0] == reverse("monitoring:alerts") + "?state=new&sort=-severity"
    page = r.content.decode()
    assert "已排除 2 条预警。" in page
    assert f"以下 1 条未能排除：{handled.rule} {handled.subject_key}" in page
    assert "已确认" in page  # the refused row's reason names its state
    assert Alert.objects.filter(state=S.DISMISSED, dismissed_reason="数据录入错误").count() == 2
    assert _audit("monitoring.alert.dismissed", rows).count() == 2


def test_bulk_dismiss_needs_a_reason_and_a_tick(units, personas, client_for):
    c = client_for(personas["supervisor"])
    a = f.alert(units["a"])
    page = c.post(BULK, {"ids": [a.pk], "action": "dismiss"}, follow=True).content.decode()
    assert "请填写排除理由。" in page
    page = c.post(BULK, {"action": "dismiss", "reason": "x"}, follow=True).content.decode()
    assert "请先勾选预警。" in page
    a.refresh_from_db()
    assert a.state == S.NEW


def test_bulk_confirm_makes_one_problem_each(units, personas, client_for):
    c = client_for(personas["supervisor"])
    rows = [f.alert(units["a"]), f.alert(units["b"], severity="grave")]
    no_unit = f.alert(None)
    page = c.post(
        BULK, {"ids": [a.pk for a in [*rows, no_unit]], "action": "confirm"}, follow=True
    ).content.decode()
    assert "已确认 2 条预警" in page and "以下 1 条未能确认" in page and "不针对具体单位" in page
    for a in rows:
        a.refresh_from_db()
        assert a.state == S.CONFIRMED and a.problem.source == Problem.Source.ALERT
        assert a.problem.unit == a.unit
    assert _audit("monitoring.alert.confirmed", rows).count() == 2
    no_unit.refresh_from_db()
    assert no_unit.state == S.NEW and Problem.objects.count() == 2


def test_bulk_assign_and_the_assignee_sees_assigned_to_me(
    units, personas, client_for, django_capture_on_commit_callbacks
):
    sup = personas["supervisor"]
    other = make_user("王监督", units["justice"], Role.SUPERVISOR)
    rows = [f.alert(units["a"]), f.alert(units["b"])]
    rest = f.alert(units["a"])
    c = client_for(sup)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(BULK, {"ids": [a.pk for a in rows], "action": "assign", "assignee": other.pk})
    page = c.get(r.url).content.decode()
    assert "已将 2 条预警分配给王监督。" in page
    assert Notification.objects.filter(user=other).count() == 2
    assert _audit("monitoring.alert.assigned", rows).count() == 2
    mine = client_for(other).get(reverse("monitoring:alerts"), {"assignee": "me"})
    text = mine.content.decode()
    assert "共 2 条" in text and "分配给我" in text
    assert rows[0].subject_key in text and rest.subject_key not in text
    # The one who assigned sees the assignee's name on the list.
    assert "王监督" in client_for(sup).get(reverse("monitoring:alerts")).content.decode()
    page = client_for(sup).post(BULK, {"ids": [rows[0].pk], "action": "assign"}, follow=True)
    assert "请选择承办人。" in page.content.decode()


def test_a_unit_clerk_cannot_bulk_act_nor_reach_other_units(units, personas, client_for):
    own, other = f.alert(units["a"]), f.alert(units["b"])
    clerk = client_for(personas["clerk_a"])
    r = clerk.post(BULK, {"ids": [own.pk], "action": "dismiss", "reason": "x"})
    assert r.status_code == 403
    page = clerk.get(reverse("monitoring:alerts")).content.decode()
    assert "alert-bulk-bar" not in page and "data-bulk-row" not in page
    assert Alert.objects.filter(state=S.NEW).count() == 2
    # Discipline readers see every alert but handle none in bulk either.
    r = client_for(personas["discipline"]).post(
        BULK, {"ids": [own.pk, other.pk], "action": "assign", "assignee": personas["supervisor"].pk}
    )
    assert r.status_code == 403 and not Alert.objects.exclude(assignee=None).exists()
    sup = client_for(personas["supervisor"])
    assert "alert-bulk-bar" in sup.get(reverse("monitoring:alerts")).content.decode()


def test_sort_by_severity_and_the_other_headers(units, personas, client_for):
    c = client_for(personas["supervisor"])
    normal = f.alert(units["a"], severity="normal")
    grave = f.alert(units["a"], severity="grave")
    serious = f.alert(units["a"], severity="serious")

    def order(sort):
        page = c.get(reverse("monitoring:alerts"), {"sort": sort}).content.decode()
        return sorted([normal, grave, serious], key=lambda a: page.index(a.subject_key))

    assert order("-severity") == [grave, serious, normal]
    assert order("severity") == [normal, serious, grave]
    assert order("-last_seen")[0] == serious  # the default: newest first
    assert order("nonsense") == order("-last_seen")
    page = c.get(reverse("monitoring:alerts")).content.decode()
    assert "sort=-severity" in page  # the header's first click: most severe first
    page = c.get(reverse("monitoring:alerts"), {"sort": "-severity"}).content.decode()
    assert "严重程度 ↓" in page and "sort=severity" in page
    for key in monitoring_views.SORTS.allowed:
        for sort in (key, f"-{key}"):
            assert c.get(reverse("monitoring:alerts"), {"sort": sort}).status_code == 200


def test_assign_one_alert_from_its_page(units, personas, client_for):
    a = f.alert(units["a"])
    sup = client_for(personas["supervisor"])
    url = reverse("monitoring:alert", args=[a.pk])
    assert 'id="form-assign"' in sup.get(url).content.decode()
    r = sup.post(reverse("monitoring:assign", args=[a.pk]), {"assignee": personas["supervisor"].pk})
    assert r.status_code == 302
    page = sup.get(url).content.decode()
    assert "已分配承办人。" in page
    assert 'id="alert-assignee">supervisor<' in page
    clerk = client_for(personas["clerk_a"])
    assert 'id="form-assign"' not in clerk.get(url).content.decode()
    r = clerk.post(
        reverse("monitoring:assign", args=[a.pk]), {"assignee": personas["supervisor"].pk}
    )
    assert r.status_code == 403
