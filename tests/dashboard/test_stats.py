from datetime import timedelta

import pytest

from jiandu.campaigns.models import Campaign, Phase
from jiandu.dashboard import stats
from tests.dashboard.factories import monday

pytestmark = pytest.mark.django_db


def test_current_phase_and_days_left(dataset):
    today = dataset["today"]
    info = stats.campaign_phase(stats.current_campaign(today), today)
    assert info["phase"].kind == Phase.Kind.SUPERVISION
    assert info["days_left"] == 20
    assert info["next_phase"].kind == Phase.Kind.RECTIFICATION
    assert info["days_to_next"] == 21


def test_current_campaign_is_none_without_any(db):
    assert stats.current_campaign() is None


def test_submission_by_unit_shows_state_or_not_started_and_lateness(dataset, personas):
    rows = {
        r["name"]: r
        for r in stats.report_submission(
            personas["supervisor"], dataset["campaign"], dataset["today"]
        )
    }
    assert set(rows) == {"甲镇人民政府", "丙乡人民政府", "测试县市场监督管理局"}
    assert (rows["甲镇人民政府"]["state"], rows["甲镇人民政府"]["late"]) == ("accepted", False)
    # First submitted at midnight the day after the deadline: late.
    assert (rows["测试县市场监督管理局"]["state_label"], rows["测试县市场监督管理局"]["late"]) == (
        "已退回",
        True,
    )
    assert rows["测试县市场监督管理局"]["report__returned_reason"].startswith("第3项")
    assert (rows["丙乡人民政府"]["state_label"], rows["丙乡人民政府"]["late"]) == ("未填报", True)


def test_nothing_is_late_before_the_deadline(dataset, personas):
    before = dataset["deadline"] - timedelta(days=1)
    rows = stats.report_submission(personas["supervisor"], dataset["campaign"], before)
    late = {r["name"] for r in rows if r["late"]}
    assert late == {"测试县市场监督管理局"}  # only the one really submitted late


def test_report_counts(dataset, personas):
    counts = stats.report_counts(personas["supervisor"], dataset["campaign"], dataset["today"])
    assert counts["units"] == 3
    assert counts["reported"] == 1  # a returned report is back with the unit
    assert counts["by_state"]["accepted"] == 1
    assert counts["by_state"]["returned"] == 1
    assert counts["by_state"]["none"] == 1
    assert counts["late"] == 2


def test_completion_counts_the_campaign_and_unattached_problems_only(dataset, personas):
    row = stats.completion(personas["supervisor"], dataset["campaign"], dataset["today"])
    assert row["total"] == 6
    assert row["closed"] == 2
    assert row["pending"] == 2
    assert row["awaiting_acceptance"] == 1
    assert row["overdue"] == 2
    assert row["rate"] == 33.3


def test_problems_by_focus_area_are_stacked_by_state(dataset, personas):
    rows = {
        r["code"]: r
        for r in stats.problems_by_focus_area(
            personas["supervisor"], dataset["campaign"], dataset["today"]
        )
    }
    assert len(rows) == 6  # every area, even without problems
    assert (rows["discretion"]["pending"], rows["discretion"]["awaiting_acceptance"]) == (2, 1)
    assert rows["discretion"]["total"] == 3
    assert (rows["procedure"]["closed"], rows["procedure"]["in_progress"]) == (1, 1)
    assert rows["inspection"]["rate"] == 100.0
    assert rows["service"]["total"] == 0  # the other campaign's problem is not counted
    assert rows["service"]["rate"] is None


def test_problems_and_rate_by_unit(dataset, personas, units):
    rows = {
        r["id"]: r
        for r in stats.problems_by_unit(
            personas["supervisor"], dataset["campaign"], dataset["today"]
        )
    }
    a, b = rows[units["a"].pk], rows[units["b"].pk]
    assert (a["total"], a["closed"], a["overdue"], a["rate"]) == (3, 1, 1, 33.3)
    assert (b["total"], b["closed"], b["overdue"], b["rate"]) == (3, 1, 1, 33.3)
    assert rows[dataset["unit_c"].pk]["total"] == 0


