from datetime import timedelta

import pytest
from django.utils import timezone

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
