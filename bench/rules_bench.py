"""All monitoring rules over scale m (1M cases + 1M inspections) on SQLite and PostgreSQL,
beside DuckDB running DISC-01 and INSP-02 on the same data in the same run.

    .venv/bin/pip install -e ".[bench]"    # duckdb and xlsxwriter, not in a plain install
    .venv/bin/python bench/rules_bench.py [--scale m] [--backend sqlite postgres] [--reload]

Data: `jiandu generate --scale m` (the intake generator) writes the county's sheets once;
they are loaded straight into the tables with Polars (executemany on SQLite, COPY on
PostgreSQL); loading is not part of the measured figures. Each backend is measured in a
fresh child process so its peak memory (ru_maxrss) is its own:

  run 1  run_rules() from an empty alert table: per rule evaluate ms, store ms, hits
  run 2  run_rules() again (the upsert path: nothing new)
  duck   the frames of DISC-01 and INSP-02 (pulled from the database once), then the
         Polars rule vs DuckDB SQL on those same frames, compute time only
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GEN_DIR = Path("/tmp/jiandu_bench_data")
URLS = {
    "sqlite": "sqlite:////tmp/jiandu_rules_bench.sqlite3",
    "postgres": "postgres://postgres@127.0.0.1:5432/jiandu_rules_bench",
}


# ------------------------------------------------------------------ parent


def main():
    try:
        import duckdb  # noqa: F401
    except ImportError:
        sys.exit('需要 duckdb：.venv/bin/pip install -e ".[bench]"')
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="m")
    ap.add_argument("--backend", nargs="+", default=["sqlite", "postgres"])
    ap.add_argument("--reload", action="store_true", help="reload the tables even if loaded")
    ap.add_argument("--child", choices=["load", "measure"])
    args = ap.parse_args()
    if args.child:
        return child(args)
    out = GEN_DIR / args.scale
    if not (out / "transfers.csv").exists():
        t0 = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/jiandu"), "generate", "--scale", args.scale, "--out", str(out)],
            check=True,
        )
        print(f"generated scale {args.scale} in {time.perf_counter() - t0:.1f} s", flush=True)
    report = {}
    for backend in args.backend:
        env = dict(os.environ, DATABASE_URL=URLS[backend], JIANDU_LOG_LEVEL="ERROR")
        base = [sys.executable, __file__, "--scale", args.scale, "--backend", backend]
        subprocess.run(
            [*base, "--child", "load", *(["--reload"] if args.reload else [])], env=env, check=True
        )
        res = subprocess.run(
            [*base, "--child", "measure"], env=env, check=True, capture_output=True, text=True
        )
        sys.stderr.write(res.stderr)
        report[backend] = json.loads(res.stdout.strip().splitlines()[-1])
        print_report(backend, report[backend])
    Path("/tmp/jiandu_rules_bench.json").write_text(json.dumps(report, indent=1))


def print_report(backend, r):
    print(f"\n=== {backend}: {r['cases']:,} cases, {r['inspections']:,} inspections ===")
    run1, run2 = r["run1"], r["run2"]
    print(
        f"{'rule':8} {'hits':>8} {'load ms':>8} {'eval ms':>8} {'store ms':>9} | rerun load+eval+store ms"
    )
    for rule_id, x in run1["results"].items():
        y = run2["results"].get(rule_id, {})
        print(
            f"{rule_id:8} {x.get('hits', 0):>8,} {x.get('load_ms', 0):>8,} {x.get('ms', 0):>8,} {x.get('store_ms', 0):>9,}"
            f" | {y.get('load_ms', 0) + y.get('ms', 0) + y.get('store_ms', 0):>8,}  {x['status'] if x['status'] != 'ok' else ''}"
        )
    for name in ("run1", "run2"):
        x = r[name]
        ev = sum(v.get("ms", 0) for v in x["results"].values())
        st = sum(v.get("store_ms", 0) for v in x["results"].values())
        print(
            f"{name}: wall {x['wall_s']:.1f} s = load {x['load_ms'] / 1000:.1f} s + evaluate {ev / 1000:.1f} s + store {st / 1000:.1f} s (+ overhead)"
        )
    d = r["duck"]
    print(f"frames pulled for the comparison: {d['load_s']:.1f} s")
    for rule in ("DISC-01", "INSP-02"):
        p, k = d[rule]["polars_s"], d[rule]["duckdb_s"]
        print(
            f"{rule}: polars {p:.2f} s ({d[rule]['polars_hits']:,} hits) vs duckdb {k:.2f} s ({d[rule]['duckdb_hits']:,} hits) -> {p / k:.2f}x"
        )
    print(f"peak memory (ru_maxrss of the measuring process): {r['peak_mib']:,.0f} MiB")


# ------------------------------------------------------------------ children


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiandu.settings")
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as conn:
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = 'jiandu_rules_bench'"
            ).fetchone():
                conn.execute("CREATE DATABASE jiandu_rules_bench")
    import django

    django.setup()


def child(args):
    setup()
    if args.child == "load":
        load(args)
    else:
        measure(args)


def load(args):
    import polars as pl
    from django.core.management import call_command
    from django.db import connection

    from jiandu.enforcement.models import Inspection, PenaltyCase

    call_command("migrate", verbosity=0)
    src = GEN_DIR / args.scale
    expected = pl.scan_csv(src / "cases.csv").select(pl.len()).collect().item()
    if not args.reload and PenaltyCase.objects.count() == expected and Inspection.objects.exists():
        print(f"[{connection.vendor}] data already loaded", file=sys.stderr)
        return
    t0 = time.perf_counter()
    frames = contract_frames(src)
    tables = [
        "monitoring_alert",
        "monitoring_rulerun",
        "enforcement_creditrepair",
        "enforcement_transfer",
        "enforcement_inspection",
        "enforcement_randomdraw",
        "enforcement_penaltycase",
        "standards_lenientlistitem",
        "standards_tier",
        "standards_benchmark",
        "standards_violationitem",
        "enforcement_enterprise",
        "enforcement_officer",
    ]
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f"DELETE FROM {t}")
        cur.execute("UPDATE orgs_user SET unit_id = NULL")
        cur.execute("DELETE FROM audit_auditevent")
        cur.execute("DELETE FROM orgs_unit_domains")
        cur.execute("DELETE FROM orgs_unit")
    for table, frame in frames:
        write_table(table, frame)
        print(f"[{connection.vendor}] {table}: {frame.height:,} rows", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
            for table, _ in frames:
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
                )
    print(f"[{connection.vendor}] loaded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


def contract_frames(src):
    """The generator's sheets (DATA_CONTRACT.md headers and labels) as table rows."""
    import polars as pl

    now = "2026-11-26 00:00:00+00:00"

    def read(name):
        return pl.read_csv(
            src / f"{name}.csv", infer_schema_length=0, encoding="utf8-lossy"
        ).rename(lambda c: c.lstrip("\ufeff"))

    def d(col):
        return pl.col(col).str.to_date("%Y-%m-%d", strict=False)

    def yn(col):
        return pl.col(col).replace_strict(
            {"是": True, "否": False}, default=None, return_dtype=pl.Boolean
        )

    def num(col):
        return pl.col(col).str.replace_all(",", "").cast(pl.Float64, strict=False)

    def multi(col):
        s = pl.col(col).fill_null("").str.replace_all("[；、,，]", ";")
        return (
            pl.when(s == "")
            .then(pl.lit(""))
            .otherwise(pl.concat_str([pl.lit(";"), s, pl.lit(";")]))
        )

    def label(col, mapping):
        return pl.col(col).replace_strict(mapping, default="", return_dtype=pl.Utf8)

    kinds = {
        "乡镇": "township",
        "县直部门": "department",
        "司法局": "justice",
        "纪委监委": "discipline",
    }
    units = (
        read("units")
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            pl.col("单位编码").alias("code"),
            pl.col("单位名称").alias("name"),
            label("单位类型", kinds).alias("kind"),
            pl.lit(None, pl.Int64).alias("parent_id"),
            pl.lit(True).alias("is_active"),
        )
    )
    umap = units.select(pl.col("code").alias("_u"), pl.col("id").alias("_uid"))

    def unit_id(col, out="unit_id"):
        return lambda f: f.join(umap.rename({"_u": col, "_uid": out}), on=col, how="left")

    officers = (
        unit_id("所属单位")(read("officers"))
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            pl.col("执法证号").alias("cert_no"),
            pl.col("姓名").alias("name"),
            "unit_id",
            pl.col("执法领域").fill_null("").alias("domain"),
            d("证件有效期至").alias("valid_until"),
        )
    )
    ents = (
        read("enterprises")
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            pl.col("统一社会信用代码").alias("uscc"),
            pl.col("企业名称").alias("name"),
            label(
                "主体类型", {"企业": "company", "个体工商户": "individual", "其他组织": "other"}
            ).alias("kind"),
            pl.col("所属行业").fill_null("").alias("industry"),
            pl.lit(None, pl.Int64).alias("town_id"),
            d("成立日期").alias("founded_on"),
            yn("无事不扰").alias("quiet_list"),
        )
    )
    std = read("standards").with_columns(pl.col("违法行为").forward_fill())
    items = (
        std.group_by("事项编码", maintain_order=True)
        .first()
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            pl.col("事项编码").alias("code"),
            pl.col("违法行为").alias("name"),
            pl.col("执法领域").fill_null("").alias("domain"),
            pl.col("违法依据").fill_null("").alias("violation_basis"),
            pl.col("处罚依据").fill_null("").alias("penalty_basis"),
            pl.lit(None, pl.Float64).alias("statutory_fine_max"),
            pl.lit(True).alias("is_active"),
        )
    )
    bms = (
        std.select("事项编码", d("生效日期").alias("effective_on"))
        .unique(maintain_order=True)
        .with_columns(version=pl.int_range(1, pl.len() + 1).over("事项编码"))
        .with_row_index("id", offset=1)
        .join(
            items.select(pl.col("code").alias("事项编码"), pl.col("id").alias("item_id")),
            on="事项编码",
        )
    )
    benchmarks = bms.select(
        pl.col("id").cast(pl.Int64),
        "item_id",
        "version",
        "effective_on",
        pl.lit(True).alias("published"),
        pl.lit(None, pl.Utf8).alias("published_at"),
        pl.lit("").alias("source"),
    )
    levels = {
        "不予处罚": "exempt",
        "减轻": "mitigated",
        "从轻": "lighter",
        "一般": "general",
        "从重": "heavier",
    }
    tiers = (
        std.with_columns(d("生效日期").alias("effective_on"))
        .join(
            bms.select("事项编码", "effective_on", pl.col("id").alias("benchmark_id")),
            on=["事项编码", "effective_on"],
        )
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            "benchmark_id",
            label("裁量阶次", levels).alias("level"),
            pl.col("适用情形").fill_null("").alias("conditions"),
            num("罚款下限(元)").alias("fine_min"),
            num("罚款上限(元)").alias("fine_max"),
            label("倍数基数", {"违法所得": "illegal_income", "货值金额": "goods_value"}).alias(
                "multiple_of"
            ),
            num("倍数下限").alias("multiple_min"),
            num("倍数上限").alias("multiple_max"),
            pl.col("其他处罚").fill_null("").alias("other_penalties"),
        )
        .unique(["benchmark_id", "level"], keep="first")
    )
    lists = {"轻微违法不予处罚": "minor", "首次违法不予处罚": "first", "从轻减轻处罚": "mitigate"}
    lenient = (
        read("lenient")
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            label("清单类型", lists).alias("list_kind"),
            pl.col("事项编码").alias("code"),
            pl.lit(None, pl.Int64).alias("item_id"),
            pl.col("违法行为").fill_null("").alias("name"),
            pl.col("适用条件").fill_null("").alias("conditions"),
            pl.col("法律依据").fill_null("").alias("basis"),
            pl.lit(None, pl.Int64).alias("unit_id"),
            d("生效日期").alias("effective_on"),
            pl.lit(True).alias("published"),
        )
        .unique(["list_kind", "code"], keep="first")
    )
    parties = {
        "法人": "legal",
        "其他组织": "org",
        "个体工商户": "individual_business",
        "自然人": "natural",
    }
    sources = {
        "日常检查": "routine",
        "双随机抽查": "random",
        "投诉举报": "complaint",
        "上级交办": "assigned",
        "部门移送": "transferred",
        "其他": "other",
    }
    cases = (
        unit_id("执法单位")(read("cases"))
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            "unit_id",
            pl.col("案件编号").alias("case_no"),
            pl.col("当事人名称").alias("party_name"),
            label("当事人类型", parties).alias("party_type"),
            pl.col("统一社会信用代码").fill_null("").alias("party_uscc"),
            pl.lit(None, pl.Int64).alias("violation_id"),
            pl.col("违法行为编码").alias("violation_code"),
            pl.col("违法行为名称").fill_null("").alias("violation_name"),
            label("案件来源", sources).alias("source"),
            d("立案日期").alias("filed_on"),
            d("事先告知日期").alias("notified_on"),
            yn("听证").alias("hearing"),
            yn("法制审核").alias("legal_review"),
            d("法制审核日期").alias("legal_review_on"),
            yn("集体讨论").alias("collective_discussion"),
            yn("延期审批").alias("extension_approved"),
            d("决定日期").alias("decided_on"),
            d("送达日期").alias("served_on"),
            d("公示日期").alias("published_on"),
            d("结案日期").alias("closed_on"),
            multi("处罚种类").alias("penalty_kinds"),
            num("罚款金额(元)").alias("fine"),
            num("没收违法所得(元)").alias("confiscated"),
            num("违法所得(元)").alias("illegal_income"),
            num("货值金额(元)").alias("goods_value"),
            label("裁量阶次", levels).alias("tier"),
            multi("裁量情节").alias("circumstances"),
            multi("执法人员").alias("officers"),
            yn("全过程记录").alias("av_recorded"),
            d("信用修复告知书送达日期").alias("credit_notice_on"),
            d("合规指导意见书送达日期").alias("compliance_advice_on"),
            pl.col("案情摘要").fill_null("").alias("facts"),
            pl.lit(now).alias("updated_at"),
        )
    )
    emap = ents.select(
        pl.col("uscc").alias("统一社会信用代码"), pl.col("id").alias("enterprise_id")
    )
    ikinds = {
        "双随机抽查": "random",
        "专项检查": "special",
        "日常检查": "routine",
        "投诉举报核查": "complaint",
        "上级交办": "assigned",
        "其他": "other",
    }
    results = {
        "未发现问题": "none_found",
        "责令整改": "ordered",
        "立案查处": "case_filed",
        "移送处理": "transferred",
    }
    insp = unit_id("检查单位")(read("inspections")).join(emap, on="统一社会信用代码", how="inner")
    inspections = insp.with_row_index("id", offset=1).select(
        pl.col("id").cast(pl.Int64),
        "unit_id",
        pl.col("检查编号").alias("inspection_no"),
        "enterprise_id",
        pl.col("企业名称").alias("enterprise_name"),
        d("检查日期").alias("inspected_on"),
        label("检查方式", {"现场": "onsite", "非现场": "offsite"}).alias("mode"),
        label("检查类型", ikinds).alias("kind"),
        pl.col("联合检查编号").fill_null("").alias("joint_no"),
        pl.col("登记备案编号").fill_null("").alias("registration_no"),
        d("登记备案日期").alias("registered_on"),
        multi("检查人员").alias("officers"),
        pl.col("检查事项").fill_null("").alias("items"),
        label("检查结果", results).alias("result"),
        pl.lit(False).alias("is_recheck"),
        pl.lit(False).alias("is_planned"),
        pl.lit(None, pl.Int64).alias("random_draw_id"),
        pl.lit(None, pl.Utf8).alias("verify_code"),
        pl.lit(now).alias("updated_at"),
    )
    repairs = (
        unit_id("执法单位")(read("credit_repairs"))
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            "unit_id",
            pl.col("案件编号").alias("case_no"),
            pl.lit(None, pl.Int64).alias("case_id"),
            d("申请日期").alias("applied_on"),
            d("决定日期").alias("decided_on"),
            label("修复结果", {"准予修复": "granted", "不予修复": "refused"}).alias("result"),
            d("公示撤下日期").alias("withdrawn_on"),
            pl.lit(now).alias("updated_at"),
        )
        .unique(["unit_id", "case_no"], keep="first")
    )
    transfers = (
        unit_id("移出单位", "from_unit_id")(unit_id("接收单位", "to_unit_id")(read("transfers")))
        .with_row_index("id", offset=1)
        .select(
            pl.col("id").cast(pl.Int64),
            pl.col("移送编号").alias("transfer_no"),
            "from_unit_id",
            "to_unit_id",
            d("移送日期").alias("sent_on"),
            d("接收日期").alias("received_on"),
            pl.col("办理结果").fill_null("").alias("outcome"),
            pl.lit(now).alias("updated_at"),
        )
    )
    return [
        ("orgs_unit", units),
        ("enforcement_officer", officers),
        ("enforcement_enterprise", ents),
        ("standards_violationitem", items),
        ("standards_benchmark", benchmarks),
        ("standards_tier", tiers),
        ("standards_lenientlistitem", lenient),
        ("enforcement_penaltycase", cases),
        ("enforcement_inspection", inspections),
        ("enforcement_creditrepair", repairs),
        ("enforcement_transfer", transfers),
    ]


