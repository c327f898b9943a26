"""裁量基准: DISC-01..05."""

import polars as pl

from jiandu.monitoring.rules.common import CASE_KEYS, decided, kinds_text
from jiandu.monitoring.rules.declaration import Param, Rule
from jiandu.monitoring.rules.predicates import empty_hits, has_any
from jiandu.standards.calculator import AGGRAVATING, MITIGATING

LAW = "《中华人民共和国行政处罚法》"
BENCH = "国办发〔2022〕27号《关于进一步规范行政裁量权基准制定和管理工作的意见》"


def disc01(ctx, p):
    """Robust z-score within (item, tier, party type). MAD 0 falls back to the mean
    absolute deviation (× 1.2533), so a lone outlier among identical fines still shows."""
    keys = ["violation_code", "tier", "party_type"]
    cases = ctx.cases().filter(
        decided() & pl.col("fine").is_not_null() & (pl.col("tier").fill_null("") != "")
    )
    cases = cases.with_columns(
        group_n=pl.len().over(keys), median=pl.col("fine").median().over(keys)
    ).filter(pl.col("group_n") >= p["min_group"])
    cases = cases.with_columns(dev=(pl.col("fine") - pl.col("median")).abs())
    cases = cases.with_columns(
        mad=pl.col("dev").median().over(keys), mean_ad=pl.col("dev").mean().over(keys)
    )
    scale = (
        pl.when(pl.col("mad") > 0)
        .then(1.4826 * pl.col("mad"))
        .otherwise(1.2533 * pl.col("mean_ad"))
    )
    cases = cases.with_columns(z=pl.when(scale > 0).then(pl.col("dev") / scale).otherwise(0.0))
    hits = cases.filter(pl.col("z") > p["z"])
    return hits.select(
        *CASE_KEYS,
        "violation_code",
        "tier",
        "party_type",
        "fine",
        "median",
        "mad",
        pl.col("z").round(2),
        "group_n",
    )


def disc02(ctx, p):
    c = ctx.cases_in_force_benchmark().filter(
        pl.col("range_min").is_not_null() | pl.col("range_max").is_not_null()
    )
    out = (pl.col("range_min").is_not_null() & (pl.col("fine") < pl.col("range_min") - 0.005)) | (
        pl.col("range_max").is_not_null() & (pl.col("fine") > pl.col("range_max") + 0.005)
    )
    hits = c.filter(out)
    return hits.select(
        *CASE_KEYS,
        "violation_code",
        "tier",
        "fine",
        "range_min",
        "range_max",
        "multiple_of",
        "multiple_min",
        "multiple_max",
        "illegal_income",
        "goods_value",
        pl.col("version").alias("benchmark_version"),
        pl.col("effective_on").alias("benchmark_effective_on"),
        pl.col("source").alias("benchmark_source"),
    )


def disc03(ctx, p):
    c = ctx.cases().filter(
        decided()
        & has_any("circumstances", MITIGATING)
        & pl.col("tier").is_in(["general", "heavier"])
    )
    return c.select(*CASE_KEYS, "tier", kinds_text("circumstances").alias("circumstances"), "fine")


def disc04(ctx, p):
    c = ctx.cases_in_force_benchmark()
    # The highest fixed amount of any tier of the benchmark in force, unless the item states its own.
    tier_max = ctx.tiers().group_by("benchmark_id").agg(pl.col("fine_max").max().alias("tiers_max"))
    items = ctx.items().select(pl.col("code").alias("violation_code"), "statutory_fine_max")
    c = c.join(tier_max, on="benchmark_id", how="left").join(items, on="violation_code", how="left")
    c = c.with_columns(top=pl.coalesce("statutory_fine_max", "tiers_max"))
    hits = c.filter(
        pl.col("top").is_not_null()
        & (pl.col("fine") > 0)
        & ((pl.col("fine") - pl.col("top")).abs() < 0.005)
        & ~has_any("circumstances", AGGRAVATING)
    )
    return hits.select(
        *CASE_KEYS,
        "violation_code",
        "fine",
        "top",
        kinds_text("circumstances").alias("circumstances"),
    )


