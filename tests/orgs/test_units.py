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


def test_who_writes_a_units_data_and_which_units_a_user_sees(units, personas):
    from django.contrib.auth.models import AnonymousUser

    from jiandu.orgs.access import (
        can_write_unit,
        enforcement_units,
        is_unit_writer,
        role_users,
    )

    a, b = units["a"].pk, units["b"].pk
    assert is_unit_writer(personas["clerk_a"], a) and is_unit_writer(personas["leader_a"], a)
    assert not is_unit_writer(personas["clerk_a"], b)
    assert not is_unit_writer(personas["supervisor"], a) and can_write_unit(
        personas["supervisor"], a
    )
    assert not is_unit_writer(AnonymousUser(), a) and not is_unit_writer(None, a)
    assert set(enforcement_units(personas["clerk_a"])) == {units["a"]}
    assert {units["a"], units["b"]} <= set(enforcement_units(personas["supervisor"]))
    assert units["justice"] not in set(enforcement_units(personas["supervisor"]))
    personas["leader_b"].is_active = False
    personas["leader_b"].save()
    assert set(role_users("leader")) == {personas["leader_a"]}
    assert set(role_users("clerk", "supervisor")) == {
        personas["clerk_a"],
        personas["clerk_b"],
        personas["supervisor"],
    }
