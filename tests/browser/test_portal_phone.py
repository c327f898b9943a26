"""A person on a phone files a complaint on the public platform and follows it by its code."""

import io

import pytest
from PIL import Image

from jiandu.documents.uploads import attachments_of
from jiandu.orgs import base_data
from jiandu.orgs.models import Unit
from jiandu.portal.models import CaptchaChallenge, Complaint
from tests.browser.factories import click_to_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(db):
    base_data.load()  # an earlier transactional test may have flushed it
    Unit.objects.create(code="PB-SCJ", name="测试县市场监督管理局", kind=Unit.Kind.DEPARTMENT)
    Unit.objects.create(code="PB-CGZ", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)


def _solve_captcha(page):
    challenge_id = page.input_value("input[name=captcha_id]")
    return CaptchaChallenge.objects.get(pk=challenge_id).answer


def test_complaint_on_a_phone_and_follow_it_by_code(county, live_server, phone_page, shot):
    page = phone_page
    page.goto(f"{live_server.url}/public/")
    assert page.locator("text=我要举报").first.is_visible()
    shot(page, "home", folder="portal_phone")

    click_to_open(page, ".jd-public-tabbar >> text=我要举报")
    # The page fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("select[name=reported_unit]", label="测试县市场监督管理局")
    page.click("label:has-text('乱检查、重复检查')")
    page.fill("textarea[name=description]", "一个月内被检查三次，<b>每次</b>内容相同。")
    page.fill("input[name=place]", "城关镇解放路 8 号")
    photo = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 120, 200)).save(photo, format="JPEG", comment=b"ZHOU")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": photo.getvalue()}],
    )

    # First try without the CAPTCHA: the form comes back with what was typed, and the
    # chosen photo is kept (a browser empties a file input on every page load).
    click_to_open(page, "button[type=submit]")
    assert "请填写验证码" in page.content()
    assert page.input_value("input[name=place]") == "城关镇解放路 8 号"
    assert "现场.jpg" in page.inner_text(".jd-kept-file")
    assert page.is_checked(".jd-kept-file input[name=files-kept]")
    shot(page, "report-error", folder="portal_phone")

    page.click("label:has-text('实名反映')")
    page.fill("input[name=name]", "王小二")
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=captcha_answer]", _solve_captcha(page))
    shot(page, "report-filled", folder="portal_phone")
    page.click("button[type=submit]")
    page.wait_for_selector("#tracking-code")
    shot(page, "receipt", folder="portal_phone")

    shown = page.inner_text("#tracking-code").strip()
    complaint = Complaint.objects.get()
    assert shown.replace("-", "") == complaint.tracking_code
    assert [a.original_name for a in attachments_of(complaint)] == ["现场.jpg"]
    assert not complaint.anonymous and "王小二" not in complaint.name_cipher

    click_to_open(page, ".jd-public-tabbar >> text=进度查询")
    page.fill("input[name=code]", shown.lower())
    page.click("button[type=submit]")
    page.wait_for_selector("#state")
    assert page.inner_text("#state") == "待受理"
    # Typed markup shows as text, not as markup.
    assert "<b>每次</b>" in page.inner_text("#description")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "tracking", folder="portal_phone")

    page.goto(f"{live_server.url}/public/verify/UNKNOWN1/")
    assert "该检查未登记，您可以举报" in page.inner_text("#verify-unknown")
    shot(page, "verify-unknown", folder="portal_phone")


def test_supervisor_reveals_identity_and_accepts(county, live_server, page, shot):
    from jiandu.audit.models import AuditEvent
    from jiandu.orgs.models import Role
    from jiandu.portal import actions
    from tests.browser.factories import login
    from tests.orgs.factories import PASSWORD, make_user

    justice = Unit.objects.create(code="PB-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    make_user("sup", justice, Role.SUPERVISOR)
    c = actions.submit_complaint(
        category="fine",
        description="首次违法当场改正仍被罚款 5000 元。",
        reported_unit=Unit.objects.get(code="PB-SCJ"),
        anonymous=False,
        name="钱多多",
        phone="13611112222",
    )
    login(page, live_server, "sup", PASSWORD)
    page.goto(f"{live_server.url}/public/manage/")
    # The handling pages name the complaint by its reference: the tracking code is the
    # complainant's alone.
    assert c.reference in page.content() and "钱*" in page.content()
    assert c.tracking_code not in page.content()
    shot(page, "manage-list", folder="portal_handler")
    page.click(f"text={c.reference}")
    page.wait_for_selector("text=显示身份")
    assert c.tracking_code not in page.content()
    assert "钱多多" not in page.content()
    page.click("text=显示身份")
    page.wait_for_selector("text=本次查看已记入审计记录")
    assert "13611112222" in page.inner_text("#identity")
    assert AuditEvent.objects.filter(action="portal.identity.viewed").count() == 1
    page.fill("textarea[name=note]", "受理")
    page.click("button:has-text('受理') >> nth=0")
    page.wait_for_selector("text=已受理。")
    shot(page, "manage-accepted", folder="portal_handler")
    c.refresh_from_db()
    assert c.state == "accepted"

    # The unit complained about is not preselected; choosing it asks for a reason.
    assert page.input_value("select[name=unit]") == ""
    page.select_option("select[name=unit]", label="测试县市场监督管理局")
    page.click("button:has-text('交办')")
    page.wait_for_selector("text=承办单位就是被反映单位")
    shot(page, "assign-needs-reason", folder="portal_handler")
    c.refresh_from_db()
    assert c.state == "accepted" and c.unit is None
    page.fill(
        "textarea[name=conflict_reason]", "反映的是本单位处罚裁量问题，由其自查，监督部门跟踪。"
    )
    page.click("button:has-text('交办')")
    page.wait_for_selector("text=已交办")
    c.refresh_from_db()
    assert c.state == "assigned" and c.unit.code == "PB-SCJ"
    assert "交由被反映单位办理，理由" in page.content()
    shot(page, "assigned-with-reason", folder="portal_handler")
