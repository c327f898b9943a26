import pytest

from jiandu.orgs.models import Role, Unit
from tests.browser.factories import login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_page_in_chinese_and_wrong_password_message(live_server, page, shot):
    unit = Unit.objects.create(code="B-A", name="甲镇人民政府", kind=Unit.Kind.TOWNSHIP)
    make_user("clerk_a", unit, Role.CLERK)
    page.goto(f"{live_server.url}/login/")
    assert page.locator("h1").inner_text() == "行政执法监督平台"
    shot(page, "login", folder="login")
    login(page, live_server, "clerk_a", "Wrong-pass1")
    assert "用户名或密码不正确" in page.content()
    shot(page, "login-failed", folder="login")
    login(page, live_server, "clerk_a", PASSWORD)
    assert "/login/" not in page.url
    assert "甲镇人民政府" in page.locator("header").inner_text()
    shot(page, "after-login", folder="login")
