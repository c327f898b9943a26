"""Alert exports: one row per alert, the same columns for the page's .xlsx and `jiandu alerts`."""

from jiandu.lib.exports import Exporter
from jiandu.monitoring.evidence import evidence_lines
from jiandu.monitoring.rules import SUBJECT_LABELS


def alert_record(alert) -> dict:
    """The JSON shape of an alert (`jiandu alerts --format json`)."""
    rule = alert.rule_def
    return {
        "rule": alert.rule,
        "title": alert.title,
        "focus_area": rule.area if rule else "",
        "subject_kind": alert.subject_kind,
        "subject_key": alert.subject_key,
        "subject_date": alert.subject_date.isoformat() if alert.subject_date else None,
        "unit": alert.unit.code if alert.unit_id else None,
        "unit_name": alert.unit.name if alert.unit_id else None,
        "severity": alert.severity,
        "state": alert.state,
        "evidence": alert.evidence,
        "basis": alert.basis,
        "first_seen": alert.first_seen.isoformat(),
        "last_seen": alert.last_seen.isoformat(),
        "dismissed_reason": alert.dismissed_reason or None,
        "problem": alert.problem_id,
    }


class AlertExporter(Exporter):
    title = "预警清单"
    filename = "预警清单"
    sheet = "预警"
    columns = [
        ("规则", 10),
        ("规则名称", 16),
        ("对象类型", 12),
        ("对象", 26),
        ("单位", 22),
        ("严重程度", 8),
        ("状态", 10),
        ("证据", 60),
        ("依据", 40),
        ("首次发现", 18),
        ("最近发现", 18),
        ("排除理由", 24),
    ]

    def __init__(self, queryset):
        self.queryset = queryset

    def rows(self):
        for a in self.queryset.select_related("unit").iterator(chunk_size=2000):
            yield [
                a.rule,
                a.title,
                SUBJECT_LABELS.get(a.subject_kind, a.subject_kind),
                a.subject_key,
                a.unit.name if a.unit_id else "",
                a.get_severity_display(),
                a.get_state_display(),
                "；".join(f"{k}：{v}" for k, v in evidence_lines(a)),
                a.basis,
                a.first_seen,
                a.last_seen,
                a.dismissed_reason,
            ]
