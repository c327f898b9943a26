"""Existing problems made of a complaint registered as a problem store it as their origin (`Complaint.problem`
already pointed at the problem; the problem now knows where it came from too)."""

from django.db import migrations


def fill_origins(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    Complaint = apps.get_model("portal", "Complaint")
    linked = Complaint.objects.filter(problem__isnull=False)
    if not linked.exists():
        return
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.get_or_create(app_label="portal", model="complaint")[0]
    for pk, problem_id in linked.values_list("pk", "problem_id"):
        Problem.objects.filter(pk=problem_id, origin_type__isnull=True).update(
            origin_type=ct, origin_id=pk
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ledger", "0006_problem_origin"),
        ("portal", "0002_protect_complainant"),
    ]

    operations = [migrations.RunPython(fill_origins, migrations.RunPython.noop)]
