from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.selfcheck import actions


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
def report_a(campaign, units, personas):
    return actions.open_report(campaign, units["a"], actor=personas["clerk_a"])


@pytest.fixture
def report_b(campaign, units, personas):
    return actions.open_report(campaign, units["b"], actor=personas["clerk_b"])
