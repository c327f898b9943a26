from django.utils import timezone

from jiandu.lib.exports import Exporter


class LedgerExporter(Exporter):
    """整改台账 in the usual paper layout: one row per problem."""

    title = "整改台账"
    filename = "整改台账"
    sheet = "整改台账"
    columns = [
        ("序号", 6),
        ("责任单位", 22),
        ("问题领域", 12),
        ("问题描述", 40),
        ("问题来源", 10),
        ("严重程度", 9),
        ("整改措施", 40),
        ("责任人", 10),
        ("整改时限", 12),
        # The first committed date; differs from 整改时限 after a 延期 or a supervisor's change.
        ("原定整改时限", 12),
        ("状态", 9),
        ("是否逾期", 9),
        ("逾期天数", 9),
        ("最新进展", 40),
        ("销号时间", 17),
    ]

    def __init__(self, problems, *, today=None, subtitle=""):
        """`problems` is the filtered queryset, annotated `with_latest_note()`."""
        self.problems = problems
        self.today = today or timezone.localdate()
        self.subtitle = subtitle

    def rows(self):
        qs = self.problems.select_related("unit", "focus_area")
        for n, p in enumerate(qs.iterator(chunk_size=2000), start=1):
            overdue = p.is_overdue(self.today)
            yield [
                n,
                p.unit.name,
                p.focus_area.name,
                p.description,
                p.get_source_display(),
                p.get_severity_display(),
                p.measures,
                p.responsible_person,
                p.deadline,
                p.original_deadline,
                p.get_state_display(),
                "是" if overdue else "否",
                p.days_overdue(self.today) if overdue else "",
                getattr(p, "latest_note", "") or "",
                p.closed_at,
            ]
