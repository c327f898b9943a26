"""An enterprise applies for credit repair on a phone (the public portal, no login),
follows it by its code, and the case's unit approves it; the tracking page then shows
which publishing unit has not yet withdrawn the penalty."""

import io
from datetime import date

import pytest
from PIL import Image

from jiandu.credit.models import RepairApplication
from jiandu.documents.uploads import attachments_of
from jiandu.orgs import base_data
from jiandu.orgs.models import Role, Unit
from jiandu.portal.models import CaptchaChallenge
from tests.browser.factories import click_to_open, login
from tests.credit.factories import USCC, penalty_case
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(db, settings):
    base_data.load()  # an earlier transactional test may have flushed it
    scj = Unit.objects.create(code="CR-SCJ", name="测试县市场监督管理局", kind=Unit.Kind.DEPARTMENT)
    Unit.objects.create(code="CR-FGJ", name="测试县发展和改革局", kind=Unit.Kind.DEPARTMENT)
    settings.CREDIT_PLATFORM_UNIT = "CR-FGJ"
    make_user("scj_clerk", scj, Role.CLERK)
    return penalty_case(scj, decided_on=date(2025, 8, 1))


def _solve_captcha(page):
    return CaptchaChallenge.objects.get(pk=page.input_value("input[name=captcha_id]")).answer


def test_credit_repair_on_a_phone_and_the_unit_approves(
    county, live_server, phone_page, page, shot
):
    phone = phone_page
    phone.goto(f"{live_server.url}/public/")
    click_to_open(phone, "text=信用修复")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.fill("input[name=uscc]", USCC.lower())
    phone.fill("input[name=enterprise_name]", "某某食品有限公司")
    phone.fill("input[name=decision_no]", "甲市监罚〔2025〕99号")  # a wrong number first
    phone.fill("textarea[name=grounds]", "罚款已于2025年8月10日缴清，过期食品已全部下架销毁。")
    proof = io.BytesIO()
    Image.new("RGB", (120, 90), (200, 60, 30)).save(proof, format="JPEG")
    phone.set_input_files(
        "input[name=files]",
        files=[{"name": "缴款凭证.jpg", "mimeType": "image/jpeg", "buffer": proof.getvalue()}],
    )
    phone.fill("input[name=captcha_answer]", _solve_captcha(phone))
    click_to_open(phone, "button[type=submit]")
    assert "未找到该统一社会信用代码名下" in phone.content()
    # What was typed and the chosen file are kept.
    assert "缴款凭证.jpg" in phone.inner_text(".jd-kept-file")
    shot(phone, "apply-error", folder="credit_phone")

    phone.fill("input[name=decision_no]", county.case_no)
    phone.fill("input[name=captcha_answer]", _solve_captcha(phone))
    shot(phone, "apply-filled", folder="credit_phone")
    click_to_open(phone, "button[type=submit]")
    phone.wait_for_selector("#tracking-code")
    shot(phone, "receipt", folder="credit_phone")
    app = RepairApplication.objects.get()
    assert phone.inner_text("#tracking-code").replace("-", "").strip() == app.code
    assert [a.original_name for a in attachments_of(app)] == ["缴款凭证.jpg"]
    assert phone.inner_text("#state") == "待审核"

    # The unit's clerk reviews it at the desk.
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "scj_clerk", PASSWORD)
    page.goto(f"{live_server.url}/credit/")
    click_to_open(page, f"text={app.reference}")
    page.fill("textarea[name=approve-opinion]", "已履行处罚决定并整改到位，准予修复。")
    click_to_open(page, "button:has-text('准予修复')")
    assert page.inner_text("#app-state") == "准予修复"
    assert "测试县发展和改革局" in page.inner_text("#withdrawals")
    shot(page, "unit-approved", folder="credit_phone")
    click_to_open(page, "button:has-text('确认已撤下公示')")

    # The enterprise follows it by the code: approved, and who has not yet withdrawn.
    phone.goto(f"{live_server.url}/public/credit/track/{app.code}/")
    assert phone.inner_text("#state") == "准予修复"
    text = phone.content()
    assert "测试县发展和改革局" in text and "尚未撤下" in text and "已撤下" in text
    shot(phone, "tracking-approved", folder="credit_phone")
