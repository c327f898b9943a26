"""How long `jiandu remind --dry-run` takes on scale s (100k cases, 100k inspections), with
a county's worth of watched deadlines beside them.

    .venv/bin/python bench/remind_bench.py [--scale s] [--problems 20000] [--reload]

Data: `jiandu generate --scale s` (the intake generator) loaded into a SQLite file of its
own by bench/rules_bench.py's loader (not measured); then, once, one clerk and one
leader per unit (all with an e-mail address), `--problems` open problems with deadlines
spread over 60 days around today, 2,000 complaints received over the last 30 days and
500 open leads (what earlier measurements sent is deleted first). Measured: the wall time
of the real console command `jiandu remind --dry-run --json` (a fresh process: Django's
start included), in-process `plan(today)` alone with the messages it finds, then a real
`jiandu remind` (in-app only) and a second one the same day (sends nothing).
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GEN_DIR = Path("/tmp/jiandu_bench_data")
DB = "/tmp/jiandu_remind_bench.sqlite3"


def rules_bench():
    spec = importlib.util.spec_from_file_location("rules_bench", ROOT / "bench" / "rules_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="s")
    ap.add_argument("--problems", type=int, default=20000)
    ap.add_argument("--reload", action="store_true")
    ap.add_argument("--child", choices=["load", "seed", "measure"])
    args = ap.parse_args()
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{DB}", JIANDU_LOG_LEVEL="ERROR")
    if args.child:
        os.environ.update(env)
        rb = rules_bench()
        rb.setup()
        if args.child == "load":
            return rb.load(args)
        return seed(args) if args.child == "seed" else measure()
    out = GEN_DIR / args.scale
    if not (out / "transfers.csv").exists():
        t0 = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/jiandu"), "generate", "--scale", args.scale, "--out", str(out)],
            check=True,
        )
        print(f"generated scale {args.scale} in {time.perf_counter() - t0:.1f} s", flush=True)
    base = [sys.executable, __file__, "--scale", args.scale, "--problems", str(args.problems)]
    subprocess.run(
        [*base, "--child", "load", *(["--reload"] if args.reload else [])], env=env, check=True
    )
    subprocess.run([*base, "--child", "seed"], env=env, check=True)
    t0 = time.perf_counter()
    done = subprocess.run(
        [str(ROOT / ".venv/bin/jiandu"), "remind", "--dry-run", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - t0
    lines = done.stdout.strip().splitlines()
    subprocess.run([*base, "--child", "measure"], env=env, check=True)
    print(
        f"jiandu remind --dry-run --json: {wall:.2f} s wall (fresh process), {len(lines):,} messages"
    )
    # The real run (in-app only: no EMAIL_HOST, no robot), then the same day again.
    quiet = {k: v for k, v in env.items() if k not in ("EMAIL_HOST", "JIANDU_WEBHOOK_URL")}
    for label in ("jiandu remind (sends, records)", "jiandu remind again (idempotent)"):
        t0 = time.perf_counter()
        done = subprocess.run(
            [str(ROOT / ".venv/bin/jiandu"), "remind"],
            env=quiet,
            check=True,
            capture_output=True,
            text=True,
        )
        took = time.perf_counter() - t0
        print(f"{label}: {took:.2f} s wall; {done.stdout.strip()}")


def seed(args):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from jiandu.enforcement.models import Inspection, PenaltyCase
    from jiandu.ledger.models import Lead, Problem
    from jiandu.orgs.models import FocusArea, Role, Unit, User
    from jiandu.portal.models import Complaint

    call_command("migrate", verbosity=0)
    call_command("load_base_data", verbosity=0)  # roles and focus areas
    # Every measurement starts from nothing sent.
    from jiandu.orgs.models import Notification
    from jiandu.reminders.models import ReminderDraft, ReminderLog, ReminderPause

    for model in (ReminderLog, ReminderDraft, ReminderPause, Notification):
        model.objects.all().delete()
    if Problem.objects.count() >= args.problems:
        return
    today = timezone.localdate()
    units = list(Unit.objects.filter(kind__in=Unit.ENFORCEMENT_KINDS))
    clerk, leader = Role.objects.get(code=Role.CLERK), Role.objects.get(code=Role.LEADER)
    for u in units:
        for suffix, role in (("tb", clerk), ("fz", leader)):
            user, _ = User.objects.get_or_create(
                username=f"bench_{u.pk}_{suffix}",
                defaults={
                    "unit": u,
                    "full_name": f"{u.name}{suffix}",
                    "email": f"{u.pk}{suffix}@x.example",
                },
            )
            user.roles.add(role)
    area = FocusArea.objects.first()
    Problem.objects.bulk_create(
        [
            Problem(
                unit=units[i % len(units)],
                focus_area=area,
                description=f"基准问题 {i}",
                source=Problem.Source.OTHER,
                deadline=today + timedelta(days=(i % 61) - 30),
            )
            for i in range(args.problems)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Complaint.objects.bulk_create(
        [
            Complaint(
                tracking_code=f"BENCH{i:06d}",
                category="other",
                description="基准举报",
                received_at=now - timedelta(days=i % 30),
                unit=units[i % len(units)] if i % 2 else None,
                state=Complaint.State.ASSIGNED if i % 2 else Complaint.State.RECEIVED,
            )
            for i in range(2000)
        ],
        batch_size=2000,
    )
    Lead.objects.bulk_create(
        [
            Lead(
                unit=units[i % len(units)],
                title=f"基准线索 {i}",
                description="…",
                source="other",
                created_at=now - timedelta(days=i % 40),
            )
            for i in range(500)
        ]
    )
    print(
        f"seeded: {PenaltyCase.objects.count():,} cases, {Inspection.objects.count():,} inspections, "
        f"{Problem.objects.count():,} problems, {Complaint.objects.count():,} complaints, "
        f"{Lead.objects.count():,} leads, {len(units)} units",
        flush=True,
    )


def measure():
    from django.utils import timezone

    from jiandu.enforcement.models import Inspection, PenaltyCase
    from jiandu.reminders.run import fast_calendar, plan

    today = timezone.localdate()
    cal = fast_calendar()
    while not cal.is_workday(today):
        today = cal.add_workdays(today, 1)
    t0 = time.perf_counter()
    messages = plan(today, cal)
    took = time.perf_counter() - t0
    print(
        f"data: {PenaltyCase.objects.count():,} cases, {Inspection.objects.count():,} inspections"
    )
    print(f"plan({today}) in process: {took:.2f} s, {len(messages):,} messages")


if __name__ == "__main__":
    main()
