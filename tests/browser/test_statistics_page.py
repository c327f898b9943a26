"""The leadership's statistics page in a browser: a supervisor reads November, switches
to the quarter, sees the charts drawn, and downloads what the page shows."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.factories import click_to_open, login
from tests.dashboard.statistics_data import build
from tests.orgs.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_statistics_period_change_and_export(page, live_server, units, personas, shot):
    build(units)
    login(page, live_server, "supervisor", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/statistics/?kind=month&value=2026-11")
    expect(page.locator("h1, .jd-topbar").first).to_contain_text("2026年11月")
    row_b = page.locator('#stats-units tr[data-unit="T-B"]')
    expect(row_b.locator("td").first).to_have_text("1")
    expect(row_b.locator('td[data-key="problems_rate"]')).to_have_text("100%")
    expect(page.locator('#stats-comparison tr[data-key="inspections"]')).to_contain_text("+2")
    # ECharts drew both charts (a canvas inside each).
    expect(page.locator("#chart-stats-trend canvas")).to_have_count(1)
    expect(page.locator("#chart-stats-ranking canvas")).to_have_count(1)
    shot(page, "statistics-november", folder="statistics")

    page.select_option("#id_kind", "quarter")
    page.fill("#id_value", "2026-Q4")
    click_to_open(page, "#period-form button[type=submit]")
    expect(page.locator("body")).to_contain_text("2026年第四季度")
    expect(page.locator("body")).to_contain_text("对比上期：2026年第三季度")
    # The quarter holds October (2 cases filed) and December (1) beside November (2).
    total = page.locator('#stats-units tr[data-unit="total"]')
    expect(total.locator('td[data-key="cases_filed"]')).to_have_text("5")
    shot(page, "statistics-quarter", folder="statistics")

    with page.expect_download() as info:
        page.click("#stats-export")
    content = open(info.value.path(), "rb").read()
    sheet = load_workbook(io.BytesIO(content))["分单位"]
    assert "2026年第四季度" in sheet["A1"].value
    header = [c.value for c in sheet[3]]
    totals = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1].startswith("合计")]
    assert totals[0][header.index("行政处罚·立案数")] == 5
