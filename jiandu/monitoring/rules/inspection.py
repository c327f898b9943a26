"""涉企检查: INSP-01..07. The subject is the inspection that crossed the line (the
later of a pair, the visit beyond the cap); the evidence lists the others."""

import polars as pl

from jiandu.enforcement.models import Inspection
from jiandu.monitoring.rules.declaration import Param, Rule, days_param
from jiandu.monitoring.rules.frames import day_num, fetch_frame, table
from jiandu.monitoring.rules.predicates import over_limit
from jiandu.monitoring.rules.procedure import officer_check

CHECK = "国办发〔2024〕54号《关于严格规范涉企行政检查的意见》；浙政办发〔2025〕5号"
RANDOM = "国办发〔2015〕58号、国发〔2019〕5号（双随机、一公开）"
KIND_CHOICES = tuple(Inspection.Kind.choices)
_SPAN = 1_000_000  # days; separates groups on one sorted integer axis
# The subject of every rule about one visit, and the evidence each of them starts with.
VISIT_COLUMNS = [
    "subject_key",
    "unit_id",
    pl.col("inspected_on").alias("subject_date"),
    "enterprise_name",
    "inspected_on",
]


def onsite(ctx) -> pl.DataFrame:
    return ctx.done_inspections().filter(pl.col("mode") == "onsite")


def enterprise_windows(df: pl.DataFrame, window: int) -> tuple[pl.Series, pl.Series, pl.Series]:
    """Sorts the visits by (enterprise, date): `perm` gives the row at each sorted
    position, and for each position the half-open range [left, right) of positions
    holding its enterprise's visits dated within [date - window, date], itself and same-day
    visits included. Enterprises are laid end to end on one integer axis (enterprise ×
    span + day), so one sort and one vectorised binary search answer every visit."""
    key = df.select(
        (
            pl.col("enterprise_id").cast(pl.Int64) * _SPAN
            + pl.col("inspected_on").cast(pl.Int32).cast(pl.Int64)
        ).alias("k")
    )["k"]
    perm = key.arg_sort()
    axis = key.gather(perm)
    # The end of each run of equal keys, carried back over the run.
    right = (
        axis.to_frame("k")
        .select(
            pl.when(pl.col("k") != pl.col("k").shift(-1, fill_value=-1))
            .then(pl.int_range(1, pl.len() + 1, dtype=pl.Int64))
            .backward_fill()
        )
        .to_series()
    )
    left = axis.search_sorted(axis - window, side="left").cast(pl.Int64)
    return perm, left, right


def _enterprise_unit(c: pl.DataFrame) -> pl.Expr:
    """One integer per (enterprise, unit) pair of the frame `c`."""
    n_units = c["unit_id"].n_unique() + 1
    return pl.col("enterprise_id") * n_units + pl.col("unit_id").rank("dense").cast(pl.Int64)


def _label(prefix="") -> pl.Expr:
    return pl.concat_str(
        [
            pl.col(f"{prefix}unit_code"),
            pl.lit(" "),
            pl.col(f"{prefix}inspection_no"),
            pl.lit(" "),
            pl.col(f"{prefix}inspected_on").cast(pl.Utf8),
        ]
    )


def insp01(ctx, p):
    kinds = list(p["counted_kinds"])
    c = (
        onsite(ctx)
        .filter(pl.col("kind").is_in(kinds))
        .with_columns(year=pl.col("inspected_on").dt.year())
    )
    group = _enterprise_unit(c) * 10_000 + pl.col("year")
    c = c.with_columns(_g=group).sort(["_g", "inspected_on", "id"])
    # Position within the group: distance from the group's first row (sorted, no group_by).
    idx = pl.int_range(pl.len(), dtype=pl.Int64)
    start = pl.when(pl.col("_g") != pl.col("_g").shift(1).fill_null(-1)).then(idx).forward_fill()
    c = c.with_columns(nth=idx - start + 1)
    hits = c.filter(pl.col("nth") > p["cap"])
    if hits.height:
        earlier = c.select(
            "unit_id",
            "enterprise_id",
            "year",
            pl.col("nth").alias("o_nth"),
            _label().alias("visit"),
        )
        agg = (
            hits.select("id", "unit_id", "enterprise_id", "year", "nth")
            .join(earlier, on=["unit_id", "enterprise_id", "year"])
            .filter(pl.col("o_nth") < pl.col("nth"))
            .sort("o_nth")
            .group_by("id")
            .agg(pl.col("visit").alias("earlier_visits"))
        )
        hits = hits.join(agg, on="id", how="left")
    else:
        hits = hits.with_columns(earlier_visits=pl.lit(None, pl.List(pl.Utf8)))
    return hits.select(
        *VISIT_COLUMNS,
        "year",
        "nth",
        pl.lit(p["cap"]).alias("cap"),
        "earlier_visits",
    )


