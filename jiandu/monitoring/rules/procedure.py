"""执法程序: PROC-01..08."""

import polars as pl

from jiandu.enforcement.models import NO_PENALTY
from jiandu.monitoring.rules.common import (
    CASE_KEYS,
    UNDECIDED_CASE_KEYS,
    decided,
    kinds_text,
    major,
    major_reason,
    punished,
)
from jiandu.monitoring.rules.declaration import Param, Rule, days_param
from jiandu.monitoring.rules.predicates import has, over_limit, with_days

LAW = "《中华人民共和国行政处罚法》"
THREE = "国办发〔2018〕118号（行政执法三项制度）"
MAJOR_PARAMS = (
    Param("major_fine_natural", "较大数额罚款：自然人（元）", 10000, kind="float"),
    Param("major_fine_other", "较大数额罚款：法人及其他组织（元）", 100000, kind="float"),
)


def proc01(ctx, p):
    c = ctx.cases().filter(pl.col("closed_on").is_null() | decided())
    end = pl.coalesce(pl.col("decided_on"), pl.lit(ctx.today))
    c = with_days(ctx, c, "filed_on", end, p["day_type"], "days_taken")
    late = pl.col("days_taken") > p["days"]
    hits = c.filter(
        (decided() & late & (pl.col("extension_approved").ne(True)).fill_null(True))
        | (~decided() & late)
    )
    return hits.select(
        *UNDECIDED_CASE_KEYS,
        "filed_on",
        "decided_on",
        "days_taken",
        "extension_approved",
        pl.lit(p["day_type"]).alias("day_type"),
    )


def proc02(ctx, p):
    c = ctx.cases().filter(decided())
    hits = over_limit(ctx, c, "decided_on", "served_on", p)
    return hits.select(
        *CASE_KEYS, "decided_on", "served_on", "days_taken", pl.lit(p["day_type"]).alias("day_type")
    )


def proc03(ctx, p):
    c = ctx.cases().filter(punished())
    hits = over_limit(ctx, c, "decided_on", "published_on", p)
    return hits.select(
        *CASE_KEYS,
        "decided_on",
        "published_on",
        "days_taken",
        pl.lit(p["day_type"]).alias("day_type"),
    )


def proc04(ctx, p):
    c = ctx.cases().filter(major(p["major_fine_natural"], p["major_fine_other"]))
    reviewed = (pl.col("legal_review").eq(True)) & (
        pl.col("legal_review_on").is_null() | (pl.col("legal_review_on") <= pl.col("decided_on"))
    )
    hits = c.filter(~reviewed.fill_null(False))
    return hits.select(
        *CASE_KEYS,
        major_reason(p["major_fine_natural"], p["major_fine_other"]).alias("major_reason"),
        "fine",
        kinds_text().alias("penalty_kinds"),
        "legal_review",
        "legal_review_on",
        "decided_on",
    )


def proc05(ctx, p):
    c = ctx.cases().filter(punished())
    hits = c.filter(
        pl.col("notified_on").is_null() | (pl.col("notified_on") > pl.col("decided_on"))
    )
    return hits.select(*CASE_KEYS, "notified_on", "decided_on")


def proc06(ctx, p):
    c = ctx.cases().filter(major(p["major_fine_natural"], p["major_fine_other"]))
    hits = c.filter((pl.col("collective_discussion").ne(True)).fill_null(True))
    return hits.select(
        *CASE_KEYS,
        major_reason(p["major_fine_natural"], p["major_fine_other"]).alias("major_reason"),
        "fine",
        kinds_text().alias("penalty_kinds"),
        "collective_discussion",
    )


def officer_check(ctx, frame: pl.DataFrame, on: str, min_officers: int) -> pl.DataFrame:
    """Rows with fewer than `min_officers` officers, or an officer unknown or expired on
    date `on`: Officer.valid_on over a frame (a test holds the two together). Counting needs no explode; only the exploded officers that are bad are
    grouped back per row."""
    certs = pl.col("officers").fill_null("").str.strip_chars(";")
    frame = frame.with_columns(
        officer_count=pl.when(certs == "")
        .then(0)
        .otherwise(certs.str.count_matches(";", literal=True) + 1)
    )
    bad = (
        frame.select("id", on, certs.str.split(";").alias("cert_no"))
        .explode("cert_no")
        .filter(pl.col("cert_no").fill_null("") != "")
        .join(ctx.officers(), on="cert_no", how="left")
        .filter(pl.col("valid_until").is_null() | (pl.col("valid_until") < pl.col(on)))
        .group_by("id")
        .agg(pl.col("cert_no").sort().str.join("、").alias("bad_officers"))
    )
    frame = frame.join(bad, on="id", how="left").with_columns(pl.col("bad_officers").fill_null(""))
    return frame.filter((pl.col("officer_count") < min_officers) | (pl.col("bad_officers") != ""))


