"""A 双随机 draw over a 100k-enterprise pool (issue 13 §5: under 2 s). Prints figures; not
a test.

    .venv/bin/python bench/draw_bench.py [--pool 100000] [--n 200] [--db /tmp/jiandu_draw_bench.sqlite3]

A fresh SQLite database (or DATABASE_URL when set) gets `--pool` enterprises of one
industry, a few hundred recent inspections (excluded) and 40 officers of one unit. Then,
through the platform's own actions:

  pools      the pools after exclusions (set-based queries), what 公告 fixes
  announce   pools + seed + commitment + the row written (the JSON of 100k USCCs)
  rank       lottery.pick over the pool alone (SHA-256 per key, sort)
  draw       reveal, rank both pools, write n planned inspections and the RandomDraw
  verify     an outsider's check of the public JSON with hashlib (commitment + both ranks)
"""

import argparse
import hashlib
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


CPU = {}


def timed(fn, *args, **kwargs):
    """Wall time; the process's CPU time goes to CPU[fn name] (on a loaded machine the
    wall time includes waiting for a core, the CPU time does not)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    CPU[fn.__name__] = time.process_time() - c0
    return time.perf_counter() - t0, result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pool", type=int, default=100_000)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--db", default="/tmp/jiandu_draw_bench.sqlite3")
    args = ap.parse_args()
    if "DATABASE_URL" not in os.environ:
        Path(args.db).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    os.environ.setdefault("JIANDU_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from jiandu.enforcement.models import Enterprise, Inspection, Officer
    from jiandu.lib.uscc import make
    from jiandu.orgs.models import Role, Unit, User
    from jiandu.planning import actions, lottery
    from jiandu.planning.public import draw_json

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    unit = Unit.objects.create(code="B-SCJ", name="基准县市场监督管理局", kind=Unit.Kind.DEPARTMENT)
    Role.objects.get_or_create(code=Role.CLERK, defaults={"name": "单位填报员"})
    Role.objects.get_or_create(code=Role.DISCIPLINE, defaults={"name": "纪检监督员"})
    clerk = User.objects.create(username="bench_clerk", unit=unit)
    clerk.roles.set(Role.objects.filter(code=Role.CLERK))
    jw = Unit.objects.create(code="B-JW", name="基准县纪委监委", kind=Unit.Kind.DISCIPLINE)
    witness = User.objects.create(username="bench_witness", unit=jw)
    witness.roles.set(Role.objects.filter(code=Role.DISCIPLINE))

    t0 = time.perf_counter()
    Enterprise.objects.bulk_create(
        (
            Enterprise(uscc=make(f"91330000MA{i:07d}"), name=f"企业{i}", industry="餐饮")
            for i in range(args.pool)
        ),
        batch_size=5000,
    )
    ents = list(Enterprise.objects.order_by("id").values_list("id", flat=True)[:500])
    Inspection.objects.bulk_create(
        Inspection(
            unit=unit,
            inspection_no=f"B-{i}",
            enterprise_id=e,
            enterprise_name="x",
            inspected_on=today - timedelta(days=i % 60),
        )
        for i, e in enumerate(ents)
    )
    Officer.objects.bulk_create(
        Officer(
            cert_no=f"B{i:05d}", name=f"人员{i}", unit=unit, valid_until=today + timedelta(days=365)
        )
        for i in range(40)
    )
    print(
        f"set-up: {args.pool:,} enterprises, 500 recent inspections, 40 officers in {time.perf_counter() - t0:.1f} s"
    )

    draw = actions.create_draw(
        unit=unit, actor=clerk, title="基准抽查", n=args.n, draw_on=today,
        inspect_on=today + timedelta(days=7), items="基准", industries=["餐饮"], recent_days=90,
    )  # fmt: skip
    t_pools, found = timed(actions.pools, draw)
    t_announce, draw = timed(
        actions.announce_draw, draw, actor=witness, witness_value="bench-witness"
    )
    t_rank, _ = timed(lottery.pick, draw.seed, draw.pool, args.n)
    t_draw, draw = timed(actions.run_draw, draw, actor=clerk)
    data = draw_json(draw)

    def outsider(d):
        h = lambda s: hashlib.sha256(s.encode("utf-8")).hexdigest()  # noqa: E731
        assert h(d["seed"]) == d["commitment"]
        assert sorted(d["pool"], key=lambda k: h(d["seed"] + "|" + k))[: d["n"]] == d["selected"]
        assert (
            sorted(d["officer_pool"], key=lambda k: h(d["seed"] + "|" + k))[: d["officer_n"]]
            == d["officers"]
        )

    t_verify, _ = timed(outsider, data)
    planned = Inspection.objects.filter(random_draw=draw.random_draw).count()
    print(
        f"pool after exclusions: {len(found['pool']):,} (excluded recent {len(found['excluded']['recent'])})"
    )
    cpu = {k: v * 1000 for k, v in CPU.items()}
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("step       wall ms   cpu ms")
    print(f"pools      {t_pools * 1000:7.0f}  {cpu['pools']:7.0f}")
    print(
        f"announce   {t_announce * 1000:7.0f}  {cpu['announce_draw']:7.0f}  (pools + seed + commitment + row)"
    )
    print(
        f"rank       {t_rank * 1000:7.0f}  {cpu['pick']:7.0f}  (SHA-256 of {len(draw.pool):,} keys, sorted)"
    )
    print(
        f"draw       {t_draw * 1000:7.0f}  {cpu['run_draw']:7.0f}  ({planned} planned inspections written)"
    )
    print(
        f"verify     {t_verify * 1000:7.0f}  {cpu['outsider']:7.0f}  (an outsider's hashlib check of the JSON)"
    )
    total_cpu = cpu["announce_draw"] + cpu["run_draw"]
    print(
        f"announce + draw: {(t_announce + t_draw):.2f} s wall, {total_cpu / 1000:.2f} s cpu (target < 2 s)"
    )


if __name__ == "__main__":
    main()
