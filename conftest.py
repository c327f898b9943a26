"""Shared fixtures: base data in every test database, and the personas every scoping
test uses (clerk and leader of unit A, clerk of unit B, supervisor, discipline reader,
anonymous visitor)."""

import gc
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from jiandu.orgs import base_data
from jiandu.orgs.models import Role, Unit
from tests import databases
from tests.lib.clients import signed_in_client
from tests.orgs.factories import make_users
from tests.upgrade import build_upgraded_demo
from tests.upgrade import upgraded_demo as read_upgraded_demo


def pytest_collection_modifyitems(config, items):
    """The long tests first. Under `--dist worksteal` (scripts/test) each worker starts on
    half of this order and a worker that runs dry takes the far end of the other's, so
    the long tests run beside the short ones instead of alone at the end of the run.
    First of all the upgrade tests, which share one demo county built on demand (the
    `upgraded_demo` fixture): they start together on the first worker, and no other
    worker sits waiting for that county to be built."""

    def first(item):
        if "upgraded_demo" in getattr(item, "fixturenames", ()):
            return 0
        if item.get_closest_marker("slow"):
            return 1
        return 2 if item.get_closest_marker("browser") else 3

    items.sort(key=first)


def pytest_configure(config):
    """Python's garbage collector otherwise walks every object made at start-up (Django,
    the apps, the test modules) again and again: a tenth of the suite's CPU here. The
    young generation is collected less often, and what exists once the tests are
    collected, which lives until the end anyway, is frozen out of its sight."""
    gc.set_threshold(50_000, 50, 100)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def _migrated_sqlite_template(tmp_path_factory, worker_id):
    """One SQLite file at the end of every migration, built once per test run: the first
    pytest-xdist worker to get here builds it while the others wait on the lock, then
    all of them use it. It is built from the models with every migration recorded as
    applied (tests/schema_from_models.py), in under two seconds where running the
    migrations takes half a minute; tests/test_migrations.py proves both give the same
    schema."""

    def make(folder):
        template = folder / "db.sqlite3"
        databases.build_from_models(folder, f"sqlite:///{template}")
        # One file, no WAL beside it: copies and backups see the whole schema.
        with closing(sqlite3.connect(template)) as db:
            db.execute("PRAGMA journal_mode=DELETE")

    return databases.run_shared_once(tmp_path_factory, worker_id, "migrated", make) / "db.sqlite3"


@pytest.fixture(scope="session")
def upgraded_demo(tmp_path_factory, worker_id):
    """The demo county built by the code before the house's moves, upgraded by the
    current `jiandu init` (tests/upgrade.py): built once per test run for every upgrade
    test, whichever worker runs them."""
    return read_upgraded_demo(
        databases.run_shared_once(tmp_path_factory, worker_id, "upgraded-demo", build_upgraded_demo)
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings, request, tmp_path_factory, worker_id
):
    """Each worker's test database starts as a copy of one built once per run,
    instead of running every migration again: on SQLite (in memory) a copy of the
    migrated template file, on PostgreSQL a database created from a template one."""
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    creation = connection.creation

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        # Django's create_test_db with the migrate step replaced by a copy.
        name = creation._get_test_db_name()
        if connection.vendor == "sqlite":
            creation._create_test_db(verbosity, autoclobber, keepdb)
        else:
            template = databases.postgres_template(tmp_path_factory, worker_id)
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
                cursor.execute(
                    f"CREATE DATABASE {connection.ops.quote_name(name)}"
                    f" TEMPLATE {connection.ops.quote_name(template)}"
                )
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            template = request.getfixturevalue("_migrated_sqlite_template")
            with closing(sqlite3.connect(template)) as source:
                source.backup(connection.connection)
        if serialize:
            connection._test_serialized_contents = creation.serialize_db_to_string()
        return name

    creation.create_test_db = create_test_db


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
def migrated_sqlite(_migrated_sqlite_template):
    """migrated_sqlite(path) puts a migrated database at path, for tests whose child
    processes open a SQLite file of their own. Their `migrate` or `jiandu init` then
    finds every migration applied and does the rest of its work as usual."""

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


@pytest.fixture(autouse=True)
def _rate_limits_count_in_one_window(monkeypatch):
    """The portal's rate limits count in fixed windows (jiandu.portal.ratelimit.hit): a
    test's requests that straddle a window's end start the count anew and the expected
    429 never comes, the more often the slower the machine. So the limiter's clock
    stands still for the length of a test (nothing else's does): every request of the
    test falls in one window."""
    from types import SimpleNamespace

    from django.utils import timezone

    from jiandu.portal import ratelimit

    now = timezone.now()
    monkeypatch.setattr(ratelimit, "timezone", SimpleNamespace(now=lambda: now))


@pytest.fixture
def units(db):
    # One insert for the four (most tests ask for them); a new Unit sends nothing on save
    # that bulk_create would skip (jiandu.lib.stamps acts on later saves only).
    units = {
        "justice": Unit(code="T-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE),
        "discipline": Unit(code="T-JW", name="测试县纪委监委", kind=Unit.Kind.DISCIPLINE),
        "a": Unit(code="T-A", name="甲镇人民政府", kind=Unit.Kind.TOWNSHIP),
        "b": Unit(code="T-B", name="测试县市场监督管理局", kind=Unit.Kind.DEPARTMENT),
    }
    Unit.objects.bulk_create(units.values())
    return units


@pytest.fixture
def personas(units):
    return make_users(
        {
            "clerk_a": ("clerk_a", units["a"], Role.CLERK),
            "leader_a": ("leader_a", units["a"], Role.LEADER),
            "clerk_b": ("clerk_b", units["b"], Role.CLERK),
            "leader_b": ("leader_b", units["b"], Role.LEADER),
            "supervisor": ("supervisor", units["justice"], Role.SUPERVISOR),
            "discipline": ("discipline", units["discipline"], Role.DISCIPLINE),
            "inspector": ("inspector", units["justice"], Role.INSPECTOR),
        }
    )


@pytest.fixture
def client_for(db):
    """client_for(user) -> a Client logged in as user; client_for(None) -> anonymous."""

    def make(user):
        return Client() if user is None else signed_in_client(user)

    return make
