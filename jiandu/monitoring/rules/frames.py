"""The frames rules work on: SQL pulled once per run into typed Polars columns, and
`RunContext`, which holds them. A context narrowed to one case or one enterprise lets
a page evaluate the very rule functions on a single subject."""

from __future__ import annotations

import time
from datetime import date

import polars as pl
from django.db import connection

from jiandu.workdays import calendar as work_calendar

# SelfCheckReport.State values of reports not (yet) submitted; the SQL cannot call
# SelfCheckReport.objects.submitted(), and a test holds the two together.
NOT_SUBMITTED = ("draft", "pending_signoff")


def _vendor():
    return connection.vendor


def day_num(col: str) -> str:
    """SQL giving a date column as days since 1970-01-01 (NULL stays NULL) on both engines:
    integers cross the driver far faster than date objects and become pl.Date for free."""
    if _vendor() == "postgresql":
        return f"({col} - DATE '1970-01-01')"
    return f"CAST(julianday({col}) - 2440587.5 AS INTEGER)"


def as_float(col: str) -> str:
    return f"CAST({col} AS DOUBLE PRECISION)"


def as_int(col: str) -> str:
    """Booleans as 1/0/NULL on both engines."""
    return f"(CASE WHEN {col} THEN 1 WHEN NOT {col} THEN 0 END)"


def fetch_frame(sql: str, columns: list[tuple[str, pl.DataType]], params=None) -> pl.DataFrame:
    """Run one query and return its rows as a typed Polars frame. Date columns must be
    selected with day_num(); they arrive as Int32 and are cast to pl.Date."""
    load_types = {
        name: (pl.Int32 if dtype == pl.Date else pl.Int8 if dtype == pl.Boolean else dtype)
        for name, dtype in columns
    }
    if _vendor() == "postgresql" and not params:
        frame = _fetch_pg_copy(sql, load_types)
    else:
        parts = []
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            while True:
                rows = cursor.fetchmany(200_000)
                if not rows:
                    break
                parts.append(pl.DataFrame(rows, schema=load_types, orient="row", strict=False))
        frame = pl.concat(parts) if parts else pl.DataFrame(schema=load_types)
    return frame.with_columns([pl.col(n).cast(t) for n, t in columns if t in (pl.Date, pl.Boolean)])


def _fetch_pg_copy(sql: str, load_types: dict) -> pl.DataFrame:
    """COPY ... TO STDOUT streams the result as CSV, several times faster than fetching tuples."""
    import io

    connection.ensure_connection()
    buf = io.BytesIO()
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
            for block in copy:
                buf.write(block)
    if buf.tell() == 0:
        return pl.DataFrame(schema=load_types)
    buf.seek(0)
    return pl.read_csv(
        buf,
        has_header=False,
        new_columns=list(load_types),
        schema_overrides=load_types,
        infer_schema_length=0,
    )


def typed_select(alias: str, columns: list[tuple[str, pl.DataType]]) -> str:
    """The SELECT list for `columns` of the table aliased `alias`, each read the way
    fetch_frame expects its type (dates as day numbers, booleans as 1/0)."""
    exprs = {pl.Date: day_num, pl.Float64: as_float, pl.Boolean: as_int}
    return ", ".join(
        exprs[dtype](f"{alias}.{name}") if dtype in exprs else f"{alias}.{name}"
        for name, dtype in columns
    )


def table(model_label: str) -> str:
    from django.apps import apps

    return connection.ops.quote_name(apps.get_model(model_label)._meta.db_table)


