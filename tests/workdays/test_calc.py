from datetime import date

from jiandu.workdays.calc import WorkCalendar


def test_national_day_holiday_and_adjusted_workday_2025():
    cal = WorkCalendar()
    assert not cal.is_workday(date(2025, 10, 1))  # 国庆
    assert cal.is_workday(date(2025, 9, 28))  # 调休上班（星期日）
    assert not cal.is_workday(date(2025, 10, 8))  # 假期最后一天（星期三）


def test_add_workdays_skips_holiday_and_counts_adjusted_workday():
    cal = WorkCalendar()
    # 2025-09-26 (Fri) + 1 workday = 2025-09-28 (Sun, adjusted workday)
    assert cal.add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)
    # 2025-09-30 + 1 workday jumps the whole Golden Week to 2025-10-09
    assert cal.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_count_workdays_is_the_inverse_of_add():
    cal = WorkCalendar()
    start = date(2025, 9, 20)
    for n in (0, 1, 5, 7, 15, 20):
        assert cal.count_workdays(start, cal.add_workdays(start, n)) == n
    assert cal.count_workdays(date(2025, 10, 9), date(2025, 9, 30)) == -1


def test_year_without_data_falls_back_to_weekends_and_says_so():
    cal = WorkCalendar()
    assert not cal.has_data(2031)
    assert cal.is_workday(date(2031, 10, 1))  # a Wednesday: no holiday data
    assert not cal.is_workday(date(2031, 10, 4))  # Saturday


def test_admin_table_adds_holidays_for_later_years_and_overrides():
    cal = WorkCalendar({date(2031, 10, 1): False, date(2031, 9, 28): True, date(2025, 10, 1): True})
    assert cal.has_data(2031)
    assert not cal.is_workday(date(2031, 10, 1))
    assert cal.is_workday(date(2031, 9, 28))  # a Sunday made a workday
    assert cal.is_workday(date(2025, 10, 1))  # the table wins over chinese-calendar


def test_table_sequence_gives_workday_differences():
    cal = WorkCalendar()
    rows = {d: seq for d, _w, seq in cal.table(date(2025, 9, 1), date(2025, 10, 31))}
    assert rows[date(2025, 10, 9)] - rows[date(2025, 9, 30)] == 1
