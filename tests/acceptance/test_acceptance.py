"""总结验收: per-unit acceptance of the rectification, refused while problems are open
unless the supervisor writes down why."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jiandu.acceptance import actions
from jiandu.acceptance.models import UnitAcceptance
from jiandu.audit.models import AuditEvent
from jiandu.ledger.models import Problem
from tests.acceptance.factories import problem

A = UnitAcceptance.State


def test_pass_is_refused_while_the_unit_has_open_problems(campaign, units, personas):
    problem(campaign, units["a"])
    with pytest.raises(ValidationError) as exc:
        actions.pass_acceptance(
            campaign, units["a"], actor=personas["supervisor"], opinion="整改到位"
        )
    message = exc.value.message_dict["open_reason"][0]
    assert "尚有 1 个问题未销号" in message
    assert not UnitAcceptance.objects.filter(state=A.PASSED).exists()


def test_pass_with_open_problems_needs_an_explicit_reason(campaign, units, personas):
    problem(campaign, units["a"])
    acceptance = actions.pass_acceptance(
        campaign,
        units["a"],
        actor=personas["supervisor"],
        opinion="主要问题已整改",
        open_reason="剩余问题涉及法规修订，已列入长效机制",
    )
    assert acceptance.state == A.PASSED
    assert acceptance.open_problems == 1 and acceptance.checked_by == personas["supervisor"]
    event = AuditEvent.objects.get(action="campaigns.acceptance.passed")
    assert event.data["open_reason"].startswith("剩余问题")


def test_pass_when_everything_is_closed(campaign, units, personas, today):
    problem(campaign, units["a"], state=Problem.State.CLOSED)
    acceptance = actions.pass_acceptance(
        campaign, units["a"], actor=personas["supervisor"], opinion="全部销号"
    )
    assert (acceptance.state, acceptance.open_problems, acceptance.checked_on) == (
        A.PASSED,
        0,
        today,
    )
    with pytest.raises(ValidationError):
        actions.fail_acceptance(campaign, units["a"], actor=personas["supervisor"], opinion="x")


def test_fail_needs_an_opinion_and_can_be_rechecked(campaign, units, personas):
    with pytest.raises(ValidationError):
        actions.fail_acceptance(campaign, units["a"], actor=personas["supervisor"], opinion="")
    actions.fail_acceptance(
        campaign, units["a"], actor=personas["supervisor"], opinion="台账不完整"
    )
    assert UnitAcceptance.objects.get(unit=units["a"]).state == A.FAILED
    actions.pass_acceptance(campaign, units["a"], actor=personas["supervisor"], opinion="已补齐")
    assert UnitAcceptance.objects.get(unit=units["a"]).state == A.PASSED


def test_fail_records_the_opinion_and_the_open_problems(campaign, units, personas, today):
    problem(campaign, units["a"])
    problem(campaign, units["a"], state=Problem.State.CLOSED)
    acceptance = actions.fail_acceptance(
        campaign, units["a"], actor=personas["supervisor"], opinion=" 仍有问题未整改 "
    )
    acceptance.refresh_from_db()
    assert (
        acceptance.state,
        acceptance.opinion,
        acceptance.open_reason,
        acceptance.open_problems,
        acceptance.checked_by,
        acceptance.checked_on,
    ) == (A.FAILED, "仍有问题未整改", "", 1, personas["supervisor"], today)
    event = AuditEvent.objects.get(action="campaigns.acceptance.failed")
    assert event.data == {"opinion": "仍有问题未整改", "open_problems": 1}


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "clerk_b", "discipline", "inspector"])
def test_only_the_supervisor_decides(campaign, units, personas, who):
    with pytest.raises(PermissionDenied):
        actions.pass_acceptance(campaign, units["a"], actor=personas[who], opinion="通过")
    with pytest.raises(PermissionDenied):
        actions.fail_acceptance(campaign, units["a"], actor=personas[who], opinion="不通过")


def test_non_enforcement_units_are_not_accepted(campaign, units, personas):
    with pytest.raises(ValidationError):
        actions.pass_acceptance(
            campaign, units["justice"], actor=personas["supervisor"], opinion="通过"
        )


def test_page_lists_units_with_counts_closed_share_and_overdue(
    client_for, campaign, units, personas, today
):
    problem(campaign, units["a"], state=Problem.State.CLOSED)
    problem(campaign, units["a"], deadline=today - timedelta(days=2))
    problem(campaign, units["a"], deadline=today + timedelta(days=2))
    problem(campaign, units["a"], state=Problem.State.CLOSED)
    problem(campaign, units["b"], state=Problem.State.CLOSED)
    counts = actions.unit_problem_counts(campaign)
    assert counts[units["a"].pk] == {
        "total": 4,
        "pending": 2,
        "in_progress": 0,
        "awaiting_acceptance": 0,
        "closed": 2,
        "overdue": 1,
        "open": 2,
        "rate": 50.0,
    }
    html = (
        client_for(personas["supervisor"])
        .get(reverse("campaigns:acceptance", args=[campaign.pk]))
        .content.decode()
    )
    assert "甲镇人民政府" in html and "测试县市场监督管理局" in html
    assert "50%" in html and "100%" in html
    # "验收通过" alone is also a state badge's label; the button is what the supervisor needs.
    assert 'btn-success">验收通过</button>' in html
    assert f"&unit={units['a'].pk}&overdue=1" in html


def test_unfiled_problems_of_the_campaign_count_and_a_clean_unit_is_not_100(
    client_for, campaign, units, personas
):
    # A confirmed alert is filed under no campaign; registered while the campaign runs,
    # it is the campaign's problem (Problem.objects.of_campaign) on this page too.
    problem(None, units["a"])
    with pytest.raises(ValidationError) as exc:
        actions.pass_acceptance(
            campaign, units["a"], actor=personas["supervisor"], opinion="整改到位"
        )
    assert "尚有 1 个问题未销号" in exc.value.message_dict["open_reason"][0]
    page = client_for(personas["supervisor"]).get(
        reverse("campaigns:acceptance", args=[campaign.pk])
    )
    rows = {r["unit"].pk: r["counts"] for r in page.context["rows"]}
    assert (rows[units["a"].pk]["total"], rows[units["a"].pk]["rate"]) == (1, 0.0)
    assert (rows[units["b"].pk]["total"], rows[units["b"].pk]["rate"]) == (0, None)
    html = page.content.decode()
    row_b = html[html.index(f'id="unit-{units["b"].pk}"') :].split("</tr>")[0]
    assert "100%" not in row_b and "bg-success" not in row_b and "—" in row_b
    row_a = html[html.index(f'id="unit-{units["a"].pk}"') :].split("</tr>")[0]
    assert ">0%<" in row_a


def test_pass_through_the_page_shows_the_refusal_next_to_the_reason(
    client_for, campaign, units, personas
):
    problem(campaign, units["a"])
    client = client_for(personas["supervisor"])
    url = reverse("campaigns:acceptance_pass", args=[campaign.pk, units["a"].pk])
    response = client.post(url, {"opinion": "整改基本到位"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "尚有 1 个问题未销号，不能验收通过" in html and "整改基本到位" in html
    response = client.post(url, {"opinion": "整改基本到位", "open_reason": "剩余问题已明确时限"})
    assert response.status_code == 302
    assert UnitAcceptance.objects.get(unit=units["a"]).state == A.PASSED


def test_fail_through_the_page(client_for, campaign, units, personas):
    url = reverse("campaigns:acceptance_fail", args=[campaign.pk, units["b"].pk])
    response = client_for(personas["supervisor"]).post(url, {"opinion": "需继续整改"})
    assert response.status_code == 302
    assert UnitAcceptance.objects.get(unit=units["b"]).state == A.FAILED


def test_each_button_posts_to_its_own_transition(client_for, campaign, units, personas):
    html = (
        client_for(personas["supervisor"])
        .get(reverse("campaigns:acceptance", args=[campaign.pk]))
        .content.decode()
    )
    pass_url = reverse("campaigns:acceptance_pass", args=[campaign.pk, units["b"].pk])
    fail_url = reverse("campaigns:acceptance_fail", args=[campaign.pk, units["b"].pk])
    assert f'action="{pass_url}"' in html and f'formaction="{fail_url}"' in html
    assert 'name="op"' not in html


def test_a_get_on_a_decision_records_nothing(client_for, campaign, units, personas):
    url = reverse("campaigns:acceptance_fail", args=[campaign.pk, units["b"].pk])
    assert client_for(personas["supervisor"]).get(url).status_code == 405
    assert not UnitAcceptance.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="campaigns.acceptance").exists()


def test_unit_sees_only_its_own_row_without_actions(client_for, campaign, units, personas):
    html = (
        client_for(personas["clerk_a"])
        .get(reverse("campaigns:acceptance", args=[campaign.pk]))
        .content.decode()
    )
    assert "甲镇人民政府" in html and "测试县市场监督管理局" not in html
    assert 'name="opinion"' not in html


def test_discipline_reads_all_rows_without_actions(client_for, campaign, personas):
    html = (
        client_for(personas["discipline"])
        .get(reverse("campaigns:acceptance", args=[campaign.pk]))
        .content.decode()
    )
    assert "测试县市场监督管理局" in html and 'name="opinion"' not in html


def test_decide_refused_for_other_roles(client_for, campaign, units, personas):
    url = reverse("campaigns:acceptance_pass", args=[campaign.pk, units["a"].pk])
    data = {"opinion": "通过"}
    assert client_for(personas["clerk_b"]).post(url, data).status_code == 404
    assert client_for(personas["clerk_a"]).post(url, data).status_code == 403
    assert client_for(personas["discipline"]).post(url, data).status_code == 403
    assert client_for(None).post(url, data).status_code == 302
    assert not UnitAcceptance.objects.exists()


@pytest.mark.parametrize("who", ["clerk_a", "supervisor", "discipline"])
def test_campaign_page_links_every_phase(client_for, campaign, personas, who):
    html = client_for(personas[who]).get(reverse("campaigns:detail", args=[campaign.pk]))
    html = html.content.decode()
    for url in (
        f"{reverse('campaigns:reports')}?campaign={campaign.pk}",
        reverse("campaigns:visits", args=[campaign.pk]),
        f"/ledger/?campaign={campaign.pk}",
        reverse("campaigns:acceptance", args=[campaign.pk]),
        reverse("campaigns:showcases", args=[campaign.pk]),
    ):
        assert f'href="{url}"' in html, url
    assert (f"/files/summary/{campaign.pk}/" in html) == (who != "clerk_a")


def test_acceptance_page_query_count_does_not_grow_with_units(
    client_for, campaign, personas, django_assert_max_num_queries
):
    from jiandu.orgs.models import Unit

    for n in range(8):
        unit = Unit.objects.create(code=f"T-X{n}", name=f"测试乡{n}", kind=Unit.Kind.TOWNSHIP)
        problem(campaign, unit)
    client = client_for(personas["supervisor"])
    with django_assert_max_num_queries(18):
        assert client.get(reverse("campaigns:acceptance", args=[campaign.pk])).status_code == 200
