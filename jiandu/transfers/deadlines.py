"""How long a step may take: the receiver answers a transfer within the days INTG-01
checks (its setting in force, 5 working days by default); a disputed jurisdiction is
decided, and a returned or refused transfer is taken up by the sender, within the same
period. Derived from the dates on every read, never stored."""

from dataclasses import dataclass
from datetime import date, timedelta

from jiandu import workdays
from jiandu.monitoring.engine import params_for
from jiandu.monitoring.rules import get_rule

RULE = "INTG-01"


def period(day: date | None = None) -> tuple[int, str]:
    """(days, day type) of INTG-01's setting in force on `day`."""
    params = params_for(get_rule(RULE), day)
    return int(params["days"]), params["day_type"]


def add_days(start: date, days: int, day_type: str, calendar=None) -> date:
    if day_type == "working":
        return (calendar or workdays.calendar()).add_workdays(start, days)
    return start + timedelta(days=days)


def period_text(days: int, day_type: str) -> str:
    return f"{days} 个工作日" if day_type == "working" else f"{days} 日"


@dataclass(frozen=True)
class DueItem:
    """An open step with its deadline, for the reminders ladder (issue 12) and the pages:
    who must act (`unit_id`, or None for the supervisor), what, by when."""

    kind: str
    obj: object
    title: str
    step: str
    unit_id: int | None
    deadline: date
    url: str

    def overdue(self, today: date) -> bool:
        return today > self.deadline
