"""ECharts options built from the statistics (plain data in, plain dicts out).

Clicking drills down: the chart's `data-drill` URL takes each item's `key` for
"{name}" (the category: a unit, an area, a state); stacked bars also give each item a
`url` that names the category AND the state of the clicked segment.
"""

import json
from urllib.parse import urlencode

from django.urls import reverse

from jiandu.dashboard.stats import NOT_STARTED, NOT_STARTED_LABEL, PROBLEM_STATES, REPORT_STATES

STATE_COLORS = {
    "pending": "#6c757d",
    "in_progress": "#0d6efd",
    "awaiting_acceptance": "#fd7e14",
    "closed": "#198754",
}
REPORT_COLORS = {
    NOT_STARTED: "#adb5bd",
    "draft": "#6c757d",
    "pending_signoff": "#6f42c1",
    "submitted": "#0d6efd",
    "returned": "#dc3545",
    "accepted": "#198754",
}


def _join(base: str, query: str) -> str:
    return f"{base}{'&' if '?' in base else '?'}{query}" if query else base


def ledger_url(base=None, **params) -> str:
    """The ledger list filtered by `params`; pass `base` (which may carry filters already,
    such as the campaign) when building many (one reverse)."""
    return _join(base or reverse("ledger:problems"), urlencode(params))


def reports_url(**params) -> str:
    base = reverse("campaigns:reports")
    return f"{base}?{urlencode(params)}" if params else base


def drill(base: str, param: str) -> str:
    """A data-drill template: "{name}" must stay literal for jiandu.js to replace."""
    return _join(base, f"{param}={{name}}")


def to_json(option) -> str:
    return json.dumps(option, ensure_ascii=False, separators=(",", ":"))


def _tooltip_axis():
    return {"trigger": "axis", "axisPointer": {"type": "shadow"}}


def report_states(counts: dict) -> dict:
    labels = {NOT_STARTED: NOT_STARTED_LABEL, **dict(REPORT_STATES)}
    order = [NOT_STARTED] + [s for s, _ in REPORT_STATES]
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c} 个单位（{d}%）"},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [
            {
                "type": "pie",
                "radius": ["32%", "55%"],
                "center": ["50%", "44%"],
                "label": {"formatter": "{b} {c}"},
                "data": [
                    {
                        "name": labels[state],
                        "value": counts[state],
                        "key": state,
                        "itemStyle": {"color": REPORT_COLORS[state]},
                    }
                    for state in order
                    if counts.get(state)
                ],
            }
        ],
    }


def _stacked(categories, rows, key_field, param, base, horizontal=False):
    series = []
    for state, label in PROBLEM_STATES:
        series.append(
            {
                "name": label,
                "type": "bar",
                "stack": "state",
                "barMaxWidth": 28,
                "itemStyle": {"color": STATE_COLORS[state]},
                "data": [
                    {
                        "value": row[state],
                        "key": row[key_field],
                        "url": ledger_url(base, **{param: row[key_field], "state": state}),
                    }
                    for row in rows
                ],
            }
        )
    category_axis = {"type": "category", "data": categories, "axisLabel": {"interval": 0}}
    value_axis = {"type": "value", "minInterval": 1}
    option = {
        "tooltip": _tooltip_axis(),
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 16, "top": 16, "bottom": 36, "containLabel": True},
        "series": series,
    }
    if horizontal:
        category_axis["inverse"] = True
        option.update(xAxis=value_axis, yAxis=category_axis)
    else:
        category_axis["axisLabel"]["rotate"] = 0
        option.update(xAxis=category_axis, yAxis=value_axis)
    return option


def problems_by_focus_area(rows, ledger: str) -> dict:
    """`ledger`: the ledger URL the bars drill into (filtered by the campaign)."""
    return _stacked([r["name"] for r in rows], rows, "code", "focus_area", ledger)


def problems_by_unit(rows, ledger: str) -> dict:
    rows = sorted(rows, key=lambda r: -r["total"])
    return _stacked([r["name"] for r in rows], rows, "id", "unit", ledger, horizontal=True)


def problems_by_source(rows) -> dict:
    return {
        "tooltip": {"trigger": "item", "formatter": "{b}：{c} 个（{d}%）"},
        "legend": {"bottom": 0, "type": "scroll"},
        "series": [
            {
                "type": "pie",
                "radius": "55%",
                "center": ["50%", "44%"],
                "label": {"formatter": "{b} {c}"},
                "data": [
                    {"name": r["label"], "value": r["total"], "key": r["source"]}
                    for r in rows
                    if r["total"]
                ],
            }
        ],
    }


def weekly_trend(rows) -> dict:
    weeks = [r["week"].strftime("%m-%d") for r in rows]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 8, "top": 30, "bottom": 36, "containLabel": True},
        "xAxis": {"type": "category", "data": weeks},
        "yAxis": [
            {"type": "value", "name": "问题数", "minInterval": 1},
            {"type": "value", "name": "完成率%", "min": 0, "max": 100},
        ],
        "series": [
            {
                "name": "新增问题",
                "type": "bar",
                "itemStyle": {"color": "#fd7e14"},
                "data": [r["created"] for r in rows],
            },
            {
                "name": "销号问题",
                "type": "bar",
                "itemStyle": {"color": "#198754"},
                "data": [r["closed"] for r in rows],
            },
            {
                "name": "累计完成率",
                "type": "line",
                "yAxisIndex": 1,
                "smooth": True,
                "itemStyle": {"color": "#1f3a5f"},
                "data": [r["rate"] if r["rate"] is not None else 0 for r in rows],
            },
        ],
    }


def period_trend(trend: dict, labels: dict) -> dict:
    """The statistics page's trend: one line per charted figure over the period's weeks
    or months. Counts only, so the axis shows whole numbers."""
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 16, "top": 20, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": trend["labels"]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {"name": labels[key], "type": "line", "data": values}
            for key, values in trend["series"].items()
        ],
    }


def unit_ranking(rows: list[dict], key: str, label: str) -> dict:
    """Units by one rate, best first (units with nothing to judge are left out)."""
    rows = sorted((r for r in rows if r[key] is not None), key=lambda r: (-r[key], r["code"]))
    return {
        "tooltip": _tooltip_axis(),
        "grid": {"left": 8, "right": 56, "top": 10, "bottom": 10, "containLabel": True},
        "xAxis": {"type": "value", "min": 0, "max": 100, "name": "%"},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [r["name"] for r in rows],
            "axisLabel": {"interval": 0},
        },
        "series": [
            {
                "name": label,
                "type": "bar",
                "barMaxWidth": 20,
                "itemStyle": {"color": "#2d5a8c"},
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
                "data": [{"value": r[key], "key": r["id"]} for r in rows],
            }
        ],
    }
