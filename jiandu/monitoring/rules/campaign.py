"""专项行动: CAMP-01 compares self-check answers with confirmed alerts. It reads both as
frames (RunContext.self_check_answers, confirmed_alerts) and imports no models; declaring
that it reads ALERTS makes the engine run it after the rules that raise them."""

from datetime import timedelta

import polars as pl

from jiandu.monitoring.rules.declaration import ALERTS, Param, Rule
from jiandu.monitoring.rules.predicates import empty_hits


def camp01(ctx, p):
    a = ctx.self_check_answers()
    if a.height == 0:
        return empty_hits()
    lookback = timedelta(days=int(p["lookback_days"]))
    period = ctx.campaign_periods().select(
        "campaign_id",
        (pl.col("start") - lookback).alias("period_start"),
        pl.col("end").alias("period_end"),
    )
    a = (
        a.join(period, on="campaign_id", how="left")
        .with_columns(
            rule=pl.col("rules")
            .fill_null("")
            .str.replace_all("，", ",")
            .str.to_uppercase()
            .str.split(",")
        )
        .explode("rule")
        .with_columns(pl.col("rule").str.strip_chars())
        .filter(pl.col("rule") != "")
    )
    alerts = ctx.confirmed_alerts()
    pairs = a.join(alerts, on=["rule", "unit_id"]).filter(
        pl.col("alert_date").is_null()
        | (
            (pl.col("period_start").is_null() | (pl.col("alert_date") >= pl.col("period_start")))
            & (pl.col("period_end").is_null() | (pl.col("alert_date") <= pl.col("period_end")))
        )
    )
    if pairs.height == 0:
        return empty_hits()
    hits = pairs.group_by(
        ["answer_id", "unit_id", "unit_code", "order", "item_text", "focus_area"]
    ).agg(
        pl.concat_str([pl.col("rule"), pl.lit(" "), pl.col("alert_subject")])
        .sort()
        .alias("confirmed_alerts"),
        pl.len().alias("alert_count"),
    )
    return hits.select(
        pl.concat_str([pl.col("unit_code"), pl.lit("/"), pl.col("order").cast(pl.Utf8)]).alias(
            "subject_key"
        ),
        "unit_id",
        pl.lit(None, pl.Date).alias("subject_date"),
        "answer_id",
        pl.col("item_text").str.slice(0, 120).alias("item"),
        "focus_area",
        "alert_count",
        "confirmed_alerts",
    )


RULES = [
    Rule(
        "CAMP-01",
        "自查不实",
        "campaign",
        "“破执法梗阻·优法治服务”专项行动实施方案（问题自查阶段）",
        "serious",
        "self_check_answer",
        "单位对自查事项答复“无此问题”，但该单位在行动期间存在该事项对应规则的已确认预警。",
        camp01,
        (Param("lookback_days", "行动开始前回溯（日）", 365),),
        frozenset({ALERTS, "self_check"}),
    ),
]
