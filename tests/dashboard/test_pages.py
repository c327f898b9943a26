import html
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse

from jiandu.ledger.models import Escalation, Problem
from jiandu.orgs.models import Notification
from jiandu.selfcheck.models import SelfCheckReport

pytestmark = pytest.mark.django_db


def charts(response) -> dict:
    """The ECharts options and drill URLs of a page, by chart id."""
    found = {}
    for match in re.finditer(
        r'<div class="jd-chart" id="([\w-]+)"[^>]*>', response.content.decode()
    ):
        tag = match.group(0)
        option = re.search(r"data-chart='([^']*)'", tag).group(1)
        drill = re.search(r'data-drill="([^"]*)"', tag)
        found[match.group(1)] = {
            "option": json.loads(html.unescape(option)),
            "drill": html.unescape(drill.group(1)) if drill else None,
        }
    return found


def test_anonymous_is_sent_to_login(client):
    for url in ("/dashboard/", "/dashboard/todo/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_cockpit_shows_the_numbers_of_the_dataset(dataset, personas, client_for):
    response = client_for(personas["supervisor"]).get("/dashboard/")
    assert response.status_code == 200
    kpis = response.context["totals"]
    assert (kpis["total"], kpis["closed"], kpis["overdue"], kpis["rate"]) == (6, 2, 2, 33.3)
    assert response.context["reports"]["reported"] == 1
    page = response.content.decode()
    assert "监督检查" in page and "剩余 <strong>20</strong> 天" in page
    assert "33.3%" in page
    assert "1<span" in page and "/3</span>" in page  # reports submitted 1/3


def test_supervisor_sees_queues_waiting_for_them(dataset, personas, client_for):
    SelfCheckReport.objects.filter(pk=dataset["report_b"].pk).update(
        state=SelfCheckReport.State.SUBMITTED
    )
    response = client_for(personas["supervisor"]).get("/dashboard/")
    queues = response.context["queues"]
    assert queues["reports"] == 1
    assert queues["reports_url"] == "/campaigns/reports/?state=submitted"
    assert queues["problems"] == 1
    assert queues["problems_url"] == (
        f"/ledger/?campaign={dataset['campaign'].pk}&state=awaiting_acceptance"
    )
    assert 'id="queues"' in response.content.decode()


def test_unit_users_see_no_queues(dataset, personas, client_for):
    response = client_for(personas["clerk_a"]).get("/dashboard/")
    assert response.context["queues"] is None
    assert 'id="queues"' not in response.content.decode()


def test_clerk_b_cockpit_has_only_unit_b(dataset, personas, units, client_for):
    response = client_for(personas["clerk_b"]).get("/dashboard/")
    assert response.status_code == 200
    assert response.context["totals"]["total"] == 3
    assert [r["id"] for r in response.context["unit_rows"]] == [units["b"].pk]
    assert {p.unit_id for p in response.context["overdue"]} == {units["b"].pk}
    page = response.content.decode()
    assert units["a"].name not in page
    assert dataset["problems"]["a_pending"].description not in page
    assert f"unit={units['a'].pk}" not in page


def test_charts_carry_drill_down_urls(dataset, personas, units, client_for):
    found = charts(client_for(personas["supervisor"]).get("/dashboard/"))
    assert set(found) == {
        "chart-reports",
        "chart-areas",
        "chart-trend",
        "chart-sources",
        "chart-units",
    }

    reports = found["chart-reports"]
    assert reports["drill"] == "/campaigns/reports/?state={name}"
    keys = {d["key"]: d["value"] for d in reports["option"]["series"][0]["data"]}
    assert keys == {"none": 1, "returned": 1, "accepted": 1}

    # Every drill-down keeps the campaign: the ledger lists what the cockpit counted.
    ledger = f"/ledger/?campaign={dataset['campaign'].pk}"
    areas = found["chart-areas"]
    assert areas["drill"] == f"{ledger}&focus_area={{name}}"
    pending = next(s for s in areas["option"]["series"] if s["name"] == "待整改")
    discretion = areas["option"]["xAxis"]["data"].index("裁量基准")
    item = pending["data"][discretion]
    assert (item["key"], item["value"]) == ("discretion", 2)
    assert item["url"] == f"{ledger}&focus_area=discretion&state=pending"

    unit_chart = found["chart-units"]
    assert unit_chart["drill"] == f"{ledger}&unit={{name}}"
    closed = next(s for s in unit_chart["option"]["series"] if s["name"] == "已销号")
    assert {d["key"] for d in closed["data"]} >= {units["a"].pk, units["b"].pk}
    assert f"{ledger}&unit={units['b'].pk}&state=closed" in {d["url"] for d in closed["data"]}

    sources = found["chart-sources"]
    assert sources["drill"] == f"{ledger}&source={{name}}"
    assert {d["key"] for d in sources["option"]["series"][0]["data"]} == {"self_check", "alert"}

    trend = found["chart-trend"]["option"]
    assert trend["series"][2]["data"][-1] == 33.3


def test_cockpit_links_kpis_and_overdue_to_filtered_lists(dataset, personas, units, client_for):
    page = client_for(personas["supervisor"]).get("/dashboard/").content.decode()
    ledger = f"/ledger/?campaign={dataset['campaign'].pk}"
    assert f'href="{ledger}&amp;overdue=1"' in page
    assert f'href="{ledger}&amp;unit={units["a"].pk}&amp;overdue=1"' in page
    assert f"#{dataset['problems']['b_alert'].pk}" in page


def test_cockpit_without_campaign_tells_supervisor_to_configure_one(personas, client_for):
    response = client_for(personas["supervisor"]).get("/dashboard/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "尚未配置专项行动" in page and "新建专项行动" in page
    clerk_page = client_for(personas["clerk_a"]).get("/dashboard/").content.decode()
    assert "当前没有进行中的专项行动" in clerk_page and "新建专项行动" not in clerk_page


def test_todo_shows_returned_report_with_reason(dataset, personas, client_for):
    response = client_for(personas["clerk_b"]).get("/dashboard/todo/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "已退回" in page
    assert "第3项未附佐证材料" in page
    assert "修改后重新上报" in page


def test_todo_shows_escalations_prominently_and_problems_to_rectify(dataset, personas, client_for):
    problems = dataset["problems"]
    page = client_for(personas["clerk_a"]).get("/dashboard/todo/").content.decode()
    assert 'id="escalations"' in page
    assert page.index("该问题已逾期，请于三个工作日内完成整改") < page.index('id="report"')
    assert problems["a_returned"].description in page
    assert "整改佐证不足，请补充现场照片" in page
    assert problems["a_pending"].description in page
    assert problems["a_closed"].description not in page
    # Unit A's to-do knows nothing of unit B.
    assert problems["b_alert"].description not in page


def test_todo_hides_escalations_of_closed_problems_and_other_units(dataset, personas, client_for):
    Escalation.objects.create(
        problem=dataset["problems"]["b_alert"], by=personas["supervisor"], note="乙单位督办意见"
    )
    Problem.objects.filter(pk=dataset["problems"]["a_pending"].pk).update(
        state=Problem.State.CLOSED
    )
    page = client_for(personas["clerk_a"]).get("/dashboard/todo/").content.decode()
    assert 'id="escalations"' not in page
    assert "乙单位督办意见" not in page


def test_todo_asks_the_leader_to_sign(dataset, personas, client_for):
    SelfCheckReport.objects.filter(pk=dataset["report_a"].pk).update(
        state=SelfCheckReport.State.PENDING_SIGNOFF
    )
    assert "审核签发" in client_for(personas["leader_a"]).get("/dashboard/todo/").content.decode()
    assert (
        "审核签发" not in client_for(personas["clerk_a"]).get("/dashboard/todo/").content.decode()
    )


def test_todo_lists_unread_notifications(dataset, personas, client_for):
    Notification.objects.create(user=personas["clerk_a"], title="请按时报送自查表")
    Notification.objects.create(
        user=personas["clerk_a"], title="已读的旧通知", read_at="2026-01-01T00:00:00Z"
    )
    page = client_for(personas["clerk_a"]).get("/dashboard/todo/").content.decode()
    assert "请按时报送自查表" in page
    assert "已读的旧通知" not in page


def test_todo_empty_states_say_what_to_do(personas, client_for):
    page = client_for(personas["clerk_a"]).get("/dashboard/todo/").content.decode()
    assert "当前没有进行中的专项行动" in page
    assert "没有待整改的问题" in page
    assert "没有未读通知" in page


def test_todo_sends_county_roles_to_the_cockpit(personas, client_for):
    response = client_for(personas["supervisor"]).get("/dashboard/todo/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def _more_problems(dataset, units, n):
    area = dataset["problems"]["a_pending"].focus_area
    Problem.objects.bulk_create(
        Problem(
            unit=units["a" if i % 2 else "b"],
            focus_area=area,
            description=f"批量问题{i}",
            source=Problem.Source.SUPERVISION,
            campaign=dataset["campaign"],
            deadline=dataset["today"].replace(day=1),
        )
        for i in range(n)
    )


def test_cockpit_query_count_does_not_grow_with_problems(
    dataset, personas, units, client_for, django_assert_max_num_queries
):
    client = client_for(personas["supervisor"])
    _more_problems(dataset, units, 60)
    with django_assert_max_num_queries(25):  # 25: the 延期待审批 queue is one count
        assert client.get("/dashboard/").status_code == 200


def test_todo_query_count_does_not_grow_with_problems(
    dataset, personas, units, client_for, django_assert_max_num_queries
):
    client = client_for(personas["clerk_a"])
    _more_problems(dataset, units, 60)
    for p in Problem.objects.filter(unit=units["a"])[:10]:
        Escalation.objects.create(problem=p, note="督办")
    # 19: the unit's 公文 inbox is one query, the instruments it received another
    with django_assert_max_num_queries(19):
        assert client.get("/dashboard/todo/").status_code == 200


def test_late_reports_link_to_the_filtered_report_list(dataset, personas, client_for):
    page = client_for(personas["supervisor"]).get("/dashboard/").content.decode()
    assert 'href="/campaigns/reports/?late=1"' in page
    assert "逾期未报或迟报 2 个" in page


def test_county_readers_see_all_units_without_supervisor_queues(dataset, personas, client_for):
    for who in ("discipline", "inspector"):
        response = client_for(personas[who]).get("/dashboard/")
        assert response.context["totals"]["total"] == 6
        assert response.context["queues"] is None


def test_new_alerts_are_counted_in_the_supervisor_queue(dataset, personas, units, client_for):
    alert = apps.get_model("monitoring", "Alert")
    alert.objects.create(
        rule="DISC-01", subject_kind="case", subject_key="平川罚〔2026〕1号", unit=units["a"]
    )
    alert.objects.create(
        rule="DISC-01",
        subject_kind="case",
        subject_key="平川罚〔2026〕2号",
        unit=units["b"],
        state="dismissed",
    )
    queues = client_for(personas["supervisor"]).get("/dashboard/").context["queues"]
    assert queues["alerts"] == 1
    assert queues["alerts_url"] == reverse("monitoring:alerts") + "?state=new"


def test_unit_cockpit_query_count_does_not_grow_with_problems(
    dataset, personas, units, client_for, django_assert_max_num_queries
):
    client = client_for(personas["clerk_a"])
    _more_problems(dataset, units, 60)
    with django_assert_max_num_queries(24):
        assert client.get("/dashboard/").status_code == 200
