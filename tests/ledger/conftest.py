from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea


@pytest.fixture
def area(db):
    return FocusArea.objects.get(code="procedure")


@pytest.fixture
def make_problem(units, area):
    """make_problem(unit="a", state=..., deadline=..., **fields): a problem placed
    straight into a state, as the set-up of a test (the app itself moves it by actions)."""

    def make(unit="a", state=Problem.State.PENDING, **fields):
        today = timezone.localdate()
        defaults = {
            "focus_area": area,
            "description": "执法全过程记录不完整",
            "source": Problem.Source.SELF_CHECK,
        }
        if state != Problem.State.PENDING:
            defaults.update(
                measures="补齐执法记录仪配备",
                responsible_person="张三",
                deadline=today + timedelta(days=30),
            )
        if state == Problem.State.AWAITING_ACCEPTANCE:
            defaults["submitted_at"] = timezone.now()
        if state == Problem.State.CLOSED:
            defaults["closed_at"] = timezone.now()
        defaults.update(fields)
        return Problem.objects.create(unit=units[unit], state=state, **defaults)

    return make
