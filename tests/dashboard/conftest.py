"""The dashboard's constructed campaign (see factories.build)."""

import pytest
from django.utils import timezone

from tests.dashboard.factories import build


@pytest.fixture
def dataset(units, personas):
    return build(units, personas, timezone.localdate())
