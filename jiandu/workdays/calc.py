"""工作日 arithmetic. Pure functions over a calendar; never fails.

Source of day types, in order: the administrator's table (overrides), then
chinese-calendar for the years it has data, then weekends only. `has_data(year)`
tells the interface whether a year rests on the weekend fallback.
"""

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache

import chinese_calendar


def _official_years() -> set[int]:
    return {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}


OFFICIAL_YEARS = frozenset(_official_years())


@cache
def _weekday_or_official(day: date) -> bool:
    # A day's official type never changes while the process runs, and deadline maths
    # asks about the same few hundred days thousands of times per page (portal cut-offs
    # walk back day by day, each step adding 15 working days).
    if day.year in OFFICIAL_YEARS:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            pass
    return day.weekday() < 5


class WorkCalendar:
    def __init__(self, overrides: Mapping[date, bool] | None = None):
        self.overrides = dict(overrides or {})
        self._override_years = {d.year for d in self.overrides}

    def has_data(self, year: int) -> bool:
        """Whether holidays of that year are known (chinese-calendar or the table)."""
        return year in OFFICIAL_YEARS or year in self._override_years

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _weekday_or_official(day)

    def add_workdays(self, start: date, n: int) -> date:
        """The date n working days after `start` (start itself not counted)."""
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += timedelta(days=step)
            if self.is_workday(day):
                left -= 1
        return day

    def count_workdays(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days after `start` `end` falls.
        Negative when end is before start."""
        if end == start:
            return 0
        if end < start:
            return -self.count_workdays(end, start)
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_workday(day):
                n += 1
        return n

    def table(self, start: date, end: date):
        """(date, is_workday, workday_seq) for every day in [start, end]; workday_seq counts
        working days since `start`, so the working days between two dates is a difference
        of seqs. Set-based rules join against this instead of looping per record."""
        seq, day, rows = 0, start, []
        while day <= end:
            work = self.is_workday(day)
            if work:
                seq += 1
            rows.append((day, work, seq))
            day += timedelta(days=1)
        return rows
