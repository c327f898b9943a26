"""Plans (draft → filed → new version), joint visits proposed from plans (with a near
miss outside the window), accept / decline with their personas, the one 检查码 on the
public 亮码 page, and the frequency caps named in the warnings."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.enforcement import watch
from jiandu.enforcement.models import Inspection
from jiandu.orgs.models import Notification, Unit
from jiandu.planning import actions, caps
from jiandu.planning.models import FrequencyCap, JointParticipant, JointVisit, Plan
from tests.enforcement.factories import enterprise, inspection, officer, uscc


@pytest.fixture
def next_year():
    return timezone.localdate().year + 1


@pytest.fixture
def unit_c(units):
    return Unit.objects.create(code="T-C", name="测试县卫生健康局", kind=Unit.Kind.DEPARTMENT)


def _filed_plan(unit, actor, year, rows):
    plan = actions.create_plan(unit=unit, year=year, actor=actor)
    for ent, day, items in rows:
        actions.add_entry(plan, actor=actor, enterprise_uscc=ent.uscc, items=items, planned_on=day)
    return actions.file_plan(plan, actor=actor)


def test_a_plan_is_drafted_filed_read_only_and_revised_by_a_new_version(
    units, personas, next_year, django_capture_on_commit_callbacks
):
    ent = enterprise(1)
    plan = actions.create_plan(unit=units["a"], year=next_year, actor=personas["clerk_a"])
    assert actions.available_plan_actions(plan, personas["clerk_a"]) == {"edit"}  # no entry yet
    with pytest.raises(ValidationError, match="还没有任何检查事项"):
        actions.file_plan(plan, actor=personas["clerk_a"])
    with pytest.raises(ValidationError) as bad:
        actions.add_entry(plan, actor=personas["clerk_a"], enterprise_uscc="123", items="")
    assert {"enterprise_uscc", "items"} <= set(bad.value.message_dict)
    actions.add_entry(
        plan, actor=personas["clerk_a"], enterprise_uscc=ent.uscc, items="消防安全", months=[3, 4]
    )
    actions.add_entry(
        plan, actor=personas["clerk_a"], category="餐饮", items="食品安全", months=[5]
    )
    assert actions.available_plan_actions(plan, personas["clerk_a"]) == {"edit", "file"}
    assert actions.available_plan_actions(plan, personas["clerk_b"]) == set()
    with pytest.raises(PermissionDenied):
        actions.file_plan(plan, actor=personas["clerk_b"])

    with django_capture_on_commit_callbacks(execute=True):
        actions.file_plan(plan, actor=personas["leader_a"])
    plan.refresh_from_db()
    assert plan.state == Plan.State.FILED and plan.filed_on == timezone.localdate()
    assert actions.available_plan_actions(plan, personas["clerk_a"]) == {"revise"}
    with pytest.raises(ValidationError, match="不能再修改"):
        actions.add_entry(plan, actor=personas["clerk_a"], category="x", items="x", months=[1])
    assert Notification.objects.filter(
        user=personas["supervisor"], title__contains="检查计划已报备"
    ).exists()

    v2 = actions.revise_plan(plan, actor=personas["clerk_a"])
    assert v2.version == 2 and v2.state == Plan.State.DRAFT and v2.entries.count() == 2
    assert "revise" not in actions.available_plan_actions(plan, personas["clerk_a"])
    actions.file_plan(v2, actor=personas["clerk_a"])
    plan.refresh_from_db()
    assert plan.state == Plan.State.SUPERSEDED
    assert AuditEvent.objects.filter(action="planning.plan.filed").count() == 2


def test_the_supervisor_sees_all_plans_a_unit_its_own(units, personas, client_for, next_year):
    ent = enterprise(1)
    pa = _filed_plan(
        units["a"], personas["clerk_a"], next_year, [(ent, date(next_year, 3, 2), "消防")]
    )
    pb = _filed_plan(
        units["b"], personas["clerk_b"], next_year, [(ent, date(next_year, 3, 9), "食品")]
    )
    page = client_for(personas["supervisor"]).get(reverse("planning:plans")).content.decode()
    assert pa.title in page and pb.title in page
    page = client_for(personas["clerk_b"]).get(reverse("planning:plans")).content.decode()
    assert pa.title not in page and pb.title in page
    assert (
        client_for(personas["clerk_b"]).get(reverse("planning:plan", args=[pa.pk])).status_code
        == 404
    )
    # Who plans to visit whom: both units on the enterprise, the other's items hidden.
    page = (
        client_for(personas["clerk_b"])
        .get(reverse("planning:enterprise", args=[ent.pk]))
        .content.decode()
    )
    assert (
        units["a"].name in page
        and units["b"].name in page
        and "消防" not in page
        and "食品" in page
    )
    page = (
        client_for(personas["supervisor"])
        .get(reverse("planning:visits") + "?q=测试企业1")
        .content.decode()
    )
    assert "共 2 项" in page
    # The export holds exactly what the list shows; a unit does not get the other's items.
    from openpyxl import load_workbook

    def cells(url):
        content = client_for(personas["clerk_b"]).get(url).content
        return [c.value for r in load_workbook(io.BytesIO(content)).active.iter_rows() for c in r]

    flat = cells(reverse("planning:visits") + "?export=xlsx")
    assert "食品" in flat and "消防" not in flat and units["a"].name in flat
    flat = cells(reverse("planning:plans") + "?export=xlsx")
    assert pb.title in flat and pa.title not in flat


def test_the_plan_page_adds_entries_and_keeps_bad_input(units, personas, client_for, next_year):
    plan = actions.create_plan(unit=units["a"], year=next_year, month=4, actor=personas["clerk_a"])
    client = client_for(personas["clerk_a"])
    bad = client.post(
        reverse("planning:plan", args=[plan.pk]),
        {"enterprise_uscc": "91330000", "items": "消防检查"},
    )
    assert bad.status_code == 400 and "消防检查" in bad.content.decode()
    assert plan.entries.count() == 0
    ent = enterprise(1)
    ok = client.post(
        reverse("planning:plan", args=[plan.pk]), {"enterprise_uscc": ent.uscc, "items": "消防检查"}
    )
    assert ok.status_code == 302
    assert plan.entries.get().month_list == [4]  # a month's plan: that month
    assert (
        client_for(personas["clerk_b"])
        .post(reverse("planning:plan_action", args=[plan.pk, "file"]))
        .status_code
        == 404
    )


def test_joint_candidates_with_a_near_miss_outside_the_window(units, personas, unit_c, next_year):
    near, far = enterprise(1, name="近企业"), enterprise(2, name="远企业")
    d = date(next_year, 5, 10)
    _filed_plan(units["a"], personas["clerk_a"], next_year, [(near, d, "消防"), (far, d, "消防")])
    _filed_plan(
        units["b"], personas["clerk_b"], next_year, [(near, d + timedelta(days=15), "食品")]
    )
    # 16 days apart: one day beyond the 15-day window.
    _filed_plan(units["b"], personas["clerk_b"], next_year, [(far, d + timedelta(days=16), "食品")])
    found = actions.joint_candidates(window=15)
    assert [c["enterprise"].name for c in found] == ["近企业"]
    assert [e.plan.unit_id for e, _ in found[0]["entries"]] == [units["a"].pk, units["b"].pk]
    assert [c["enterprise"].name for c in actions.joint_candidates(window=16)] == [
        "近企业",
        "远企业",
    ]
    # Draft plans are not matched.
    draft = actions.create_plan(unit=unit_c, year=next_year, actor=personas["supervisor"])
    actions.add_entry(
        draft, actor=personas["supervisor"], enterprise_uscc=near.uscc, items="卫生", planned_on=d
    )
    assert len(actions.joint_candidates(window=15)[0]["entries"]) == 2


def _proposed(units, personas, next_year, capture):
    ent = enterprise(1, name="联合企业")
    d = date(next_year, 6, 1)
    _filed_plan(units["a"], personas["clerk_a"], next_year, [(ent, d, "消防安全")])
    _filed_plan(
        units["b"], personas["clerk_b"], next_year, [(ent, d + timedelta(days=5), "食品安全")]
    )
    (candidate,) = actions.joint_candidates(window=15)
    with capture(execute=True):
        return actions.propose_joint_visit(
            candidate["entries"], actor=personas["supervisor"], window=15
        )


def test_check_propose_joint_visit_refuses_the_wrong_person_and_taken_entries(
    units, personas, next_year
):
    ent = enterprise(1, name="联合企业")
    d = date(next_year, 6, 1)
    _filed_plan(units["a"], personas["clerk_a"], next_year, [(ent, d, "消防安全")])
    _filed_plan(units["b"], personas["clerk_b"], next_year, [(ent, d, "食品安全")])
    (candidate,) = actions.joint_candidates(window=15)
    entries = candidate["entries"]
    actions.check_propose_joint_visit(entries, personas["supervisor"])
    for who in ("clerk_a", "leader_a", "discipline"):
        with pytest.raises(PermissionDenied, match="只有监督管理员可以提议联合检查。"):
            actions.check_propose_joint_visit(entries, personas[who])
    with pytest.raises(ValidationError, match="每个单位一项"):
        actions.check_propose_joint_visit(entries[:1], personas["supervisor"])
    actions.propose_joint_visit(entries, actor=personas["supervisor"], window=15)
    with pytest.raises(ValidationError, match="已在联合检查中"):
        actions.check_propose_joint_visit(entries, personas["supervisor"])


def test_a_joint_visit_accepted_by_all_has_one_code_for_all_items(
    units, personas, client_for, next_year, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        actions.propose_joint_visit([], actor=personas["clerk_a"])
    joint = _proposed(units, personas, next_year, django_capture_on_commit_callbacks)
    assert joint.lead_unit == units["a"] and joint.visit_on == date(next_year, 6, 1)
    assert actions.joint_candidates(window=15) == []  # proposed once only
    part_a = joint.participants.get(unit=units["a"])
    part_b = joint.participants.get(unit=units["b"])
    assert actions.available_joint_actions(part_a, personas["clerk_a"]) == {"accept", "decline"}
    assert actions.available_joint_actions(part_a, personas["clerk_b"]) == set()
    assert actions.available_joint_actions(part_b, personas["leader_b"]) == {"accept", "decline"}
    assert Notification.objects.filter(
        user=personas["clerk_b"], title__contains="联合检查提议"
    ).exists()

    officer(units["a"], "A-001")
    officer(units["a"], "A-002")
    officer(units["a"], "A-OLD", valid_days=-1)
    with pytest.raises(ValidationError, match="A-OLD"):
        actions.accept_joint(part_a, actor=personas["clerk_a"], officers=["A-001", "A-OLD"])
    with pytest.raises(ValidationError, match="两名以上"):
        actions.accept_joint(part_a, actor=personas["clerk_a"], officers=["A-001"])
    actions.accept_joint(part_a, actor=personas["clerk_a"], officers=["A-001", "A-002"])
    with pytest.raises(ValidationError, match="已作出答复"):
        actions.accept_joint(JointParticipant.objects.get(pk=part_a.pk), actor=personas["clerk_a"])
    client_for(personas["leader_b"]).post(
        reverse("planning:joint_answer", args=[joint.pk, "accept"]), {"participant": part_b.pk}
    )
    joint.refresh_from_db()
    assert joint.state == JointVisit.State.CONFIRMED
    visits = Inspection.objects.filter(joint_no=joint.joint_no).order_by("unit__code")
    assert [v.unit for v in visits] == [units["a"], units["b"]]
    assert [v.verify_code for v in visits] == [joint.verify_code, None]  # one 检查码
    assert all(v.is_planned and v.inspected_on == joint.visit_on for v in visits)
    assert [v.officer_list for v in visits] == [["A-001", "A-002"], []]
    # Each registered inspection has its own 登记 row, as enforcement's registration writes.
    registered = AuditEvent.objects.filter(action="enforcement.inspection.registered")
    assert sorted(e.object_id for e in registered) == sorted(str(v.pk) for v in visits)
    for event in registered:
        visit = next(v for v in visits if str(v.pk) == event.object_id)
        assert event.unit == visit.unit and event.actor == personas["leader_b"]
        assert event.data == {
            "registration_no": visit.registration_no,
            "enterprise": joint.enterprise.uscc,
            "inspected_on": joint.visit_on.isoformat(),
            "kind": "special",
            "mode": "onsite",
            "officers": visit.officer_list,
            "joint_no": joint.joint_no,
            "draw_no": "",
        }

    # 亮码: the enterprise sees one visit and every item it covers.
    page = (
        client_for(None)
        .get(reverse("portal:verify_detail", args=[joint.verify_code]))
        .content.decode()
    )
    assert "综合查一次" in page and "消防安全" in page and "食品安全" in page
    assert units["b"].name in page

    # INSP-02 is quiet about the two visits of one joint inspection.
    from jiandu.monitoring.engine import evaluate
    from jiandu.monitoring.rules import get_rule
    from jiandu.monitoring.rules.frames import RunContext
    from jiandu.monitoring.rules.inspection import insp02_figures

    Inspection.objects.filter(joint_no=joint.joint_no).update(is_planned=False)
    hits = evaluate(get_rule("INSP-02"), RunContext(), {"window": 30})
    assert hits.height == 0
    # ... and counts the visit the joint one avoided, on the rules page too.
    assert insp02_figures() == {"joint_visits": 1, "avoided_visits": 1, "declined": 0}
    assert insp02_figures([units["b"].pk])["avoided_visits"] == 1
    page = client_for(personas["supervisor"]).get(reverse("monitoring:rules")).content.decode()
    assert "综合查一次 1 次，减少入企 1 次" in page


def test_a_decline_needs_a_reason_reaches_the_supervisor_and_cancels_a_pair(
    units, personas, client_for, next_year, django_capture_on_commit_callbacks
):
    joint = _proposed(units, personas, next_year, django_capture_on_commit_callbacks)
    part_b = joint.participants.get(unit=units["b"])
    with pytest.raises(ValidationError):
        actions.decline_joint(part_b, actor=personas["clerk_b"], reason=" ")
    with pytest.raises(PermissionDenied):
        actions.decline_joint(part_b, actor=personas["clerk_a"], reason="x")
    with django_capture_on_commit_callbacks(execute=True):
        actions.decline_joint(
            part_b, actor=personas["clerk_b"], reason="本月已安排专项执法，人手不足"
        )
    assert Notification.objects.filter(
        user=personas["supervisor"], title__contains="不参加联合检查"
    ).exists()
    actions.accept_joint(joint.participants.get(unit=units["a"]), actor=personas["clerk_a"])
    joint.refresh_from_db()
    assert joint.state == JointVisit.State.CANCELLED  # one unit left: nothing to join
    assert not Inspection.objects.filter(joint_no=joint.joint_no).exists()
    page = (
        client_for(personas["supervisor"])
        .get(reverse("planning:joint", args=[joint.pk]))
        .content.decode()
    )
    assert "本月已安排专项执法，人手不足" in page
    listed = client_for(personas["supervisor"]).get(reverse("planning:joints") + "?declined=true")
    assert joint.joint_no in listed.content.decode()
    assert (
        client_for(personas["clerk_b"]).get(reverse("planning:joint", args=[joint.pk])).status_code
        == 200
    )
    event = AuditEvent.objects.get(action="planning.joint.declined")
    assert event.data["reason"] == "本月已安排专项执法，人手不足"


def test_the_supervisor_proposes_from_the_candidates_page(units, personas, client_for, next_year):
    ent = enterprise(1)
    d = date(next_year, 7, 1)
    _filed_plan(units["a"], personas["clerk_a"], next_year, [(ent, d, "消防")])
    _filed_plan(units["b"], personas["clerk_b"], next_year, [(ent, d, "食品")])
    client = client_for(personas["supervisor"])
    page = client.get(reverse("planning:joints")).content.decode()
    assert 'id="candidates"' in page
    (candidate,) = actions.joint_candidates()
    ids = [e.pk for e, _ in candidate["entries"]]
    response = client.post(reverse("planning:joint_propose"), {"entry": ids, "window": 15})
    assert response.status_code == 302 and JointVisit.objects.count() == 1
    assert (
        client_for(personas["clerk_a"])
        .post(reverse("planning:joint_propose"), {"entry": ids})
        .status_code
        == 403
    )


# ---------------------------------------------------------------- frequency caps


def test_the_cap_is_named_with_the_count_at_registration(units, personas):
    today = timezone.localdate()
    quiet = enterprise(1, quiet_list=True)
    plain = enterprise(2)
    FrequencyCap.objects.create(label="无事不扰企业", quiet_list=True, cap=1)
    assert watch.inspection_warnings(
        unit=units["a"], enterprise=quiet, inspected_on=today
    ) == [] or all(
        w["rule"] != caps.RULE
        for w in watch.inspection_warnings(unit=units["a"], enterprise=quiet, inspected_on=today)
    )
    inspection(units["b"], quiet, no="I-1", inspected_on=date(today.year, 1, 2), kind="complaint")
    found = [
        w
        for w in watch.inspection_warnings(
            unit=units["a"], enterprise=quiet, inspected_on=today, kind="complaint"
        )
        if w["rule"] == caps.RULE
    ]
    assert len(found) == 1
    assert "无事不扰企业" in found[0]["message"] and "不超过1次" in found[0]["message"]
    assert "已记录1次" in found[0]["message"] and "第2次" in found[0]["message"]
    # Another year, an off-site check, an enterprise of no capped category: no warning.
    assert caps.visit_warnings(enterprise=quiet, inspected_on=date(today.year + 1, 1, 5)) == []
    assert caps.visit_warnings(enterprise=quiet, inspected_on=today, mode="offsite") == []
    inspection(units["b"], plain, no="I-2", inspected_on=date(today.year, 1, 2))
    assert caps.visit_warnings(enterprise=plain, inspected_on=today) == []


def test_the_cap_rule_on_one_enterprise_and_on_the_whole_data_set(units):
    year = 2025
    ents = [enterprise(i, industry="危化品" if i < 3 else "餐饮") for i in range(1, 5)]
    cap = FrequencyCap.objects.create(label="危化品企业", industry="危化品", cap=2)
    for n, ent in enumerate(ents):
        for k in range(3 if n in (0, 2) else 2):
            inspection(units["a"], ent, no=f"I-{n}-{k}", inspected_on=date(year, 3 + k, 1))
    whole = caps.cap_breaches(year, enterprise_ids=None)
    assert [(r["enterprise_id"], r["cap"], r["count"]) for r in whole] == [(ents[0].pk, cap, 3)]
    assert caps.cap_breaches(year, [ents[0].pk]) == whole  # the one-enterprise context agrees
    assert caps.cap_breaches(year, [ents[1].pk]) == []
    assert caps.cap_breaches(year, [ents[2].pk]) == []  # 餐饮: no cap
    assert caps.cap_breaches(year + 1) == []


def test_filing_a_plan_beyond_the_cap_warns_and_asks_to_confirm(units, personas, client_for):
    year = timezone.localdate().year
    ent = enterprise(1, quiet_list=True)
    FrequencyCap.objects.create(label="无事不扰企业", quiet_list=True, cap=1)
    inspection(units["b"], ent, no="I-1", inspected_on=date(year, 1, 2))
    plan = actions.create_plan(unit=units["a"], year=year, actor=personas["clerk_a"])
    actions.add_entry(
        plan, actor=personas["clerk_a"], enterprise_uscc=uscc(1), items="消防", months=[11, 12]
    )
    (w,) = caps.plan_warnings(plan)
    assert (
        "无事不扰企业" in w["message"]
        and "已记录1次" in w["message"]
        and "再安排2次，共3次" in w["message"]
    )
    client = client_for(personas["clerk_a"])
    assert "仍要报备" in client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    client.post(reverse("planning:plan_action", args=[plan.pk, "file"]))
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.DRAFT  # not confirmed
    client.post(reverse("planning:plan_action", args=[plan.pk, "file"]), {"confirm": "1"})
    assert Plan.objects.get(pk=plan.pk).state == Plan.State.FILED
    event = AuditEvent.objects.get(action="planning.plan.filed")
    assert "无事不扰企业" in event.data["warnings"][0]


def test_the_administrator_keeps_caps_and_closures(units, client_for, django_user_model):
    admin = django_user_model.objects.create_superuser("planadmin", password="x" * 12)
    client = client_for(admin)
    for name in ("planning_frequencycap_changelist", "planning_closure_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200


def test_joints_page_says_so_when_the_window_is_not_a_number(personas, client_for):
    response = client_for(personas["supervisor"]).get(reverse("planning:joints") + "?window=abc")
    assert response.status_code == 200
    assert "时间窗口应为天数（整数），已按 " in response.content.decode()
