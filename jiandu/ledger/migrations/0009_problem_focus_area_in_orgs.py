"""Problem.focus_area now names orgs.FocusArea (moved from `campaigns`, orgs 0003). Same
table, same column: Django's state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0008_deadline_change_moot"),
        ("orgs", "0003_focusarea_from_campaigns"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="problem",
                    name="focus_area",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="orgs.focusarea",
                        verbose_name="问题领域",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
