"""The supervisor reads an overdue problem's reminder history, pauses its ladder with a
reason, then opens the 提醒函 the ladder drafted and issues it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from jiandu.orgs.models import Role, Unit
from jiandu.reminders.models import ReminderDraft, ReminderPause
from jiandu.reminders.run import run
from jiandu.workdays import calendar
from tests.browser.factories import click_to_open, login
from tests.orgs.factories import PASSWORD, make_user
from tests.reminders.helpers import make_problem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_history_pause_and_issue_in_the_browser(live_server, page, shot, settings):
    settings.REMINDER_LADDER = {"problem": {"before": 2, "letter": 2, "supervision": 3}}
    justice = Unit.objects.create(code="R-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="R-CG", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    make_user("sup", justice, Role.SUPERVISOR)
    make_user("clerk", town, Role.CLERK, email="clerk@example.gov.cn")
    make_user("leader", town, Role.LEADER)
    cal = calendar()
    today = date(2026, 11, 30)  # a Monday
    deadline = cal.add_workdays(today, -2)
    problem = make_problem(town, deadline=deadline, description="执法全过程记录不完整")
    run(cal.add_workdays(deadline, -2))  # 提醒
    run(deadline)  # 到期提醒
    run(today)  # two working days overdue: the draft 提醒函
    login(page, live_server, "sup", PASSWORD)
    page.goto(f"{live_server.url}/ledger/{problem.pk}/")
    history = page.locator("#reminder-history")
    expect(history).to_contain_text("提醒记录")
    expect(history).to_contain_text("到期提醒")
    expect(history).to_contain_text("clerk")
    shot(page, "problem-history", folder="reminders")
    page.fill("#reminder-history input[name=reason]", "已协调市局，待答复")
    click_to_open(page, "#reminder-history button:has-text('暂停提醒')")
    expect(page.locator("#reminder-history")).to_contain_text("提醒已暂停")
    assert ReminderPause.objects.get().reason == "已协调市局，待答复"
    click_to_open(page, "a:has-text('提醒与督办')")
    expect(page.locator("body")).to_contain_text("待审批的提醒函")
    click_to_open(page, "a:has-text('提醒函：城关镇人民政府')")
    shot(page, "draft", folder="reminders")
    click_to_open(page, "button:has-text('审批通过')")
    page.once("dialog", lambda d: d.accept())
    click_to_open(page, "button:has-text('印发并通知单位')")
    expect(page.locator("body")).to_contain_text("已印发")
    shot(page, "issued", folder="reminders")
    assert ReminderDraft.objects.get().state == "issued"