class RunContext:
    """The frames one run works on, each pulled once on first use."""

    def __init__(
        self, today: date | None = None, unit_ids=None, *, case_id=None, enterprise_id=None
    ):
        from django.utils import timezone

        self.today = today or timezone.localdate()
        self.unit_ids = list(unit_ids) if unit_ids else None
        # Narrowed to one subject (a page asking what a rule says about it): the case
        # frame holds that case only; the inspection and enterprise frames that enterprise.
        self.case_id = case_id
        self.enterprise_id = enterprise_id
        self._cache: dict[str, object] = {}
        self._building = False
        self.load_ms = 0

    def _cached(self, key, build):
        if key not in self._cache:
            # Only the outermost build counts, so nested frames are not timed twice.
            outer = not self._building
            self._building = True
            t0 = time.perf_counter()
            try:
                self._cache[key] = build()
            finally:
                if outer:
                    self._building = False
                    self.load_ms += int((time.perf_counter() - t0) * 1000)
        return self._cache[key]

    # -- tables
    def units(self) -> pl.DataFrame:
        return self._cached(
            "units",
            lambda: fetch_frame(
                f"SELECT id, code, name FROM {table('orgs.Unit')}",
                [("id", pl.Int64), ("code", pl.Utf8), ("name", pl.Utf8)],
            ),
        )

    def cases(self) -> pl.DataFrame:
        def build():
            c = [
                ("id", pl.Int64),
                ("unit_id", pl.Int64),
                ("case_no", pl.Utf8),
                ("party_name", pl.Utf8),
                ("party_type", pl.Utf8),
                ("party_uscc", pl.Utf8),
                ("violation_code", pl.Utf8),
                ("filed_on", pl.Date),
                ("notified_on", pl.Date),
                ("hearing", pl.Boolean),
                ("legal_review", pl.Boolean),
                ("legal_review_on", pl.Date),
                ("collective_discussion", pl.Boolean),
                ("extension_approved", pl.Boolean),
                ("decided_on", pl.Date),
                ("served_on", pl.Date),
                ("published_on", pl.Date),
                ("closed_on", pl.Date),
                ("penalty_kinds", pl.Utf8),
                ("fine", pl.Float64),
                ("illegal_income", pl.Float64),
                ("goods_value", pl.Float64),
                ("tier", pl.Utf8),
                ("circumstances", pl.Utf8),
                ("officers", pl.Utf8),
                ("av_recorded", pl.Boolean),
                ("credit_notice_on", pl.Date),
                ("compliance_advice_on", pl.Date),
            ]
            sql = f"SELECT {typed_select('c', c)} FROM {table('enforcement.PenaltyCase')} c"
            if self.case_id is not None:
                frame = fetch_frame(sql + " WHERE c.id = %s", c, [self.case_id])
            else:
                frame = fetch_frame(sql, c)
            return self.keyed(frame, "case_no")

        return self._cached("cases", build)

    def inspections(self) -> pl.DataFrame:
        def build():
            c = [
                ("id", pl.Int64),
                ("unit_id", pl.Int64),
                ("inspection_no", pl.Utf8),
                ("enterprise_id", pl.Int64),
                ("enterprise_name", pl.Utf8),
                ("inspected_on", pl.Date),
                ("mode", pl.Utf8),
                ("kind", pl.Utf8),
                ("joint_no", pl.Utf8),
                ("registration_no", pl.Utf8),
                ("registered_on", pl.Date),
                ("officers", pl.Utf8),
                ("is_recheck", pl.Boolean),
                ("is_planned", pl.Boolean),
                ("random_draw_id", pl.Int64),
            ]
            sql = f"SELECT {typed_select('i', c)} FROM {table('enforcement.Inspection')} i"
            if self.enterprise_id is not None:
                frame = fetch_frame(sql + " WHERE i.enterprise_id = %s", c, [self.enterprise_id])
            else:
                frame = fetch_frame(sql, c)
            return self.keyed(frame, "inspection_no")

        return self._cached("inspections", build)

    def done_inspections(self) -> pl.DataFrame:
        return self._cached(
            "done_inspections",
            lambda: self.inspections().filter(~pl.col("is_planned").fill_null(False)),
        )

    def enterprises(self) -> pl.DataFrame:
        def build():
            c = [("id", pl.Int64), ("uscc", pl.Utf8), ("quiet_list", pl.Boolean)]
            sql = f"SELECT id, uscc, {as_int('quiet_list')} FROM {table('enforcement.Enterprise')}"
            if self.enterprise_id is not None:
                return fetch_frame(sql + " WHERE id = %s", c, [self.enterprise_id])
            return fetch_frame(sql, c)

        return self._cached("enterprises", build)

    def officers(self) -> pl.DataFrame:
        return self._cached(
            "officers",
            lambda: fetch_frame(
                f"SELECT cert_no, {day_num('valid_until')} FROM {table('enforcement.Officer')}",
                [("cert_no", pl.Utf8), ("valid_until", pl.Date)],
            ),
        )

    def items(self) -> pl.DataFrame:
        return self._cached(
            "items",
            lambda: fetch_frame(
                f"SELECT id, code, name, {as_float('statutory_fine_max')} FROM {table('standards.ViolationItem')}",
                [
                    ("id", pl.Int64),
                    ("code", pl.Utf8),
                    ("name", pl.Utf8),
                    ("statutory_fine_max", pl.Float64),
                ],
            ),
        )

    def benchmarks(self) -> pl.DataFrame:
        """Published benchmark versions; NULL effective dates hold since always."""
        return self._cached(
            "benchmarks",
            lambda: fetch_frame(
                f"SELECT b.id, i.code, b.version, {day_num('b.effective_on')}, b.source"
                f" FROM {table('standards.Benchmark')} b JOIN {table('standards.ViolationItem')} i"
                f" ON i.id = b.item_id WHERE b.published = %s",
                [
                    ("benchmark_id", pl.Int64),
                    ("violation_code", pl.Utf8),
                    ("version", pl.Int64),
                    ("effective_on", pl.Date),
                    ("source", pl.Utf8),
                ],
                [True],
            ).with_columns(pl.col("effective_on").fill_null(date(1900, 1, 1))),
        )

    def tiers(self) -> pl.DataFrame:
        return self._cached(
            "tiers",
            lambda: fetch_frame(
                f"SELECT benchmark_id, level, {as_float('fine_min')}, {as_float('fine_max')}, multiple_of,"
                f" {as_float('multiple_min')}, {as_float('multiple_max')} FROM {table('standards.Tier')}",
                [
                    ("benchmark_id", pl.Int64),
                    ("level", pl.Utf8),
                    ("fine_min", pl.Float64),
                    ("fine_max", pl.Float64),
                    ("multiple_of", pl.Utf8),
                    ("multiple_min", pl.Float64),
                    ("multiple_max", pl.Float64),
                ],
            ),
        )

    def lenient(self) -> pl.DataFrame:
        return self._cached(
            "lenient",
            lambda: fetch_frame(
                f"SELECT list_kind, code, {day_num('effective_on')} FROM {table('standards.LenientListItem')}"
                f" WHERE published = %s",
                [("list_kind", pl.Utf8), ("code", pl.Utf8), ("effective_on", pl.Date)],
                [True],
            ).with_columns(pl.col("effective_on").fill_null(date(1900, 1, 1))),
        )

    # -- other rules' alerts and the campaigns' self-checks (CAMP-01)
    def confirmed_alerts(self) -> pl.DataFrame:
        """Alerts a supervisor confirmed (whatever their state since), with a unit. Read
        when first asked for: the engine runs the rules reading alerts after the others."""
        return self._cached(
            "confirmed_alerts",
            lambda: fetch_frame(
                f"SELECT rule, unit_id, subject_key, {day_num('subject_date')}"
                f" FROM {table('monitoring.Alert')}"
                " WHERE confirmed_at IS NOT NULL AND unit_id IS NOT NULL",
                [
                    ("rule", pl.Utf8),
                    ("unit_id", pl.Int64),
                    ("alert_subject", pl.Utf8),
                    ("alert_date", pl.Date),
                ],
            ),
        )

    def self_check_answers(self) -> pl.DataFrame:
        """Answers “无此问题” in submitted self-check reports (not a draft, nor waiting for
        the head's sign-off: SelfCheckReport.objects.submitted()), with their item."""
        q = connection.ops.quote_name
        return self._cached(
            "self_check_answers",
            lambda: fetch_frame(
                f"SELECT a.id, r.unit_id, u.code, r.campaign_id, i.{q('order')}, i.text, i.rules,"
                f" f.code FROM {table('selfcheck.SelfCheckAnswer')} a"
                f" JOIN {table('selfcheck.SelfCheckReport')} r ON r.id = a.report_id"
                f" JOIN {table('orgs.Unit')} u ON u.id = r.unit_id"
                f" JOIN {table('campaigns.SelfCheckItem')} i ON i.id = a.item_id"
                f" JOIN {table('orgs.FocusArea')} f ON f.id = i.focus_area_id"
                " WHERE a.has_problem = %s AND r.state NOT IN (%s, %s)",
                [
                    ("answer_id", pl.Int64),
                    ("unit_id", pl.Int64),
                    ("unit_code", pl.Utf8),
                    ("campaign_id", pl.Int64),
                    ("order", pl.Int64),
                    ("item_text", pl.Utf8),
                    ("rules", pl.Utf8),
                    ("focus_area", pl.Utf8),
                ],
                [False, *NOT_SUBMITTED],
            ),
        )

    def campaign_periods(self) -> pl.DataFrame:
        """Each campaign's first phase start and last phase end (NULL without phases)."""
        q = connection.ops.quote_name
        start, end = f"MIN(p.{q('start')})", f"MAX(p.{q('end')})"
        return self._cached(
            "campaign_periods",
            lambda: fetch_frame(
                f"SELECT c.id, {day_num(start)}, {day_num(end)} FROM {table('campaigns.Campaign')} c"
                f" LEFT JOIN {table('campaigns.Phase')} p ON p.campaign_id = c.id GROUP BY c.id",
                [("campaign_id", pl.Int64), ("start", pl.Date), ("end", pl.Date)],
            ),
        )

    def keyed(self, frame: pl.DataFrame, no_col: str) -> pl.DataFrame:
        """Adds the unit's code and subject_key 'unit code/number' to rows with unit_id."""
        codes = self.units().select(
            pl.col("id").alias("unit_id"), pl.col("code").alias("unit_code")
        )
        return frame.join(codes, on="unit_id", how="left").with_columns(
            subject_key=pl.concat_str([pl.col("unit_code"), pl.lit("/"), pl.col(no_col)])
        )

    # -- shared derived frames
    def cases_in_force_benchmark(self) -> pl.DataFrame:
        """Decided cases with fines, joined to the tier they claim in the benchmark version
        in force on the decision date (as-of join by item)."""

        def build():
            cases = self.cases().filter(
                pl.col("decided_on").is_not_null() & pl.col("fine").is_not_null()
            )
            bm = (
                self.benchmarks()
                .sort(["violation_code", "effective_on", "version"])
                .unique(["violation_code", "effective_on"], keep="last")
                .sort("effective_on")
            )
            joined = cases.sort("decided_on").join_asof(
                bm,
                left_on="decided_on",
                right_on="effective_on",
                by="violation_code",
                strategy="backward",
                check_sortedness=False,
            )
            tiers = self.tiers()
            joined = joined.join(
                tiers,
                left_on=["benchmark_id", "tier"],
                right_on=["benchmark_id", "level"],
                how="left",
            )
            base = (
                pl.when(pl.col("multiple_of") == "illegal_income")
                .then(pl.col("illegal_income"))
                .when(pl.col("multiple_of") == "goods_value")
                .then(pl.col("goods_value"))
            )
            multiple = pl.col("multiple_of").fill_null("") != ""
            return joined.with_columns(
                range_min=pl.when(multiple)
                .then(base * pl.col("multiple_min"))
                .otherwise(pl.col("fine_min")),
                range_max=pl.when(multiple)
                .then(base * pl.col("multiple_max"))
                .otherwise(pl.col("fine_max")),
            )

        return self._cached("cases_bm", build)

    # -- working days
    def calendar(self, lo: date, hi: date) -> pl.DataFrame:
        """(date, workday_seq) for [lo, hi]; cached and widened as rules ask for more."""
        cal = self._cache.get("calendar")
        if cal is None or lo < cal[0] or hi > cal[1]:
            if cal is not None:
                lo, hi = min(lo, cal[0]), max(hi, cal[1])

            rows = work_calendar().table(lo, hi)
            frame = pl.DataFrame(
                {"date": [r[0] for r in rows], "seq": [r[2] for r in rows]},
                schema={"date": pl.Date, "seq": pl.Int64},
            )
            cal = (lo, hi, frame)
            self._cache["calendar"] = cal
        return cal[2]
