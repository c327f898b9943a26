"""The planning lists as workbooks: exactly the rows the page has filtered (`?export=xlsx`),
at most enforcement's EXPORT_LIMIT."""

from jiandu.enforcement.exports import ListExporter


def _months(entry) -> str:
    return "、".join(f"{m}月" for m in entry.month_list)


class PlanExporter(ListExporter):
    title = filename = "检查计划"
    sheet = "检查计划"
    columns = [
        ("单位", 24),
        ("计划名称", 34),
        ("期间", 12),
        ("版本", 6),
        ("状态", 12),
        ("报备日期", 12),
    ]

    def rows(self):
        for p in self.records():
            yield [p.unit.name, p.title, p.period, p.version, p.get_state_display(), p.filed_on]


class EntryExporter(ListExporter):
    """Who plans to visit whom and when; another unit's items stay hidden from a unit."""

    title = filename = "各单位检查计划安排"
    sheet = "计划安排"
    columns = [
        ("企业名称", 30),
        ("统一社会信用代码", 22),
        ("计划单位", 24),
        ("计划月份", 16),
        ("计划日期", 12),
        ("检查事项", 40),
    ]

    def __init__(self, qs, own_unit_id=None):
        super().__init__(qs)
        self.own = own_unit_id

    def rows(self):
        for e in self.records():
            mine = self.own is None or self.own == e.plan.unit_id
            yield [
                e.enterprise.name,
                e.enterprise.uscc,
                e.plan.unit.name,
                _months(e),
                e.planned_on,
                e.items if mine else "—",
            ]
