from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.campaigns.models import Phase
from jiandu.demo import campaign as demo
from jiandu.demo import county as org_demo
from jiandu.ledger.models import Problem
from jiandu.selfcheck.models import SelfCheckReport
from tests.demo_county import seeded_once

pytestmark = pytest.mark.slow  # the demo county

State = SelfCheckReport.State


def _seed_county_and_campaign():
    # Only the county and the campaigns part: later parts of `jiandu demo` (the 公文 with
    # its early 验收意见书) would change what these tests prove the campaign part makes.
    ctx = {"today": timezone.localdate()}
    org_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module's tests, which only read it (tests/demo_county.py)."""
    yield from seeded_once(django_db_blocker, _seed_county_and_campaign)


def test_demo_puts_today_mid_rectification_with_every_earlier_phase_done(seeded, db):
    ctx = seeded
    today = ctx["today"]
    campaign = ctx["campaign"]
    assert campaign.phase_on(today).kind == Phase.Kind.RECTIFICATION
    assert campaign.contacts.count() >= 2
    assert all(c.phone.startswith("0577-") for c in campaign.contacts.all())

    reports = {
        r.unit.code: r
        for r in SelfCheckReport.objects.filter(campaign=campaign).select_related(
            "unit", "campaign"
        )
    }
    enforcement = [u for u in ctx["units"].values() if u.is_enforcement_unit]
    assert set(reports) == {u.code for u in enforcement}
    states = [r.state for r in reports.values()]
    assert states.count(State.ACCEPTED) >= len(enforcement) - 4
    assert reports["PC-DLZ"].state == State.RETURNED and reports["PC-DLZ"].returned_reason
    assert reports["PC-NSX"].state == State.SUBMITTED
    assert reports["PC-BHZ"].state == State.DRAFT and reports["PC-BHZ"].is_late
    assert reports["PC-XXX"].state == State.ACCEPTED and reports["PC-XXX"].is_late
    assert not reports["PC-SCJ"].is_late

    phase = campaign.phase("self_check")
    for r in reports.values():
        if r.first_submitted_at and r.unit.code != "PC-XXX":
            assert phase.start <= timezone.localdate(r.first_submitted_at) <= phase.end

    problems = Problem.objects.filter(source=Problem.Source.SELF_CHECK, campaign=campaign)
    assert problems.count() >= 20
    assert problems.values("focus_area").distinct().count() == 6
    assert problems.overdue(today).exists()
    assert problems.filter(deadline__gt=today).exists()
    assert AuditEvent.objects.filter(action="campaigns.report.accepted").count() >= 10
    assert AuditEvent.objects.filter(action="campaigns.report.reminded").exists()


def test_demo_has_supervision_visits_reviews_and_showcases(seeded, db):
    from jiandu.acceptance.models import Showcase, UnitAcceptance
    from jiandu.supervision.models import CaseFileReview, SupervisionVisit

    ctx = seeded
    today = ctx["today"]
    campaign = ctx["campaign"]
    phase = campaign.phase("supervision")

    done = SupervisionVisit.objects.filter(campaign=campaign, state="done")
    assert done.count() >= 3
    for visit in done:
        assert phase.start <= visit.visit_date <= phase.end
        assert visit.team.exists() and visit.summary
        assert visit.findings().exists()
        for p in visit.findings():
            assert p.deadline > visit.visit_date
            assert timezone.localdate(p.created_at) == visit.visit_date
    assert SupervisionVisit.objects.filter(state="planned", visit_date__gt=today).exists()

    reviews = CaseFileReview.objects.filter(visit__campaign=campaign)
    assert reviews.count() >= 5
    assert {r.grade for r in reviews} >= {"excellent", "pass", "fail"}
    failing = reviews.get(grade="fail")
    assert failing.problem is not None and failing.problem.focus_area.code == "procedure"

    showcases = Showcase.objects.filter(campaign=campaign)
    assert showcases.filter(state="published").count() == 1
    assert showcases.filter(state="draft", unit=ctx["units"]["PC-CGZ"]).exists()
    assert not UnitAcceptance.objects.filter(campaign=ctx["campaign"]).exists()
    event = AuditEvent.objects.get(action="campaigns.showcase.published")
    assert timezone.localdate(event.created_at) == today - timedelta(days=6)
