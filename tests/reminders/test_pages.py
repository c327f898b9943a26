"""The history on an item's page, pausing from it, the supervisor's page and a draft."""

from datetime import date

import pytest

from jiandu.audit.models import AuditEvent
from jiandu.reminders.keys import item_key
from jiandu.reminders.models import ReminderDraft, ReminderPause
from jiandu.reminders.run import run

pytestmark = pytest.mark.django_db


def test_the_problem_page_shows_who_was_reminded(problem, people, client_for):
    run(date(2026, 3, 12))
    html = client_for(people["clerk_a"]).get(f"/ledger/{problem.pk}/").content.decode()
    assert "提醒记录" in html and "leader_a" in html and "电子邮件" in html and "站内通知" in html
    assert "暂停提醒" not in html  # the unit cannot pause its own reminders


def test_the_supervisor_pauses_from_the_page_with_a_reason(problem, people, client_for):
    client = client_for(people["supervisor"])
    key = item_key(problem)
    page = f"/ledger/{problem.pk}/"
    assert "暂停提醒" in client.get(page).content.decode()
    refused = client.post(f"/reminders/item/{key}/pause/", {"reason": "", "next": page})
    assert refused.status_code == 302 and not ReminderPause.objects.exists()
    done = client.post(f"/reminders/item/{key}/pause/", {"reason": "已协调延期", "next": page})
    assert done.url == page
    assert ReminderPause.objects.get().reason == "已协调延期"
    assert AuditEvent.objects.filter(action="reminders.paused").exists()
    html = client.get(page).content.decode()
    assert "提醒已暂停" in html and "恢复提醒" in html
    client.post(f"/reminders/item/{key}/resume/", {"next": page})
    assert ReminderPause.objects.get().resumed_at is not None
    assert (
        client_for(people["clerk_a"])
        .post(f"/reminders/item/{key}/pause/", {"reason": "x"})
        .status_code
        == 403
    )
    assert (
        client.post("/reminders/item/ledger.problem:999999/pause/", {"reason": "x"}).status_code
        == 404
    )
    assert client.post("/reminders/item/orgs.user:1/pause/", {"reason": "x"}).status_code == 404


def test_the_supervisor_approves_and_issues_a_draft(problem, people, client_for):
    run(date(2026, 3, 18))
    draft = ReminderDraft.objects.get()
    client = client_for(people["supervisor"])
    assert "待审批的提醒函" in client.get("/reminders/").content.decode()
    url = f"/reminders/drafts/{draft.pk}/"
    assert "甲镇人民政府" in client.get(url).content.decode()
    client.post(url, {"action": "approve", "text": draft.text})
    client.post(url, {"action": "issue"})
    draft.refresh_from_db()
    assert draft.state == "issued"
    again = client.post(url, {"action": "discard", "reason": "x"})
    assert again.status_code == 200 and ReminderDraft.objects.get().state == "issued"
    assert client_for(people["clerk_a"]).get(url).status_code == 403
    assert client_for(people["clerk_a"]).get("/reminders/").status_code == 403


def test_the_units_page_is_its_own(problem, people, units, client_for):
    run(date(2026, 3, 12))
    own = client_for(people["clerk_a"]).get(f"/reminders/unit/{units['a'].pk}/")
    assert own.status_code == 200 and "执法全过程记录不完整" in own.content.decode()
    assert client_for(people["clerk_b"]).get(f"/reminders/unit/{units['a'].pk}/").status_code == 404
    assert (
        client_for(people["supervisor"]).get(f"/reminders/unit/{units['a'].pk}/").status_code == 200
    )
