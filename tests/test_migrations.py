"""Test databases are built from the models (tests/schema_from_models.py), not by running
the migrations: this proves, on the backend the suite runs on, that the real migration
command on an empty database builds exactly that schema."""

import json
import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from tests import databases

pytestmark = pytest.mark.slow

# Django's own, not ours: on PostgreSQL contrib.auth's migrations give the join table of
# Group.permissions a bigint id (the project's DEFAULT_AUTO_FIELD) where its models say
# integer (auth's default_auto_field). Nothing of ours reads that id.
DJANGOS_OWN = {("auth_group_permissions", "id")}


def _describe(folder, url):
    out = databases.describe(folder, url)
    return {
        table: {
            part: {json.dumps(row, ensure_ascii=False) for row in rows}
            for part, rows in shape.items()
        }
        for table, shape in json.loads(out).items()
    }


@pytest.fixture
def two_empty_databases(tmp_path, django_db_blocker):
    """Two empty databases of the backend under test: (folder, url) each."""
    if connection.vendor == "sqlite":
        yield [(tmp_path, f"sqlite:///{tmp_path / name}.sqlite3") for name in ("a", "b")]
        return
    url = urlsplit(os.environ["DATABASE_URL"])
    names = [f"test_{connection.settings_dict['NAME']}_schema_{n}" for n in ("a", "b")]

    def each(*statements):
        with django_db_blocker.unblock(), connection.creation._nodb_cursor() as cursor:
            for name in names:
                for statement in statements:
                    cursor.execute(statement.format(connection.ops.quote_name(name)))

    each("DROP DATABASE IF EXISTS {}", "CREATE DATABASE {}")
    yield [(tmp_path, urlunsplit(url._replace(path=f"/{name}"))) for name in names]
    each("DROP DATABASE IF EXISTS {}")


def test_the_migrations_build_the_schema_the_test_databases_start_from(two_empty_databases):
    (folder, migrated), (_, from_models) = two_empty_databases
    databases.migrate(folder, migrated)
    databases.build_from_models(folder, from_models)

    by_migrations, by_models = _describe(folder, migrated), _describe(folder, from_models)
    for shape in (by_migrations, by_models):
        for table, column in DJANGOS_OWN:
            if table in shape:
                shape[table]["columns"] = {
                    row for row in shape[table]["columns"] if json.loads(row)[0] != column
                }

    assert len(by_models) > 100
    assert "ledger_problem" in by_models
    assert sorted(by_migrations) == sorted(by_models)
    differ = {
        table: {
            part: {
                "migrations only": sorted(by_migrations[table][part] - shape[part]),
                "models only": sorted(shape[part] - by_migrations[table][part]),
            }
            for part in ("columns", "constraints")
            if by_migrations[table][part] != shape[part]
        }
        for table, shape in by_models.items()
        if by_migrations[table] != shape
    }
    assert differ == {}
