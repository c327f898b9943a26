"""Default rectification deadlines (整改时限), in working days after the day a problem is
registered, per source and severity. Every problem gets one, so no unit starts without
a date; the supervisor may set another date when confirming (alerts, complaints,
findings), and the unit may commit to an earlier one, never a later one.

Overridable per deploy with settings.LEDGER_DEADLINE_WORKDAYS ({"alert.grave": 5, ...})
or the environment: JIANDU_DEADLINE_WORKDAYS="alert.grave=5,complaint.normal=10"."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from jiandu.env import env_list
from jiandu.workdays import calendar

# source -> {severity: working days}
DEFAULT_WORKDAYS = {
    "self_check": {"normal": 30, "serious": 20, "grave": 15},
    "supervision": {"normal": 20, "serious": 15, "grave": 10},
    "alert": {"normal": 15, "serious": 10, "grave": 5},
    "complaint": {"normal": 15, "serious": 10, "grave": 5},
    "other": {"normal": 20, "serious": 15, "grave": 10},
}


def _parse(key: str, value) -> tuple[str, str, int]:
    source, _, severity = key.partition(".")
    if source not in DEFAULT_WORKDAYS or severity not in DEFAULT_WORKDAYS[source]:
        raise ImproperlyConfigured(f"整改时限设置 {key!r} 无效：应为 来源.严重程度，如 alert.grave")
    try:
        days = int(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"整改时限设置 {key}={value!r} 应为工作日天数") from exc
    if not 1 <= days <= 250:
        raise ImproperlyConfigured(f"整改时限设置 {key}={days} 应在 1 到 250 个工作日之间")
    return source, severity, days


def workdays_table() -> dict[str, dict[str, int]]:
    table = {source: dict(row) for source, row in DEFAULT_WORKDAYS.items()}
    configured = dict(getattr(settings, "LEDGER_DEADLINE_WORKDAYS", None) or {})
    for item in env_list("JIANDU_DEADLINE_WORKDAYS", []):
        key, sep, value = item.partition("=")
        if not sep:
            raise ImproperlyConfigured(
                f"JIANDU_DEADLINE_WORKDAYS 的 {item!r} 应写成 来源.严重程度=天数"
            )
        configured[key.strip()] = value.strip()
    for key, value in configured.items():
        source, severity, days = _parse(key, value)
        table[source][severity] = days
    return table


def default_workdays(source: str, severity: str) -> int:
    table = workdays_table()
    row = table.get(source) or table["other"]
    return row.get(severity) or row["normal"]


def default_deadline(source: str, severity: str, start: date, cal=None) -> date:
    """The default deadline of a problem registered on `start`."""
    if cal is None:
        cal = calendar()
    return cal.add_workdays(start, default_workdays(source, severity))


def capped_deadline(source: str, severity: str, proposed: date | None, start: date) -> date:
    """A date the unit proposed itself (a self-check answer) holds only within the default:
    a later one is cut to the default (more time is a 延期申请 the supervisor decides)."""
    default = default_deadline(source, severity, start)
    return default if proposed is None else min(proposed, default)
