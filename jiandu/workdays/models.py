from django.db import models


class CalendarDay(models.Model):
    """An administrator's entry for a day whose type is not the default:
    a holiday on a weekday, or an adjusted workday (调休) on a weekend.
    It also overrides chinese-calendar for years it already knows."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", help_text="勾选表示调休上班；不勾选表示放假")
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节调休")

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "节假日与调休"

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {'上班' if self.is_workday else '放假'} {self.name}"
