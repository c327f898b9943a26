"""SelfCheckReport and SelfCheckAnswer move to the `selfcheck` app. Only Django's idea of
the models moves: the tables keep their names (see selfcheck 0001), nothing is copied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_move_supervision_to_its_app"),
        # ledger 0002-0006 still name campaigns.SelfCheckAnswer (0007 drops that field).
        ("ledger", "0007_drop_problem_self_check_answer"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SelfCheckAnswer"),
                migrations.DeleteModel(name="SelfCheckReport"),
            ],
            database_operations=[],
        ),
    ]
