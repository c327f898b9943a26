"""0002 renamed a complaint's tracking code to its internal reference where a problem or
a lead named the complaint directly, but not where an INTG-02/03 alert about the
complaint had become a problem or a lead: those carry the code inside their source
reference ("INTG-02:<code>"), description ("对象：<code>") and title, and the unit reads
its problems. Those alerts' subject is the reference now (0002), which leads back to
the code to replace. Audit rows are left as they were written (supervisors only)."""

from django.db import migrations


def _replace(obj, fields, code, ref):
    changed = [f for f in fields if code in (getattr(obj, f) or "")]
    for f in changed:
        setattr(obj, f, getattr(obj, f).replace(code, ref))
    if changed:
        obj.save(update_fields=changed)


def alert_problems_and_leads(apps, schema_editor):
    from jiandu.portal.models import pk_of_reference

    Alert = apps.get_model("monitoring", "Alert")
    Complaint = apps.get_model("portal", "Complaint")
    alerts = Alert.objects.filter(rule__in=["INTG-02", "INTG-03"]).exclude(
        problem__isnull=True, lead__isnull=True
    )
    for alert in alerts.select_related("problem", "lead"):
        pk = pk_of_reference(alert.subject_key)
        code = Complaint.objects.filter(pk=pk).values_list("tracking_code", flat=True).first()
        if not code:
            continue
        if alert.problem is not None:
            _replace(alert.problem, ["source_ref", "description"], code, alert.subject_key)
        if alert.lead is not None:
            _replace(alert.lead, ["title", "source_ref", "description"], code, alert.subject_key)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0003_problem_origins"),
        ("ledger", "0005_backfill_deadlines"),
        ("monitoring", "0002_alert_alert_state_seen_idx"),
    ]

    operations = [migrations.RunPython(alert_problems_and_leads, migrations.RunPython.noop)]
