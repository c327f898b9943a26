"""专项行动: CAMP-01 compares self-check answers with confirmed alerts."""

from datetime import timedelta

import polars as pl
from django.db.models import Max, Min

from jiandu.monitoring.rules.base import Param, Rule, empty_hits


def camp01(ctx, p):
    from jiandu.campaigns.models import Campaign, SelfCheckAnswer
    from jiandu.monitoring.models import Alert

    answers = list(
        SelfCheckAnswer.objects.filter(
            has_problem=False, report__in=_submitted_reports()
        ).values_list(
            "id",
            "report__unit_id",
            "report__unit__code",
            "report__campaign_id",
            "item__order",
            "item__text",
            "item__rules",
            "item__focus_area__code",
        )
    )
    if not answers:
        return empty_hits()
    spans = {
        c["id"]: (c["start"], c["end"])
        for c in Campaign.objects.annotate(
            start=Min("phases__start"), end=Max("phases__end")
        ).values("id", "start", "end")
    }
    a = pl.DataFrame(
        answers,
        orient="row",
        schema={
            "answer_id": pl.Int64,
            "unit_id": pl.Int64,
            "unit_code": pl.Utf8,
            "campaign_id": pl.Int64,
            "order": pl.Int64,
            "item_text": pl.Utf8,
            "rules": pl.Utf8,
            "focus_area": pl.Utf8,
        },
    )
    lookback = timedelta(days=int(p["lookback_days"]))
    period = pl.DataFrame(
        [(cid, (s - lookback) if s else None, e) for cid, (s, e) in spans.items()],
        orient="row",
        schema={"campaign_id": pl.Int64, "period_start": pl.Date, "period_end": pl.Date},
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
    alerts = pl.DataFrame(
        list(
            Alert.objects.filter(confirmed_at__isnull=False, unit__isnull=False).values_list(
                "rule", "unit_id", "subject_key", "subject_date"
            )
        ),
        orient="row",
        schema={
            "rule": pl.Utf8,
            "unit_id": pl.Int64,
            "alert_subject": pl.Utf8,
            "alert_date": pl.Date,
        },
    )
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


def _submitted_reports():
    from jiandu.campaigns.models import SelfCheckReport

    return SelfCheckReport.objects.submitted()


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
        frozenset({"alerts", "self_check"}),
    ),
]
