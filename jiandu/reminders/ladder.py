"""The escalation ladder (提醒阶梯) in working days, per kind (settings.REMINDER_LADDER):

1. 提醒 (`before`): from N working days before the deadline, to the responsible people and
   the unit's clerks (and the unit's group robot);
2. 到期提醒 (`due`): on the deadline;
3. 提醒函 (`letter`): N working days after it, a draft 提醒函 for the supervisor;
4. 督办函 (`supervision`): N more working days on, a draft 督办函 and a note to the
   discipline commission.

Each step is taken once per item and deadline (a new deadline, say an approved
extension, starts the ladder again). A run that missed a day takes the step the item has
reached, never the ones it passed: an item found overdue gets no 提醒 before the fact."""

from datetime import date

from django.conf import settings

from jiandu.reminders.models import Step

ORDER = [Step.BEFORE, Step.DUE, Step.LETTER, Step.SUPERVISION]


def ladder(kind: str) -> dict:
    values = {"before": 3, "letter": 3, "supervision": 5}
    values.update(settings.REMINDER_LADDER.get(kind, {}))
    return values


def max_before() -> int:
    return max((ladder(k)["before"] or 0) for k in [*settings.REMINDER_LADDER, "default"])


class Starts:
    """Each step's first day for a deadline, memoised (many items share a deadline)."""

    def __init__(self, cal):
        self.cal = cal
        self._memo = {}

    def __call__(self, kind: str, deadline: date) -> list[tuple[str, date]]:
        key = (kind, deadline)
        if key not in self._memo:
            rung = ladder(kind)
            out = []
            if rung.get("before") is not None:
                out.append((Step.BEFORE, self.cal.add_workdays(deadline, -rung["before"])))
            out.append((Step.DUE, deadline))
            if rung.get("letter") is not None:
                letter = self.cal.add_workdays(deadline, rung["letter"])
                out.append((Step.LETTER, letter))
                if rung.get("supervision") is not None:
                    out.append(
                        (Step.SUPERVISION, self.cal.add_workdays(letter, rung["supervision"]))
                    )
            self._memo[key] = out
        return self._memo[key]


def current_step(starts: Starts, kind: str, deadline: date, today: date) -> str | None:
    """The highest step whose first day is today or before; None before the first."""
    reached = None
    for step, first_day in starts(kind, deadline):
        if first_day <= today:
            reached = step
    return reached
