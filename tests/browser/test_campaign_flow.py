"""The foundation's whole path in a real browser: a clerk fills and submits the
self-check, the leader signs it off, the supervisor accepts it, finds its problem in
the ledger, and the problem goes through rectification to 已销号."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.ledger.models import Problem
from jiandu.orgs.models import Role, Unit
from jiandu.selfcheck.models import SelfCheckReport
from tests.browser.factories import click_to_open, login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    justice = Unit.objects.create(code="E-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="E-CGZ", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    supervisor = make_user("sup", justice, Role.SUPERVISOR)
    make_user("tb", town, Role.CLERK)
    make_user("fz", town, Role.LEADER)
    campaign = create_campaign_from_plan(
        lead_unit=justice, start=timezone.localdate() - timedelta(days=5), actor=supervisor
    )
    return {"town": town, "campaign": campaign}


def as_user(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() before irreversible steps
    login(page, live_server, username, PASSWORD)
    return page


def test_self_check_to_closed_problem(browser, live_server, county, shot):
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()

    # 1. The clerk fills the self-check: one problem, every other item 无此问题.
    clerk = as_user(browser, live_server, "tb")
    clerk.goto(f"{live_server.url}/campaigns/reports/")
    click_to_open(clerk, clerk.get_by_role("button", name="开始填报"))
    assert "自查" in clerk.locator("main").inner_text()
    answers = clerk.locator(".jd-answer")
    count = answers.count()
    assert count >= 30
    first = answers.nth(0)
    first.locator("input[type=radio][value=yes]").check()
    first.locator("textarea[name$=-description]").fill("行政处罚裁量基准未按新修订法规及时更新")
    first.locator("textarea[name$=-cause]").fill("法规修订后未组织基准清理")
    first.locator("textarea[name$=-measures]").fill("对照新法规逐项修订裁量基准并公开")
    first.locator("input[name$=-deadline]").fill(deadline)
    first.locator("input[name$=-responsible_person]").fill("李建国")
    for i in range(1, count):
        answers.nth(i).locator("input[type=radio][value=no]").check()
    shot(clerk, "clerk-fills-self-check")
    click_to_open(clerk, "button[formaction$='/signoff/']")
    report = SelfCheckReport.objects.get(unit=county["town"])
    assert report.state == SelfCheckReport.State.PENDING_SIGNOFF
    assert "已提请签发" in clerk.locator("main").inner_text()
    shot(clerk, "clerk-requests-signoff")

    # 2. The leader signs it off and submits it to the justice bureau.
    leader = as_user(browser, live_server, "fz")
    leader.goto(f"{live_server.url}/campaigns/reports/{report.pk}/")
    click_to_open(leader, "button[formaction$='/submit/']")
    report.refresh_from_db()
    assert report.state == SelfCheckReport.State.SUBMITTED
    shot(leader, "leader-submits")

    # 3. The supervisor accepts it; its 存在问题 answer becomes a Problem in the ledger.
    supervisor = as_user(browser, live_server, "sup")
    supervisor.goto(f"{live_server.url}/campaigns/reports/")
    assert "城关镇人民政府" in supervisor.locator("main").inner_text()
    supervisor.goto(f"{live_server.url}/campaigns/reports/{report.pk}/")
    click_to_open(supervisor, "form[action$='/accept/'] button")
    report.refresh_from_db()
    assert report.state == SelfCheckReport.State.ACCEPTED
    shot(supervisor, "supervisor-accepts")
    supervisor.goto(f"{live_server.url}/ledger/?unit={county['town'].pk}")
    assert "行政处罚裁量基准未按新修订法规及时更新" in supervisor.locator("main").inner_text()
    shot(supervisor, "ledger-shows-the-problem")
    problem = Problem.objects.get(unit=county["town"])
    assert problem.source == Problem.Source.SELF_CHECK and problem.state == Problem.State.PENDING

    # 4. The clerk rectifies: starts, reports progress, asks for acceptance.
    clerk.goto(f"{live_server.url}/ledger/{problem.pk}/")
    clerk.locator("#form-start button").click()
    clerk.wait_for_load_state("networkidle")
    # (wait_for_selector, not wait_for_function: the page's CSP forbids evaluating strings)
    clerk.wait_for_selector("#form-progress", state="attached")
    problem.refresh_from_db()
    assert problem.state == Problem.State.IN_PROGRESS
    clerk.fill(
        "#form-progress textarea[name=progress-text]", "已完成 12 项裁量基准修订，报县司法局备案"
    )
    clerk.locator("#form-progress button").click()
    clerk.wait_for_selector("text=已完成 12 项裁量基准修订")
    clerk.fill("#form-submit textarea[name=submit-note]", "修订完成并已公开")
    clerk.locator("#form-submit button").click()
    clerk.wait_for_selector("#form-submit", state="detached")
    problem.refresh_from_db()
    assert problem.state == Problem.State.AWAITING_ACCEPTANCE
    shot(clerk, "clerk-submits-for-acceptance")

    # 5. The supervisor accepts: 已销号.
    supervisor.goto(f"{live_server.url}/ledger/{problem.pk}/")
    supervisor.locator("#form-accept button").click()
    supervisor.wait_for_selector("text=已销号")
    problem.refresh_from_db()
    assert problem.state == Problem.State.CLOSED and problem.closed_at is not None
    shot(supervisor, "problem-closed")
