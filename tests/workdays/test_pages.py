from datetime import date

from jiandu import workdays
from jiandu.audit.models import AuditEvent
from jiandu.workdays.models import CalendarDay


def test_page_says_when_a_year_has_no_holiday_data(personas, client_for):
    response = client_for(personas["clerk_a"]).get("/workdays/?year=2031")
    assert "2031年尚无法定节假日数据" in response.content.decode()


def test_calculator_counts_across_national_day(personas, client_for):
    response = client_for(personas["clerk_a"]).get("/workdays/?start=2025-09-30&days=1")
    assert "2025年10月9日" in response.content.decode()


def test_supervisor_adds_a_holiday_for_a_later_year_and_it_is_used(personas, client_for):
    client = client_for(personas["supervisor"])
    response = client.post("/workdays/add/", {"date": "2031-10-01", "name": "国庆节"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=date(2031, 10, 1)).is_workday is False
    assert workdays.add_workdays(date(2031, 9, 30), 1) == date(2031, 10, 2)
    assert AuditEvent.objects.filter(action="workdays.day.saved").exists()
    assert workdays.data_note(date(2031, 10, 1)) == ""


def test_clerk_cannot_edit_the_calendar(personas, client_for):
    response = client_for(personas["clerk_a"]).post(
        "/workdays/add/", {"date": "2031-10-01", "name": "x"}
    )
    assert response.status_code == 403
    assert not CalendarDay.objects.exists()


def test_duplicate_date_gets_a_chinese_message_next_to_the_field(personas, client_for):
    CalendarDay.objects.create(date=date(2031, 10, 1), is_workday=False, name="国庆节")
    response = client_for(personas["supervisor"]).post(
        "/workdays/add/", {"date": "2031-10-01", "name": "重复"}
    )
    assert response.status_code == 400
    assert "该日期已有记录" in response.content.decode()
    assert CalendarDay.objects.count() == 1


def test_data_note_names_years_without_data(db):
    assert "2031年" in workdays.data_note(date(2031, 1, 5))
    assert workdays.data_note(date(2025, 1, 5)) == ""


def test_a_year_out_of_range_shows_this_year_with_a_message(personas, client_for):
    from django.utils import timezone

    client = client_for(personas["clerk_a"])
    for bad in ("-1", "0", "99999999999999999999", "abc"):
        response = client.get("/workdays/", {"year": bad})
        page = response.content.decode()
        assert response.status_code == 200 and "年份应在 1900 至 2100 之间" in page
        assert f"补录的节假日与调休（{timezone.localdate().year}年）" in page


def test_calculator_answers_out_of_range_dates_with_a_message(personas, client_for):
    client = client_for(personas["clerk_a"])
    for start, days in [("9999-12-31", "1"), ("0001-01-01", "-1"), ("1899-12-31", "5")]:
        response = client.get(f"/workdays/?start={start}&days={days}")
        assert response.status_code == 200, start
        assert "起始日期应在 1900 年至 2100 年之间" in response.content.decode()
    response = client.get("/workdays/?start=2100-12-31&days=365")
    assert response.status_code == 200
    assert "2102年" in response.content.decode()


def test_a_calendar_day_out_of_range_is_refused_with_a_message(personas, client_for):
    """The page shows years 1900-2100 only: a day saved outside them could be neither
    seen nor deleted there."""
    client = client_for(personas["supervisor"])
    for typed in ("9999-12-31", "0001-01-01"):
        response = client.post("/workdays/add/", {"date": typed, "name": "误输入"})
        assert response.status_code == 400
        assert "日期应在 1900 年至 2100 年之间" in response.content.decode()
    assert not CalendarDay.objects.exists()
