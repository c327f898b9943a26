"""A killed import process leaves the database as it was before the batch it was writing."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.intake.factories import CASE_HEADER, case_row, to_csv

ROOT = Path(__file__).resolve().parents[2]

# Run on a copy of the migrated template (migrated_sqlite): no migrate to do.
CHILD = """
import os, sys, time, django
from pathlib import Path
django.setup()
from jiandu.intake import engine
from jiandu.intake.readers import read_bytes
from jiandu.orgs.models import Unit
from jiandu.standards.models import ViolationItem
Unit.objects.create(code="T-A", name="甲镇人民政府", kind="township")
ViolationItem.objects.create(code="V-1", name="未按规定公示")

def stall(done):
    if done == 4:  # inside the third batch's transaction, after its rows were written
        Path(sys.argv[2]).write_text("writing")
        time.sleep(120)

engine.run(read_bytes(Path(sys.argv[1]).read_bytes(), "x.csv"), "cases", batch_size=2, after_batch=stall)
"""


@pytest.mark.slow
def test_killed_import_keeps_finished_batches_only(tmp_path, migrated_sqlite):
    data = tmp_path / "cases.csv"
    data.write_bytes(to_csv([CASE_HEADER] + [case_row(f"C-{i}") for i in range(8)]))
    flag = tmp_path / "flag"
    db = migrated_sqlite(tmp_path / "kill.sqlite3")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        JIANDU_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="jiandu.settings",
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(data), str(flag)], env=env, cwd=tmp_path
    )
    try:
        for _ in range(1200):
            if flag.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert flag.exists(), "the child never reached the third batch"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with sqlite3.connect(db) as conn:
        numbers = sorted(r[0] for r in conn.execute("select case_no from enforcement_penaltycase"))
        officers = {r[0] for r in conn.execute("select officers from enforcement_penaltycase")}
    assert numbers == ["C-0", "C-1", "C-2", "C-3"]
    assert officers == {";C001;C002;"}
