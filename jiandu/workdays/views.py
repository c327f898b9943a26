from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiandu import workdays
from jiandu.workdays.actions import delete_calendar_day, save_calendar_day
from jiandu.workdays.forms import MAX_YEAR, MIN_YEAR, CalculatorForm, CalendarDayForm
from jiandu.workdays.models import CalendarDay


def _render(request, *, year, form, calc, result=None, status=200):
    today = timezone.localdate()
    return render(
        request,
        "workdays/index.html",
        {
            "year": year,
            "years": range(today.year - 2, today.year + 4),
            "has_data": workdays.calendar().has_data(year),
            "days": CalendarDay.objects.filter(date__year=year),
            "form": form,
            "calc": calc,
            "result": result,
            "can_edit": request.user.is_supervisor,
        },
        status=status,
    )


def _year(request) -> int:
    today = timezone.localdate()
    raw = request.GET.get("year")
    if not raw:
        return today.year
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not MIN_YEAR <= year <= MAX_YEAR:
        messages.error(request, f"年份应在 {MIN_YEAR} 至 {MAX_YEAR} 之间，已显示今年。")
        return today.year
    return year


@login_required
def index(request):
    calc = CalculatorForm(request.GET if "start" in request.GET else None)
    result = None
    if calc.is_bound and calc.is_valid():
        start, n = calc.cleaned_data["start"], calc.cleaned_data["days"]
        end = workdays.calendar().add_workdays(start, n)
        result = {
            "end": end,
            "calendar_days": (end - start).days,
            "note": workdays.data_note(start, end),
        }
    return _render(request, year=_year(request), form=CalendarDayForm(), calc=calc, result=result)


@login_required
@require_POST
def add(request):
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        day = save_calendar_day(form, actor=request.user, request=request)
        messages.success(request, f"已保存 {day.date:%Y-%m-%d}。")
        return redirect(f"{reverse('workdays:index')}?year={day.date.year}")
    return _render(
        request,
        year=timezone.localdate().year,
        form=form,
        calc=CalculatorForm(),
        status=400,
    )


@login_required
@require_POST
def remove(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    delete_calendar_day(day, actor=request.user, request=request)
    messages.success(request, f"已删除 {day.date:%Y-%m-%d}。")
    return redirect(f"{reverse('workdays:index')}?year={day.date.year}")
