"""文号 under parallel issuing: threads, each with its own connection, released together.
No gap, no duplicate. On PostgreSQL the counter row is locked (SELECT ... FOR UPDATE);
on SQLite writers are serialised by IMMEDIATE transactions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jiandu_h11docs \
        pytest tests/documents/test_gongwen_races.py -n 0
"""

import threading

import pytest
from django.db import connection, connections

from jiandu.documents import gongwen
from jiandu.documents.models import DocumentNumber, IssuedDocument

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="in-process threads: PostgreSQL (SQLite below)"
)

N = 8


def fire(n, call):
    barrier = threading.Barrier(n)
    errors, lock = [], threading.Lock()

    def run(i):
        try:
            barrier.wait()
            call(i)
        except Exception as exc:  # an IntegrityError here would be a lost race
            with lock:
                errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_numbers_have_no_gap_and_no_duplicate():
    rounds = 3
    for _ in range(rounds):
        fire(N, lambda i: gongwen.issue_number("supervision_letter", 2026))
    seqs = sorted(
        DocumentNumber.objects.filter(kind="supervision_letter", year=2026).values_list(
            "seq", flat=True
        )
    )
    assert seqs == list(range(1, N * rounds + 1))


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_documents_each_get_their_own_number(personas, units):
    sup = personas["supervisor"]
    fire(
        N,
        lambda i: gongwen.issue_document(
            "rectification_notice",
            unit=units["a"],
            context={"title": f"整改通知{i}", "body_sections": []},
            actor=sup,
        ),
    )
    docs = IssuedDocument.objects.select_related("number")
    assert sorted(d.number.seq for d in docs) == list(range(1, N + 1))
    assert len({d.file.name for d in docs}) == N


CHILD = """
import os, sys, threading
import django
django.setup()
from django.db import connections
from jiandu.documents import gongwen
from jiandu.documents.models import DocumentNumber
n = int(sys.argv[1])
# As installed, the file is in WAL already (`jiandu init`); the copied one is switched on
# its first opening, here, not by n threads opening it at once.
connections["default"].ensure_connection()
connections.close_all()
barrier, errors = threading.Barrier(n), []
def run():
    try:
        barrier.wait()
        gongwen.issue_number("supervision_letter", 2026)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()
threads = [threading.Thread(target=run) for _ in range(n)]
[t.start() for t in threads]
[t.join() for t in threads]
print(errors)
print(sorted(DocumentNumber.objects.values_list("seq", flat=True)))
"""


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
def test_parallel_numbers_on_a_sqlite_file(tmp_path, migrated_sqlite):
    """SQLite as deployed (a file, WAL, IMMEDIATE transactions): the test database in
    memory cannot take parallel writers, so a child process runs the threads on a file."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(
        JIANDU_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{migrated_sqlite(tmp_path / 'j.sqlite3')}",
        DJANGO_SETTINGS_MODULE="jiandu.settings",
        SECRET_KEY="test-only-" + "x" * 50,
    )
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(N)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout.splitlines()
    assert out[-2] == "[]"
    assert out[-1] == str(list(range(1, N + 1)))
