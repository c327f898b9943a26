"""The 裁量计算器's item search as a person types: the suggestions follow every change of
the text, and a name (not only "编码 名称") finds the item."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from jiandu.orgs.models import Role, Unit
from jiandu.standards.models import Benchmark, Tier, ViolationItem
from tests.browser.factories import login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def items():
    unit = Unit.objects.create(code="C-SCJ", name="测试县市场监督管理局", kind=Unit.Kind.DEPARTMENT)
    make_user("calc", unit, Role.CLERK)
    expired = ViolationItem.objects.create(code="SC-101", name="销售过期食品")
    ViolationItem.objects.create(code="SC-102", name="销售不合格食品")
    ViolationItem.objects.create(code="HB-201", name="未批先建")
    benchmark = Benchmark.objects.create(item=expired, version=1, effective_on=date(2024, 1, 1))
    Tier.objects.create(
        benchmark=benchmark, level="general", fine_min=Decimal(1000), fine_max=Decimal(5000)
    )


def _options(page):
    return page.eval_on_selector_all("#item-options option", "els => els.map(e => e.value)")


def test_item_search_follows_the_typing(items, live_server, page, shot):
    login(page, live_server, "calc", PASSWORD)
    page.goto(f"{live_server.url}/standards/calculator/")
    box = page.locator("#id_item")

    box.press_sequentially("SC-10", delay=50)
    options = page.locator("#item-options option")
    expect(options).to_have_count(2)
    assert sorted(_options(page)) == ["SC-101 销售过期食品", "SC-102 销售不合格食品"]

    # The second request must land in the same list, not somewhere the first one left.
    box.fill("")
    box.press_sequentially("HB", delay=50)
    expect(options).to_have_count(1)
    assert _options(page) == ["HB-201 未批先建"]

    # A name, as an input method enters it (text inserted, no key of its own).
    box.fill("")
    box.press_sequentially("过期食品", delay=50)
    expect(page.locator('#item-options option[value="SC-101 销售过期食品"]')).to_have_count(1)
    assert _options(page) == ["SC-101 销售过期食品"]
    shot(page, "suggestions", folder="calculator_search")

    # Leaving the box with the name typed computes the item's range.
    box.dispatch_event("change")
    page.wait_for_selector("#calc-result >> text=1,000 元 ～ 5,000 元")
    assert "SC-101 销售过期食品" in page.inner_text("#calc-result")
    shot(page, "result", folder="calculator_search")
