"""UnitAcceptance and Showcase move to the `acceptance` app. Only Django's idea of the
models moves: the tables keep their names (see acceptance 0001), nothing is copied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_move_focusarea_to_orgs"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Showcase"),
                migrations.DeleteModel(name="UnitAcceptance"),
            ],
            database_operations=[],
        ),
    ]
