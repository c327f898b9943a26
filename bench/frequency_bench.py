"""Frequency caps on scale m (1M inspections), issue 13 §5: a registration or plan check
under 50 ms. Prints figures; not a test.

    .venv/bin/python bench/frequency_bench.py [--scale m] [--checks 500] [--reload]

Data: `jiandu generate --scale m` writes the county's sheets once (into
/tmp/h13plan_bench_data/<scale>); units, enterprises, officers and inspections are loaded
straight into a SQLite database of their own with the loader of bench/rules_bench.py
(DATABASE_URL overrides it). Loading is not measured. Then, with two caps in force (无事不扰
企业 at most 1 a year; every enterprise at most 4):

  registration   caps.visit_warnings(...) for `--checks` random enterprises and days, as
                 enforcement's registration page asks it (per check: median, p95, max)
  plan           caps.plan_warnings(plan) for a plan of 20 enterprises (the filing check)
  whole year     caps.cap_breaches(year) over the whole data set (the same rule function)
  plan of query  EXPLAIN of the one-enterprise count: it must use insp_ent_date_idx
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
GEN_DIR = Path("/tmp/h13plan_bench_data")
TABLES = ["orgs_unit", "enforcement_officer", "enforcement_enterprise", "enforcement_inspection"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="m")
    ap.add_argument("--checks", type=int, default=500)
    ap.add_argument("--reload", action="store_true")
    args = ap.parse_args()
    src = GEN_DIR / args.scale
    if not (src / "inspections.csv").exists():
        import subprocess

        t0 = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/jiandu"), "generate", "--scale", args.scale, "--out", str(src)],
            check=True,
        )
        print(f"generated scale {args.scale} in {time.perf_counter() - t0:.1f} s", flush=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:////tmp/h13plan_freq_{args.scale}.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    load(src, args.reload)
    measure(args)


def load(src, reload):
    import polars as pl
    from django.core.management import call_command
    from django.db import connection

    from jiandu.enforcement.models import Inspection

    call_command("migrate", verbosity=0)
    expected = pl.scan_csv(src / "inspections.csv").select(pl.len()).collect().item()
    if not reload and Inspection.objects.count() == expected:
        return
    import rules_bench

    t0 = time.perf_counter()
    frames = dict(rules_bench.contract_frames(src))
    with connection.cursor() as cur:
        for t in ["planning_frequencycap", *reversed(TABLES)]:
            cur.execute(f"DELETE FROM {t}")
    for table in TABLES:
        rules_bench.write_table(table, frames[table])
        print(f"{table}: {frames[table].height:,} rows", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"loaded in {time.perf_counter() - t0:.1f} s", flush=True)


def ms(seconds):
    return seconds * 1000


def measure(args):
    from django.db import connection

    from jiandu.enforcement.models import Enterprise, Inspection
    from jiandu.orgs.models import Unit
    from jiandu.planning import caps
    from jiandu.planning.models import FrequencyCap, Plan, PlanEntry

    FrequencyCap.objects.all().delete()
    FrequencyCap.objects.create(label="无事不扰企业", quiet_list=True, cap=1)
    FrequencyCap.objects.create(label="一般企业", cap=4)
    n_insp = Inspection.objects.count()
    last = Inspection.objects.order_by("-inspected_on").values_list("inspected_on", flat=True)[0]
    year = last.year
    rnd = random.Random(13)
    ids = list(Enterprise.objects.values_list("id", flat=True))
    print(f"{n_insp:,} inspections, {len(ids):,} enterprises; checks in {year}")

    times, warned = [], 0
    for _ in range(args.checks):
        ent = Enterprise.objects.get(pk=rnd.choice(ids))  # the registration form has it already
        day = date(year, 1, 1) + timedelta(days=rnd.randrange(365))
        t0 = time.perf_counter()
        found = caps.visit_warnings(enterprise=ent, inspected_on=day, mode="onsite")
        times.append(time.perf_counter() - t0)
        warned += bool(found)
    times.sort()
    print(
        f"registration check: median {ms(statistics.median(times)):.2f} ms, "
        f"p95 {ms(times[int(len(times) * 0.95)]):.2f} ms, max {ms(times[-1]):.2f} ms "
        f"over {len(times)} checks ({warned} warned)"
    )

    unit = Unit.objects.enforcement().first()
    plan = Plan.objects.create(unit=unit, year=year, title="基准计划")
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, enterprise_id=e, items="基准", months=";5;")
        for e in rnd.sample(ids, 20)
    )
    t0 = time.perf_counter()
    found = caps.plan_warnings(plan)
    print(
        f"plan check (20 enterprises): {ms(time.perf_counter() - t0):.1f} ms ({len(found)} warned)"
    )
    plan.delete()

    t0 = time.perf_counter()
    whole = caps.cap_breaches(year)
    print(
        f"whole data set, {year}: {ms(time.perf_counter() - t0):.0f} ms, {len(whole):,} enterprises over a cap"
    )

    qs = Inspection.objects.filter(
        enterprise_id=ids[0],
        inspected_on__range=(date(year, 1, 1), date(year, 12, 31)),
        mode="onsite",
    ).values("id")
    print("query plan of the one-enterprise count:")
    print("  " + qs.explain().replace("\n", "\n  "))
    print(
        f"backend: {connection.vendor}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
