"""The problem page links back to where the problem came from: the origin is stored on the
problem (`create_problem(origin=...)`) and linked with the source's `get_absolute_url`;
`source_ref` is display text that nothing parses."""

import re
from pathlib import Path

from django.utils import timezone

import jiandu
from jiandu.campaigns.models import Campaign
from jiandu.ledger.actions import create_problem
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea
from jiandu.portal.models import Category, Complaint
from jiandu.supervision.models import CaseFileReview, SupervisionVisit


def _problem(units, source, source_ref="", origin=None):
    return create_problem(
        unit=units["a"],
        focus_area=FocusArea.objects.get(code="procedure"),
        description="未按时送达",
        source=source,
        source_ref=source_ref,
        origin=origin,
    )


def _page(client_for, who, problem):
    return client_for(who).get(f"/ledger/{problem.pk}/").content.decode()


def _visit(units):
    campaign = Campaign.objects.create(title="专项", lead_unit=units["justice"])
    return SupervisionVisit.objects.create(
        campaign=campaign, unit=units["a"], visit_date=timezone.localdate()
    )


def test_problem_from_an_alert_links_to_the_alert(personas, units, client_for):
    alert = Alert.objects.create(
        rule="PROC-02",
        subject_kind="case",
        subject_key="T-A/罚2026-1",
        unit=units["a"],
        severity="normal",
        state="new",
        evidence={},
        evidence_hash="x",
    )
    problem = _problem(units, Problem.Source.ALERT, alert.source_ref, origin=alert)
    assert Problem.objects.get(pk=problem.pk).origin == alert
    page = _page(client_for, personas["supervisor"], problem)
    assert f'<a href="/monitoring/alerts/{alert.pk}/">PROC-02:T-A/罚2026-1</a>' in page


def test_problem_from_a_supervision_visit_links_to_the_visit(personas, units, client_for):
    visit = _visit(units)
    problem = _problem(units, Problem.Source.SUPERVISION, visit.ref, origin=visit)
    page = _page(client_for, personas["supervisor"], problem)
    assert f'href="/campaigns/visits/{visit.pk}/"' in page
    assert list(visit.findings()) == [problem]


def test_problem_from_a_case_file_review_links_to_the_review(personas, units, client_for):
    visit = _visit(units)
    review = CaseFileReview.objects.create(visit=visit, case_no="甲罚〔2026〕3号", grade="fail")
    problem = _problem(
        units, Problem.Source.SUPERVISION, f"{visit.ref}/案卷评查#{review.pk}", origin=review
    )
    page = _page(client_for, personas["supervisor"], problem)
    assert f'href="/campaigns/reviews/{review.pk}/"' in page
    # The visit's findings include its reviews' problems, found by origin.
    assert list(visit.findings()) == [problem]


def test_problem_from_a_complaint_links_to_its_handling_page_never_the_tracking_code(
    personas, units, client_for
):
    complaint = Complaint.objects.create(
        tracking_code="QC7K2M9XTRACK",
        category=Category.values[0],
        reported_unit=units["a"],
        unit=units["a"],
        description="重复检查",
    )
    problem = _problem(units, Problem.Source.COMPLAINT, complaint.reference, origin=complaint)
    for who in ("supervisor", "clerk_a"):
        page = _page(client_for, personas[who], problem)
        assert f'href="/public/manage/{complaint.pk}/"' in page
        assert complaint.tracking_code not in page and "/public/track/" not in page


def test_a_reference_that_looks_like_a_visit_is_only_text(personas, units, client_for):
    """Nothing parses source_ref: without a stored origin there is no link, whatever the text."""
    visit = _visit(units)
    problem = _problem(units, Problem.Source.SUPERVISION, visit.ref)
    page = _page(client_for, personas["supervisor"], problem)
    assert visit.ref in page and f"/campaigns/visits/{visit.pk}/" not in page
    assert list(visit.findings()) == []


def test_problem_with_an_unlinked_reference_shows_it_as_text(personas, units, client_for):
    problem = _problem(units, Problem.Source.OTHER, "电话反映")
    page = _page(client_for, personas["supervisor"], problem)
    assert "电话反映" in page and 'href="电话反映"' not in page


def test_no_code_parses_source_ref_or_looks_a_source_up_by_name():
    root = Path(jiandu.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            parses = "source_ref" in line and re.search(r"re\.\w+\(|\.split\(|removeprefix", line)
            if parses or "source_ref__startswith" in line:
                offenders.append(f"{path.relative_to(root)}:{n}")
    assert offenders == []
    ledger = [p for p in (root / "ledger").rglob("*.py") if "migrations" not in p.parts]
    assert not [p.name for p in ledger if "apps.get_model(" in p.read_text(encoding="utf-8")]