def test_unit_user_gets_only_their_unit(dataset, personas, units):
    clerk_b = personas["clerk_b"]
    campaign, today = dataset["campaign"], dataset["today"]
    assert [r["id"] for r in stats.problems_by_unit(clerk_b, campaign, today)] == [units["b"].pk]
    assert stats.completion(clerk_b, campaign, today)["total"] == 3
    assert [r["name"] for r in stats.report_submission(clerk_b, campaign, today)] == [
        units["b"].name
    ]
    assert {p.unit_id for p in stats.overdue_problems(clerk_b, campaign, today)} == {units["b"].pk}


def test_overdue_list_longest_first(dataset, personas):
    problems = dataset["problems"]
    overdue = list(
        stats.overdue_problems(personas["supervisor"], dataset["campaign"], dataset["today"])
    )
    assert overdue == [problems["b_alert"], problems["a_pending"]]


def test_problems_by_source(dataset, personas):
    rows = {
        r["source"]: r["total"]
        for r in stats.problems_by_source(personas["supervisor"], dataset["campaign"])
    }
    assert rows["self_check"] == 5
    assert rows["alert"] == 1
    assert rows["complaint"] == 0


def test_weekly_trend_counts_created_and_closed_and_cumulates_the_rate(dataset, personas):
    today = dataset["today"]
    rows = stats.weekly_trend(personas["supervisor"], dataset["campaign"], today)
    assert [r["week"] for r in rows] == [monday(today, w) for w in (-3, -2, -1, 0)]
    assert [r["created"] for r in rows] == [2, 2, 1, 1]
    assert [r["closed"] for r in rows] == [0, 0, 1, 1]
    assert [r["rate"] for r in rows] == [0.0, 0.0, 20.0, 33.3]


def test_weekly_trend_is_empty_without_problems(db, units):
    campaign = Campaign.objects.create(title="空", lead_unit=units["justice"])
    from tests.orgs.factories import make_user

    supervisor = make_user("sup2", units["justice"], "supervisor")
    assert stats.weekly_trend(supervisor, campaign) == []
    assert stats.completion(supervisor, campaign)["rate"] is None


def test_statistics_use_a_fixed_number_of_queries(dataset, personas, django_assert_max_num_queries):
    user, today = personas["supervisor"], dataset["today"]
    campaign = stats.current_campaign(today)  # phases prefetched
    user.role_codes  # noqa: B018 - the role lookup is cached per request, not per statistic
    # One or two queries per statistic, whatever the number of problems.
    with django_assert_max_num_queries(11):
        stats.report_submission(user, campaign, today)
        stats.report_counts(user, campaign, today)
        stats.completion(user, campaign, today)
        stats.problems_by_focus_area(user, campaign, today)
        stats.problems_by_unit(user, campaign, today)
        stats.problems_by_source(user, campaign)
        list(stats.overdue_problems(user, campaign, today)[:10])
        stats.weekly_trend(user, campaign, today)


def test_phase_before_the_start_and_after_the_end(dataset):
    campaign = stats.current_campaign(dataset["today"])
    first = min(p.start for p in campaign.phases.all())
    before = stats.campaign_phase(campaign, first - timedelta(days=3))
    assert before["phase"] is None and before["days_to_next"] == 3
    assert before["next_phase"].kind == Phase.Kind.SELF_CHECK
    after = stats.campaign_phase(campaign, dataset["today"] + timedelta(days=365))
    assert after["phase"] is None and after["finished"] is True


def test_a_unit_outside_the_enforcement_list_with_problems_has_its_row(dataset, personas, units):
    from jiandu.ledger.models import Problem
    from jiandu.orgs.models import FocusArea

    Problem.objects.create(
        unit=units["justice"],
        focus_area=FocusArea.objects.get(code="service"),
        description="司法局自身的问题",
        source=Problem.Source.SUPERVISION,
        campaign=dataset["campaign"],
    )
    rows = stats.problems_by_unit(personas["supervisor"], dataset["campaign"], dataset["today"])
    row = rows[-1]  # after the enforcement units
    assert (row["id"], row["name"], row["total"], row["pending"], row["closed"], row["rate"]) == (
        units["justice"].pk,
        units["justice"].name,
        1,
        1,
        0,
        0.0,
    )
