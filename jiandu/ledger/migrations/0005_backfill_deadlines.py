"""Every problem has a deadline: problems registered without one get the default for their
source and severity from the day they were registered; the deadline a problem has now
becomes its original deadline (the history starts here)."""

from django.db import migrations
from django.db.models import F
from django.utils import timezone


def backfill(apps, schema_editor):
    from jiandu.ledger.deadlines import default_deadline
    from jiandu.workdays.calc import WorkCalendar

    Problem = apps.get_model("ledger", "Problem")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    cal = WorkCalendar(dict(CalendarDay.objects.values_list("date", "is_workday")))
    for p in Problem.objects.filter(deadline__isnull=True).only("source", "severity", "created_at"):
        day = timezone.localdate(p.created_at) if timezone.is_aware(p.created_at) else p.created_at.date()
        p.deadline = default_deadline(p.source, p.severity, day, cal=cal)
        p.save(update_fields=["deadline"])
    Problem.objects.filter(original_deadline__isnull=True).update(
        original_deadline=F("deadline")
    )




class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_deadline_changes_and_open_lead"),
        ("workdays", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
