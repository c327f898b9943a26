"""Build a test database's schema straight from the models and record every migration as
applied: `python -m tests.schema_from_models` on the database DATABASE_URL names.

Running the 66 migrations of a fresh database takes Django most of half a minute here
(each step re-renders the whole related model graph), and a test database needs only
where they end. `makemigrations --check` proves the migrations end at the models, and
tests/test_migrations.py proves the schema they build is the one built here, on each
backend; so test databases start from this one, and a `jiandu init` or `migrate` a test
runs on a copy finds every migration applied, as on an installed county."""

import django
from django.conf import settings


def build():
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
    # An app without migration modules gets its tables from its models (--run-syncdb).
    settings.MIGRATION_MODULES = {app.label: None for app in django.apps.apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, verbosity=0)
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.migration_qs.bulk_create(
        recorder.Migration(app=app, name=name) for app, name in sorted(applied)
    )


def schema(connection=None):
    """The schema of the database `connection` opens (the default one unless given), in
    terms both ways of building it must agree on: every table's columns (name, type, null)
    and its keys, indexes and checks (columns, kind, target) as JSON. Names count only where
    the models declare them: the ones Django derives carry the table a model had when they
    were made, and tables have been renamed since (models moved between apps)."""
    import json

    from django.apps import apps
    from django.db import connection as default

    connection = connection or default
    declared = {
        item.name
        for model in apps.get_models(include_auto_created=True)
        for item in (*model._meta.indexes, *model._meta.constraints)
    }
    tables = {}
    with connection.cursor() as cursor:
        introspection = connection.introspection
        for table in introspection.table_names(cursor):
            columns = sorted(
                (c.name, str(c.type_code), bool(c.null_ok))
                for c in introspection.get_table_description(cursor, table)
            )
            constraints = sorted(
                json.dumps(
                    {
                        "name": name if name in declared else None,
                        "columns": list(c["columns"] or []),
                        "kind": [k for k in ("primary_key", "unique", "check", "index") if c[k]],
                        "foreign_key": list(c["foreign_key"] or []),
                    },
                    sort_keys=True,
                    ensure_ascii=False,
                )
                for name, c in introspection.get_constraints(cursor, table).items()
            )
            tables[table] = {"columns": columns, "constraints": constraints}
    return tables


if __name__ == "__main__":
    build()
