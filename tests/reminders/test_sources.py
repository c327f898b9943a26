"""The watched deadlines besides problems: self-check reports (and 催报's history),
complaints (INTG-02: the bureau's steps and the unit's reply), leads."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jiandu.campaigns.default_template import create_campaign_from_plan
from jiandu.ledger.models import Lead
from jiandu.portal.models import Complaint
from jiandu.reminders.keys import item_key, selfcheck_key
from jiandu.reminders.models import ReminderLog
from jiandu.reminders.run import run
from jiandu.selfcheck import actions as selfcheck
from jiandu.transfers import actions as transfers
from jiandu.transfers.models import CaseTransfer
from jiandu.workdays import calendar

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(day):
    return datetime.combine(day, time(10), tzinfo=TZ)


def recipients(day, **filters):
    return set(
        ReminderLog.objects.filter(day=day, channel="inapp", **filters).values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def campaign(units, people, ladder_settings):
    from datetime import date

    return create_campaign_from_plan(
        lead_unit=units["justice"], start=date(2026, 3, 2), actor=people["supervisor"]
    )


def test_unsubmitted_self_check_reports(campaign, units, people):
    deadline = campaign.self_check_deadline
    day = calendar().add_workdays(deadline, -2)
    selfcheck.open_report(campaign, units["b"], actor=people["clerk_b"])
    run(day)
    assert recipients(day) == {"leader_a", "clerk_a", "leader_b", "clerk_b"}
    row = ReminderLog.objects.get(recipient=people["clerk_a"], channel="inapp")
    assert row.item_key == selfcheck_key(campaign.pk, units["a"].pk)
    assert "自查表" in row.text and "填报截止" in row.text


def test_urging_writes_the_history_shown_on_the_report_page(
    campaign, units, people, client_for, django_capture_on_commit_callbacks
):
    report = selfcheck.open_report(campaign, units["a"], actor=people["clerk_a"])
    with django_capture_on_commit_callbacks(execute=True):
        assert selfcheck.remind_units(campaign, [units["a"]], actor=people["supervisor"]) == 1
    rows = ReminderLog.objects.filter(step="urge")
    assert {r.recipient.username for r in rows} == {"clerk_a", "leader_a"}
    assert {r.sent_by for r in rows} == {people["supervisor"]}
    assert {r.item_key for r in rows} == {item_key(report)}
    page = client_for(people["clerk_a"]).get(f"/campaigns/reports/{report.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "提醒记录" in html and "催报" in html
    unit_page = client_for(people["leader_a"]).get(f"/reminders/unit/{units['a'].pk}/")
    assert "催报" in unit_page.content.decode()


def test_a_complaint_waits_for_the_bureau_then_for_the_unit(units, people, ladder_settings):
    from datetime import date

    c = Complaint.objects.create(
        tracking_code="TST0001",
        category="delay",
        description="办事拖延",
        received_at=at(date(2026, 3, 2)),
    )
    # Accept within 7 working days (11 March): 提醒 two working days before, to the
    # supervisors (no handler yet), never to a unit.
    run(date(2026, 3, 9))
    assert recipients(date(2026, 3, 9)) == {"supervisor"}
    assert ReminderLog.objects.get(channel="inapp").unit is None
    c.state, c.unit, c.handled_by = Complaint.State.ASSIGNED, units["a"], people["supervisor"]
    c.accepted_at = timezone.now()
    c.save()
    # The unit's reply: due two working days before the close (23 March), i.e. 19 March.
    run(date(2026, 3, 17))
    assert recipients(date(2026, 3, 17)) == {"leader_a", "clerk_a"}
    text = ReminderLog.objects.filter(day=date(2026, 3, 17)).first().text
    assert "TST0001" not in text and c.reference in text and "答复期限" in text


def test_a_lead_reminds_the_discipline_commission_only(units, people, ladder_settings, robot):
    from datetime import date

    receiver = robot()
    units["a"].webhook_url = receiver.url
    units["a"].save()
    Lead.objects.create(
        unit=units["a"],
        title="执法人员违规线索",
        description="…",
        source="other",
        created_at=at(date(2026, 3, 2)),
    )
    # 15 working days after 2 March is 23 March; 提醒 on the 19th.
    run(date(2026, 3, 19))
    assert recipients(date(2026, 3, 19)) == {"discipline"}
    assert receiver.calls == []
    # No letter steps for leads: nothing more after the deadline.
    run(date(2026, 3, 23))
    assert recipients(date(2026, 3, 23)) == {"discipline"}
    run(date(2026, 4, 10))
    assert not ReminderLog.objects.filter(day=date(2026, 4, 10)).exists()


def test_an_instruments_reply_is_watched(units, people, ladder_settings):
    from datetime import date

    from jiandu.orgs.models import FocusArea
    from jiandu.supervision import actions as supervision

    ins = supervision.draft_instrument(
        actor=people["supervisor"],
        kind="supervision_letter",
        unit=units["a"],
        title="未按规定公示行政执法信息",
        facts="经查，处罚决定未按时公示。",
        basis="《中华人民共和国行政处罚法》第四十八条",
        required_action="补充公示",
        focus_area=FocusArea.objects.get(code="procedure"),
    )
    supervision.issue_instrument(ins, actor=people["supervisor"], today=date(2026, 3, 2))
    ins.refresh_from_db()
    day = calendar().add_workdays(ins.deadline, -2)
    run(day)
    rows = ReminderLog.objects.filter(item_key=item_key(ins), channel="inapp")
    assert {r.recipient.username for r in rows} == {"leader_a", "clerk_a"}
    assert "答复期限" in rows[0].text and ins.ref in rows[0].text
    # Once replied, the unit owes nothing: no 到期提醒.
    ins.state = ins.State.REPLIED
    ins.save(update_fields=["state"])
    run(ins.deadline)
    assert not ReminderLog.objects.filter(item_key=item_key(ins), step="due").exists()


def test_transfer_steps_remind_the_unit_whose_turn_it_is(units, people, ladder_settings):
    """A transfer sent to B waits for B's answer: B's leader and clerks are reminded on
    the day it is due, and A (the sender) is not; once B accepts, nothing is due."""
    ladder_settings.REMINDER_LADDER = {"transfer": {"before": 1, "letter": 2, "supervision": 3}}
    sent = transfers.send_transfer(
        actor=people["clerk_a"],
        kind=CaseTransfer.Kind.CASE,
        to_unit=units["b"],
        party_name="某某食品有限公司",
        facts="在巡查中发现无证经营食品。",
        basis="《中华人民共和国食品安全法》第三十五条",
    )
    (step,) = list(transfers.due_items())
    run(step.deadline)
    assert recipients(step.deadline, item_key=item_key(sent)) == {"leader_b", "clerk_b"}
    log = ReminderLog.objects.filter(item_key=item_key(sent)).first()
    assert "案件移送" in log.text and "接收、拒收或退回" in log.text
    transfers.accept_transfer(sent, actor=people["clerk_b"])
    later = calendar().add_workdays(step.deadline, 1)
    run(later)
    assert not ReminderLog.objects.filter(day=later, item_key=item_key(sent)).exists()
