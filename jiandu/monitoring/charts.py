"""What the alert page shows beside the evidence so a supervisor judges at a glance,
and the comparison between units. Each returns plain data plus an ECharts option."""

import json
from datetime import date, timedelta

import polars as pl

from jiandu.enforcement.models import Inspection, PenaltyCase
from jiandu.monitoring.rules.frames import as_float, day_num, fetch_frame, table
from jiandu.orgs.access import scope, sees_all
from jiandu.standards.models import Benchmark, TierLevel, ViolationItem
from jiandu.workdays import calendar

DATE_RULES = {
    "PROC-01",
    "PROC-02",
    "PROC-03",
    "PROC-05",
    "INSP-07",
    "INTG-01",
    "INTG-02",
    "SERV-02",
    "SERV-03",
}
INSPECTION_RULES = {"INSP-01", "INSP-02", "INSP-03", "INSP-04", "INSP-05", "INSP-06"}
TIER_RULES = {"DISC-02", "DISC-04", "LENI-02"}


def _json(option):
    return json.dumps(option, ensure_ascii=False, default=str)


def _case(alert):
    unit_code, _, case_no = alert.subject_key.partition("/")
    return (
        PenaltyCase.objects.filter(unit__code=unit_code, case_no=case_no)
        .select_related("unit")
        .first()
    )


def visual_for(alert, user):
    if alert.rule == "DISC-01":
        return disc01(alert, user)
    if alert.rule in TIER_RULES:
        return tiers(alert)
    if alert.rule in INSPECTION_RULES:
        return timeline(alert, user)
    if alert.rule in DATE_RULES:
        return working_days(alert)
    return None


def disc01(alert, user):
    case = _case(alert)
    if case is None:
        return None
    peers = (
        PenaltyCase.objects.filter(
            violation_code=case.violation_code,
            tier=case.tier,
            party_type=case.party_type,
            decided_on__isnull=False,
            fine__isnull=False,
        )
        .select_related("unit")
        .order_by("fine")
    )
    points = [(float(p.fine), p.pk == case.pk) for p in peers[:2000]]
    option = {
        "tooltip": {"trigger": "item"},
        "grid": {"left": 70, "right": 20, "top": 30, "bottom": 40},
        "xAxis": {
            "type": "category",
            "name": "同类案件（按罚款排序）",
            "nameLocation": "middle",
            "nameGap": 25,
            "axisLabel": {"show": False},
            "data": list(range(1, len(points) + 1)),
        },
        "yAxis": {"type": "value", "name": "罚款（元）"},
        "series": [
            {
                "type": "bar",
                "name": "罚款",
                "data": [
                    {"value": v, "itemStyle": {"color": "#dc3545" if mine else "#6c8ebf"}}
                    for v, mine in points
                ],
                "markLine": {
                    "symbol": "none",
                    "data": [{"yAxis": alert.evidence.get("median"), "name": "中位数"}],
                    "label": {"formatter": "中位数 {c}"},
                },
            }
        ],
    }
    listed = scope(peers, user)
    return {
        "kind": "disc01",
        "case": case,
        "option": _json(option),
        "peers": listed[:50],
        "peer_count": peers.count(),
        "own_only": not sees_all(user),
    }


def tiers(alert):
    case = _case(alert)
    if case is None or case.decided_on is None:
        return None
    bm = Benchmark.objects.in_force(case.decided_on).filter(item__code=case.violation_code).first()
    if bm is None:
        return {"kind": "tiers", "case": case, "benchmark": None}
    rows = []
    for t in bm.tiers.all():
        lo, hi = t.fine_min, t.fine_max
        if t.multiple_of:
            base = case.illegal_income if t.multiple_of == "illegal_income" else case.goods_value
            lo = base * t.multiple_min if base is not None and t.multiple_min is not None else None
            hi = base * t.multiple_max if base is not None and t.multiple_max is not None else None
        rows.append({"tier": t, "min": lo, "max": hi, "claimed": t.level == case.tier})
    order = [v for v, _ in TierLevel.choices]
    rows.sort(key=lambda r: order.index(r["tier"].level))
    ranged = [r for r in rows if r["min"] is not None and r["max"] is not None]
    option = {
        "tooltip": {},
        "grid": {"left": 70, "right": 30, "top": 20, "bottom": 30},
        "yAxis": {"type": "category", "data": [r["tier"].get_level_display() for r in ranged]},
        "xAxis": {"type": "value", "name": "元"},
        "series": [
            {
                "type": "bar",
                "stack": "r",
                "itemStyle": {"color": "transparent"},
                "data": [float(r["min"]) for r in ranged],
            },
            {
                "type": "bar",
                "stack": "r",
                "name": "阶次幅度",
                "data": [
                    {
                        "value": float(r["max"] - r["min"]),
                        "itemStyle": {"color": "#dc3545" if r["claimed"] else "#9fb7d9"},
                    }
                    for r in ranged
                ],
                "markLine": {
                    "symbol": "none",
                    "data": [{"xAxis": float(case.fine or 0)}],
                    "label": {"formatter": "本案罚款 {c}"},
                },
            },
        ],
    }
    return {
        "kind": "tiers",
        "case": case,
        "benchmark": bm,
        "rows": rows,
        "option": _json(option) if ranged else None,
    }


