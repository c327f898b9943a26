"""SupervisionVisit and CaseFileReview move to the `supervision` app. Only Django's idea of
the models moves: the tables keep their names (see supervision 0001), nothing is copied."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_selfcheck_answer_problem_and_origins"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CaseFileReview"),
                migrations.DeleteModel(name="SupervisionVisit"),
            ],
            database_operations=[],
        ),
    ]
