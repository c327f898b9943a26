from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu import workdays
from jiandu.workdays.actions import delete_calendar_day, save_calendar_day
from jiandu.workdays.forms import CalculatorForm, CalendarDayForm
from jiandu.workdays.models import CalendarDay


@login_required
def index(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    cal = workdays.calendar()
    calc = CalculatorForm(request.GET if "start" in request.GET else None)
    result = None
    if calc.is_bound and calc.is_valid():
        start, n = calc.cleaned_data["start"], calc.cleaned_data["days"]
        end = cal.add_workdays(start, n)
        result = {
            "end": end,
            "calendar_days": (end - start).days,
            "note": workdays.data_note(start, end),
        }
    form = CalendarDayForm()
    return render(
        request,
        "workdays/index.html",
        {
            "year": year,
            "years": range(today.year - 2, today.year + 4),
            "has_data": cal.has_data(year),
            "days": CalendarDay.objects.filter(date__year=year),
            "form": form,
            "calc": calc,
            "result": result,
            "can_edit": request.user.is_supervisor,
        },
    )


@login_required
@require_POST
def add(request):
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        day = save_calendar_day(form, actor=request.user, request=request)
        messages.success(request, f"已保存 {day.date:%Y-%m-%d}。")
        return redirect(f"/workdays/?year={day.date.year}")
    cal = workdays.calendar()
    year = timezone.localdate().year
    return render(
        request,
        "workdays/index.html",
        {
            "year": year,
            "years": range(year - 2, year + 4),
            "has_data": cal.has_data(year),
            "days": CalendarDay.objects.filter(date__year=year),
            "form": form,
            "calc": CalculatorForm(),
            "can_edit": request.user.is_supervisor,
        },
        status=400,
    )


@login_required
@require_POST
def remove(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    delete_calendar_day(day, actor=request.user, request=request)
    messages.success(request, f"已删除 {day.date:%Y-%m-%d}。")
    return redirect(f"/workdays/?year={day.date.year}")
