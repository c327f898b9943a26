from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.campaigns import actions
from jiandu.campaigns.default_template import create_campaign_from_plan


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def campaign(units, personas, today):
    """The plan's campaign, five days into its self-check phase."""
    return create_campaign_from_plan(
        lead_unit=units["justice"], start=today - timedelta(days=5), actor=personas["supervisor"]
    )


@pytest.fixture
def future_campaign(units, personas, today):
    """A campaign whose self-check phase has not started: its template is editable."""
    return create_campaign_from_plan(
        lead_unit=units["justice"], start=today + timedelta(days=10), actor=personas["supervisor"]
    )


@pytest.fixture
def report_a(campaign, units, personas):
    return actions.open_report(campaign, units["a"], actor=personas["clerk_a"])


@pytest.fixture
def report_b(campaign, units, personas):
    return actions.open_report(campaign, units["b"], actor=personas["clerk_b"])


def answer_all(report, actor, problems=None, today=None):
    """Answer every item 无此问题, except the item orders in `problems` (fully described)."""
    today = today or timezone.localdate()
    problems = problems or {}
    values = {}
    for answer in report.answers.select_related("item"):
        if answer.item.order in problems:
            values[answer.pk] = {
                "has_problem": True,
                "description": f"第{answer.item.order}项问题描述",
                "cause": "制度执行不到位",
                "measures": "修订制度并组织培训",
                "deadline": today + timedelta(days=30),
                "responsible_person": "张三",
                **problems[answer.item.order],
            }
        else:
            values[answer.pk] = {"has_problem": False}
    actions.save_answers(report, actor=actor, answers=values)
    return report


def submitted(report, personas, problems=None):
    """Fill and sign off unit A's report."""
    answer_all(report, personas["clerk_a"], problems)
    actions.request_signoff(report, actor=personas["clerk_a"])
    actions.submit_report(report, actor=personas["leader_a"])
    return report
