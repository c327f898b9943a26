"""Shared fixtures: base data in every test database, and the personas every scoping
test uses (clerk and leader of unit A, clerk of unit B, supervisor, discipline reader,
anonymous visitor)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from jiandu.orgs import base_data
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


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory):
    """One SQLite file migrated by the real command, once per test process."""
    folder = tmp_path_factory.mktemp("migrated")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(JIANDU_DATA_DIR=str(folder), DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}")
    subprocess.run(
        [sys.executable, "-m", "jiandu.cli", "manage", "migrate", "--verbosity", "0"],
        env=env,
        cwd=folder,
        check=True,
        timeout=600,
    )
    return folder / "db.sqlite3"


@pytest.fixture
def migrated_sqlite(_migrated_sqlite_template):
    """migrated_sqlite(path) puts a migrated database at path, for tests whose child
    processes open a SQLite file of their own. Their `migrate` or `jiandu init` then
    finds every migration applied and does the rest of its work as usual; the
    migrations themselves run once per test process, not once per test."""

    def place(path):
        shutil.copyfile(_migrated_sqlite_template, path)
        return path

    return place


@pytest.fixture(autouse=True)
def _processes_only_in_slow_tests(request, monkeypatch):
    """A test that starts Python (the `jiandu` command, a worker, a script) carries the
    `slow` marker, so that `-m "not slow"` is the quick run it promises. Tools a library
    calls on its own (fontconfig's fc-list) are not what the marker is about."""
    if request.node.get_closest_marker("slow") or request.node.get_closest_marker("browser"):
        return
    start = subprocess.Popen.__init__

    def refuse_python(self, args, *rest, **kwargs):
        program = str(args if isinstance(args, str | os.PathLike) else args[0])
        if program == sys.executable or Path(program).name.startswith(("python", "jiandu")):
            pytest.fail(f"this test starts a process ({args!r}): mark it slow", pytrace=False)
        start(self, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", refuse_python)


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
