"""A town's clerk opens the platform on a phone after two 督办: the start page lists them
with today's overdue days, and the other pages do not repeat them above their content."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.ledger import actions
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea, Role, Unit
from tests.browser.factories import login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def escalated():
    today = timezone.localdate()
    justice = Unit.objects.create(code="F-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="F-CG", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    supervisor = make_user("sup", justice, Role.SUPERVISOR)
    make_user("clerk", town, Role.CLERK)
    create_campaign_from_plan(lead_unit=justice, start=today - timedelta(days=40), actor=supervisor)
    area = FocusArea.objects.get(code="procedure")
    problems = [
        Problem.objects.create(
            unit=town,
            focus_area=area,
            description=f"执法全过程记录不完整（{n}）",
            source=Problem.Source.SELF_CHECK,
            state=Problem.State.IN_PROGRESS,
            measures="补齐执法记录仪配备",
            responsible_person="张三",
            deadline=today - timedelta(days=9),
        )
        for n in (1, 2)
    ]
    # The 督办 were issued a week ago, when the problems were two days overdue.
    for problem in problems:
        actions.escalate(
            problem,
            actor=supervisor,
            note="请于三日内整改到位，并报送整改材料和责任人说明。" * 3,
            today=today - timedelta(days=7),
        )
    return problems


def test_escalations_on_a_phone(escalated, live_server, phone_page, shot):
    page = phone_page
    login(page, live_server, "clerk", PASSWORD)  # the start page: 待办事项
    shot(page, "start-page", folder="escalation_phone")
    card = page.locator("#escalations")
    text = card.inner_text()
    assert text.count("已逾期 9 天") == 2 and "逾期 2 天" not in page.content()
    # The first screen shows the 督办 and still the start of the page's other work.
    assert card.bounding_box()["y"] < 200
    assert page.locator("#report").bounding_box()["y"] < 844

    page.goto(f"{live_server.url}/ledger/")
    shot(page, "ledger", folder="escalation_phone")
    # No notice above the list: the content starts right under the top bar; the bell says
    # there is something important.
    assert "督办：问题" not in page.inner_text("main")
    assert page.locator("main > *").first.bounding_box()["y"] < 120
    assert page.locator(".jd-topbar .bi-bell-fill.text-danger").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