def disc05(ctx, p):
    used = (
        ctx.cases()
        .group_by("violation_code")
        .agg(pl.len().alias("cases"), pl.col("unit_id").n_unique().alias("units"))
    )
    bm = (
        ctx.benchmarks()
        .filter(pl.col("effective_on") <= ctx.today)
        .sort(["violation_code", "effective_on", "version"])
        .group_by("violation_code")
        .agg(pl.col("benchmark_id").last(), pl.col("version").last(), pl.col("effective_on").last())
    )
    tiers = (
        ctx.tiers()
        .filter(
            (pl.col("multiple_of").fill_null("") == "")
            & (pl.col("fine_min") > 0)
            & pl.col("fine_max").is_not_null()
        )
        .with_columns(ratio=pl.col("fine_max") / pl.col("fine_min"))
    )
    wide = (
        tiers.filter(pl.col("ratio") > p["ratio"])
        .group_by("benchmark_id")
        .agg(
            pl.col("ratio").max().round(1).alias("max_ratio"),
            pl.col("level").sort().str.join(",").alias("wide_tiers"),
        )
    )
    c = used.join(bm, on="violation_code", how="left").join(wide, on="benchmark_id", how="left")
    hits = c.filter(pl.col("benchmark_id").is_null() | pl.col("max_ratio").is_not_null())
    if hits.height == 0:
        return empty_hits()
    return hits.select(
        pl.col("violation_code").alias("subject_key"),
        pl.lit(None, pl.Int64).alias("unit_id"),
        pl.lit(None, pl.Date).alias("subject_date"),
        pl.when(pl.col("benchmark_id").is_null())
        .then(pl.lit("missing"))
        .otherwise(pl.lit("too_wide"))
        .alias("problem"),
        "cases",
        "units",
        "version",
        "max_ratio",
        "wide_tiers",
    )


RULES = [
    Rule(
        "DISC-01",
        "类案不同罚",
        "discretion",
        f"{LAW}第五条（过罚相当）；{BENCH}",
        "serious",
        "case",
        "同一违法行为事项、裁量阶次和当事人类型的已决案件中，罚款金额的稳健 z 值超过阈值。",
        disc01,
        (Param("min_group", "最少同类案件数", 5), Param("z", "稳健 z 值阈值", 3.5, kind="float")),
        frozenset({"cases"}),
    ),
    Rule(
        "DISC-02",
        "裁量越档",
        "discretion",
        f"{LAW}第三十四条；{BENCH}；国市监法规〔2022〕2号",
        "serious",
        "case",
        "罚款金额不在决定日有效的裁量基准中所适用阶次的范围内（固定金额或违法所得/货值金额的倍数）。",
        disc02,
        (),
        frozenset({"cases", "standards"}),
    ),
    Rule(
        "DISC-03",
        "应从轻未从轻",
        "discretion",
        f"{LAW}第三十二条",
        "serious",
        "case",
        "记录了第三十二条情节（主动消除或减轻危害后果、受他人胁迫诱骗、配合查处），裁量阶次却为一般或从重。",
        disc03,
        (),
        frozenset({"cases"}),
    ),
    Rule(
        "DISC-04",
        "顶格罚款",
        "discretion",
        "国发〔2024〕5号（不得顶格处罚）；" + BENCH,
        "normal",
        "case",
        "罚款等于该事项法定最高额，且未记录多次违法、拒不改正、造成严重后果或妨碍执法等从重情节。",
        disc04,
        (),
        frozenset({"cases", "standards"}),
    ),
    Rule(
        "DISC-05",
        "基准缺失或过宽",
        "discretion",
        f"{LAW}第三十四条；国发〔2024〕5号（罚款幅度上下限原则上不超过10倍）",
        "normal",
        "violation_item",
        "案件使用的违法行为事项没有现行裁量基准，或其固定金额阶次上限/下限超过倍数阈值。",
        disc05,
        (Param("ratio", "上限/下限最大倍数", 10, kind="float"),),
        frozenset({"cases", "standards"}),
    ),
]
