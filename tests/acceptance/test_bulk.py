"""批量验收通过 (issue #10 §4): the supervisor ticks several units on the acceptance page
and passes them with one opinion. Each unit is still its own transition — own audit row,
own notice — and a unit that cannot pass is named in Chinese while the others pass."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jiandu.acceptance import actions
from jiandu.acceptance.models import UnitAcceptance
from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Problem
from jiandu.orgs.models import Notification, Unit
from tests.acceptance.factories import problem

A = UnitAcceptance.State


def _passed_events():
    return AuditEvent.objects.filter(action="campaigns.acceptance.passed")


def test_each_ticked_unit_passes_on_its_own_and_the_refused_one_is_named(
    campaign, units, personas, django_capture_on_commit_callbacks
):
    problem(campaign, units["a"])  # open, and a bulk pass carries no reason
    problem(campaign, units["b"], state=Problem.State.CLOSED)
    c = Unit.objects.create(code="T-C", name="乙乡人民政府", kind=Unit.Kind.TOWNSHIP)
    with django_capture_on_commit_callbacks(execute=True):
        passed, refused = actions.pass_acceptances(
            campaign, [units["a"], units["b"], c], actor=personas["supervisor"], opinion="整改到位"
        )
    assert [a.unit for a in passed] == [units["b"], c]
    assert refused == ["甲镇人民政府尚有 1 个问题未销号，不能验收通过；确需通过的，请填写理由。"]
    states = dict(UnitAcceptance.objects.values_list("unit_id", "state"))
    assert states == {units["b"].pk: A.PASSED, c.pk: A.PASSED}
    # One audit row per unit that passed, on that unit's acceptance, with the one opinion.
    events = _passed_events()
    assert sorted(e.object_id for e in events) == sorted(str(a.pk) for a in passed)
    assert {e.data["opinion"] for e in events} == {"整改到位"}
    # Each unit's own users hear of it (after the commit); unit A's hear nothing.
    notes = Notification.objects.filter(title__startswith="整改验收通过")
    assert set(notes.values_list("user__unit_id", flat=True)) == {units["b"].pk}
    assert not Notification.objects.filter(user__unit=units["a"]).exists()


def test_an_already_passed_unit_is_named_and_keeps_its_first_opinion(campaign, units, personas):
    supervisor = personas["supervisor"]
    actions.pass_acceptance(campaign, units["b"], actor=supervisor, opinion="第一次验收")
    passed, refused = actions.pass_acceptances(
        campaign, [units["b"]], actor=supervisor, opinion="再次批量"
    )
    assert passed == [] and refused == ["测试县市场监督管理局已验收通过，不能再次验收。"]
    assert UnitAcceptance.objects.get(unit=units["b"]).opinion == "第一次验收"
    assert _passed_events().count() == 1


def test_bulk_needs_an_opinion_and_a_unit(campaign, units, personas):
    with pytest.raises(ValidationError) as exc:
        actions.pass_acceptances(campaign, [], actor=personas["supervisor"], opinion=" ")
    assert exc.value.message_dict == {
        "opinion": ["请填写验收意见。"],
        "units": ["请勾选要验收通过的单位。"],
    }
    for who in ("clerk_b", "leader_b", "discipline"):
        with pytest.raises(PermissionDenied):
            actions.pass_acceptances(campaign, [units["b"]], actor=personas[who], opinion="通过")
    assert not UnitAcceptance.objects.exists()


def test_bulk_through_the_page(client_for, campaign, units, personas):
    problem(campaign, units["a"])
    client = client_for(personas["supervisor"])
    page = client.get(reverse("campaigns:acceptance", args=[campaign.pk])).content.decode()
    bulk_url = reverse("campaigns:acceptance_bulk", args=[campaign.pk])
    assert f'action="{bulk_url}"' in page
    assert page.count('form="bulk-acceptance"') == 2  # one box per unit that may pass
    response = client.post(
        bulk_url, {"units": [units["a"].pk, units["b"].pk], "opinion": "整改基本到位"}
    )
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert shown == [
        "1 个单位整改验收通过：测试县市场监督管理局。",
        "1 个单位未能验收通过，请逐个处理："
        "甲镇人民政府尚有 1 个问题未销号，不能验收通过；确需通过的，请填写理由。",
    ]
    assert UnitAcceptance.objects.get(unit=units["b"]).state == A.PASSED
    assert not UnitAcceptance.objects.filter(unit=units["a"], state=A.PASSED).exists()
    # The passed unit is no longer offered for the next batch.
    page = client.get(reverse("campaigns:acceptance", args=[campaign.pk])).content.decode()
    assert page.count('form="bulk-acceptance"') == 1


def test_bulk_page_keeps_what_was_typed_when_refused(client_for, campaign, units, personas):
    url = reverse("campaigns:acceptance_bulk", args=[campaign.pk])
    client = client_for(personas["supervisor"])
    response = client.post(url, {"units": [units["b"].pk], "opinion": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写验收意见。" in html
    assert f'value="{units["b"].pk}" form="bulk-acceptance" id="bulk-unit-{units["b"].pk}"' in html
    assert "checked" in html.split(f'id="bulk-unit-{units["b"].pk}"')[1].split(">")[0]
    response = client.post(url, {"opinion": "整改到位"})
    assert response.status_code == 400 and "请勾选要验收通过的单位。" in response.content.decode()
    assert not UnitAcceptance.objects.exists()


def test_bulk_refused_for_other_roles_and_outside_the_units(client_for, campaign, units, personas):
    url = reverse("campaigns:acceptance_bulk", args=[campaign.pk])
    data = {"units": [units["b"].pk], "opinion": "通过"}
    for who in ("clerk_a", "leader_b", "discipline"):
        assert client_for(personas[who]).post(url, data).status_code == 403, who
    assert client_for(None).post(url, data).status_code == 302
    # The justice bureau itself is not a unit under acceptance.
    response = client_for(personas["supervisor"]).post(
        url, {"units": [units["justice"].pk], "opinion": "通过"}
    )
    assert response.status_code == 400
    assert "所勾选的单位不在验收范围内。" in response.content.decode()
    assert not UnitAcceptance.objects.exists()


def test_units_see_no_boxes(client_for, campaign, personas):
    for who in ("clerk_a", "discipline"):
        html = (
            client_for(personas[who])
            .get(reverse("campaigns:acceptance", args=[campaign.pk]))
            .content.decode()
        )
        assert "bulk-acceptance" not in html, who