def insp02(ctx, p):
    w = int(p["window"])
    c = onsite(ctx).with_columns(pl.col("joint_no").fill_null(""))
    perm, left, right = enterprise_windows(c, w)
    # Every visit paired with the others in its window (sorted positions q and pos): as
    # many pairs as a range join would make, and a visit alone in its window makes none.
    pairs = (
        pl.DataFrame({"q": pl.int_range(0, c.height, eager=True), "left": left, "right": right})
        .filter(pl.col("right") - pl.col("left") > 1)
        .select("q", pos=pl.int_ranges("left", "right"))
        .explode("pos")
    )
    unit, joint = c["unit_id"].gather(perm), c["joint_no"].gather(perm)
    q, pos = pairs["q"], pairs["pos"]
    # Another unit's visit, not a member of the same joint inspection.
    pairs = pairs.filter(
        (unit.gather(pos) != unit.gather(q))
        & ~((joint.gather(q) != "") & (joint.gather(pos) == joint.gather(q)))
    )
    row, other = perm.gather(pairs["q"]), perm.gather(pairs["pos"])
    visits = (
        pl.DataFrame(
            {
                "_i": row,
                "o_inspected_on": c["inspected_on"].gather(other),
                "o_id": c["id"].gather(other),
                "o_unit_code": c["unit_code"].gather(other),
                "o_inspection_no": c["inspection_no"].gather(other),
            }
        )
        .sort("_i", "o_inspected_on", "o_id")
        .group_by("_i", maintain_order=True)
        .agg(other_units_visits=_label("o_"))
    )
    hits = c.with_row_index("_i").join(visits, on="_i")
    return hits.select(
        *VISIT_COLUMNS,
        "joint_no",
        pl.lit(w).alias("window"),
        "other_units_visits",
    )


def insp02_avoided(unit_ids=None) -> pl.DataFrame:
    """The visits 综合查一次 avoided: one row per confirmed joint visit (planning's
    JointVisit) with its accepted units; every unit beyond the first would otherwise have
    made a visit of its own, which INSP-02 would have flagged. Read by table name, as
    INSP-07 reads the draws: monitoring does not import planning."""
    where = ""
    if unit_ids:
        ids = ",".join(str(int(u)) for u in unit_ids)
        where = f" AND j.id IN (SELECT joint_id FROM {table('planning.JointParticipant')} WHERE unit_id IN ({ids}))"
    frame = fetch_frame(
        f"SELECT j.id, j.joint_no, j.lead_unit_id, {day_num('j.visit_on')}, "
        f"(SELECT COUNT(*) FROM {table('planning.JointParticipant')} p "
        f"WHERE p.joint_id = j.id AND p.state = 'accepted'), "
        f"(SELECT COUNT(*) FROM {table('planning.JointParticipant')} p "
        f"WHERE p.joint_id = j.id AND p.state = 'declined') "
        f"FROM {table('planning.JointVisit')} j WHERE j.state = 'confirmed'{where}",
        [
            ("id", pl.Int64),
            ("joint_no", pl.Utf8),
            ("unit_id", pl.Int64),
            ("visit_on", pl.Date),
            ("units", pl.Int64),
            ("declined", pl.Int64),
        ],
    )
    return frame.with_columns(avoided=(pl.col("units") - 1).clip(lower_bound=0))


def insp02_figures(unit_ids=None) -> dict:
    """INSP-02's figures beside its hits: joint visits held or planned, the visits they
    avoided, and the units that declined to join."""
    f = insp02_avoided(unit_ids)
    return {
        "joint_visits": f.height,
        "avoided_visits": int(f["avoided"].sum()) if f.height else 0,
        "declined": int(f["declined"].sum()) if f.height else 0,
    }


# Figures a rule shows beside its hits (the rules page), by rule id.
FIGURES = {"INSP-02": insp02_figures}


def insp03(ctx, p):
    w = int(p["window"])
    c = onsite(ctx)
    c = c.with_columns(_g=_enterprise_unit(c)).sort(["_g", "inspected_on", "id"])
    same = pl.col("_g") == pl.col("_g").shift(1)
    c = c.with_columns(
        prev_no=pl.when(same).then(pl.col("inspection_no").shift(1)),
        prev_on=pl.when(same).then(pl.col("inspected_on").shift(1)),
    )
    c = c.with_columns(gap=(pl.col("inspected_on") - pl.col("prev_on")).dt.total_days())
    hits = c.filter(
        pl.col("prev_on").is_not_null()
        & (pl.col("gap") <= w)
        & (pl.col("kind").fill_null("") != "complaint")
        & ~pl.col("is_recheck").fill_null(False)
    )
    return hits.select(
        *VISIT_COLUMNS,
        "kind",
        "prev_no",
        "prev_on",
        "gap",
        pl.lit(w).alias("window"),
    )


