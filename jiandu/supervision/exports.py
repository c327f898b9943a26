from django.utils import timezone

from jiandu.lib.exports import Exporter


class InstrumentExporter(Exporter):
    """监督文书台账: one row per 督办函 / 意见书."""

    title = "监督文书台账"
    filename = "监督文书台账"
    sheet = "监督文书"
    columns = [
        ("序号", 6),
        ("文号", 22),
        ("文书种类", 18),
        ("主送单位", 22),
        ("事由", 40),
        ("状态", 14),
        ("签发日期", 12),
        ("答复期限", 12),
        ("剩余工作日", 10),
        ("是否逾期", 9),
    ]

    def __init__(self, instruments, *, today=None, subtitle=""):
        self.instruments = instruments
        self.today = today or timezone.localdate()
        self.subtitle = subtitle or f"导出日期：{self.today:%Y-%m-%d}"

    def rows(self):
        from jiandu.workdays import calendar

        cal = calendar()
        for n, obj in enumerate(self.instruments.select_related("unit"), start=1):
            left = obj.workdays_left(self.today, cal)
            yield [
                n,
                obj.number,
                obj.get_kind_display(),
                obj.unit.name,
                obj.title,
                obj.get_state_display(),
                timezone.localdate(obj.issued_at) if obj.issued_at else None,
                obj.deadline,
                "" if left is None else left,
                "是" if obj.is_overdue(self.today) else "否",
            ]
