"""One run of every migration, from an empty database, proves two things:

- The schema the real migration command builds is the one the test databases start from.
  Test databases are built from the models (tests/schema_from_models.py), not by running
  the migrations; this proves, on the backend the suite runs on, that both agree.
- The upgrade fills the stored origin of problems made the old way (the self-check answer
  link on the problem, a visit's ref as text, a review's / alert's / complaint's pointer at
  its problem), and moves the self-check link onto the answer.

A full run of the migrations costs Django most of half a minute (it re-renders the related
model graph at every step), so both ride on one: the database stops where the origins
were not stored yet, gets rows made the old way, then the real `migrate` takes it to the
end. Rows in the tables do not change the schema a migration builds, and the schema check
still covers every migration from the first."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.portal.models import Complaint
from jiandu.selfcheck.models import SelfCheckAnswer
from jiandu.supervision.models import CaseFileReview, SupervisionVisit
from tests.databases import default_on_an_empty_database
from tests.schema_from_models import schema

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# Django's own, not ours: on PostgreSQL contrib.auth's migrations give the join table of
# Group.permissions a bigint id (the project's DEFAULT_AUTO_FIELD) where its models say
# integer (auth's default_auto_field). Nothing of ours reads that id.
DJANGOS_OWN = {("auth_group_permissions", "id")}

# A county installed before problems stored their origin.
BEFORE = [
    ("ledger", "0005_backfill_deadlines"),
    ("campaigns", "0003_supervision_acceptance_showcase"),
    ("monitoring", "0002_alert_alert_state_seen_idx"),
    ("portal", "0002_protect_complainant"),
]


def _old_rows(apps):
    """Rows as the code before the change made them."""
    get = apps.get_model
    unit = get("orgs", "Unit").objects.create(code="M-A", name="迁移甲镇", kind="town")
    justice = get("orgs", "Unit").objects.create(code="M-J", name="迁移司法局", kind="justice")
    area = get("campaigns", "FocusArea").objects.get_or_create(
        code="procedure", defaults={"name": "执法程序"}
    )[0]
    campaign = get("campaigns", "Campaign").objects.create(title="专项", lead_unit=justice)
    template = get("campaigns", "SelfCheckTemplate").objects.create(
        campaign=campaign, title="自查表"
    )
    item = get("campaigns", "SelfCheckItem").objects.create(
        template=template, focus_area=area, text="是否落实法制审核", order=4
    )
    report = get("campaigns", "SelfCheckReport").objects.create(campaign=campaign, unit=unit)
    answer = get("campaigns", "SelfCheckAnswer").objects.create(
        report=report, item=item, has_problem=True, description="未审核"
    )
    visit = get("campaigns", "SupervisionVisit").objects.create(
        campaign=campaign, unit=unit, visit_date=timezone.localdate()
    )
    other_visit = get("campaigns", "SupervisionVisit").objects.create(
        campaign=campaign, unit=unit, visit_date=timezone.localdate()
    )
    review = get("campaigns", "CaseFileReview").objects.create(
        visit=visit, case_no="甲罚〔2026〕3号", grade="fail"
    )
    Problem_ = get("ledger", "Problem")

    def problem(source, ref, **kw):
        return Problem_.objects.create(
            unit=unit, focus_area=area, description="问题", source=source, source_ref=ref, **kw
        )

    rows = {
        "self_check": problem(
            "self_check", "自查表第4项", self_check_answer=answer, campaign=campaign
        ),
        "visit": problem("supervision", f"监督检查#{visit.pk}", campaign=campaign),
        "other_visit": problem("supervision", f"监督检查#{other_visit.pk}", campaign=campaign),
        "review": problem("supervision", f"监督检查#{visit.pk}/案卷评查#{review.pk}"),
        "alert": problem("alert", "PROC-02:T-A/罚2026-1"),
        "complaint": problem("complaint", "JB-000001"),
        "hand": problem("supervision", "监督检查记录 JC-2026-001"),
    }
    get("campaigns", "CaseFileReview").objects.filter(pk=review.pk).update(problem=rows["review"])
    alert = get("monitoring", "Alert").objects.create(
        rule="PROC-02",
        subject_kind="case",
        subject_key="T-A/罚2026-1",
        unit=unit,
        severity="normal",
        state="confirmed",
        evidence={},
        evidence_hash="x",
        problem=rows["alert"],
    )
    complaint = get("portal", "Complaint").objects.create(
        tracking_code="MIGRATE1",
        category="inspection",
        reported_unit=unit,
        unit=unit,
        description="重复检查",
        problem=rows["complaint"],
    )
    pks = {name: p.pk for name, p in rows.items()}
    ids = {
        "answer": answer.pk,
        "visit": visit.pk,
        "other_visit": other_visit.pk,
        "review": review.pk,
        "alert": alert.pk,
        "complaint": complaint.pk,
    }
    return pks, ids


def _shape():
    """schema() of the default database, each row as JSON, Django's own columns left out."""
    shape = {
        table: {
            part: {json.dumps(row, ensure_ascii=False) for row in rows} for part, rows in t.items()
        }
        for table, t in schema().items()
    }
    for table, column in DJANGOS_OWN:
        if table in shape:
            shape[table]["columns"] = {
                row for row in shape[table]["columns"] if json.loads(row)[0] != column
            }
    return shape


def test_the_migrations_fill_origins_and_build_the_schema_the_test_databases_start_from(
    tmp_path,
):
    # The test database is a copy of the schema built from the models (conftest.py), and
    # no test changes a schema.
    by_models = _shape()
    # On a new, empty database: on the test database the migrations would first have to be
    # undone, three times the work.
    with default_on_an_empty_database(tmp_path):
        executor = MigrationExecutor(connection)
        # The state the run ends at has its models rendered: the rows are made with them.
        pks, ids = _old_rows(executor.migrate(BEFORE).apps)
        # The real command from there, as a county's upgrade runs it.
        call_command("migrate", interactive=False, verbosity=0)

        origin = {name: Problem.objects.get(pk=pk).origin for name, pk in pks.items()}
        assert origin["self_check"] == SelfCheckAnswer.objects.get(pk=ids["answer"])
        assert SelfCheckAnswer.objects.get(pk=ids["answer"]).problem_id == pks["self_check"]
        assert origin["visit"] == SupervisionVisit.objects.get(pk=ids["visit"])
        assert origin["other_visit"] == SupervisionVisit.objects.get(pk=ids["other_visit"])
        assert origin["review"] == CaseFileReview.objects.get(pk=ids["review"])
        assert origin["alert"] == Alert.objects.get(pk=ids["alert"])
        assert origin["complaint"] == Complaint.objects.get(pk=ids["complaint"])
        assert origin["hand"] is None
        visit = SupervisionVisit.objects.get(pk=ids["visit"])
        assert set(visit.findings().values_list("pk", flat=True)) == {pks["visit"], pks["review"]}
        # The display text is kept as it was.
        assert Problem.objects.get(pk=pks["self_check"]).source_ref == "自查表第4项"

        by_migrations = _shape()

    assert len(by_models) > 100
    assert "ledger_problem" in by_models
    assert sorted(by_migrations) == sorted(by_models)
    differ = {
        table: {
            part: {
                "migrations only": sorted(by_migrations[table][part] - shape[part]),
                "models only": sorted(shape[part] - by_migrations[table][part]),
            }
            for part in ("columns", "constraints")
            if by_migrations[table][part] != shape[part]
        }
        for table, shape in by_models.items()
        if by_migrations[table] != shape
    }
    assert differ == {}
