import pytest

from jiandu.standards.models import ViolationItem


@pytest.fixture
def item(db):
    return ViolationItem.objects.create(
        code="SC-001", name="销售过期食品", penalty_basis="《食品安全法》第一百二十四条"
    )
