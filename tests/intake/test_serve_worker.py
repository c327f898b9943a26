"""With real processes: an import killed with SIGKILL is marked 中断 by the next worker
with exactly what it committed, and resuming it completes it; `jiandu serve` starts a
new worker when its worker dies, and the web server keeps answering."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from jiandu import keys
from tests.intake.factories import CASE_HEADER, case_row, to_csv

ROOT = Path(__file__).resolve().parents[2]

# Run on a copy of the migrated template (migrated_sqlite): no migrate to do. The first
# lines of the import that gets killed: what it commits before it starts importing is
# there for the worker and the resume after it, and no process starts only for this.
SETUP = """
import django
django.setup()
from jiandu.orgs import base_data
from jiandu.orgs.models import Role, Unit, User
from jiandu.standards.models import ViolationItem
base_data.load()
justice = Unit.objects.create(code="T-SFJ", name="测试县司法局", kind="justice")
Unit.objects.create(code="T-A", name="甲镇人民政府", kind="township")
ViolationItem.objects.create(code="V-1", name="未按规定公示")
# No password: nobody signs in as sup, and hashing one (PBKDF2, outside pytest's settings)
# costs a quarter of a CPU-second.
user = User.objects.create_user(username="sup", unit=justice)
user.roles.set(Role.objects.filter(code=Role.SUPERVISOR))
"""

IMPORT = """
import sys, time
from pathlib import Path
from jiandu.intake import actions
from jiandu.orgs.models import User

def stall(written):
    if written == 4:  # inside the third batch's transaction, after its rows were written
        Path(sys.argv[2]).write_text("writing")
        time.sleep(120)

path = Path(sys.argv[1])
batch = actions.create_batch(data=path.read_bytes(), name=path.name, kind="cases",
                             user=User.objects.get(username="sup"))
actions.run_batch(batch, batch_size=2, after_batch=stall)
"""

RESUME = """
import django, json
django.setup()
from jiandu.intake import actions
from jiandu.intake.models import ImportBatch
from jiandu.intake.tasks import start
from jiandu.orgs.models import User
batch = ImportBatch.objects.get()
start(actions.resume_batch(batch, actor=User.objects.get(username="sup")))
batch.refresh_from_db()
print(json.dumps([batch.state, batch.rows, batch.created, batch.updated, batch.unchanged]))
"""


def child_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        JIANDU_DATA_DIR=str(tmp_path),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="jiandu.settings",
    )
    return env


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def batch_row(db):
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select state, created, updated, unchanged, resume_from, message"
            " from intake_importbatch"
        ).fetchone()


@pytest.mark.slow
def test_killed_import_is_marked_interrupted_by_the_next_worker_and_resume_completes_it(
    tmp_path, migrated_sqlite
):
    env = child_env(tmp_path)
    db = migrated_sqlite(tmp_path / "db.sqlite3")
    data = tmp_path / "cases.csv"
    data.write_bytes(to_csv([CASE_HEADER] + [case_row(f"C-{i}") for i in range(8)]))
    flag = tmp_path / "flag"
    proc = subprocess.Popen([sys.executable, "-c", SETUP + IMPORT, str(data), str(flag)], env=env)
    try:
        wait_for(lambda: flag.exists() or proc.poll() is not None, 120, "the third batch")
        assert flag.exists(), "the import never reached its third batch"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    # What the killed process committed: two batches of two rows, counted with them.
    assert batch_row(db)[:5] == ("running", 4, 0, 0, 4)

    worker = subprocess.run(
        [sys.executable, "-m", "jiandu.cli", "manage", "task_worker", "--batch"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worker.returncode == 0, worker.stderr
    assert "标记为中断" in worker.stderr
    state, created, updated, unchanged, resume_from, message = batch_row(db)
    assert (state, created, updated, unchanged, resume_from) == ("interrupted", 4, 0, 0, 4)
    assert "已写入 4 行" in message

    out = subprocess.run(
        [sys.executable, "-c", RESUME],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(out.stdout) == ["done", 8, 8, 0, 0]
    with sqlite3.connect(db) as conn:
        numbers = sorted(r[0] for r in conn.execute("select case_no from enforcement_penaltycase"))
    assert numbers == [f"C-{i}" for i in range(8)]


def children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of a process's children."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append((int(entry.name), cmdline))
    return out


def workers_of(pid):
    return [p for p, cmd in children(pid) if "task_worker" in cmd]


def has_open(pid: int, path: Path) -> bool:
    """Whether the process has the file open (a worker has its database open once it is
    past its start-up: Django set up, stale imports looked for)."""
    try:
        return any(
            os.readlink(fd) == str(path.resolve()) for fd in Path(f"/proc/{pid}/fd").iterdir()
        )
    except OSError:
        return False


def answers(url) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.mark.slow
def test_serve_restarts_a_dead_worker_and_keeps_answering(tmp_path, migrated_sqlite):
    env = child_env(tmp_path)
    db = migrated_sqlite(tmp_path / "db.sqlite3")
    # The keys serve asks for, as `jiandu init` writes them; the database is a migrated
    # copy, so an init process would have nothing else to do that this test looks at
    # (tests/core/test_serve.py does the same).
    keys.ensure(tmp_path)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/login/"
    serve = subprocess.Popen(
        [sys.executable, "-m", "jiandu.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for(lambda: answers(url), 60, "the web server")
        (first,) = wait_for(lambda: workers_of(serve.pid), 30, "the worker")
        os.kill(first, signal.SIGKILL)
        (second,) = wait_for(
            lambda: [p for p in workers_of(serve.pid) if p != first], 30, "a new worker"
        )
        assert second != first and serve.poll() is None
        assert answers(url)
        # The new worker gets through its start-up (no fixed wait: it is polled for),
        # and it is the only one.
        wait_for(lambda: has_open(second, db), 60, "the new worker to open the database")
        assert workers_of(serve.pid) == [second] and serve.poll() is None
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            _out, err = serve.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()
            raise
    assert serve.returncode == 0
    assert "后台任务进程已退出" in err
    assert not answers(url)
