from django import forms

from jiandu.core.forms import Form, ModelForm
from jiandu.workdays.models import CalendarDay

# The years the calendar pages and the calculator answer for; far outside them a date
# means a typing error (and 9999-12-31 plus a day does not exist).
MIN_YEAR, MAX_YEAR = 1900, 2100


class CalendarDayForm(ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
        }
        error_messages = {"date": {"unique": "该日期已有记录，请直接修改或删除原记录。"}}

    def clean_date(self):
        # A day outside the years the page lists could be neither seen nor deleted there.
        day = self.cleaned_data["date"]
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise forms.ValidationError(f"日期应在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间，请检查年份。")
        return day


class CalculatorForm(Form):
    start = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(
        label="工作日数",
        min_value=-365,
        max_value=365,
    )

    def clean_start(self):
        start = self.cleaned_data["start"]
        if not MIN_YEAR <= start.year <= MAX_YEAR:
            raise forms.ValidationError(
                f"起始日期应在 {MIN_YEAR} 年至 {MAX_YEAR} 年之间，请检查年份。"
            )
        return start
