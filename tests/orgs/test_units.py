import pytest

from jiandu.orgs.models import Unit

pytestmark = pytest.mark.django_db


def test_enforcement_units_are_the_townships_and_departments():
    town = Unit.objects.create(code="U-T", name="甲镇", kind=Unit.Kind.TOWNSHIP)
    dept = Unit.objects.create(code="U-D", name="县市场监管局", kind=Unit.Kind.DEPARTMENT)
    closed = Unit.objects.create(
        code="U-X", name="已撤并乙镇", kind=Unit.Kind.TOWNSHIP, is_active=False
    )
    justice = Unit.objects.create(code="U-J", name="县司法局", kind=Unit.Kind.JUSTICE)
    Unit.objects.create(code="U-W", name="县纪委监委", kind=Unit.Kind.DISCIPLINE)
    ours = {"U-T", "U-D", "U-X", "U-J", "U-W"}
    enforcement = Unit.objects.filter(code__in=ours).enforcement()
    assert set(enforcement) == {town, dept, closed}
    assert set(enforcement.active()) == {town, dept}
    assert town.is_enforcement_unit and not justice.is_enforcement_unit