def insp04(ctx, p):
    c = ctx.done_inspections()
    hits = c.filter(
        (pl.col("registration_no").fill_null("") == "")
        | (
            pl.col("registered_on").is_not_null()
            & (pl.col("registered_on") > pl.col("inspected_on"))
        )
    )
    return hits.select(
        *VISIT_COLUMNS,
        "registration_no",
        "registered_on",
    )


def insp05(ctx, p):
    quiet = (
        ctx.enterprises()
        .filter(pl.col("quiet_list").eq(True))
        .select(pl.col("id").alias("enterprise_id"))
    )
    kinds = list(p["kinds"])
    c = onsite(ctx).filter(pl.col("kind").is_in(kinds)).join(quiet, on="enterprise_id", how="semi")
    return c.select(
        *VISIT_COLUMNS,
        "kind",
    )


def insp06(ctx, p):
    hits = officer_check(ctx, ctx.done_inspections(), "inspected_on", p["min_officers"])
    return hits.select(
        *VISIT_COLUMNS,
        "officer_count",
        "bad_officers",
    )


def insp07(ctx, p):
    draws = fetch_frame(
        f"SELECT d.id, d.draw_no, d.unit_id, {day_num('d.published_on')} FROM {table('enforcement.RandomDraw')} d",
        [
            ("random_draw_id", pl.Int64),
            ("subject_key", pl.Utf8),
            ("unit_id", pl.Int64),
            ("published_on", pl.Date),
        ],
    )
    ends = (
        ctx.done_inspections()
        .filter(pl.col("random_draw_id").is_not_null())
        .group_by("random_draw_id")
        .agg(pl.col("inspected_on").max().alias("inspections_end"), pl.len().alias("inspections"))
    )
    c = draws.join(ends, on="random_draw_id")
    hits = over_limit(ctx, c, "inspections_end", "published_on", p)
    return hits.select(
        "subject_key",
        "unit_id",
        pl.col("inspections_end").alias("subject_date"),
        "inspections_end",
        "published_on",
        "days_taken",
        "inspections",
        pl.lit(p["day_type"]).alias("day_type"),
    )


RULES = [
    Rule(
        "INSP-01",
        "检查频次超限",
        "inspection",
        CHECK,
        "normal",
        "inspection",
        "同一单位一年内对同一企业的现场检查（计入的检查类型）超过上限次数。",
        insp01,
        (
            Param("cap", "每年现场检查上限（次）", 2),
            Param(
                "counted_kinds",
                "计入上限的检查类型",
                ("routine", "special", "random"),
                kind="choices",
                choices=KIND_CHOICES,
            ),
        ),
        frozenset({"inspections"}),
    ),
    Rule(
        "INSP-02",
        "多头检查未联合",
        "inspection",
        CHECK,
        "normal",
        "inspection",
        "一个单位对企业现场检查时，另一单位在窗口期内已现场检查过该企业，且不属于同一次联合检查。",
        insp02,
        (Param("window", "窗口期（自然日）", 30),),
        frozenset({"inspections"}),
    ),
    Rule(
        "INSP-03",
        "重复检查",
        "inspection",
        CHECK,
        "normal",
        "inspection",
        "同一单位在窗口期内再次现场检查同一企业（投诉举报核查和整改复查除外）。",
        insp03,
        (Param("window", "窗口期（自然日）", 30),),
        frozenset({"inspections"}),
    ),
    Rule(
        "INSP-04",
        "未登记备案",
        "inspection",
        CHECK,
        "normal",
        "inspection",
        "检查未登记备案，或登记备案晚于检查日期。",
        insp04,
        (),
        frozenset({"inspections"}),
    ),
    Rule(
        "INSP-05",
        "无事不扰",
        "inspection",
        CHECK,
        "serious",
        "inspection",
        "列入“无事不扰”清单的企业被以日常检查或专项检查方式现场检查。",
        insp05,
        (
            Param(
                "kinds",
                "不得实施的检查类型",
                ("routine", "special"),
                kind="choices",
                choices=KIND_CHOICES,
            ),
        ),
        frozenset({"inspections", "enterprises"}),
    ),
    Rule(
        "INSP-06",
        "检查人员不足或无证",
        "inspection",
        f"{CHECK}；《中华人民共和国行政处罚法》第四十二条",
        "serious",
        "inspection",
        "检查人员少于规定人数，或有人员执法证在检查日未知或已过期。",
        insp06,
        (Param("min_officers", "最少检查人员数", 2),),
        frozenset({"inspections", "officers"}),
    ),
    Rule(
        "INSP-07",
        "抽查结果未公示",
        "inspection",
        RANDOM,
        "normal",
        "random_draw",
        "双随机抽查结果未在检查结束后规定期限内公示。",
        insp07,
        days_param(20, "working", "公示期限"),
        frozenset({"inspections"}),
    ),
]
