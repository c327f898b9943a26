"""Working days (工作日). Use `jiandu.workdays.calendar()` for the calendar with the administrator's table."""


def calendar():
    # Here, not at the top: every module of the app imports this package first, the
    # models among them, so it cannot import the models while it loads.
    from jiandu.workdays.calc import WorkCalendar
    from jiandu.workdays.models import CalendarDay

    return WorkCalendar(dict(CalendarDay.objects.values_list("date", "is_workday")))


def add_workdays(start, n):
    return calendar().add_workdays(start, n)


def data_note(*days) -> str:
    """A Chinese note for the interface when a date's year has no holiday data, so a
    working-day count that rests on weekends only is never presented as exact."""
    cal = calendar()
    years = sorted({d.year for d in days if d is not None and not cal.has_data(d.year)})
    if not years:
        return ""
    listed = "、".join(f"{y}年" for y in years)
    return f"{listed}尚无法定节假日数据，工作日按周末推算（可由系统管理员在“节假日与调休”中补充）。"
