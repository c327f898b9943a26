"""公文 in a real browser: the supervisor opens a town's ledger, goes to its 公文 page and
issues a 整改通知书 (confirming), which takes 文号 1; the town's clerk finds it on the to-do
page as 待签收, opens it (the .docx downloads), and the supervisor sees it 送达."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from jiandu.documents.models import IssuedDocument
from jiandu.ledger import actions
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea, Role, Unit
from tests.browser.factories import login
from tests.documents.gongwen_checks import assert_gongwen
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town():
    justice = Unit.objects.create(code="X-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="X-CGZ", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    supervisor = make_user("sup", justice, Role.SUPERVISOR)
    make_user("tb", town, Role.CLERK)
    actions.create_problem_by_hand(
        actor=supervisor,
        unit=town,
        focus_area=FocusArea.objects.get(code="procedure"),
        description="抽查行政处罚案卷10件，其中4件现场检查笔录无当事人签字。",
        source=Problem.Source.SUPERVISION,
        deadline=timezone.localdate() + timedelta(days=15),
    )
    return town


def as_user(browser, live_server, username):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, username, PASSWORD)
    return page


def test_supervisor_issues_a_notice_and_the_unit_opening_it_is_the_delivery(
    browser, live_server, town, shot
):
    sup = as_user(browser, live_server, "sup")
    sup.goto(f"{live_server.url}/ledger/?unit={town.pk}")
    with sup.expect_navigation():
        sup.click("text=整改通知书 · 提醒函")
    with sup.expect_navigation():
        sup.click("text=印发整改通知书（未整改问题 1 个）")
    sup.wait_for_selector("text=已印发整改通知书，文号 平司整改〔")
    shot(sup, "supervisor-issued", folder="gongwen")
    doc = IssuedDocument.objects.get()
    assert sup.locator("#received").inner_text().count("未送达") == 1

    clerk = as_user(browser, live_server, "tb")
    clerk.goto(f"{live_server.url}/dashboard/todo/")
    inbox = clerk.locator("#documents")
    assert "1 件未签收" in inbox.inner_text() and doc.title in inbox.inner_text()
    shot(clerk, "clerk-todo", folder="gongwen")
    with clerk.expect_download() as download:
        clerk.click(f"#documents >> text={doc.title}")
    data = open(download.value.path(), "rb").read()
    assert_gongwen(data, title=doc.title, number=doc.number.text)
    assert "城关镇人民政府：" in [p.text for p in Document(io.BytesIO(data)).paragraphs]
    clerk.reload()
    assert "未签收" not in clerk.locator("#documents").inner_text()

    sup.reload()
    received = sup.locator("#received").inner_text()
    assert "未送达" not in received
    doc.refresh_from_db()
    assert doc.served_by.username == "tb"
    shot(sup, "supervisor-sees-delivery", folder="gongwen")
