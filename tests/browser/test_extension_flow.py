"""延期申请 in a real browser: the town's clerk asks for more time on its problem and sees
the request waiting; the supervisor finds it in the cockpit's queue, approves it, and
the new deadline and its history show on the problem page for both."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.ledger import actions
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea, Role, Unit
from tests.browser.factories import login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def problem():
    justice = Unit.objects.create(code="X-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="X-CGZ", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    supervisor = make_user("sup", justice, Role.SUPERVISOR)
    clerk = make_user("tb", town, Role.CLERK)
    create_campaign_from_plan(
        lead_unit=justice, start=timezone.localdate() - timedelta(days=5), actor=supervisor
    )
    p = actions.create_problem_by_hand(
        actor=supervisor,
        unit=town,
        focus_area=FocusArea.objects.get(code="procedure"),
        description="抽查行政处罚案卷10件，其中4件现场检查笔录无当事人签字。",
        source=Problem.Source.SUPERVISION,
    )
    actions.start_rectification(
        p, actor=clerk, measures="逐案补正笔录，组织执法人员培训", responsible_person="李建国"
    )
    return p


def as_user(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, username, PASSWORD)
    return page


def test_clerk_asks_for_an_extension_and_the_supervisor_approves(
    browser, live_server, problem, shot
):
    old = problem.deadline
    wanted = old + timedelta(days=20)

    # 1. The clerk asks; the deadline does not move yet.
    clerk = as_user(browser, live_server, "tb")
    clerk.goto(f"{live_server.url}/ledger/{problem.pk}/")
    clerk.click("#action-extension a[data-bs-toggle=collapse]")
    clerk.fill("#id_extension-new_deadline", wanted.isoformat())
    clerk.fill("#id_extension-reason", "需等待第三方检测报告，预计20天后出具")
    clerk.click("#form-extension button")
    clerk.wait_for_selector("#pending-extension")
    body = clerk.locator("#problem-body").inner_text()
    assert "延期申请已提交" in body and "监督管理员批准前，整改时限仍为" in body
    assert "待审批" in clerk.locator("#deadline-history").inner_text()
    assert clerk.locator("#action-extension").count() == 0  # one request at a time
    shot(clerk, "clerk-request-pending", folder="extension")
    problem.refresh_from_db()
    assert problem.deadline == old

    # 2. The supervisor finds it in the cockpit's queue and approves it.
    sup = as_user(browser, live_server, "sup")
    sup.goto(f"{live_server.url}/dashboard/")
    queue = sup.locator("#queue-extensions")
    assert "1" in queue.inner_text()
    queue.click()
    sup.wait_for_selector("#extension-table")
    assert f"#{problem.pk}" in sup.locator("#extension-table").inner_text()
    sup.click(f"#extension-table a[href='/ledger/{problem.pk}/'] >> nth=0")
    sup.wait_for_selector("#action-approve_extension")
    sup.fill("#id_approve_extension-note", "同意延期，请按期完成")
    sup.click("#form-approve_extension button")
    sup.wait_for_selector("text=已批准延期，整改时限已更新。")
    assert f"{wanted:%Y}" in sup.locator("#problem-deadline").inner_text()
    history = sup.locator("#deadline-history").inner_text()
    assert "原定整改时限" in history and "已批准" in history and "同意延期" in history
    shot(sup, "supervisor-approved", folder="extension")
    problem.refresh_from_db()
    assert problem.deadline == wanted and problem.original_deadline == old

    # 3. The clerk sees the approved date and who approved it.
    clerk.goto(f"{live_server.url}/ledger/{problem.pk}/")
    assert "已批准" in clerk.locator("#deadline-history").inner_text()
    assert clerk.locator("#pending-extension").count() == 0
    shot(clerk, "clerk-sees-approval", folder="extension")
