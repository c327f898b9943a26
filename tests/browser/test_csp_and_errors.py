"""Under the Content-Security-Policy (no inline script) the pages still work in a real
browser: the cockpit's charts draw, the public form shows the name fields only for a
named report. The error pages are seen as a visitor sees them (screenshots)."""

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.browser.factories import click_to_open, login
from tests.dashboard.factories import build
from tests.orgs.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def violations(page):
    return page.evaluate("window.__csp")


def test_cockpit_charts_draw_under_the_csp(units, personas, live_server, page, shot):
    build(units, personas, timezone.localdate())
    page.add_init_script(WATCH_CSP)
    login(page, live_server, "supervisor", PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("#chart-areas canvas")
    assert page.locator(".jd-chart canvas").count() >= 3
    assert violations(page) == []
    shot(page, "cockpit", folder="csp")


def test_public_form_toggles_the_name_fields_under_the_csp(db, live_server, phone_page, shot):
    page = phone_page
    page.add_init_script(WATCH_CSP)
    page.goto(f"{live_server.url}/public/report/")
    assert not page.is_visible("input[name=name]")
    page.click("label:has-text('实名反映')")
    assert page.is_visible("input[name=name]")
    shot(page, "report-named", folder="csp")
    page.click("label:has-text('匿名')")
    assert not page.is_visible("input[name=name]")
    assert violations(page) == []


def test_404_pages_in_chinese_with_a_way_back(personas, live_server, page, phone_page, shot):
    login(page, live_server, "supervisor", PASSWORD)
    page.goto(f"{live_server.url}/ledger/999999/", referer=f"{live_server.url}/ledger/")
    assert page.is_visible("text=页面不存在")
    shot(page, "404-site", folder="errors")
    page.click("text=返回上一页")
    page.wait_for_url(f"{live_server.url}/ledger/")

    phone_page.goto(f"{live_server.url}/public/no-such-page/")
    assert phone_page.is_visible("text=页面不存在")
    assert phone_page.is_visible(".jd-public-tabbar")
    shot(phone_page, "404-public", folder="errors")
    phone_page.click("main >> text=返回首页")
    phone_page.wait_for_url(f"{live_server.url}/public/")


@override_settings(ROOT_URLCONF="tests.core.urls_failing")
def test_500_pages_in_chinese_with_a_way_back(personas, live_server, page, phone_page, shot):
    login(page, live_server, "supervisor", PASSWORD)
    response = page.goto(f"{live_server.url}/fail/")
    assert response.status == 500
    assert page.is_visible("text=系统出错")
    shot(page, "500-site", folder="errors")
    click_to_open(page, "main >> text=返回首页")
    assert page.url.rstrip("/") != f"{live_server.url}/fail"

    response = phone_page.goto(f"{live_server.url}/public/fail/")
    assert response.status == 500
    assert phone_page.is_visible("text=系统出错")
    shot(phone_page, "500-public", folder="errors")
