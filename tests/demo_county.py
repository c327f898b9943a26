"""The demo county seeded once for a module of read-only tests (seeding takes seconds of
CPU; each test seeding it again spent most of its time there).

`seeded_once` seeds inside one transaction opened on the worker's test database and rolls
it back when the module is done, so the next module sees the database as before. Each
test still runs inside its own savepoint (pytest-django's `db`), so what a test writes
(a session, an audit row) is gone before the next test reads the county."""

import io
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace

from django.core.management import call_command
from django.db import transaction
from django.test import TestCase

from jiandu.demo.management.commands import seed_demo
from jiandu.orgs import base_data
from jiandu.orgs.models import Role


@contextmanager
def _committing_part():
    """What a part's commit does under `jiandu demo`: its on_commit callbacks run when the
    part ends (the demo marks its routine notifications read then), not at the end of
    the whole seeding, which never commits here."""
    with ExitStack() as stack:
        stack.enter_context(TestCase.captureOnCommitCallbacks(execute=True))
        stack.enter_context(transaction.atomic())
        yield


def seed_demo_county():
    """The real `seed_demo` command, each part's transaction ending as if it committed."""
    parts = SimpleNamespace(atomic=_committing_part)
    original = seed_demo.transaction
    seed_demo.transaction = parts
    try:
        call_command("seed_demo", stdout=io.StringIO())
    finally:
        seed_demo.transaction = original


def seeded_once(django_db_blocker, seed):
    """Generator for a module-scoped fixture: seed() inside an open transaction, yield its
    result to the module's tests, roll everything back at the end. Every test of the
    module must use the fixture and `db` (not `transactional_db`): a test after the first
    one that uses it would otherwise see the county all the same, and a transactional one
    would flush it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # A transactional test before this module flushed the base data; the root
            # conftest's `_base_data_present` puts it back only when a test starts.
            if not Role.objects.exists():
                base_data.load()
            result = seed()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield result
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