def working_days(alert):
    """The dates of the rule and, between them, the days that were not counted (weekends,
    holidays) and the adjusted workdays (调休) that were."""
    ev = alert.evidence
    pairs = [
        ("decided_on", "served_on"),
        ("decided_on", "published_on"),
        ("filed_on", "decided_on"),
        ("inspections_end", "published_on"),
        ("sent_on", "received_on"),
        ("decided_on", "withdrawn_on"),
        ("applied_on", "decided_on"),
        ("received_on", "closed_on"),
    ]
    start = end = None
    for a, b in pairs:
        if ev.get(a):
            start, end = ev[a], ev.get(b)
            break
    if not start:
        return None
    start = date.fromisoformat(start)
    end = date.fromisoformat(end) if end else (alert.last_seen.date())
    if (end - start).days > 400:
        return {"kind": "dates", "start": start, "end": end, "days": None}
    cal = calendar()
    rows = cal.table(start, end)
    skipped = [d for d, work, _ in rows[1:] if not work and d.weekday() < 5]
    adjusted = [d for d, work, _ in rows[1:] if work and d.weekday() >= 5]
    return {
        "kind": "dates",
        "start": start,
        "end": end,
        "calendar_days": (end - start).days,
        "working_days": rows[-1][2] - rows[0][2],
        "holidays": skipped,
        "adjusted": adjusted,
        "day_type": ev.get("day_type", "calendar"),
    }


def timeline(alert, user):
    unit_code, _, no = alert.subject_key.partition("/")
    me = (
        Inspection.objects.filter(unit__code=unit_code, inspection_no=no)
        .select_related("enterprise")
        .first()
    )
    if me is None:
        return None
    lo, hi = me.inspected_on - timedelta(days=365), me.inspected_on + timedelta(days=120)
    visits = list(
        Inspection.objects.filter(enterprise=me.enterprise, inspected_on__range=(lo, hi))
        .select_related("unit")
        .order_by("inspected_on", "id")[:300]
    )
    units = sorted({v.unit.name for v in visits})
    option = {
        "tooltip": {"trigger": "item"},
        "grid": {"left": 150, "right": 30, "top": 20, "bottom": 40},
        "xAxis": {"type": "time"},
        "yAxis": {"type": "category", "data": units},
        "series": [
            {
                "type": "scatter",
                "symbolSize": 14,
                "data": [
                    {
                        "value": [v.inspected_on.isoformat(), v.unit.name],
                        "name": f"{v.inspection_no} {v.get_kind_display()}{'（计划）' if v.is_planned else ''}{'（非现场）' if v.mode == 'offsite' else ''}",
                        "itemStyle": {
                            "color": "#dc3545"
                            if v.pk == me.pk
                            else ("#adb5bd" if v.mode == "offsite" else "#0d6efd")
                        },
                    }
                    for v in visits
                ],
            }
        ],
    }
    return {"kind": "timeline", "me": me, "visits": visits, "option": _json(option)}


def unit_comparison(user, item_code=None, year: int | None = None):
    """Per violation item: each unit's median fine and case count beside the county's."""
    where, params = "c.decided_on IS NOT NULL AND c.fine IS NOT NULL", []
    if year:
        where += " AND c.decided_on >= %s AND c.decided_on < %s"
        params += [date(year, 1, 1), date(year + 1, 1, 1)]
    frame = fetch_frame(
        f"SELECT c.violation_code, u.code, u.name, {as_float('c.fine')}, {day_num('c.decided_on')}"
        f" FROM {table('enforcement.PenaltyCase')} c JOIN {table('orgs.Unit')} u ON u.id = c.unit_id WHERE {where}",
        [
            ("code", pl.Utf8),
            ("unit_code", pl.Utf8),
            ("unit", pl.Utf8),
            ("fine", pl.Float64),
            ("decided_on", pl.Date),
        ],
        params,
    )
    county = (
        frame.group_by("code")
        .agg(pl.col("fine").median().alias("county_median"), pl.len().alias("county_count"))
        .sort("code")
    )
    per_unit = frame.group_by(["code", "unit_code", "unit"]).agg(
        pl.col("fine").median().alias("median"), pl.len().alias("count")
    )
    if not sees_all(user):
        own = getattr(user.unit, "code", None)
        per_unit = per_unit.filter(pl.col("unit_code") == own)
    per_unit = (
        per_unit.join(county, on="code")
        .with_columns(ratio=pl.col("median") / pl.col("county_median"))
        .sort(["code", "unit_code"])
    )

    names = dict(ViolationItem.objects.values_list("code", "name"))
    items = (
        [
            {
                "code": r["code"],
                "name": names.get(r["code"], ""),
                "county_median": r["county_median"],
                "county_count": r["county_count"],
                "units": [u for u in per_unit.filter(pl.col("code") == r["code"]).to_dicts()],
            }
            for r in county.to_dicts()
        ]
        if county.height <= 500
        else []
    )
    chosen = item_code or (items[0]["code"] if items else None)
    option = None
    chosen_item = next((i for i in items if i["code"] == chosen), None)
    if chosen_item and chosen_item["units"]:
        option = _json(
            {
                "tooltip": {"trigger": "axis"},
                "grid": {"left": 70, "right": 20, "top": 30, "bottom": 90},
                "xAxis": {
                    "type": "category",
                    "data": [u["unit"] for u in chosen_item["units"]],
                    "axisLabel": {"rotate": 40},
                },
                "yAxis": {"type": "value", "name": "罚款中位数（元）"},
                "series": [
                    {
                        "type": "bar",
                        "name": "单位中位数",
                        "data": [u["median"] for u in chosen_item["units"]],
                        "markLine": {
                            "symbol": "none",
                            "data": [{"yAxis": chosen_item["county_median"]}],
                            "label": {"formatter": "全县 {c}"},
                        },
                    }
                ],
            }
        )
    return {"items": items, "chosen": chosen_item, "option": option, "year": year}
