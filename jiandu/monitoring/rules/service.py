"""增值服务: SERV-01..03."""

import polars as pl
from django.apps import apps

from jiandu.enforcement.models import ENTERPRISE_PARTIES, WARNING_ONLY
from jiandu.monitoring.rules.common import CASE_KEYS, kinds_text, punished
from jiandu.monitoring.rules.declaration import Rule, days_param
from jiandu.monitoring.rules.frames import day_num, fetch_frame, table
from jiandu.monitoring.rules.predicates import over_limit

CREDIT = "国办发〔2025〕22号；《信用修复管理办法》（2026年4月1日施行）"


def three_docs_required() -> pl.Expr:
    """三书同达 applies: an enterprise party decided with a penalty other than a warning
    alone. PenaltyCase.three_docs_required over a frame, from the same constants (a test
    holds the two together)."""
    kinds = pl.col("penalty_kinds").fill_null("")
    return (
        punished()
        & pl.col("party_type").is_in(ENTERPRISE_PARTIES)
        & (kinds != "")
        & (kinds != WARNING_ONLY)
    )


def served_apart(col: str) -> pl.Expr:
    """The document `col` was not served the day the served decision was (or not at all),
    where 三书同达 applies."""
    same_day = (pl.col(col) == pl.col("served_on")).fill_null(False)
    return three_docs_required() & pl.col("served_on").is_not_null() & ~same_day


def three_docs(ctx) -> pl.DataFrame:
    """Each case with whether 三书同达 applies and which document was served apart: what
    SERV-01 decides, per document, for the case page (on a one-case context)."""
    return ctx.cases().with_columns(
        three_docs_required=three_docs_required(),
        credit_notice_apart=served_apart("credit_notice_on"),
        compliance_advice_apart=served_apart("compliance_advice_on"),
    )


def serv01(ctx, p):
    hits = ctx.cases().filter(
        served_apart("credit_notice_on") | served_apart("compliance_advice_on")
    )
    return hits.select(
        *CASE_KEYS,
        kinds_text().alias("penalty_kinds"),
        "served_on",
        "credit_notice_on",
        "compliance_advice_on",
    )


REPAIR_COLUMNS = [
    ("unit_id", pl.Int64),
    ("case_no", pl.Utf8),
    ("applied_on", pl.Date),
    ("decided_on", pl.Date),
    ("result", pl.Utf8),
    ("withdrawn_on", pl.Date),
]


def _platform_repairs():
    """The applications made and decided on the platform (the credit app), in the
    imported rows' shape: granted/refused, and withdrawn on the day the last publishing
    unit confirmed it (none while one has not). Newest first, so a case's current
    application names the subject when a case has several."""
    if not apps.is_installed("jiandu.credit"):
        return None
    a, w = table("credit.RepairApplication"), table("credit.Withdrawal")
    withdrawn = (
        f"CASE WHEN EXISTS (SELECT 1 FROM {w} w WHERE w.application_id = a.id"
        f" AND w.confirmed_on IS NULL) THEN NULL"
        f" ELSE (SELECT MAX(w.confirmed_on) FROM {w} w WHERE w.application_id = a.id) END"
    )
    return fetch_frame(
        f"SELECT a.unit_id, a.decision_no, {day_num('a.applied_on')}, {day_num('a.decided_on')},"
        " CASE a.state WHEN 'approved' THEN 'granted' WHEN 'refused' THEN 'refused' ELSE '' END,"
        f" {day_num(withdrawn)} FROM {a} a ORDER BY a.applied_on DESC, a.id DESC",
        REPAIR_COLUMNS,
    )


def _repairs(ctx):
    """Credit repairs: the platform's applications (credit app) first, then the rows
    units imported (enforcement.CreditRepair); the engine keeps one hit per subject."""
    c = fetch_frame(
        f"SELECT r.unit_id, r.case_no, {day_num('r.applied_on')}, {day_num('r.decided_on')}, r.result,"
        f" {day_num('r.withdrawn_on')} FROM {table('enforcement.CreditRepair')} r",
        REPAIR_COLUMNS,
    )
    platform = _platform_repairs()
    if platform is not None and platform.height:
        c = pl.concat([platform, c], how="vertical")
    return ctx.keyed(c, "case_no")


def serv02(ctx, p):
    c = _repairs(ctx).filter((pl.col("result") == "granted") & pl.col("decided_on").is_not_null())
    hits = over_limit(ctx, c, "decided_on", "withdrawn_on", p)
    return hits.select(
        "subject_key",
        "unit_id",
        pl.col("decided_on").alias("subject_date"),
        "decided_on",
        "withdrawn_on",
        "days_taken",
        pl.lit(p["day_type"]).alias("day_type"),
    )


def serv03(ctx, p):
    c = _repairs(ctx)
    hits = over_limit(ctx, c, "applied_on", "decided_on", p)
    return hits.select(
        "subject_key",
        "unit_id",
        pl.col("applied_on").alias("subject_date"),
        "applied_on",
        "decided_on",
        "days_taken",
        pl.lit(p["day_type"]).alias("day_type"),
    )


RULES = [
    Rule(
        "SERV-01",
        "三书未同达",
        "service",
        f"“三书同达”工作要求；{CREDIT}",
        "normal",
        "case",
        "对企业（法人、其他组织、个体工商户）作出警告以外的处罚，信用修复告知书或合规指导意见书未与决定书同日送达。",
        serv01,
        (),
        frozenset({"cases"}),
    ),
    Rule(
        "SERV-02",
        "修复后未撤下",
        "service",
        CREDIT,
        "serious",
        "credit_repair",
        "准予信用修复后超过期限仍未撤下处罚公示。",
        serv02,
        days_param(5, "working", "撤下期限"),
        frozenset({"credit_repairs"}),
    ),
    Rule(
        "SERV-03",
        "信用修复超期",
        "service",
        CREDIT,
        "normal",
        "credit_repair",
        "信用修复申请超过期限未作决定。",
        serv03,
        days_param(10, "working", "办理期限"),
        frozenset({"credit_repairs"}),
    ),
]
