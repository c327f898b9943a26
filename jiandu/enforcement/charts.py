"""Charts on enforcement pages, as ECharts options."""

from collections import defaultdict


def visits_chart(inspections_, cases_):
    """ECharts option: one scatter series per kind of visit, units on the y axis."""
    units = sorted({i.unit.name for i in inspections_} | {c.unit.name for c in cases_})
    series = defaultdict(list)
    for i in inspections_:
        series["检查（计划）" if i.is_planned else "检查"].append(
            [i.inspected_on.isoformat(), i.unit.name, i.get_kind_display() or "检查"]
        )
    for c in cases_:
        series["处罚案件"].append([c.filed_on.isoformat(), c.unit.name, c.case_no])
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0},
        "grid": {"left": 160, "right": 20, "top": 30, "bottom": 30},
        "xAxis": {"type": "time"},
        "yAxis": {"type": "category", "data": units},
        "series": [
            {"name": name, "type": "scatter", "symbolSize": 12, "data": data}
            for name, data in series.items()
        ],
    }
