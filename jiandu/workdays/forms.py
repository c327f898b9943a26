from django import forms

from jiandu.workdays.models import CalendarDay


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date", "class": "form-control"}),
            "is_workday": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "name": forms.TextInput(attrs={"class": "form-control"}),
        }
        error_messages = {"date": {"unique": "该日期已有记录，请直接修改或删除原记录。"}}


class CalculatorForm(forms.Form):
    start = forms.DateField(
        label="起始日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
    )
    days = forms.IntegerField(
        label="工作日数",
        min_value=-365,
        max_value=365,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
