"""Error pages are Chinese, in the site's layout (the portal's on public pages), with a
way back; a 403 is logged as one line."""

import logging

import pytest
from django.test import Client, override_settings


def test_404_in_the_site_layout_with_a_way_back(personas, client_for):
    response = client_for(personas["supervisor"]).get(
        "/ledger/999999/", HTTP_REFERER="http://testserver/ledger/"
    )
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "返回首页" in page
    assert 'href="http://testserver/ledger/"' in page and "返回上一页" in page
    assert "jd-sidebar" in page and "整改台账" in page  # the site's navigation


def test_404_on_a_public_page_in_the_portal_layout(client, db):
    response = client.get("/public/no-such-page/", HTTP_REFERER="https://elsewhere.example/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "举报曝光平台" in page
    assert 'href="/public/"' in page
    assert "elsewhere.example" not in page  # a way back only to our own pages
    assert "jd-sidebar" not in page


def test_403_page_and_one_log_line(personas, client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_for(personas["clerk_a"]).post(
            "/workdays/add/", {"date": "2031-10-01", "name": "x"}
        )
    assert response.status_code == 403
    assert "没有权限" in response.content.decode()
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    handler = logging.StreamHandler()
    line = handler.format(records[0])
    assert line == "Forbidden (Permission denied): /workdays/add/"
    assert "\n" not in line and "Traceback" not in line


def test_csrf_failure_is_a_chinese_page(personas, db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "clerk_a", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期" in page and "重新提交" in page


def test_400_for_a_forbidden_host_is_chinese(db):
    response = Client().get("/login/", HTTP_HOST="evil.example", HTTP_REFERER="http://x/")
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "layout"), [("/fail/", "jd-sidebar"), ("/public/fail/", "举报曝光平台")]
)
@override_settings(ROOT_URLCONF="tests.core.urls_failing")
def test_500_in_the_layout_with_a_way_back(path, layout, db, personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas["supervisor"])
    response = client.get(path)
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错" in page and "返回首页" in page and layout in page
