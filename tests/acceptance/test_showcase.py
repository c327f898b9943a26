"""最佳案例 / 最佳实践: units propose their own, supervisors nominate, select and publish;
published ones are for every logged-in user."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jiandu.acceptance import actions
from jiandu.acceptance.models import Showcase
from jiandu.acceptance.summary import collect
from jiandu.audit.models import AuditEvent

S = Showcase.State


def propose(campaign, actor, **extra):
    values = {
        "title": "首违不罚清单办案前比对",
        "summary": "对清单事项案件实行办案前比对，全年首违不罚32件。",
        "kind": Showcase.Kind.PRACTICE,
        "body": "一、主要做法……",
    }
    values.update(extra)
    return actions.propose_showcase(campaign, actor=actor, **values)


def test_unit_proposes_its_own_practice_as_a_draft(campaign, units, personas):
    showcase = propose(campaign, personas["clerk_a"], unit=None)
    assert (showcase.state, showcase.unit) == (S.DRAFT, units["a"])
    assert AuditEvent.objects.filter(action="campaigns.showcase.proposed").exists()


def test_unit_cannot_propose_for_another_unit(campaign, units, personas):
    with pytest.raises(PermissionDenied):
        propose(campaign, personas["clerk_a"], unit=units["b"])


@pytest.mark.parametrize("who", ["discipline", "inspector"])
def test_readers_cannot_propose(campaign, personas, who):
    with pytest.raises(PermissionDenied):
        propose(campaign, personas[who])


def test_anonymous_cannot_propose(campaign):
    with pytest.raises(PermissionDenied):
        propose(campaign, AnonymousUser())


def test_county_wide_draft_is_edited_by_supervisors_only(campaign, personas):
    showcase = propose(campaign, personas["supervisor"], unit=None)
    assert showcase.unit is None
    assert actions.can_edit_showcase(showcase, personas["supervisor"])
    for who in ("clerk_a", "leader_a", "discipline"):
        assert not actions.can_edit_showcase(showcase, personas[who]), who


def test_title_and_summary_are_required(campaign, personas):
    with pytest.raises(ValidationError) as exc:
        propose(campaign, personas["supervisor"], title=" ", summary="")
    assert set(exc.value.message_dict) == {"title", "summary"}
    assert not Showcase.objects.exists()


def test_supervisor_selects_then_publishes(campaign, units, personas):
    showcase = propose(campaign, personas["supervisor"], unit=units["b"], kind="case")
    with pytest.raises(ValidationError):
        actions.publish_showcase(showcase, actor=personas["supervisor"])
    actions.select_showcase(showcase, actor=personas["supervisor"])
    actions.publish_showcase(showcase, actor=personas["supervisor"])
    showcase.refresh_from_db()
    assert showcase.state == S.PUBLISHED and showcase.published_at is not None
    with pytest.raises(ValidationError):
        actions.select_showcase(showcase, actor=personas["supervisor"])


@pytest.mark.parametrize("who", ["clerk_a", "leader_a", "discipline", "inspector"])
def test_only_supervisor_selects_and_publishes(campaign, personas, who):
    showcase = propose(campaign, personas["clerk_a"])
    with pytest.raises(PermissionDenied):
        actions.select_showcase(showcase, actor=personas[who])
    actions.select_showcase(showcase, actor=personas["supervisor"])
    with pytest.raises(PermissionDenied):
        actions.publish_showcase(showcase, actor=personas[who])


def test_unit_edits_its_draft_but_not_once_selected(campaign, personas):
    showcase = propose(campaign, personas["clerk_a"])
    actions.update_showcase(
        showcase, actor=personas["leader_a"], title="新标题", summary="新简介", kind="case"
    )
    with pytest.raises(PermissionDenied):
        actions.update_showcase(
            showcase, actor=personas["clerk_b"], title="x", summary="y", kind="case"
        )
    actions.select_showcase(showcase, actor=personas["supervisor"])
    with pytest.raises(PermissionDenied):
        actions.update_showcase(
            showcase, actor=personas["clerk_a"], title="x", summary="y", kind="case"
        )


@pytest.mark.parametrize("who", ["clerk_a", "clerk_b", "leader_b", "discipline", "inspector"])
def test_published_showcases_are_visible_to_all_logged_in(client_for, campaign, personas, who):
    published = propose(campaign, personas["supervisor"], title="已发布的做法")
    actions.select_showcase(published, actor=personas["supervisor"])
    actions.publish_showcase(published, actor=personas["supervisor"])
    client = client_for(personas[who])
    html = client.get(reverse("campaigns:showcases", args=[campaign.pk])).content.decode()
    assert "已发布的做法" in html
    assert client.get(reverse("campaigns:showcase", args=[published.pk])).status_code == 200


def test_drafts_are_seen_by_their_unit_and_county_only(client_for, campaign, personas):
    draft = propose(campaign, personas["clerk_a"], title="甲镇草稿做法")
    url = reverse("campaigns:showcase", args=[draft.pk])
    for who in ("clerk_a", "leader_a", "supervisor", "discipline"):
        assert client_for(personas[who]).get(url).status_code == 200, who
    assert client_for(personas["clerk_b"]).get(url).status_code == 404
    html = (
        client_for(personas["clerk_b"])
        .get(reverse("campaigns:showcases", args=[campaign.pk]))
        .content.decode()
    )
    assert "甲镇草稿做法" not in html
    edit = reverse("campaigns:showcase_edit", args=[draft.pk])
    assert client_for(personas["clerk_b"]).get(edit).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_propose_select_publish_through_the_pages(client_for, campaign, personas):
    clerk = client_for(personas["clerk_a"])
    url = reverse("campaigns:showcase_new", args=[campaign.pk])
    bad = clerk.post(url, {"kind": "practice", "title": "只有标题"})
    assert bad.status_code == 400 and "请填写简介。" in bad.content.decode()
    assert "只有标题" in bad.content.decode()
    response = clerk.post(
        url, {"kind": "practice", "title": "三书同达", "summary": "处罚决定书与告知书同步送达"}
    )
    showcase = Showcase.objects.get()
    assert response.status_code == 302 and showcase.unit == personas["clerk_a"].unit
    step = reverse("campaigns:showcase_step", args=[showcase.pk, "select"])
    assert clerk.post(step).status_code == 403
    supervisor = client_for(personas["supervisor"])
    assert supervisor.post(step).status_code == 302
    supervisor.post(reverse("campaigns:showcase_step", args=[showcase.pk, "publish"]))
    showcase.refresh_from_db()
    assert showcase.state == S.PUBLISHED


def test_discipline_cannot_open_the_propose_page(client_for, campaign, personas):
    url = reverse("campaigns:showcase_new", args=[campaign.pk])
    assert client_for(personas["discipline"]).get(url).status_code == 403


def test_summary_report_reads_selected_showcases_only(campaign, personas):
    showcase = propose(campaign, personas["supervisor"], title="写入总结的做法", summary="简介文字")
    assert ("写入总结的做法", "简介文字") not in collect(campaign)["showcases"]
    actions.select_showcase(showcase, actor=personas["supervisor"])
    assert ("写入总结的做法", "简介文字") in collect(campaign)["showcases"]


@pytest.mark.parametrize("step", ["select", "publish"])
def test_selecting_or_publishing_keeps_an_edit_made_meanwhile(campaign, personas, step):
    """The supervisor's page was opened before the unit edited its draft: the step must
    not put the old title and text back."""
    showcase = propose(campaign, personas["clerk_a"])
    if step == "publish":
        actions.select_showcase(showcase, actor=personas["supervisor"])
        Showcase.objects.filter(pk=showcase.pk).update(title="评选后修订的标题")
    else:
        actions.update_showcase(
            Showcase.objects.get(pk=showcase.pk),
            actor=personas["clerk_a"],
            title="评选后修订的标题",
            summary="修订后的简介",
            kind="case",
        )
    stale = showcase  # still holds the title and state read before the edit
    getattr(actions, f"{step}_showcase")(stale, actor=personas["supervisor"])
    fresh = Showcase.objects.get(pk=showcase.pk)
    assert fresh.title == "评选后修订的标题"
    assert fresh.state == (S.SELECTED if step == "select" else S.PUBLISHED)
    if step == "select":
        assert (fresh.summary, fresh.kind) == ("修订后的简介", "case")


def test_editing_a_stale_copy_does_not_undo_the_selection(campaign, personas):
    showcase = propose(campaign, personas["clerk_a"])
    actions.select_showcase(Showcase.objects.get(pk=showcase.pk), actor=personas["supervisor"])
    with pytest.raises(PermissionDenied):
        actions.update_showcase(
            showcase, actor=personas["clerk_a"], title="x", summary="y", kind="case"
        )
    assert Showcase.objects.get(pk=showcase.pk).state == S.SELECTED


def test_published_list_filters_by_kind_counts_and_pages(client_for, campaign, personas):
    sup = personas["supervisor"]
    for i in range(22):
        kind = Showcase.Kind.CASE if i < 2 else Showcase.Kind.PRACTICE
        s = propose(campaign, sup, title=f"做法{i:02d}", kind=kind)
        actions.select_showcase(s, actor=sup)
        actions.publish_showcase(s, actor=sup)
    client = client_for(personas["clerk_a"])
    url = reverse("campaigns:showcases", args=[campaign.pk])
    html = client.get(url).content.decode()
    assert "共 22 篇" in html and "已筛选" not in html
    html = client.get(url, {"kind": "case"}).content.decode()
    assert "共 2 篇（已筛选）" in html and "做法00" in html and "做法05" not in html
    html = client.get(url, {"size": "20"}).content.decode()
    assert "第 1 / 2 页" in html and 'href="?size=20&amp;page=2"' in html
    assert "共 22 篇" in client.get(url, {"kind": "nonsense"}).content.decode()