def proc07(ctx, p):
    c = ctx.cases()
    hits = officer_check(ctx, c, "filed_on", p["min_officers"])
    return hits.select(
        *UNDECIDED_CASE_KEYS,
        "filed_on",
        "officer_count",
        "bad_officers",
        kinds_text("officers").alias("officers"),
    )


def proc08(ctx, p):
    c = ctx.cases()
    is_major = major(p["major_fine_natural"], p["major_fine_other"])
    missing = pl.concat_str(
        [
            pl.when(pl.col(col).is_null()).then(pl.lit(label + "；")).otherwise(pl.lit(""))
            for col, label in (
                ("filed_on", "立案日期"),
                ("notified_on", "告知日期"),
                ("decided_on", "决定日期"),
                ("served_on", "送达日期"),
            )
        ]
    )
    closed_incomplete = (
        pl.col("closed_on").is_not_null() & ~has("penalty_kinds", NO_PENALTY) & (missing != "")
    )
    no_av = is_major & (pl.col("av_recorded").ne(True)).fill_null(True)
    hits = c.filter(no_av | closed_incomplete).with_columns(
        missing_dates=pl.when(pl.col("closed_on").is_not_null())
        .then(missing)
        .otherwise(pl.lit("")),
        no_av_record=no_av,
    )
    return hits.select(
        *UNDECIDED_CASE_KEYS,
        "no_av_record",
        "av_recorded",
        "missing_dates",
        "closed_on",
    )


RULES = [
    Rule(
        "PROC-01",
        "超期办案",
        "procedure",
        f"{LAW}第六十条",
        "serious",
        "case",
        "立案后超过期限才作出决定且无延期审批，或立案后超过期限仍未决定。",
        proc01,
        days_param(90, "calendar", "办案期限"),
        frozenset({"cases"}),
    ),
    Rule(
        "PROC-02",
        "送达超期",
        "procedure",
        f"{LAW}第六十一条",
        "normal",
        "case",
        "决定作出后超过期限才送达（或至今未送达）。",
        proc02,
        days_param(7, "calendar", "送达期限"),
        frozenset({"cases"}),
    ),
    Rule(
        "PROC-03",
        "应公示未公示",
        "procedure",
        f"{LAW}第四十八条；{THREE}",
        "normal",
        "case",
        "已作出的处罚决定（不予处罚除外）超过期限未公示，或公示晚于期限。",
        proc03,
        days_param(7, "working", "公示期限"),
        frozenset({"cases"}),
    ),
    Rule(
        "PROC-04",
        "应审未审",
        "procedure",
        f"{LAW}第五十八条；{THREE}",
        "grave",
        "case",
        "重大执法决定（吊销许可证件、降低资质等级、责令停产停业、责令关闭、限制从业、经过听证或较大数额罚款）在决定日前未经法制审核。",
        proc04,
        MAJOR_PARAMS,
        frozenset({"cases"}),
    ),
    Rule(
        "PROC-05",
        "未事先告知",
        "procedure",
        f"{LAW}第四十四条、第六十二条",
        "grave",
        "case",
        "作出处罚决定但无事先告知日期，或告知晚于决定。",
        proc05,
        (),
        frozenset({"cases"}),
    ),
    Rule(
        "PROC-06",
        "集体讨论缺失",
        "procedure",
        f"{LAW}第五十七条",
        "serious",
        "case",
        "重大执法决定未经负责人集体讨论。",
        proc06,
        MAJOR_PARAMS,
        frozenset({"cases"}),
    ),
    Rule(
        "PROC-07",
        "执法人员不足或无证",
        "procedure",
        f"{LAW}第四十二条",
        "serious",
        "case",
        "执法人员少于规定人数，或有执法人员的执法证在立案日未知或已过期。",
        proc07,
        (Param("min_officers", "最少执法人员数", 2),),
        frozenset({"cases", "officers"}),
    ),
    Rule(
        "PROC-08",
        "全过程记录缺失",
        "procedure",
        f"{LAW}第四十七条；{THREE}",
        "normal",
        "case",
        "重大执法决定无音像记录，或已结案件缺少立案、告知、决定或送达日期。",
        proc08,
        MAJOR_PARAMS,
        frozenset({"cases"}),
    ),
]
