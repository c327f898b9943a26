"""统计分析: the leadership's figures per unit for any period, with the period before it.

Each figure is a `Metric`: one definition (which records, which date puts them in the
period, which unit they belong to), answered by one grouped query per period. The page,
its export, the ranking and the 通报 document read the same `Metric`s, so they agree;
county totals are the sum of the same groups, records without a unit included.

Every query goes through `orgs.access.scope`: a unit's user (should one reach the
functions) would get only the unit's own figures."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from jiandu.dashboard.periods import Period
from jiandu.enforcement.models import NO_PENALTY, Inspection, PenaltyCase
from jiandu.ledger.figures import completion_rate
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.access import enforcement_units, scope
from jiandu.orgs.models import Unit
from jiandu.portal.models import Complaint
from jiandu.supervision.models import Instrument
from jiandu.workdays import calendar

NO_UNIT = None  # the key of records that belong to no unit (e.g. a complaint not assigned)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def in_days(field: str, start: date, end: date, *, moment: bool = False) -> Q:
    """`field` falls on a day from `start` to `end` (local days). For a date-time field
    (`moment`) the bounds are instants, so an index on the column serves the query."""
    if moment:
        return Q(
            **{
                f"{field}__gte": _day_start(start),
                f"{field}__lt": _day_start(end + timedelta(days=1)),
            }
        )
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def late_registration_q() -> Q:
    """An inspection registered late: no registration number, or registered after the
    day of the visit — the condition of rule INSP-04 (monitoring/rules/inspection.py)."""
    return Q(registration_no="") | Q(
        registered_on__isnull=False, registered_on__gt=F("inspected_on")
    )


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    group: str
    # (user, period, today) -> {unit_id or None: value}
    compute: Callable[..., dict]
    money: bool = False
    # Whether more is better, for the colour of the change against the previous period.
    # None: neither (a count of work done, say).
    more_is_better: bool | None = None
    # The date-ish field and model used by the trend chart (None: not charted).
    trend: tuple | None = None


def _grouped(qs, unit_field: str, aggregate=None) -> dict:
    aggregate = aggregate or Count("pk")
    rows = qs.order_by().values(unit_field).annotate(v=aggregate).values_list(unit_field, "v")
    return {unit: value or 0 for unit, value in rows}


# --- the definitions ----------------------------------------------------------------


def _cases(user):
    return scope(PenaltyCase.objects.all(), user)


def cases_filed(user, period: Period, today: date) -> dict:
    return _grouped(_cases(user).filter(in_days("filed_on", period.start, period.end)), "unit_id")


def _decided(user, period: Period):
    return _cases(user).filter(in_days("decided_on", period.start, period.end))


def cases_decided(user, period: Period, today: date) -> dict:
    return _grouped(_decided(user, period), "unit_id")


def fines(user, period: Period, today: date) -> dict:
    return _grouped(_decided(user, period).filter(fine__isnull=False), "unit_id", Sum("fine"))


def lenient(user, period: Period, today: date) -> dict:
    """不予处罚 decisions (轻微不罚、首违不罚 and the like) made in the period."""
    qs = _decided(user, period).filter(penalty_kinds__contains=f";{NO_PENALTY};")
    return _grouped(qs, "unit_id")


def _inspections(user, period: Period):
    return scope(Inspection.objects.filter(is_planned=False), user).filter(
        in_days("inspected_on", period.start, period.end)
    )


def inspections(user, period: Period, today: date) -> dict:
    return _grouped(_inspections(user, period), "unit_id")


def inspections_late(user, period: Period, today: date) -> dict:
    return _grouped(_inspections(user, period).filter(late_registration_q()), "unit_id")


def _in_period(qs, moment: str, period: Period, **match) -> dict:
    """The records of `qs` (matching `match`) whose `moment` fell in the period, by unit."""
    return _grouped(
        qs.filter(in_days(moment, period.start, period.end, moment=True), **match), "unit_id"
    )


def _alerts(user):
    return scope(Alert.objects.all(), user)


def alerts_raised(user, period: Period, today: date) -> dict:
    return _in_period(_alerts(user), "first_seen", period)


def alerts_confirmed(user, period: Period, today: date) -> dict:
    return _in_period(_alerts(user), "confirmed_at", period)


def alerts_dismissed(user, period: Period, today: date) -> dict:
    return _in_period(_alerts(user), "acted_at", period, state=Alert.State.DISMISSED)


def _problems(user):
    return scope(Problem.objects.all(), user)


def problems_opened(user, period: Period, today: date) -> dict:
    return _in_period(_problems(user), "created_at", period)


def problems_closed(user, period: Period, today: date) -> dict:
    return _in_period(_problems(user), "closed_at", period)


def _problems_due(user, period: Period, today: date):
    """Problems whose (approved) deadline fell in the period and has passed: the ones
    the period can judge for timeliness. A deadline of today has not passed yet."""
    last = min(period.end, today - timedelta(days=1))
    return _problems(user).filter(deadline__gte=period.start, deadline__lte=last)


def _closed_by_deadline() -> Q:
    # 销号 on or before the deadline, in local days: closed before the start of the
    # day after the deadline. A per-row bound, so compare the local date of closed_at.
    return Q(closed_at__isnull=False, closed_date__lte=F("deadline"))


def _due_split(user, period: Period, today: date):
    return (
        _problems_due(user, period, today)
        .annotate(closed_date=TruncDate("closed_at", output_field=DateField()))
        .order_by()
        .values("unit_id")
        .annotate(due=Count("pk"), on_time=Count("pk", filter=_closed_by_deadline()))
    )


def problems_due(user, period: Period, today: date) -> dict:
    return {r["unit_id"]: r["due"] for r in _due_split(user, period, today)}


def problems_late(user, period: Period, today: date) -> dict:
    """Due in the period and not 销号 by the deadline (closed late, or still open)."""
    return {r["unit_id"]: r["due"] - r["on_time"] for r in _due_split(user, period, today)}


def problems_on_time(user, period: Period, today: date) -> dict:
    return {r["unit_id"]: r["on_time"] for r in _due_split(user, period, today)}


def _complaints(user):
    return scope(Complaint.objects.all(), user)


def complaints_received(user, period: Period, today: date) -> dict:
    """Complaints received in the period, by the unit handling them (承办单位)."""
    qs = _complaints(user).filter(in_days("received_at", period.start, period.end, moment=True))
    return _grouped(qs, "unit_id")


def complaints_against(user, period: Period, today: date) -> dict:
    """Complaints received in the period that name the unit (被反映单位)."""
    qs = _complaints(user).filter(in_days("received_at", period.start, period.end, moment=True))
    return _grouped(qs.exclude(reported_unit=None), "reported_unit_id")


def _concluded(user, period: Period):
    return _complaints(user).filter(
        in_days("closed_at", period.start, period.end, moment=True),
        state__in=Complaint.CONCLUDED,
    )


def complaints_concluded(user, period: Period, today: date) -> dict:
    return _grouped(_concluded(user, period), "unit_id")


def complaints_on_time(user, period: Period, today: date) -> dict:
    """Concluded in the period by the INTG-02 deadline (`Complaint.on_time`: working
    days from receipt, so it is judged per complaint with the calendar read once)."""
    cal = calendar()
    out: dict = {}
    for complaint in _concluded(user, period).only("unit_id", "received_at", "closed_at"):
        if complaint.on_time(cal):
            out[complaint.unit_id] = out.get(complaint.unit_id, 0) + 1
    return out


def instruments_received(user, period: Period, today: date) -> dict:
    """督办函 and 意见书 issued to the unit in the period (Arts. 27, 28)."""
    qs = scope(Instrument.objects.all(), user).filter(
        in_days("issued_at", period.start, period.end, moment=True)
    )
    return _grouped(qs, "unit_id")


METRICS = [
    Metric("cases_filed", "立案数", "行政处罚", cases_filed, trend=("filed_on", False)),
    Metric("cases_decided", "作出决定", "行政处罚", cases_decided),
    Metric("fines", "罚款金额（元）", "行政处罚", fines, money=True),
    Metric("lenient", "不予处罚", "行政处罚", lenient),
    Metric("inspections", "行政检查", "行政检查", inspections, trend=("inspected_on", False)),
    Metric("inspections_late", "未按时登记", "行政检查", inspections_late, more_is_better=False),
    Metric("alerts_raised", "新增预警", "监督预警", alerts_raised, trend=("first_seen", True)),
    Metric("alerts_confirmed", "确认", "监督预警", alerts_confirmed),
    Metric("alerts_dismissed", "排除", "监督预警", alerts_dismissed),
    Metric("problems_opened", "新增问题", "整改", problems_opened, trend=("created_at", True)),
    Metric("problems_closed", "销号", "整改", problems_closed, trend=("closed_at", True)),
    Metric("problems_due", "期内到期", "整改", problems_due),
    Metric("problems_on_time", "按时销号", "整改", problems_on_time, more_is_better=True),
    Metric("problems_late", "逾期", "整改", problems_late, more_is_better=False),
    Metric("complaints_received", "承办投诉", "投诉举报", complaints_received),
    Metric("complaints_against", "被反映", "投诉举报", complaints_against, more_is_better=False),
    Metric("complaints_concluded", "办结", "投诉举报", complaints_concluded),
    Metric("complaints_on_time", "按时办结", "投诉举报", complaints_on_time, more_is_better=True),
    Metric(
        "instruments", "收到督办函/意见书", "监督文书", instruments_received, more_is_better=False
    ),
]
BY_KEY = {m.key: m for m in METRICS}

# Rates: (key, label, numerator, denominator) — computed from the counts above, never
# counted separately, with ledger.figures.completion_rate (None when nothing is due).
RATES = [
    ("problems_rate", "按时整改率", "problems_on_time", "problems_due"),
    ("complaints_rate", "投诉按时办结率", "complaints_on_time", "complaints_concluded"),
]
RANK_BY = "problems_rate"


def register(metric: Metric) -> None:
    """Another app adds its figure (e.g. the instruments a unit received)."""
    if metric.key in BY_KEY:
        return
    METRICS.append(metric)
    BY_KEY[metric.key] = metric


def _zero(metric: Metric):
    return Decimal("0") if metric.money else 0


def _add_rates(row: dict) -> dict:
    for key, _label, num, den in RATES:
        row[key] = completion_rate(row[num], row[den])
    return row


@dataclass
class Figures:
    period: Period
    rows: list[dict]  # one per unit: id, code, name, every metric key, every rate key, rank
    totals: dict  # every metric key and rate key, records without a unit included


def figures(user, period: Period, today: date) -> Figures:
    """The figures of every unit the user sees for `period`, ranked, and the totals."""
    values = {m.key: m.compute(user, period, today) for m in METRICS}
    units = list(enforcement_units(user).order_by("kind", "code").values("id", "code", "name"))
    known = {u["id"] for u in units}
    others = {unit for per_unit in values.values() for unit in per_unit} - known - {NO_UNIT}
    if others:  # a unit no longer active or not an enforcement unit that has records
        units += list(
            Unit.objects.filter(pk__in=others).order_by("kind", "code").values("id", "code", "name")
        )
    rows = []
    for unit in units:
        row = dict(unit)
        for metric in METRICS:
            row[metric.key] = values[metric.key].get(unit["id"], _zero(metric))
        rows.append(_add_rates(row))
    totals = {m.key: sum(values[m.key].values(), _zero(m)) for m in METRICS}
    _add_rates(totals)
    rank(rows)
    return Figures(period, rows, totals)


def rank(rows: list[dict]) -> None:
    """排名 by 按时整改率 (units with nothing due are not ranked), then fewer 逾期, then
    more 按时销号; equal units share a rank."""

    def key(row):
        return (-(row[RANK_BY] or 0), row["problems_late"], -row["problems_on_time"])

    ranked = sorted((r for r in rows if r[RANK_BY] is not None), key=key)
    previous, place = None, 0
    for index, row in enumerate(ranked, start=1):
        if key(row) != previous:
            place, previous = index, key(row)
        row["rank"] = place
    for row in rows:
        row.setdefault("rank", None)


def change(current, previous) -> dict:
    """The change from the previous period: absolute, and percent where it means something."""
    if current is None or previous is None:
        return {"delta": None, "pct": None}
    delta = current - previous
    pct = round(float(delta) * 100 / float(previous), 1) if previous else None
    return {"delta": delta, "pct": pct}


def comparison(current: Figures, previous: Figures) -> list[dict]:
    """One line per metric and rate: label, this period, the previous one, the change."""
    lines = []
    for metric in METRICS:
        now, before = current.totals[metric.key], previous.totals[metric.key]
        lines.append(
            {
                "key": metric.key,
                "label": metric.label,
                "group": metric.group,
                "money": metric.money,
                "more_is_better": metric.more_is_better,
                "now": now,
                "before": before,
                **change(now, before),
            }
        )
    for key, label, _num, _den in RATES:
        now, before = current.totals[key], previous.totals[key]
        lines.append(
            {
                "key": key,
                "label": label,
                "group": "比率",
                "rate": True,
                "more_is_better": True,
                "now": now,
                "before": before,
                **change(now, before),
            }
        )
    return lines


# --- trend -----------------------------------------------------------------------------


def trend(user, period: Period) -> dict:
    """Per bucket of the period (weeks or months), the county's count of each charted
    metric, by the same date field as the metric (one grouped query per metric)."""
    buckets = period.buckets()
    monthly = period.days > 62
    series = {}
    sources = {
        "cases_filed": _cases(user),
        "inspections": scope(Inspection.objects.filter(is_planned=False), user),
        "alerts_raised": _alerts(user),
        "problems_opened": _problems(user),
        "problems_closed": _problems(user),
    }
    for metric in METRICS:
        if metric.trend is None or metric.key not in sources:
            continue
        field, moment = metric.trend
        trunc = (TruncMonth if monthly else TruncWeek)(field, output_field=DateField())
        counted = dict(
            sources[metric.key]
            .filter(in_days(field, period.start, period.end, moment=moment))
            .annotate(step=trunc)
            .order_by()
            .values_list("step")
            .annotate(n=Count("pk"))
        )
        series[metric.key] = [
            sum(n for step, n in counted.items() if _step_in(step, lo, hi, monthly))
            for lo, hi, _label in buckets
        ]
    return {"labels": [label for _lo, _hi, label in buckets], "series": series}


def _step_in(step, lo: date, hi: date, monthly: bool) -> bool:
    if step is None:
        return False
    if isinstance(step, datetime):
        step = step.date()
    if monthly:
        return step.year == lo.year and step.month == lo.month
    return lo - timedelta(days=lo.weekday()) == step
