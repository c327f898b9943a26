"""The self-check answer points at its problem now (campaigns 0004 moved the link), so
the ledger drops its tie back up to campaigns' answers."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_selfcheck_answer_problem_and_origins"),
        ("ledger", "0006_problem_origin"),
    ]

    operations = [
        migrations.RemoveField(model_name="problem", name="self_check_answer"),
    ]
