"""Predicates and day counts shared by the rules of several areas."""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from jiandu.monitoring.rules.declaration import WORKING
from jiandu.monitoring.rules.frames import RunContext


def with_days(
    ctx: RunContext, frame: pl.DataFrame, start: str, end: str | pl.Expr, day_type: str, out: str
) -> pl.DataFrame:
    """Add column `out`: days from `start` to `end` (calendar, or working days counted
    after `start` up to and including `end`, via workday_seq differences)."""
    if isinstance(end, str):
        frame = frame.with_columns(pl.col(end).alias("_end"))
    else:
        frame = frame.with_columns(end.alias("_end"))
    if day_type != WORKING:
        return frame.with_columns((pl.col("_end") - pl.col(start)).dt.total_days().alias(out)).drop(
            "_end"
        )
    if frame.height == 0:
        return frame.with_columns(pl.lit(None, pl.Int64).alias(out)).drop("_end")
    lo = frame.select(pl.min_horizontal(pl.col(start).min(), pl.col("_end").min())).item()
    hi = frame.select(pl.max_horizontal(pl.col(start).max(), pl.col("_end").max())).item()
    if lo is None:
        return frame.with_columns(pl.lit(None, pl.Int64).alias(out)).drop("_end")
    cal = ctx.calendar(lo - timedelta(days=1), hi)
    frame = frame.join(cal.rename({"date": start, "seq": "_s0"}), on=start, how="left").join(
        cal.rename({"date": "_end", "seq": "_s1"}), on="_end", how="left"
    )
    return frame.with_columns((pl.col("_s1") - pl.col("_s0")).alias(out)).drop("_s0", "_s1", "_end")


def over_limit(ctx: RunContext, frame: pl.DataFrame, start: str, end: str, p: dict) -> pl.DataFrame:
    """Rows whose days from `start` to `end` (to today while `end` is still empty), counted
    as p["day_type"], exceed p["days"]; the count is kept as `days_taken`."""
    end_or_today = pl.coalesce(pl.col(end), pl.lit(ctx.today))
    frame = with_days(ctx, frame, start, end_or_today, p["day_type"], "days_taken")
    return frame.filter(pl.col("days_taken") > p["days"])


def has(col: str, value: str) -> pl.Expr:
    return pl.col(col).fill_null("").str.contains(f";{value};", literal=True)


def has_any(col: str, values) -> pl.Expr:
    expr = pl.lit(False)
    for v in values:
        expr = expr | has(col, v)
    return expr


def empty_hits() -> pl.DataFrame:
    return pl.DataFrame(
        schema={"subject_key": pl.Utf8, "unit_id": pl.Int64, "subject_date": pl.Date}
    )
