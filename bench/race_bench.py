"""Parallel identical requests at the ledger's transitions (bench/race_bench.py).

For each database (a fresh temporary SQLite file, and PostgreSQL when a server URL is
given) it migrates a throw-away database, creates a county with a unit, a supervisor
and overdue / awaiting problems, and fires N identical POSTs at once (threads released
by a barrier, each with its own Django test client and its own database connection,
through the full middleware stack: session, CSRF-exempt test client, HTMX):

  escalate   N × the same 督办意见 on one overdue problem    → 1 督办, N-1 refused
  lead       N × 督办 + 移交纪委 with N different reasons     → 1 open lead, N-1 refused
  accept     N × 验收销号 on one 待验收 problem               → 1 closed, N-1 refused
  extension  N × the same 延期申请 by the unit's clerk        → 1 pending request

It prints, per scenario: requests sent, succeeded (the page says so), refused (the page
shows why), errors (5xx or exceptions), and the rows that changed in the database.
Exits 1 if any scenario made more than one change or raised an error.

    .venv/bin/python bench/race_bench.py [-n 16]
        [--pg postgres://postgres@127.0.0.1:5432/postgres]   # server to create the DB on
        [--only sqlite|postgres]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("escalate", "lead", "accept", "extension")


# -- the parent: one child process per database (Django is configured once per process) --


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=16, help="parallel identical requests")
    parser.add_argument("--pg", default=os.environ.get("RACE_BENCH_PG", ""))
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.exit(child(args.child, args.n))
    if not 2 <= args.n <= 200:
        parser.error("-n must be between 2 and 200")
    failed = False
    with tempfile.TemporaryDirectory(prefix="race-bench-") as tmp:
        targets = []
        if args.only in (None, "sqlite"):
            targets.append(("sqlite", f"sqlite:///{Path(tmp) / 'race.sqlite3'}"))
        if args.only in (None, "postgres"):
            if args.pg:
                targets.append(("postgres", create_pg_database(args.pg)))
            else:
                print("PostgreSQL: skipped (pass --pg postgres://user@host:port/postgres)")
        print(
            f"{'db':<9}{'scenario':<11}{'sent':>6}{'ok':>6}{'refused':>9}{'errors':>8}  rows changed"
        )
        for name, url in targets:
            env = dict(os.environ, DATABASE_URL=url, JIANDU_DATA_DIR=tmp, JIANDU_LOG_LEVEL="ERROR")
            env.pop("DJANGO_SETTINGS_MODULE", None)
            try:
                code = subprocess.call(
                    [sys.executable, __file__, "--child", name, "-n", str(args.n)],
                    env=env,
                    cwd=ROOT,
                )
            finally:
                if name == "postgres":
                    drop_pg_database(args.pg, url)
            failed |= code != 0
    sys.exit(1 if failed else 0)


def _admin(server_url):
    import psycopg

    conn = psycopg.connect(server_url.replace("postgres://", "postgresql://", 1))
    conn.autocommit = True
    return conn


def create_pg_database(server_url):
    name = f"jiandu_race_bench_{os.getpid()}"
    with _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(server_url, url):
    name = url.rsplit("/", 1)[1]
    with _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the child: a configured Django, real connections, N threads per scenario -------


def child(db_name, n):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiandu.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    county = setup_county()
    bad = False
    for scenario in SCENARIOS:
        sent, ok, refused, errors, changed = run_scenario(scenario, county, n)
        rows = ", ".join(f"{k} +{v}" for k, v in changed.items() if v) or "none"
        print(f"{db_name:<9}{scenario:<11}{sent:>6}{ok:>6}{refused:>9}{errors:>8}  {rows}")
        sys.stdout.flush()
        expected_ok = 1
        bad |= errors > 0 or ok != expected_ok or ok + refused != sent
    return 1 if bad else 0


def setup_county():
    from datetime import timedelta

    from django.utils import timezone

    from jiandu.orgs import base_data
    from jiandu.orgs.models import Role, Unit, User

    base_data.load()
    justice = Unit.objects.create(code="RB-SFJ", name="压测县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="RB-CGZ", name="压测镇人民政府", kind=Unit.Kind.TOWNSHIP)

    def user(username, unit, role):
        u = User.objects.create_user(username=username, password="Race-bench-2026", unit=unit)
        u.roles.set(Role.objects.filter(code=role))
        return u

    return {
        "supervisor": user("rb_sup", justice, Role.SUPERVISOR),
        "clerk": user("rb_clerk", town, Role.CLERK),
        "town": town,
        "today": timezone.localdate(),
        "timedelta": timedelta,
    }


def make_problem(county, state, days):
    from jiandu.ledger.models import Problem
    from jiandu.orgs.models import FocusArea

    return Problem.objects.create(
        unit=county["town"],
        focus_area=FocusArea.objects.get(code="procedure"),
        description="压测问题",
        source=Problem.Source.SUPERVISION,
        state=state,
        measures="措施",
        responsible_person="张三",
        deadline=county["today"] + county["timedelta"](days=days),
    )


def counts(problem):
    from jiandu.audit.models import AuditEvent
    from jiandu.ledger.models import DeadlineChange, Escalation, Lead, Problem
    from jiandu.orgs.models import Notification

    return {
        "escalations": Escalation.objects.filter(problem=problem).count(),
        "leads": Lead.objects.filter(problem=problem).count(),
        "extension_requests": DeadlineChange.objects.filter(problem=problem).count(),
        "closed": Problem.objects.filter(pk=problem.pk, state=Problem.State.CLOSED).count(),
        "audit_rows": AuditEvent.objects.count(),
        "notifications": Notification.objects.count(),
    }


def run_scenario(scenario, county, n):
    from django.db import connections
    from django.test import Client
    from django.utils import timezone

    from jiandu.ledger.models import Problem

    S = Problem.State
    if scenario == "accept":
        problem = make_problem(county, S.AWAITING_ACCEPTANCE, 5)
        Problem.objects.filter(pk=problem.pk).update(submitted_at=timezone.now())
        who, path = county["supervisor"], "accept"

        def data(i):
            return {"accept-note": "同意销号"}

        marker = "已验收销号"
    elif scenario == "extension":
        problem = make_problem(county, S.IN_PROGRESS, 5)
        who, path = county["clerk"], "extension"
        wanted = (county["today"] + county["timedelta"](days=40)).isoformat()

        def data(i):
            return {"extension-new_deadline": wanted, "extension-reason": "等待检测报告"}

        marker = "延期申请已提交"
    else:
        problem = make_problem(county, S.IN_PROGRESS, -5)
        who, path = county["supervisor"], "escalate"

        def data(i):
            if scenario == "lead":
                return {"escalate-note": f"督办意见 {i}", "escalate-to_discipline": "on"}
            return {"escalate-note": "请三日内整改到位并书面报告"}

        marker = "已督办"

    clients = []
    for _ in range(n):
        c = Client(HTTP_HX_REQUEST="true")  # the page's own HTMX post
        c.force_login(who)
        clients.append(c)
    before = counts(problem)
    barrier = threading.Barrier(n)
    results = []
    guard = threading.Lock()
    url = f"/ledger/{problem.pk}/{path}/"

    def run(i):
        try:
            barrier.wait()
            response = clients[i].post(url, data(i))
            body = response.content.decode()
            if response.status_code >= 500:
                outcome = "error"
            elif f'alert-success" role="status">{marker}' in body:
                outcome = "ok"
            else:
                outcome = "refused"
        except Exception as exc:  # counted and printed, never hidden
            print(f"  {scenario} request {i}: {exc!r}", file=sys.stderr)
            outcome = "error"
        finally:
            connections.close_all()
        with guard:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = counts(problem)
    changed = {k: after[k] - before[k] for k in after}
    return n, results.count("ok"), results.count("refused"), results.count("error"), changed


if __name__ == "__main__":
    main()
