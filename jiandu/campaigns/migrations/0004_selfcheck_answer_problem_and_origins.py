"""The self-check answer points at its problem (the link moves from
`Problem.self_check_answer`), and existing problems get their stored origin: the
self-check answer, the supervision visit (its problems carry exactly the visit's ref)
or the case-file review (`CaseFileReview.problem`). No text is parsed."""

import django.db.models.deletion
from django.db import migrations, models


def _content_type(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="campaigns", model=model)[0]


def fill_origins(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    SelfCheckAnswer = apps.get_model("campaigns", "SelfCheckAnswer")
    SupervisionVisit = apps.get_model("campaigns", "SupervisionVisit")
    CaseFileReview = apps.get_model("campaigns", "CaseFileReview")

    from_answers = Problem.objects.filter(self_check_answer__isnull=False)
    if from_answers.exists():
        ct = _content_type(apps, "selfcheckanswer")
        for problem_id, answer_id in from_answers.values_list("pk", "self_check_answer_id"):
            SelfCheckAnswer.objects.filter(pk=answer_id).update(problem_id=problem_id)
            Problem.objects.filter(pk=problem_id).update(origin_type=ct, origin_id=answer_id)

    reviewed = CaseFileReview.objects.filter(problem__isnull=False)
    if reviewed.exists():
        ct = _content_type(apps, "casefilereview")
        for review_id, problem_id in reviewed.values_list("pk", "problem_id"):
            Problem.objects.filter(pk=problem_id, origin_type__isnull=True).update(
                origin_type=ct, origin_id=review_id
            )

    findings = Problem.objects.filter(
        source="supervision", origin_type__isnull=True, source_ref__startswith="监督检查#"
    )
    if findings.exists():
        ct = _content_type(apps, "supervisionvisit")
        for visit_id in SupervisionVisit.objects.values_list("pk", flat=True):
            # A finding's ref is exactly its visit's `ref` ("监督检查#<id>").
            findings.filter(source_ref=f"监督检查#{visit_id}").update(
                origin_type=ct, origin_id=visit_id
            )


def restore_links(apps, schema_editor):
    Problem = apps.get_model("ledger", "Problem")
    SelfCheckAnswer = apps.get_model("campaigns", "SelfCheckAnswer")
    for answer_id, problem_id in SelfCheckAnswer.objects.filter(
        problem__isnull=False
    ).values_list("pk", "problem_id"):
        Problem.objects.filter(pk=problem_id).update(self_check_answer_id=answer_id)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_supervision_acceptance_showcase"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ledger", "0006_problem_origin"),
    ]

    operations = [
        migrations.AddField(
            model_name="selfcheckanswer",
            name="problem",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="ledger.problem",
                verbose_name="列入整改台账的问题",
            ),
        ),
        migrations.RunPython(fill_origins, restore_links),
    ]
