"""The problem page links back to where the problem came from."""

from django.utils import timezone

from jiandu.campaigns.models import Campaign, FocusArea, SupervisionVisit
from jiandu.ledger.actions import create_problem
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert


def _problem(units, source, source_ref=""):
    return create_problem(
        unit=units["a"],
        focus_area=FocusArea.objects.get(code="procedure"),
        description="未按时送达",
        source=source,
        source_ref=source_ref,
    )


def test_problem_from_an_alert_links_to_the_alert(personas, units, client_for):
    problem = _problem(units, Problem.Source.ALERT, "PROC-02:T-A/罚2026-1")
    alert = Alert.objects.create(
        rule="PROC-02",
        subject_kind="case",
        subject_key="T-A/罚2026-1",
        unit=units["a"],
        severity="normal",
        state="confirmed",
        evidence={},
        evidence_hash="x",
        problem=problem,
    )
    page = client_for(personas["supervisor"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert f'href="/monitoring/alerts/{alert.pk}/"' in page


def test_problem_from_a_supervision_visit_links_to_the_visit(personas, units, client_for):
    campaign = Campaign.objects.create(title="专项", lead_unit=units["justice"])
    visit = SupervisionVisit.objects.create(
        campaign=campaign, unit=units["a"], visit_date=timezone.localdate()
    )
    problem = _problem(units, Problem.Source.SUPERVISION, f"监督检查#{visit.pk}")
    page = client_for(personas["supervisor"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert f'href="/campaigns/visits/{visit.pk}/"' in page


def test_problem_with_an_unlinked_reference_shows_it_as_text(personas, units, client_for):
    problem = _problem(units, Problem.Source.OTHER, "电话反映")
    page = client_for(personas["supervisor"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert "电话反映" in page and 'href="电话反映"' not in page
