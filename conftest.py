"""Shared fixtures: base data in every test database, and the personas every scoping
test uses (clerk and leader of unit A, clerk of unit B, supervisor, discipline reader,
anonymous visitor)."""

import pytest
from django.test import Client

from jiandu import base_data
from jiandu.orgs.models import Role, Unit
from tests.orgs.factories import make_user


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        base_data.load()


@pytest.fixture(autouse=True)
def _base_data_present(request):
    """Transactional tests (the browser ones) flush every table when they end; put the
    base data back for whatever test runs next on this worker."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )
    if transactional or "db" in names or marker:
        request.getfixturevalue("transactional_db" if transactional else "db")
        if not Role.objects.exists():
            base_data.load()


@pytest.fixture
def units(db):
    return {
        "justice": Unit.objects.create(code="T-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE),
        "discipline": Unit.objects.create(
            code="T-JW", name="测试县纪委监委", kind=Unit.Kind.DISCIPLINE
        ),
        "a": Unit.objects.create(code="T-A", name="甲镇人民政府", kind=Unit.Kind.TOWNSHIP),
        "b": Unit.objects.create(
            code="T-B", name="测试县市场监督管理局", kind=Unit.Kind.DEPARTMENT
        ),
    }


@pytest.fixture
def personas(units):
    return {
        "clerk_a": make_user("clerk_a", units["a"], Role.CLERK),
        "leader_a": make_user("leader_a", units["a"], Role.LEADER),
        "clerk_b": make_user("clerk_b", units["b"], Role.CLERK),
        "leader_b": make_user("leader_b", units["b"], Role.LEADER),
        "supervisor": make_user("supervisor", units["justice"], Role.SUPERVISOR),
        "discipline": make_user("discipline", units["discipline"], Role.DISCIPLINE),
        "inspector": make_user("inspector", units["justice"], Role.INSPECTOR),
    }


@pytest.fixture
def client_for(db):
    """client_for(user) -> a Client logged in as user; client_for(None) -> anonymous."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
