"""批量验收通过 in a real browser: the supervisor ticks three units on the acceptance page,
writes one opinion and passes them; the unit with open problems is named in the message
and stays 待验收, the other two are 验收通过."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.acceptance.models import UnitAcceptance
from jiandu.audit.models import AuditEvent
from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.orgs.models import Role, Unit
from tests.acceptance.factories import problem
from tests.browser.factories import login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    justice = Unit.objects.create(code="E-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    towns = [
        Unit.objects.create(code=f"E-T{n}", name=name, kind=Unit.Kind.TOWNSHIP)
        for n, name in enumerate(["城关镇人民政府", "南溪乡人民政府"])
    ]
    dept = Unit.objects.create(code="E-SCJ", name="测试县市场监督管理局", kind=Unit.Kind.DEPARTMENT)
    supervisor = make_user("sup", justice, Role.SUPERVISOR)
    campaign = create_campaign_from_plan(
        lead_unit=justice, start=timezone.localdate() - timedelta(days=200), actor=supervisor
    )
    problem(campaign, towns[1])  # still open: a bulk pass gives no reason for it
    return {"campaign": campaign, "units": [*towns, dept], "open": towns[1]}


def test_supervisor_passes_several_units_at_once(page, live_server, county, shot):
    campaign = county["campaign"]
    login(page, live_server, "sup", PASSWORD)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/acceptance/")
    for unit in county["units"]:
        page.get_by_label(f"勾选{unit.name}").check()
    page.get_by_label("批量验收意见").fill("整改措施落实到位，资料齐全")
    shot(page, "bulk-acceptance-ticked")
    with page.expect_navigation():
        page.get_by_role("button", name="勾选的单位验收通过").click()
    page.wait_for_load_state("networkidle")

    text = page.locator("main").inner_text()
    assert "2 个单位整改验收通过：测试县市场监督管理局、城关镇人民政府。" in text
    assert "1 个单位未能验收通过" in text
    assert "南溪乡人民政府尚有 1 个问题未销号" in text
    shot(page, "bulk-acceptance-done")

    passed = UnitAcceptance.objects.filter(state=UnitAcceptance.State.PASSED)
    assert {a.unit.name for a in passed} == {"城关镇人民政府", "测试县市场监督管理局"}
    assert {a.opinion for a in passed} == {"整改措施落实到位，资料齐全"}
    assert AuditEvent.objects.filter(action="campaigns.acceptance.passed").count() == 2
    # The open unit is still offered, on its own row, with the reason field.
    row = page.locator(f"#unit-{county['open'].pk}")
    assert row.get_by_label(f"勾选{county['open'].name}").is_visible()
    assert page.locator(f"#unit-{county['units'][0].pk}").get_by_text("已验收").is_visible()
