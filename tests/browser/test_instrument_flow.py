"""督办函 in a real browser: the supervisor drafts and issues one to a township, the
township's clerk finds it on its start page and replies with its 纠正情况, the supervisor
accepts the reply; the items it put in the ledger are closed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.orgs.models import Role, Unit
from jiandu.supervision.models import Instrument
from tests.browser.factories import login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    justice = Unit.objects.create(code="X-SFJ", name="平川县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="X-CGZ", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    supervisor = make_user("sup", justice, Role.SUPERVISOR)
    make_user("tb", town, Role.CLERK)
    create_campaign_from_plan(
        lead_unit=justice, start=timezone.localdate() - timedelta(days=5), actor=supervisor
    )
    return town


def as_user(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, username, PASSWORD)
    return page


def test_supervisor_issues_a_duban_letter_the_unit_replies_the_supervisor_accepts(
    browser, live_server, county, shot
):
    # 1. The supervisor drafts the 督办函 and issues it.
    sup = as_user(browser, live_server, "sup")
    sup.goto(f"{live_server.url}/supervision/instruments/new/")
    sup.select_option("#id_kind", "supervision_letter")
    sup.select_option("#id_unit", label="城关镇人民政府")
    sup.fill("#id_title", "未按规定公示行政处罚决定")
    sup.select_option("#id_focus_area", index=1)
    sup.fill("#id_facts", "经抽查，城关镇2026年第三季度作出的8件行政处罚决定未在7个工作日内公示。")
    sup.fill("#id_basis", "《中华人民共和国行政处罚法》第四十八条；《行政执法监督条例》第二十七条")
    sup.fill("#id_required_action", "补充公示8件行政处罚决定\n建立行政执法公示台账")
    sup.click("button:has-text('保存草稿')")
    sup.wait_for_selector("#form-issue")
    sup.click("#form-issue button")
    sup.wait_for_selector("#instrument-problems")
    assert "待答复" in sup.locator("#instrument-state").inner_text()
    assert "个工作日" in sup.locator("#instrument-deadline").inner_text()
    shot(sup, "supervisor-issued", folder="instrument")
    obj = Instrument.objects.get()
    assert obj.problems().count() == 2

    # 2. The clerk sees it on the start page with the working days left, and replies.
    clerk = as_user(browser, live_server, "tb")
    clerk.goto(f"{live_server.url}/dashboard/todo/")
    card = clerk.locator("#unit-instruments")
    assert "未按规定公示行政处罚决定" in card.inner_text() and "个工作日" in card.inner_text()
    shot(clerk, "clerk-todo", folder="instrument")
    card.locator("a", has_text="未按规定公示行政处罚决定").click()
    clerk.wait_for_selector("#form-reply")
    clerk.fill(
        "#id_reply-text",
        "8件处罚决定已于11月28日在县政府门户网站补充公示；已建立公示台账，专人负责。",
    )
    clerk.click("#form-reply button")
    clerk.wait_for_selector("#instrument-replies .border-start")
    assert "已答复待审核" in clerk.locator("#instrument-state").inner_text()
    shot(clerk, "clerk-replied", folder="instrument")

    # 3. The supervisor accepts the reply: the instrument and its ledger items are closed.
    sup.goto(f"{live_server.url}/supervision/instruments/{obj.pk}/")
    sup.fill("#id_accept-note", "经核查，公示已补齐，予以认可。")
    sup.click("#form-accept button")
    sup.wait_for_selector("#instrument-state:has-text('已办结')")
    assert "予以认可" in sup.locator("#instrument-replies").inner_text()
    shot(sup, "supervisor-accepted", folder="instrument")
    obj.refresh_from_db()
    assert obj.state == Instrument.State.ACCEPTED
    assert set(obj.problems().values_list("state", flat=True)) == {"closed"}
