"""The acceptance page and the cockpit's unit table as a supervisor sees them: a town whose
only problems are confirmed alerts (filed under no campaign) shows them and 0 %, a town
without problems shows "—" and no green bar, a town half done 50 %."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea, Role, Unit
from tests.browser.factories import login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    justice = Unit.objects.create(code="E-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    towns = {
        key: Unit.objects.create(code=f"E-{key}", name=name, kind=Unit.Kind.TOWNSHIP)
        for key, name in [
            ("BH", "北湖镇人民政府"),
            ("NS", "南山乡人民政府"),
            ("CG", "城关镇人民政府"),
        ]
    }
    supervisor = make_user("sup", justice, Role.SUPERVISOR)
    campaign = create_campaign_from_plan(
        lead_unit=justice, start=timezone.localdate() - timedelta(days=5), actor=supervisor
    )
    area = FocusArea.objects.get(code="procedure")

    def problem(town, state, **extra):
        Problem.objects.create(
            unit=towns[town],
            focus_area=area,
            description="执法全过程记录不完整",
            source=extra.pop("source", Problem.Source.SELF_CHECK),
            state=state,
            **extra,
        )

    problem("BH", Problem.State.PENDING, source=Problem.Source.ALERT)  # no campaign
    problem("BH", Problem.State.PENDING, source=Problem.Source.ALERT)
    problem("CG", Problem.State.CLOSED, campaign=campaign, closed_at=timezone.now())
    problem("CG", Problem.State.IN_PROGRESS, campaign=campaign)
    return {"campaign": campaign, "towns": towns}


def _row_text(page, selector):
    return " ".join(page.locator(selector).inner_text().split())


def test_acceptance_and_cockpit_show_the_same_honest_rates(page, live_server, county, shot):
    login(page, live_server, "sup", PASSWORD)
    campaign, towns = county["campaign"], county["towns"]

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/acceptance/")
    beihu = page.locator(f"#unit-{towns['BH'].pk}")
    nanshan = page.locator(f"#unit-{towns['NS'].pk}")
    chengguan = page.locator(f"#unit-{towns['CG'].pk}")
    assert _row_text(page, f"#unit-{towns['BH'].pk}").startswith("北湖镇人民政府 乡镇 2 0 0%")
    assert _row_text(page, f"#unit-{towns['NS'].pk}").startswith("南山乡人民政府 乡镇 0 0 —")
    assert _row_text(page, f"#unit-{towns['CG'].pk}").startswith("城关镇人民政府 乡镇 2 1 50%")
    assert nanshan.locator(".progress-bar").count() == 0
    assert beihu.locator(".bg-success").count() == 0 and chengguan.locator(".progress").count()
    shot(page, "acceptance-rates", folder="figures")

    page.goto(f"{live_server.url}/dashboard/")
    rows = {
        " ".join(r.split()).split(" ")[0]: " ".join(r.split())
        for r in page.locator("#units tbody tr").all_inner_texts()
    }
    assert rows["北湖镇人民政府"].endswith("2 0 0% 0")
    assert rows["南山乡人民政府"].endswith("0 0 — 0")
    assert rows["城关镇人民政府"].endswith("2 1 50% 0")
    shot(page, "cockpit-units", folder="figures")
