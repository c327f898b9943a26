"""A problem stores where it came from: a content type and an id (a generic relation, so
the ledger imports none of the apps that feed it). The apps that own the sources fill
the origin of existing problems in their own migrations (campaigns 0004, monitoring
0003, portal 0003)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ledger", "0005_backfill_deadlines"),
    ]

    operations = [
        migrations.AddField(
            model_name="problem",
            name="origin_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="problem",
            name="origin_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddIndex(
            model_name="problem",
            index=models.Index(fields=["origin_type", "origin_id"], name="ledger_problem_origin_idx"),
        ),
    ]
