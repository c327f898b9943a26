"""Working days (工作日). Use `jiandu.workdays.calendar()` for the calendar with the administrator's table."""


def calendar():
    from jiandu.workdays.calc import WorkCalendar
    from jiandu.workdays.models import CalendarDay

    return WorkCalendar(dict(CalendarDay.objects.values_list("date", "is_workday")))


def add_workdays(start, n):
    return calendar().add_workdays(start, n)


def count_workdays(start, end):
    return calendar().count_workdays(start, end)


def has_data(year):
    return calendar().has_data(year)
