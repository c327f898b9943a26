"""统计分析 for a province (issue 12's figures): per unit and in total for a month, a
quarter, a year or a date range, with the period before — the same `dashboard.unit_stats`
metrics the statistics page and the 通报 show, so every number agrees. A token limited
to a unit gets that unit's figures only."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from jiandu.api.reads import READ, TokenReader
from jiandu.dashboard import periods, unit_stats
from jiandu.intake.api import IsoDate, error_responses

router = Router(tags=["统计分析"])


class PeriodIn(Schema):
    kind: str = Field(
        "month",
        description="统计期间：month（月度）、quarter（季度）、year（年度）、custom（自定义）",
        json_schema_extra={"enum": [k for k, _label in periods.KINDS]},
    )
    value: str = Field(
        "",
        max_length=10,
        description="月度 2026-11、季度 2026-Q4、年度 2026；空为本期",
    )
    # YYYY-MM-DD only (the import's IsoDate): pydantic alone would take "0" as 1970-01-01.
    start: IsoDate | None = Field(None, description="自定义期间的开始日期（YYYY-MM-DD）")
    end: IsoDate | None = Field(None, description="自定义期间的结束日期（含，YYYY-MM-DD）")


class PeriodOut(Schema):
    label: str
    start: date
    end: date


METRIC_DOC = "；".join(f"{m.key}：{m.group}·{m.label}" for m in unit_stats.METRICS)
RATE_DOC = "；".join(
    f"{key}：{label}（%，无可计算时为 null）" for key, label, *_ in unit_stats.RATES
)


class UnitFigures(Schema):
    code: str = Field(description="单位编码")
    name: str
    rank: int | None = Field(description="按时整改率排名（本期无到期问题为 null）")
    figures: dict[str, float] = Field(description="各项数量：" + METRIC_DOC)
    rates: dict[str, float | None] = Field(description="比率：" + RATE_DOC)


class Totals(Schema):
    figures: dict[str, float]
    rates: dict[str, float | None]


class StatisticsOut(Schema):
    period: PeriodOut
    previous: PeriodOut
    units: list[UnitFigures]
    totals: Totals = Field(description="本期合计（含未明确单位的记录）")
    previous_totals: Totals = Field(description="上期合计")


def _numbers(row) -> dict:
    return {
        "figures": {
            m.key: float(row[m.key]) if isinstance(row[m.key], Decimal) else row[m.key]
            for m in unit_stats.METRICS
        },
        "rates": {key: row[key] for key, *_ in unit_stats.RATES},
    }


def _period(p) -> dict:
    return {"label": p.label, "start": p.start, "end": p.end}


@router.get(
    "/statistics",
    auth=READ,
    response={200: StatisticsOut, **error_responses()},
    summary="统计分析：分单位和合计，含上期对比",
    operation_id="get_statistics",
)
def get_statistics(request, query: Query[PeriodIn]):
    params = {"kind": query.kind, "value": query.value}
    if query.start:
        params["start"] = query.start.isoformat()
    if query.end:
        params["end"] = query.end.isoformat()
    today = timezone.localdate()
    try:
        period = periods.parse(params, today)
    except periods.PeriodError as exc:
        return Status(400, {"detail": str(exc)})
    reader = TokenReader(request.auth.unit_id)
    current = unit_stats.figures(reader, period, today)
    previous = unit_stats.figures(reader, period.previous(), today)
    return {
        "period": _period(period),
        "previous": _period(previous.period),
        "units": [
            {"code": row["code"], "name": row["name"], "rank": row["rank"], **_numbers(row)}
            for row in current.rows
        ],
        "totals": _numbers(current.totals),
        "previous_totals": _numbers(previous.totals),
    }
