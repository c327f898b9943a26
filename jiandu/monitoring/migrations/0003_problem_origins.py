"""Existing problems made of a confirmed alert store it as their origin (`Alert.problem`
already pointed at the problem; the problem now knows where it came from too)."""

from django.db import migrations


def fill_origins(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    Alert = apps.get_model("monitoring", "Alert")
    linked = Alert.objects.filter(problem__isnull=False)
    if not linked.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.get_or_create(app_label="monitoring", model="alert")[0]
    for pk, problem_id in linked.values_list("pk", "problem_id"):
        Problem.objects.filter(pk=problem_id, origin_type__isnull=True).update(
            origin_type=ct, origin_id=pk
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ledger", "0006_problem_origin"),
        ("monitoring", "0002_alert_alert_state_seen_idx"),
    ]

    operations = [migrations.RunPython(fill_origins, migrations.RunPython.noop)]
