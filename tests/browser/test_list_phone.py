"""A list on a phone (375px): the main columns show, the others fold into a line under
the row's main cell; on a desk screen the same table shows every column and no fold."""

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
def ledger():
    today = timezone.localdate()
    justice = Unit.objects.create(code="F-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="F-CG", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    supervisor = make_user("sup", justice, Role.SUPERVISOR)
    create_campaign_from_plan(lead_unit=justice, start=today - timedelta(days=40), actor=supervisor)
    Problem.objects.create(
        unit=town,
        focus_area=FocusArea.objects.get(code="procedure"),
        description="执法全过程记录不完整",
        source=Problem.Source.SELF_CHECK,
        state=Problem.State.IN_PROGRESS,
        measures="补齐执法记录仪配备",
        responsible_person="张三",
        deadline=today + timedelta(days=9),
    )


def _header(page, text):
    return page.locator("#ledger-table thead th", has_text=text)


def test_a_list_folds_its_secondary_columns_on_a_phone(ledger, live_server, browser, shot):
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login(page, live_server, "sup", PASSWORD)
        page.goto(f"{live_server.url}/ledger/")
        shot(page, "ledger-375", folder="list_phone")
        for main in ("编号", "问题描述", "状态"):
            assert _header(page, main).is_visible(), main
        for folded in ("责任单位", "问题领域", "责任人", "整改时限"):
            assert not _header(page, folded).is_visible(), folded
        fold = page.locator("#ledger-table tbody .jd-fold").first
        assert fold.is_visible()
        assert "城关镇人民政府" in fold.inner_text() and "张三" in fold.inner_text()
        # The table fits the phone: no sideways scrolling to reach the status.
        width = page.evaluate("document.querySelector('#ledger-table').scrollWidth")
        assert width <= 375

        page.set_viewport_size({"width": 1366, "height": 900})
        for column in ("编号", "责任单位", "问题领域", "责任人", "整改时限", "状态"):
            assert _header(page, column).is_visible(), column
        assert not fold.is_visible()
    finally:
        context.close()
