"""大综合一体化: INTG-01..03."""

import polars as pl
from django.apps import apps
from django.db.models import Count
from django.utils import timezone

from jiandu.monitoring.rules.declaration import Param, Rule, days_param
from jiandu.monitoring.rules.frames import day_num, fetch_frame, table
from jiandu.monitoring.rules.predicates import empty_hits, over_limit, with_days
from jiandu.portal.models import pk_of_reference, reference_of

COMPLAINT = "《市场监督管理投诉举报处理暂行办法》；浙江省“大综合一体化”行政执法改革"


TRANSFER_COLUMNS = [
    ("subject_key", pl.Utf8),
    ("from_unit_id", pl.Int64),
    ("unit_id", pl.Int64),
    ("sent_on", pl.Date),
    ("received_on", pl.Date),
]


def _platform_transfers():
    """Transfers sent on the platform (the transfers app) between units, in the imported
    rows' shape: received once the receiver answered (accepted, refused or returned); a
    transfer sent again after a return waits for its new answer. Transfers to the
    judicial organs have no receiving unit here."""
    if not apps.is_installed("jiandu.transfers"):
        return None
    received = "CASE WHEN state = 'sent' THEN NULL ELSE answered_on END"
    return fetch_frame(
        f"SELECT transfer_no, from_unit_id, to_unit_id, {day_num('sent_on')}, {day_num(received)}"
        f" FROM {table('transfers.CaseTransfer')} WHERE to_unit_id IS NOT NULL",
        TRANSFER_COLUMNS,
    )


def intg01(ctx, p):
    t = fetch_frame(
        f"SELECT transfer_no, from_unit_id, to_unit_id, {day_num('sent_on')}, {day_num('received_on')}"
        f" FROM {table('enforcement.Transfer')}",
        TRANSFER_COLUMNS,
    )
    platform = _platform_transfers()
    if platform is not None and platform.height:
        t = pl.concat([platform, t], how="vertical")
    hits = over_limit(ctx, t, "sent_on", "received_on", p)
    codes = ctx.units().select(
        pl.col("id").alias("from_unit_id"), pl.col("code").alias("from_unit")
    )
    hits = hits.join(codes, on="from_unit_id", how="left")
    return hits.select(
        "subject_key",
        "unit_id",
        pl.col("sent_on").alias("subject_date"),
        "from_unit",
        "sent_on",
        "received_on",
        "days_taken",
        pl.lit(p["day_type"]).alias("day_type"),
    )


def _complaints():
    """Complaints as a frame (a small table; the ORM gives local dates of the datetimes).
    The portal app may be absent in an installation: the rule then has no subjects."""
    try:
        model = apps.get_model("portal", "Complaint")
    except LookupError:
        return None
    # Named by the internal reference: the tracking code is the complainant's alone, and
    # alerts are read by the units.
    rows = model.objects.annotate(n_assign=Count("assignments")).values_list(
        "pk", "unit_id", "received_at", "accepted_at", "closed_at", "state", "n_assign"
    )

    def local(dt):
        return timezone.localdate(dt) if dt else None

    data = [
        (reference_of(r[0]), r[1], local(r[2]), local(r[3]), local(r[4]), r[5], r[6]) for r in rows
    ]
    return pl.DataFrame(
        data,
        orient="row",
        schema={
            "subject_key": pl.Utf8,
            "unit_id": pl.Int64,
            "received_on": pl.Date,
            "accepted_on": pl.Date,
            "closed_on": pl.Date,
            "state": pl.Utf8,
            "assignments": pl.Int64,
        },
    )


def intg02(ctx, p):
    c = _complaints()
    if c is None or c.height == 0:
        return empty_hits()
    # Rejecting (不予受理) is the decision on acceptance: it answers both deadlines that
    # day; a complaint its complainant withdrew before acceptance waits for nothing more.
    c = c.with_columns(
        accepted_on=pl.when(pl.col("state").is_in(["rejected", "withdrawn"]))
        .then(pl.coalesce("accepted_on", "closed_on"))
        .otherwise(pl.col("accepted_on"))
    )
    c = with_days(
        ctx,
        c,
        "received_on",
        pl.coalesce(pl.col("accepted_on"), pl.lit(ctx.today)),
        "working",
        "accept_days_taken",
    )
    c = with_days(
        ctx,
        c,
        "received_on",
        pl.coalesce(pl.col("closed_on"), pl.lit(ctx.today)),
        "working",
        "close_days_taken",
    )
    late_accept = pl.col("accept_days_taken") > p["accept_days"]
    late_close = pl.col("close_days_taken") > p["close_days"]
    hits = c.filter(late_accept | late_close).with_columns(
        late_accept=late_accept, late_close=late_close
    )
    return hits.select(
        "subject_key",
        "unit_id",
        pl.col("received_on").alias("subject_date"),
        "received_on",
        "accepted_on",
        "closed_on",
        "accept_days_taken",
        "close_days_taken",
        "late_accept",
        "late_close",
        pl.lit("working").alias("day_type"),
    )


def intg03(ctx, p):
    c = _complaints()
    if c is None or c.height == 0:
        return empty_hits()
    hits = c.with_columns(reassignments=(pl.col("assignments") - 1).clip(lower_bound=0)).filter(
        pl.col("reassignments") >= p["times"]
    )
    if hits.height == 0:
        return empty_hits()
    model = apps.get_model("portal", "ComplaintAssignment")

    pks = {pk_of_reference(ref) for ref in hits["subject_key"].to_list()}
    trail = (
        pl.DataFrame(
            [
                (reference_of(pk), name)
                for pk, name in model.objects.filter(complaint_id__in=pks)
                .order_by("assigned_at", "id")
                .values_list("complaint_id", "unit__name")
            ],
            orient="row",
            schema={"subject_key": pl.Utf8, "unit": pl.Utf8},
        )
        .group_by("subject_key", maintain_order=True)
        .agg(pl.col("unit").alias("units"))
    )
    hits = hits.join(trail, on="subject_key", how="left")
    return hits.select(
        "subject_key",
        "unit_id",
        pl.col("received_on").alias("subject_date"),
        "received_on",
        "reassignments",
        "units",
    )


RULES = [
    Rule(
        "INTG-01",
        "移送未接收",
        "integration",
        "浙江省“大综合一体化”行政执法改革；案件移送相关规定",
        "normal",
        "transfer",
        "案件移送后超过期限未被接收。",
        intg01,
        days_param(5, "working", "接收期限"),
        frozenset({"transfers"}),
    ),
    Rule(
        "INTG-02",
        "举报办理超期",
        "integration",
        COMPLAINT,
        "serious",
        "complaint",
        "举报投诉未在规定工作日内受理，或未在规定工作日内办结。",
        intg02,
        (
            Param("accept_days", "受理期限（工作日）", 7),
            Param("close_days", "办结期限（工作日）", 15),
        ),
        frozenset({"complaints"}),
    ),
    Rule(
        "INTG-03",
        "推诿扯皮",
        "integration",
        COMPLAINT,
        "serious",
        "complaint",
        "同一举报在单位之间被转办次数达到阈值。",
        intg03,
        (Param("times", "转办次数", 3),),
        frozenset({"complaints"}),
    ),
]
