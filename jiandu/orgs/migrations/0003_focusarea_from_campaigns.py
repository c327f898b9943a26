"""FocusArea moves here from `campaigns`, beside the other reference data (`Domain`,
`Role`). The table already exists under its old name (campaigns 0001), so the model enters
Django's state only; campaigns 0007 takes it out of `campaigns`, ledger 0009 repoints
Problem.focus_area. The content type is renamed rather than recreated, so whatever names
it (permissions, content type + id references) keeps naming the same rows."""

from django.db import migrations, models


def move_content_type(apps, schema_editor, old="campaigns", new="orgs"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if ContentType.objects.filter(app_label=new, model="focusarea").exists():
        return  # already there (a database migrated before the rows existed)
    ContentType.objects.filter(app_label=old, model="focusarea").update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="orgs", new="campaigns")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("orgs", "0002_axes_lockout_password_change_role_otp"),
        # The table campaigns_focusarea is made by campaigns 0001; 0006 is the last
        # campaigns migration before the model leaves (campaigns 0007).
        ("campaigns", "0006_move_selfcheck_to_its_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FocusArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("code", models.CharField(max_length=20, unique=True, verbose_name="代码")),
                        ("name", models.CharField(max_length=50, verbose_name="名称")),
                        ("description", models.TextField(blank=True, verbose_name="说明")),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "整治内容",
                        "verbose_name_plural": "整治内容",
                        "db_table": "campaigns_focusarea",
                        "ordering": ["order"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
