from datetime import timedelta

import pytest
from django.urls import reverse

from jiandu.audit.models import AuditEvent
from jiandu.campaigns import actions
from jiandu.campaigns.models import Campaign


@pytest.mark.parametrize("who", ["clerk_a", "leader_b", "supervisor", "discipline", "inspector"])
def test_current_campaign_page_is_visible_to_everyone_logged_in(
    client_for, personas, campaign, who
):
    response = client_for(personas[who]).get(reverse("campaigns:detail_current"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "破执法梗阻·优法治服务" in html
    assert "问题自查" in html and "进行中" in html
    assert "测试县司法局" in html


def test_anonymous_visitor_is_sent_to_login(client_for, campaign):
    response = client_for(None).get(reverse("campaigns:detail_current"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_contacts_are_data_shown_on_the_campaign_page(client_for, personas, campaign):
    actions.add_contact(
        campaign,
        actor=personas["supervisor"],
        name="陈联络",
        phone="0577-66112233",
        duty="自查表收集",
    )
    html = client_for(personas["clerk_a"]).get(reverse("campaigns:detail_current")).content.decode()
    assert "陈联络" in html and "0577-66112233" in html


def test_supervisor_edits_phase_dates_and_overlap_is_refused(client_for, personas, campaign):
    client = client_for(personas["supervisor"])
    url = reverse("campaigns:edit", args=[campaign.pk])
    data = {
        "title": campaign.title,
        "doc_no": "平司〔2026〕9号",
        "lead_unit": campaign.lead_unit_id,
        "description": campaign.description,
        "public_notice": "",
    }
    for phase in campaign.phases.all():
        data[f"start_{phase.kind}"] = phase.start.isoformat()
        data[f"end_{phase.kind}"] = phase.end.isoformat()
    sup = campaign.phase("supervision")
    bad = dict(data, start_supervision=(sup.start - timedelta(days=10)).isoformat())
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "各阶段不能重叠" in response.content.decode()
    assert 'value="平司〔2026〕9号"' in response.content.decode()  # what was typed is kept
    campaign.refresh_from_db()
    assert campaign.doc_no != "平司〔2026〕9号"

    response = client.post(url, data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.doc_no == "平司〔2026〕9号"
    assert AuditEvent.objects.filter(action="campaigns.campaign.updated").exists()


def test_unit_users_cannot_edit_the_campaign(client_for, personas, campaign):
    response = client_for(personas["leader_a"]).get(reverse("campaigns:edit", args=[campaign.pk]))
    assert response.status_code == 403


def test_supervisor_adds_and_removes_a_contact(client_for, personas, campaign):
    client = client_for(personas["supervisor"])
    response = client.post(
        reverse("campaigns:contact_add", args=[campaign.pk]),
        {"name": "林联络", "phone": "0577-66778899", "duty": "监督与应诉科"},
    )
    assert response.status_code == 302
    contact = campaign.contacts.get()
    response = client.post(reverse("campaigns:contact_remove", args=[campaign.pk, contact.pk]))
    assert response.status_code == 302 and not campaign.contacts.exists()


def test_a_contact_without_a_phone_is_refused_on_the_edit_page(client_for, personas, campaign):
    response = client_for(personas["supervisor"]).post(
        reverse("campaigns:contact_add", args=[campaign.pk]), {"name": "林联络", "phone": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="林联络"' in page  # what was typed is kept
    assert f'value="{campaign.title}"' in page  # the campaign form is filled as on a GET
    assert response.context["phase_form"]["start_self_check"].value() == (
        campaign.phase("self_check").start
    )
    assert not campaign.contacts.exists()


def test_template_is_editable_before_the_self_check_phase(client_for, personas, future_campaign):
    client = client_for(personas["supervisor"])
    tpl = future_campaign.template
    n = tpl.items.count()
    area = tpl.items.first().focus_area
    response = client.post(
        reverse("campaigns:item_add", args=[future_campaign.pk]),
        {
            "focus_area": area.pk,
            "text": "新增事项",
            "guidance": "要点",
            "rules": "disc-01，PROC-04",
        },
    )
    assert response.status_code == 302
    item = tpl.items.get(text="新增事项")
    assert item.order == n + 1 and item.rules == "DISC-01,PROC-04"

    client.post(
        reverse("campaigns:item_move", args=[future_campaign.pk, item.pk]), {"direction": "up"}
    )
    item.refresh_from_db()
    assert item.order == n

    first = tpl.items.get(order=1)
    client.post(reverse("campaigns:item_delete", args=[future_campaign.pk, first.pk]))
    assert tpl.items.count() == n
    assert list(tpl.items.values_list("order", flat=True)) == list(range(1, n + 1))


def test_bad_rule_id_is_refused_next_to_the_field(client_for, personas, future_campaign):
    area = future_campaign.template.items.first().focus_area
    response = client_for(personas["supervisor"]).post(
        reverse("campaigns:item_add", args=[future_campaign.pk]),
        {"focus_area": area.pk, "text": "新增事项", "rules": "DISC1"},
    )
    assert response.status_code == 400
    assert "规则编号格式不正确：DISC1" in response.content.decode()


def test_template_is_locked_once_the_self_check_phase_started(client_for, personas, campaign):
    client = client_for(personas["supervisor"])
    tpl = campaign.template
    item = tpl.items.first()
    response = client.get(reverse("campaigns:template", args=[campaign.pk]))
    html = response.content.decode()
    assert "自查表已锁定" in html
    assert reverse("campaigns:item_delete", args=[campaign.pk, item.pk]) not in html

    response = client.post(
        reverse("campaigns:item_delete", args=[campaign.pk, item.pk]), follow=True
    )
    assert "自查表已锁定，不能再修改自查事项" in response.content.decode()
    assert tpl.items.filter(pk=item.pk).exists()
    response = client.post(
        reverse("campaigns:item_add", args=[campaign.pk]),
        {"focus_area": item.focus_area_id, "text": "迟到的事项"},
        follow=True,
    )
    assert not tpl.items.filter(text="迟到的事项").exists()


def test_unit_users_read_the_template_but_cannot_change_it(client_for, personas, future_campaign):
    client = client_for(personas["clerk_a"])
    response = client.get(reverse("campaigns:template", args=[future_campaign.pk]))
    assert response.status_code == 200 and "只读" in response.content.decode()
    item = future_campaign.template.items.first()
    response = client.post(reverse("campaigns:item_delete", args=[future_campaign.pk, item.pk]))
    assert response.status_code == 403


def test_supervisor_creates_the_plans_campaign_from_the_empty_page(client_for, personas, units):
    client = client_for(personas["supervisor"])
    assert "创建专项行动" in client.get(reverse("campaigns:detail_current")).content.decode()
    response = client.post(
        reverse("campaigns:create"), {"lead_unit": units["justice"].pk, "start": "2026-12-01"}
    )
    assert response.status_code == 302
    response = client_for(personas["clerk_a"]).post(
        reverse("campaigns:create"), {"lead_unit": units["justice"].pk, "start": "2026-12-01"}
    )
    assert response.status_code == 403


def test_a_new_years_campaign_starts_from_last_years_template(client_for, personas, campaign):
    """The office edited last year's template (an item removed, one reworded, a phase
    lengthened); the new campaign starts from that, and last year's stays as it was."""
    items = list(campaign.template.items.order_by("order"))
    items[0].delete()
    items[1].text = "去年改写过的自查事项"
    items[1].save()
    check = campaign.phase("self_check")
    check.end += timedelta(days=7)
    check.save()
    before = campaign.template.items.count()
    page = client_for(personas["supervisor"]).get(reverse("campaigns:create")).content.decode()
    assert f'<option value="{campaign.pk}" selected>' in page  # the latest one by default

    start = check.start.replace(year=check.start.year + 1)
    response = client_for(personas["supervisor"]).post(
        reverse("campaigns:create"),
        {
            "lead_unit": campaign.lead_unit_id,
            "start": start.isoformat(),
            "from_campaign": campaign.pk,
        },
    )
    assert response.status_code == 302
    new = Campaign.objects.exclude(pk=campaign.pk).get()
    texts = list(new.template.items.order_by("order").values_list("text", flat=True))
    assert len(texts) == before and "去年改写过的自查事项" in texts
    assert new.phase("self_check").start == start
    assert (new.phase("self_check").end - start) == (check.end - check.start)
    assert campaign.template.items.count() == before  # last year's untouched
    event = AuditEvent.objects.filter(action="campaigns.campaign.created").latest("id")
    assert event.data["from_campaign"] == campaign.pk


def test_create_page_opens_with_get_for_supervisors_only(client_for, personas, campaign):
    response = client_for(personas["supervisor"]).get(reverse("campaigns:create"))
    assert response.status_code == 200 and "新建专项行动" in response.content.decode()
    assert client_for(personas["clerk_a"]).get(reverse("campaigns:create")).status_code == 403


def test_item_edit_page_of_a_locked_template_redirects_with_the_reason(
    client_for, personas, campaign
):
    item = campaign.template.items.first()
    response = client_for(personas["supervisor"]).post(
        reverse("campaigns:item_edit", args=[campaign.pk, item.pk]),
        {"focus_area": item.focus_area_id, "text": "改过的"},
        follow=True,
    )
    assert "自查表已锁定" in response.content.decode()
    item.refresh_from_db()
    assert item.text != "改过的"


def test_supervisor_edits_an_item_before_the_phase(client_for, personas, future_campaign):
    item = future_campaign.template.items.first()
    response = client_for(personas["supervisor"]).post(
        reverse("campaigns:item_edit", args=[future_campaign.pk, item.pk]),
        {"focus_area": item.focus_area_id, "text": "改过的", "guidance": "", "rules": "DISC-05"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text == "改过的"
    assert AuditEvent.objects.filter(action="campaigns.item.updated").exists()
