"""The one definition of a campaign's problems, their counts and the completion rate
(ProblemQuerySet.of_campaign / counts / counts_by_unit / completion_rate, ledger.figures)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from jiandu.campaigns.models import Campaign, Phase
from jiandu.ledger.figures import completion_rate, rate_text
from jiandu.ledger.models import Problem

S = Problem.State


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def today():
    return timezone.localdate()


def _campaign(units, title, start, end):
    campaign = Campaign.objects.create(title=title, lead_unit=units["justice"])
    Phase.objects.create(campaign=campaign, kind=Phase.Kind.SELF_CHECK, start=start, end=start)
    Phase.objects.create(campaign=campaign, kind=Phase.Kind.ACCEPTANCE, start=end, end=end)
    return campaign


@pytest.fixture
def campaign(units, today):
    return _campaign(units, "本次专项行动", today - timedelta(days=60), today + timedelta(days=30))


def test_completion_rate_is_none_without_problems_never_100():
    assert completion_rate(0, 0) is None
    assert completion_rate(1, 3) == 33.3
    assert completion_rate(2, 2) == 100.0
    assert [rate_text(r) for r in (None, 33.3, 100.0, 0.0)] == ["—", "33.3%", "100%", "0%"]


def test_a_campaigns_problems_are_its_own_and_unfiled_ones_registered_while_it_ran(
    units, make_problem, campaign, today
):
    first_day = today - timedelta(days=60)
    last_day = today + timedelta(days=30)
    earlier = _campaign(units, "往年专项行动", date(2020, 1, 1), date(2020, 6, 30))
    counted = {
        make_problem(campaign=campaign, created_at=at(first_day - timedelta(days=400))),
        # Alerts confirmed and findings registered under no campaign while it ran,
        # on its first and last local days included.
        make_problem(source=Problem.Source.ALERT, created_at=at(first_day, hour=0)),
        make_problem(source=Problem.Source.ALERT, created_at=at(last_day, hour=23)),
    }
    make_problem(created_at=at(first_day - timedelta(days=1), hour=23))  # before it
    make_problem(created_at=at(last_day + timedelta(days=1), hour=0))  # after it
    make_problem(campaign=earlier, created_at=at(today))  # another campaign's
    assert set(Problem.objects.of_campaign(campaign)) == counted
    assert set(Problem.objects.of_campaign(campaign.pk)) == counted
    assert Problem.objects.of_campaign(earlier).count() == 1


def test_a_campaign_without_phases_has_only_its_filed_problems(units, make_problem, today):
    bare = Campaign.objects.create(title="未设阶段", lead_unit=units["justice"])
    filed = make_problem(campaign=bare)
    make_problem(created_at=at(today))
    assert list(Problem.objects.of_campaign(bare)) == [filed]


def test_counts_per_state_open_overdue_and_rate_in_one_query(
    units, make_problem, campaign, today, django_assert_num_queries
):
    make_problem(state=S.PENDING, deadline=today - timedelta(days=1), campaign=campaign)
    make_problem(state=S.IN_PROGRESS, deadline=today - timedelta(days=5), campaign=campaign)
    make_problem(state=S.AWAITING_ACCEPTANCE, campaign=campaign)
    make_problem(state=S.CLOSED, deadline=today - timedelta(days=9), campaign=campaign)
    make_problem(unit="b", state=S.CLOSED, campaign=campaign)
    with django_assert_num_queries(1):
        counts = Problem.objects.of_campaign(campaign).counts(today)
    assert counts == {
        "total": 5,
        "pending": 1,
        "in_progress": 1,
        "awaiting_acceptance": 1,
        "closed": 2,
        "open": 3,
        "overdue": 2,
        "rate": 40.0,
    }
    # overdue is exactly what Problem.objects.overdue() selects.
    assert counts["overdue"] == Problem.objects.of_campaign(campaign).overdue(today).count()
    assert Problem.objects.of_campaign(campaign).completion_rate() == 40.0


def test_counts_by_unit_lists_clean_units_with_no_rate(
    units, make_problem, campaign, today, django_assert_num_queries
):
    make_problem(state=S.CLOSED, campaign=campaign)
    make_problem(state=S.PENDING, deadline=today - timedelta(days=1), campaign=campaign)
    with django_assert_num_queries(1):
        by_unit = Problem.objects.of_campaign(campaign).counts_by_unit(
            today, units=[units["a"].pk, units["b"].pk]
        )
    a, b = by_unit[units["a"].pk], by_unit[units["b"].pk]
    assert (a["total"], a["closed"], a["open"], a["overdue"], a["rate"]) == (2, 1, 1, 1, 50.0)
    assert (b["total"], b["open"], b["rate"]) == (0, 0, None)


def test_ledger_campaign_filter_lists_the_campaigns_problems(
    units, personas, make_problem, campaign, client_for, today
):
    filed = make_problem(campaign=campaign, description="自查发现的问题")
    alert = make_problem(source=Problem.Source.ALERT, description="确认的预警问题")
    make_problem(created_at=at(today - timedelta(days=400)), description="往年的日常问题")
    page = client_for(personas["supervisor"]).get(f"/ledger/?campaign={campaign.pk}")
    assert {p.pk for p in page.context["page"].object_list} == {filed.pk, alert.pk}
    assert "共 2 条" in page.content.decode()