def write_table(table, frame):
    import io

    import polars as pl
    from django.db import connection, transaction

    cols = ", ".join(frame.columns)
    if connection.vendor == "postgresql":
        buf = io.BytesIO()
        frame.write_csv(buf, include_header=False, null_value="\\N", date_format="%Y-%m-%d")
        buf.seek(0)
        connection.ensure_connection()
        with connection.connection.cursor() as cur:
            with cur.copy(
                f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            ) as copy:
                while chunk := buf.read(1 << 20):
                    copy.write(chunk)
        connection.connection.commit() if not connection.get_autocommit() else None
        return
    frame = frame.with_columns(
        [pl.col(c).dt.strftime("%Y-%m-%d") for c, t in frame.schema.items() if t == pl.Date]
        + [pl.col(c).cast(pl.Int8) for c, t in frame.schema.items() if t == pl.Boolean]
    )
    marks = ", ".join(["%s"] * len(frame.columns))
    with transaction.atomic(), connection.cursor() as cur:
        for part in frame.iter_slices(100_000):
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", part.rows())


def measure(args):
    import duckdb
    import polars as pl
    from django.db import connection

    from jiandu.enforcement.models import Inspection, PenaltyCase
    from jiandu.monitoring.engine import run_rules
    from jiandu.monitoring.models import Alert
    from jiandu.monitoring.rules import get_rule
    from jiandu.monitoring.rules.frames import RunContext

    Alert.objects.all().delete()
    out = {"cases": PenaltyCase.objects.count(), "inspections": Inspection.objects.count()}
    for name in ("run1", "run2"):
        t0 = time.perf_counter()
        run = run_rules(trigger="cli")
        out[name] = {
            "wall_s": time.perf_counter() - t0,
            "load_ms": run.load_ms,
            "results": run.results,
        }
        print(
            f"[{connection.vendor}] {name} {out[name]['wall_s']:.1f} s", file=sys.stderr, flush=True
        )

    # DuckDB beside the Polars rules, on the same frames.
    ctx = RunContext()
    t0 = time.perf_counter()
    cases, insp = ctx.cases(), ctx.done_inspections()
    duck = {"load_s": time.perf_counter() - t0}
    # pyarrow is not a dependency: hand DuckDB the same frames through Parquet files,
    # loaded into DuckDB tables before the clock starts.
    con = duckdb.connect()
    for name, frame in (
        ("cases", cases.select("id", "violation_code", "tier", "party_type", "fine", "decided_on")),
        ("insp", insp.select("id", "enterprise_id", "unit_id", "inspected_on", "mode", "joint_no")),
    ):
        path = f"/tmp/jiandu_bench_{name}.parquet"
        frame.write_parquet(path)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{path}')")
    disc01_sql = """
        WITH c AS (SELECT id, violation_code, tier, party_type, fine FROM cases
                   WHERE decided_on IS NOT NULL AND fine IS NOT NULL AND coalesce(tier, '') <> ''),
        g AS (SELECT violation_code, tier, party_type, count(*) AS n, median(fine) AS med
              FROM c GROUP BY ALL HAVING count(*) >= 5),
        d AS (SELECT c.*, g.n, g.med, abs(c.fine - g.med) AS dev FROM c JOIN g USING (violation_code, tier, party_type)),
        m AS (SELECT violation_code, tier, party_type, median(dev) AS mad, avg(dev) AS mean_ad FROM d GROUP BY ALL)
        SELECT d.id FROM d JOIN m USING (violation_code, tier, party_type)
        WHERE CASE WHEN mad > 0 THEN dev / (1.4826 * mad) WHEN mean_ad > 0 THEN dev / (1.2533 * mean_ad) ELSE 0 END > 3.5
    """
    insp02_sql = """
        WITH o AS (SELECT * FROM insp WHERE mode = 'onsite')
        SELECT DISTINCT a.id FROM o a JOIN o b
          ON a.enterprise_id = b.enterprise_id AND a.unit_id <> b.unit_id
         AND b.inspected_on BETWEEN a.inspected_on - INTERVAL 30 DAY AND a.inspected_on
         AND NOT (coalesce(a.joint_no, '') <> '' AND a.joint_no = b.joint_no)
    """
    for rule_id, sql in (("DISC-01", disc01_sql), ("INSP-02", insp02_sql)):
        rule = get_rule(rule_id)
        t0 = time.perf_counter()
        hits = rule.evaluate(ctx, rule.defaults())
        polars_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        n = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        duck[rule_id] = {
            "polars_s": polars_s,
            "polars_hits": hits.height,
            "duckdb_s": time.perf_counter() - t0,
            "duckdb_hits": n,
        }
    out["duck"] = duck
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    del pl
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
