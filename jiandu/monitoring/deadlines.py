"""Deadlines taken from a rule's setting: a step watched by a rule (INTG-01 the answer to a
transfer, SERV-03 the review of a credit repair, SERV-02 the withdrawal of its
publication, INSP-07 the publication of a draw's results) is due within the days of that
rule's setting in force on the day the step began, counted in working or calendar days as
the setting says. One definition here, below the apps that run the steps (transfers,
credit, planning), so their pages, their reminders
and the rule agree on the date. Derived on every read, never stored."""

from dataclasses import dataclass
from datetime import date, timedelta

from jiandu import workdays


def period(rule_id: str, day: date | None = None) -> tuple[int, str]:
    """(days, day type) of the rule's setting in force on `day`."""
    # Imported here, not at the top: this module is imported while Django starts (the
    # reminders' sources through credit and transfers), and the rules bring polars, a
    # fifth of a second of every `jiandu` process's start that only a deadline needs.
    from jiandu.monitoring.engine import params_for
    from jiandu.monitoring.rules import get_rule

    params = params_for(get_rule(rule_id), day)
    return int(params["days"]), params["day_type"]


def add_days(start: date, days: int, day_type: str, calendar=None) -> date:
    if day_type == "working":
        return (calendar or workdays.calendar()).add_workdays(start, days)
    return start + timedelta(days=days)


def deadline(rule_id: str, start: date, calendar=None) -> date:
    """The day a step begun on `start` is due by the rule's setting in force that day."""
    days, day_type = period(rule_id, start)
    return add_days(start, days, day_type, calendar)


def period_text(days: int, day_type: str) -> str:
    return f"{days} 个工作日" if day_type == "working" else f"{days} 日"


@dataclass(frozen=True)
class DueItem:
    """An open step with its deadline, for the reminders ladder and the pages: who must
    act (`unit_id`, or None for the supervisor), what, by when."""

    kind: str
    obj: object
    title: str
    step: str
    unit_id: int | None
    deadline: date
    url: str

    def overdue(self, today: date) -> bool:
        # Due by the end of the deadline day: late from the next day on.
        return today > self.deadline
