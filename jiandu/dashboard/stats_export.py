"""The statistics page as .xlsx: the per-unit table of the period, its totals, and the
comparison with the period before — the same `unit_stats` figures the page shows."""

from jiandu.dashboard.unit_stats import METRICS, RATES, Figures
from jiandu.ledger.figures import rate_text
from jiandu.lib.exports import Exporter


class UnitFigures(Exporter):
    sheet = "分单位"
    filename = "统计分析"

    def __init__(self, figures: Figures):
        self.figures = figures
        self.title = f"行政执法监督统计分析（{figures.period.label}）"
        self.subtitle = (
            f"统计期间：{figures.period.start:%Y-%m-%d} 至 {figures.period.end:%Y-%m-%d}"
        )
        self.columns = [("排名", 6), ("单位", 24)]
        self.columns += [(f"{m.group}·{m.label}", 12) for m in METRICS]
        self.columns += [(label, 12) for _k, label, _n, _d in RATES]

    def _line(self, head, row):
        return [
            *head,
            *(row[m.key] for m in METRICS),
            *(rate_text(row[key]) for key, *_ in RATES),
        ]

    def rows(self):
        for row in self.figures.rows:
            yield self._line([row["rank"] or "", row["name"]], row)
        yield self._line(["", "合计（含未明确单位）"], self.figures.totals)


class Comparison(Exporter):
    sheet = "环比"
    filename = "统计分析"
    columns = [("分类", 12), ("指标", 18), ("本期", 14), ("上期", 14), ("增减", 12), ("增减%", 10)]

    def __init__(self, lines, period, previous):
        self.lines = lines
        self.title = f"{period.label}与上期（{previous.label}）对比"

    def rows(self):
        # Changes as numbers, not "+2" text: a sheet cell starting with "+" would be
        # read as a formula and is neutralised into text.
        for line in self.lines:
            delta = "" if line["delta"] is None else line["delta"]
            if line.get("rate"):
                now, before = rate_text(line["now"]), rate_text(line["before"])
                yield [line["group"], f"{line['label']}（增减为百分点）", now, before, delta, ""]
                continue
            pct = "" if line["pct"] is None else line["pct"]
            yield [line["group"], line["label"], line["now"], line["before"], delta, pct]
