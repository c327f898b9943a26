"""Binding an authenticator in 账号安全 and signing in with password and a TOTP code."""

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from jiandu.orgs.models import Role, Unit
from tests.browser.factories import click_to_open, login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret_b32, drift=0):
    from base64 import b32decode

    key = b32decode(secret_b32.replace(" ", ""))
    return f"{totp(key, step=30, t0=0, drift=drift):06d}"


def test_enrol_in_own_settings_then_sign_in_with_a_totp_code(live_server, page, shot):
    unit = Unit.objects.create(code="B-A", name="甲镇人民政府", kind=Unit.Kind.TOWNSHIP)
    make_user("clerk_a", unit, Role.CLERK)
    login(page, live_server, "clerk_a", PASSWORD)
    page.click("header .dropdown-toggle")
    page.click("text=账号安全")
    # The click navigates: wait for the new page rather than read a page in transit.
    expect(page.locator("main")).to_contain_text("未启用")
    shot(page, "security-off", folder="second-factor")
    click_to_open(page, "text=绑定身份验证器")
    assert page.locator(".jd-qr svg").is_visible()
    secret = page.locator("[data-secret]").inner_text()
    shot(page, "enrol-qr", folder="second-factor")
    page.fill("input[name=token]", _code(secret))
    click_to_open(page, "button:has-text('完成绑定')")
    page.locator("[data-recovery-codes]").wait_for()
    codes = page.locator("[data-recovery-codes] li").all_inner_texts()
    assert len(codes) == 10
    shot(page, "recovery-codes", folder="second-factor")
    click_to_open(page, "text=我已保存，继续")
    assert "已启用" in page.content()

    page.click("header .dropdown-toggle")
    click_to_open(page, "text=退出登录")  # before login() opens the sign-in page
    login(page, live_server, "clerk_a", PASSWORD)
    assert page.url.endswith("/login/verify/")
    shot(page, "verify", folder="second-factor")
    page.fill("input[name=token]", _code(secret, drift=1))  # the enrolment's code is spent
    click_to_open(page, "button[type=submit]")
    assert "/login/" not in page.url
    assert "甲镇人民政府" in page.locator("header").inner_text()
    shot(page, "signed-in", folder="second-factor")


def test_the_lock_is_told_in_chinese_on_the_login_page(live_server, page, shot):
    unit = Unit.objects.create(code="B-A", name="甲镇人民政府", kind=Unit.Kind.TOWNSHIP)
    make_user("clerk_a", unit, Role.CLERK)
    for _ in range(5):
        login(page, live_server, "clerk_a", "Wrong-pass1")
    login(page, live_server, "clerk_a", PASSWORD)
    alert = page.locator(".alert-danger").inner_text()
    assert "该账号因连续登录失败已被临时锁定，请 15 分钟后再试" in alert
    assert page.url.endswith("/login/")
    shot(page, "locked", folder="second-factor")
