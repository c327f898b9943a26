"""Two imports of the same file at once both finish, and their counts add up: every row
is created exactly once, and no count is ever negative.

The cause a count could go negative: `created` used to be the keys found missing before
the write (and, for a first import, assumed missing for the whole import), `updated` the
rows the write affected minus that. Rows another session stored in between were
counted created, yet the write left them alone (equal), so `updated` came out negative.
Now the writing statement itself says what it inserted."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

from jiandu.intake import engine
from jiandu.intake.readers import read_bytes
from tests.intake.factories import CASE_HEADER, TODAY, case_row, to_csv

ROOT = Path(__file__).resolve().parents[2]


def test_rows_another_import_stored_meanwhile_are_unchanged_not_negative(units, catalogue):
    data = to_csv([CASE_HEADER] + [case_row(f"C-{i}") for i in range(8)])
    other = []

    def meanwhile(written):
        # After this import's second batch: another import stores every row, so the
        # rest of this file is stored by the time this import writes it.
        if written == 2 and not other:
            other.append(engine.run(read_bytes(data, "x.csv"), "cases", today=TODAY))

    first = engine.run(
        read_bytes(data, "x.csv"), "cases", today=TODAY, batch_size=2, after_batch=meanwhile
    )
    second = other[0]
    for result in (first, second):
        assert min(result.created, result.updated, result.unchanged) >= 0
        assert result.created + result.updated + result.unchanged == 8
    assert (first.created, first.updated, first.unchanged) == (4, 0, 4)
    assert (second.created, second.updated, second.unchanged) == (4, 0, 4)


SETUP = """
import django
django.setup()
from datetime import date
from jiandu.enforcement.models import Officer
from jiandu.orgs.models import Unit
from jiandu.standards.models import Benchmark, Tier, ViolationItem
unit, _ = Unit.objects.get_or_create(code="T-A", defaults={"name": "甲镇人民政府", "kind": "township"})
item, new = ViolationItem.objects.get_or_create(code="V-1", defaults={"name": "未按规定公示"})
if new:
    bench = Benchmark.objects.create(item=item, version=1, effective_on=date(2024, 1, 1))
    Tier.objects.create(benchmark=bench, level="general", fine_min=1000, fine_max=10000)
for cert in ("C001", "C002"):
    Officer.objects.get_or_create(cert_no=cert, defaults={"name": cert, "unit": unit})
"""


def query(env, sql):
    """The rows of a query on the children's database, read from this process (a child
    process to read it would cost a second of Python start-up): on PostgreSQL the test
    database itself, on SQLite the file."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()
    with closing(sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"))) as db:
        return db.execute(sql).fetchall()


def child_env(folder):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        JIANDU_DATA_DIR=str(folder),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="jiandu.settings",
    )
    return env


@pytest.fixture(scope="module")
def _race_sqlite_template(tmp_path_factory, _migrated_sqlite_template):
    """On SQLite, the migrated template with SETUP's rows, made once for the tests here:
    each test gets a copy instead of a set-up process of its own."""
    folder = tmp_path_factory.mktemp("race-template")
    template = folder / "race.sqlite3"
    shutil.copyfile(_migrated_sqlite_template, template)
    env = dict(child_env(folder), DATABASE_URL=f"sqlite:///{template}")
    subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=folder, check=True)
    return template


@pytest.fixture
def race_env(request, transactional_db, tmp_path):
    """Environment for child processes with their own connections to a database that
    has the test's unit, catalogue and officers: on PostgreSQL the test database itself
    (transactions committed, flushed afterwards); on SQLite a file, as deployed (WAL)."""
    env = child_env(tmp_path)
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
        subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=tmp_path, check=True)
    else:  # a copy of the migrated template with SETUP's rows: nothing for `migrate` to do
        path = tmp_path / "race.sqlite3"
        # Through SQLite's backup: whatever of the set-up is still in the template's WAL
        # comes along.
        template = request.getfixturevalue("_race_sqlite_template")
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as copy:
            source.backup(copy)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    return env


def jiandu(env, *args, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "jiandu.cli", *args],
        env=env,
        cwd=env["JIANDU_DATA_DIR"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def cases_file(rows):
    return to_csv([CASE_HEADER] + [case_row(f"R-{i:05d}") for i in range(rows)])


def units_file(rows):
    return to_csv(
        [["单位编码", "单位名称", "单位类型"]]
        + [[f"U-{i:04d}", f"第{i}所", "乡镇"] for i in range(rows)]
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind, make, rows",
    [
        # Upserts, 200 and 1500 rows per transaction. 5000 rows, not 20000: whether the
        # two processes' writes interleave is up to their start-up (a second and more of
        # CPU each, which a busy machine spreads apart) and, on SQLite, its one write
        # lock: at 20000 rows as at 5000 one import wrote every row in the runs measured.
        # The test before this one interleaves the writes on purpose; this one proves
        # that two `jiandu import` processes started at once on the deployed database
        # both finish, without a lock error, duplicate or miscounted row.
        ("cases", cases_file, 5000),
        ("units", units_file, 300),  # written through the ORM, the whole file at once
    ],
)
def test_two_imports_of_the_same_file_at_once_both_finish_with_correct_counts(
    race_env, tmp_path, kind, make, rows
):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(make(rows))
    args = ("import", str(path), "--kind", kind, "--json", "--batch-size")
    # Different batch sizes: one import's batch spans several of the other's, so each
    # writes keys the other is writing at that very moment.
    procs = [jiandu(race_env, *args, size) for size in ("200", "1500")]
    outs = [p.communicate(timeout=300) for p in procs]
    results = []
    for proc, (out, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
        results.append(json.loads(out))
    for r in results:
        assert min(r["created"], r["updated"], r["unchanged"]) >= 0, r
        assert (r["rows"], r["rejected"]) == (rows, 0)
        assert r["created"] + r["updated"] + r["unchanged"] == rows, r
        assert r["updated"] == 0, r  # both write the same values
    assert sum(r["created"] for r in results) == rows  # each row created exactly once

    # The batches recorded the same counts; a third run finds everything unchanged.
    third = jiandu(race_env, *args, "500")
    out, err = third.communicate(timeout=300)
    assert third.returncode == 0, err
    assert (json.loads(out)["unchanged"], json.loads(out)["created"]) == (rows, 0)
    where = {"cases": "enforcement_penaltycase where case_no", "units": "orgs_unit where code"}
    prefix = {"cases": "R-", "units": "U-"}[kind]
    assert query(race_env, f"select count(*) from {where[kind]} like '{prefix}%'") == [(rows,)]
    batches = query(
        race_env,
        "select state, created, updated, unchanged from intake_importbatch order by id",
    )
    counts = sorted(b[1:4] for b in batches[:2])
    assert counts == sorted((r["created"], r["updated"], r["unchanged"]) for r in results)
    assert {b[0] for b in batches} == {"done"}
