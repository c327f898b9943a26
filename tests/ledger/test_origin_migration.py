"""The upgrade fills the stored origin of problems made the old way (the self-check
answer link on the problem, a visit's ref as text, a review's / alert's / complaint's
pointer at its problem), and moves the self-check link onto the answer."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.portal.models import Complaint
from jiandu.selfcheck.models import SelfCheckAnswer
from jiandu.supervision.models import CaseFileReview, SupervisionVisit
from tests.databases import default_on_an_empty_database

BEFORE = [
    ("ledger", "0005_backfill_deadlines"),
    ("campaigns", "0003_supervision_acceptance_showcase"),
    ("monitoring", "0002_alert_alert_state_seen_idx"),
    ("portal", "0002_protect_complainant"),
]

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


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


def test_upgrade_fills_the_origin_of_problems_made_the_old_way(tmp_path):
    # A county installed before the change: every migration up to BEFORE, from nothing.
    with default_on_an_empty_database(tmp_path):
        _upgrade_fills_the_origin()


def _upgrade_fills_the_origin():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    pks, ids = _old_rows(executor.loader.project_state(BEFORE).apps)

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

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
