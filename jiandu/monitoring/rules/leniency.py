"""包容审慎: LENI-01..02."""

import polars as pl

from jiandu.monitoring.rules.common import CASE_KEYS, HEAVY_KINDS, decided, kinds_text
from jiandu.monitoring.rules.declaration import Param, Rule
from jiandu.monitoring.rules.predicates import has, has_any

LAW = "《中华人民共和国行政处罚法》"


def _on_list(ctx, cases: pl.DataFrame, kind: str, name: str) -> pl.DataFrame:
    lst = (
        ctx.lenient()
        .filter(pl.col("list_kind") == kind)
        .select(
            pl.col("code").alias("violation_code"), pl.col("effective_on").alias(f"{name}_from")
        )
    )
    cases = cases.join(lst, on="violation_code", how="left")
    return cases.with_columns(
        (
            pl.col(f"{name}_from").is_not_null() & (pl.col(f"{name}_from") <= pl.col("decided_on"))
        ).alias(name)
    )


def leni01(ctx, p):
    years = int(p["lookback_years"])
    all_cases = ctx.cases()
    # First violation: no earlier case of the same party (USCC, or the name of a natural
    # person) and item within the lookback, in any unit.
    party = (
        pl.when(pl.col("party_uscc").fill_null("") != "")
        .then(pl.col("party_uscc"))
        .otherwise(pl.concat_str([pl.lit("N:"), pl.col("party_name")]))
    )
    # Only items on a 首违 list need the lookback.
    first_codes = ctx.lenient().filter(pl.col("list_kind") == "first")["code"].unique()
    ordered = (
        all_cases.filter(pl.col("violation_code").is_in(first_codes.implode()))
        .select("id", "unit_code", "case_no", "violation_code", "filed_on", party.alias("party"))
        .sort(["party", "violation_code", "filed_on", "id"])
    )
    same = (pl.col("party") == pl.col("party").shift(1)) & (
        pl.col("violation_code") == pl.col("violation_code").shift(1)
    )
    ordered = ordered.with_columns(
        prev_filed=pl.when(same).then(pl.col("filed_on").shift(1)),
        prev_key=pl.when(same).then(
            pl.concat_str([pl.col("unit_code"), pl.lit("/"), pl.col("case_no")]).shift(1)
        ),
    )
    prev = ordered.select(
        "id",
        pl.when(pl.col("prev_filed") >= pl.col("filed_on").dt.offset_by(f"-{years}y"))
        .then(pl.col("prev_key"))
        .alias("earlier_case"),
    )
    c = all_cases.filter(
        decided() & (has_any("penalty_kinds", HEAVY_KINDS) | (pl.col("fine").fill_null(0) > 0))
    )
    c = _on_list(ctx, c, "minor", "on_minor")
    c = _on_list(ctx, c, "first", "on_first").join(prev, on="id", how="left")
    minor_hit = (
        pl.col("on_minor")
        & has("circumstances", "及时改正")
        & ~has("circumstances", "造成严重后果")
    )
    first_hit = (
        pl.col("on_first")
        & has("circumstances", "初次违法")
        & has("circumstances", "危害后果轻微")
        & has("circumstances", "及时改正")
        & pl.col("earlier_case").is_null()
    )
    hits = c.filter(minor_hit | first_hit).with_columns(
        list=pl.when(minor_hit)
        .then(pl.lit("轻微违法不予处罚"))
        .otherwise(pl.lit("首次违法不予处罚"))
    )
    return hits.select(
        *CASE_KEYS,
        "violation_code",
        "list",
        kinds_text("circumstances").alias("circumstances"),
        kinds_text().alias("penalty_kinds"),
        "fine",
        pl.lit(years).alias("lookback_years"),
    )


def leni02(ctx, p):
    share = float(p["top_share"])
    c = ctx.cases().filter(
        decided() & has("circumstances", "危害后果轻微") & has("circumstances", "及时改正")
    )
    ranges = ctx.cases_in_force_benchmark().select("id", "range_min", "range_max")
    c = c.join(ranges, on="id", how="left")
    top = pl.col("range_max") - share * (pl.col("range_max") - pl.col("range_min"))
    in_top = (
        pl.col("fine").is_not_null()
        & pl.col("range_min").is_not_null()
        & pl.col("range_max").is_not_null()
        & (pl.col("range_max") > pl.col("range_min"))
        & (pl.col("fine") > top)
    )
    hits = c.filter((pl.col("tier") == "heavier") | in_top)
    return hits.select(
        *CASE_KEYS,
        "tier",
        "fine",
        "range_min",
        "range_max",
        kinds_text("circumstances").alias("circumstances"),
    )


RULES = [
    Rule(
        "LENI-01",
        "应免未免",
        "leniency",
        f"{LAW}第三十三条；轻微违法不予处罚、首次违法不予处罚清单",
        "serious",
        "case",
        "事项列入轻微不罚清单且及时改正、未造成危害后果，或列入首违不罚清单且初次违法、危害后果轻微、及时改正（回溯期内该当事人无同一事项在先案件，跨单位），仍处以罚款或更重处罚。",
        leni01,
        (Param("lookback_years", "回溯期（年）", 2),),
        frozenset({"cases", "standards"}),
    ),
    Rule(
        "LENI-02",
        "小过重罚",
        "leniency",
        f"{LAW}第五条、第三十二条",
        "normal",
        "case",
        "记录了危害后果轻微且及时改正，裁量阶次却为从重，或罚款处于该阶次幅度的最高30%。",
        leni02,
        (Param("top_share", "阶次幅度顶部比例", 0.3, kind="float"),),
        frozenset({"cases", "standards"}),
    ),
]
