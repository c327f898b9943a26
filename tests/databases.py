"""Test databases built once per test run (helpers of the root conftest.py): the first
pytest-xdist worker builds what the others then copy."""

import fcntl
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

REPO = Path(__file__).resolve().parents[1]


def run_shared_once(tmp_path_factory, worker_id, name, make):
    """make(folder) runs once per test run, in the first pytest-xdist worker to get here,
    while the others wait on the lock; returns the run's folder for `name`."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the workers' common base folder, new for every run
    folder = shared / name
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "done").exists():
            make(folder)
            (folder / "done").touch()
    return folder


def _run(folder, database_url, *command):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        JIANDU_DATA_DIR=str(folder),
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="jiandu.settings",
        PYTHONPATH=str(REPO),
    )
    return subprocess.run(
        [sys.executable, "-m", *command],
        env=env,
        cwd=folder,
        check=True,
        timeout=600,
        stdout=subprocess.PIPE,  # stderr stays with the test's output, to show on failure
        text=True,
    ).stdout


def build_from_models(folder, database_url):
    """The schema the migrations end at, built from the models, with every migration
    recorded as applied (tests/schema_from_models.py says why)."""
    _run(folder, database_url, "tests.schema_from_models")


def postgres_template(tmp_path_factory, worker_id):
    """The PostgreSQL counterpart: one database built from the models once per test run, named after the configured one (test_<name>_template), from which every
    worker's test database is created with CREATE DATABASE ... TEMPLATE. A template
    left by an earlier run is dropped first: the migrations may have changed since."""
    creation = connection.creation
    base = connection.settings_dict["NAME"]
    template = f"test_{base}_template"
    quoted = connection.ops.quote_name(template)

    def make(folder):
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted}")
        url = urlsplit(os.environ.get("DATABASE_URL", ""))
        build_from_models(folder, urlunsplit(url._replace(path=f"/{template}")))

    run_shared_once(tmp_path_factory, worker_id, "migrated-postgres", make)
    return template


@contextmanager
def default_on_an_empty_database(folder):
    """For the length of the block, the default connection opens a new, empty database
    (a file in `folder`, or on PostgreSQL a database beside the test one) and the test
    database's own connection waits aside, open (an in-memory SQLite database lives only
    as long as it). For tests that run migrations from nothing: on the test database they
    would first have to undo every migration, three times the work."""
    from django.contrib.contenttypes.models import ContentType

    saved_name, saved = connection.settings_dict["NAME"], connection.connection
    postgres = connection.vendor == "postgresql"
    name = f"{saved_name}_empty" if postgres else str(folder / "empty.sqlite3")
    quoted = connection.ops.quote_name(name)
    if postgres:
        with connection.creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
            cursor.execute(f"CREATE DATABASE {quoted}")
    connection.connection = None
    connection.settings_dict["NAME"] = name
    ContentType.objects.clear_cache()  # ids of the test database's content types
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        connection.connection = saved
        connection.settings_dict["NAME"] = saved_name
        ContentType.objects.clear_cache()
        if postgres:
            with connection.creation._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
