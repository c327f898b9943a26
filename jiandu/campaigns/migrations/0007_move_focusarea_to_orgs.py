"""FocusArea moves to `orgs` (orgs 0003). Only Django's idea of the model moves: the table
keeps its name, nothing is copied. The campaign's focus areas and the self-check items
point at orgs.FocusArea first (same tables, same columns); ledger 0009 has already
repointed Problem.focus_area, so nothing names campaigns.FocusArea when it goes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_move_selfcheck_to_its_app"),
        ("orgs", "0003_focusarea_from_campaigns"),
        ("ledger", "0009_problem_focus_area_in_orgs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="campaign",
                    name="focus_areas",
                    field=models.ManyToManyField(to="orgs.focusarea", verbose_name="整治内容"),
                ),
                migrations.AlterField(
                    model_name="selfcheckitem",
                    name="focus_area",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        to="orgs.focusarea",
                        verbose_name="整治内容",
                    ),
                ),
                migrations.DeleteModel(name="FocusArea"),
            ],
            database_operations=[],
        ),
    ]
