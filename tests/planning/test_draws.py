"""双随机 draws: the transitions with their personas, and the selection recomputed
independently from the public JSON with nothing but hashlib."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.models import AuditEvent
from jiandu.enforcement.models import Inspection
from jiandu.planning import actions
from jiandu.planning.models import Closure, Draw
from tests.enforcement.factories import enterprise, inspection, officer, uscc


def h(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(d):
    """What the public page tells anyone to do, written here from scratch."""
    assert h(d["seed"]) == d["commitment"]
    ranked = sorted(d["pool"], key=lambda k: h(d["seed"] + "|" + k))
    assert ranked[: d["n"]] == d["selected"]
    ranked_officers = sorted(d["officer_pool"], key=lambda k: h(d["seed"] + "|" + k))
    assert ranked_officers[: d["officer_n"]] == d["officers"]


@pytest.fixture
def county(units):
    today = timezone.localdate()
    ents = [enterprise(i, industry="餐饮") for i in range(1, 13)]
    enterprise(50, industry="建筑")  # another category: never in the pool
    for i in range(1, 6):
        officer(units["a"], f"A-{i:03d}")
    officer(units["a"], "A-EXP", valid_days=-1)  # expired on the draw's date
    officer(units["b"], "B-001")  # another unit's
    return {"ents": ents, "today": today}


def _draw(units, personas, today, **extra):
    values = {
        "title": "餐饮单位食品安全双随机抽查",
        "n": 3,
        "draw_on": today,
        "inspect_on": today + timedelta(days=10),
        "items": "食品经营许可、从业人员健康证明",
        "industries": ["餐饮"],
        "recent_days": 90,
    }
    values.update(extra)
    return actions.create_draw(unit=units["a"], actor=personas["clerk_a"], **values)


def _public_json(client, draw):
    response = client.get(reverse("draws:json", args=[draw.pk]))
    assert response.status_code == 200
    return json.loads(response.content)


def test_a_draw_goes_announce_draw_publish_and_anyone_can_check_it(
    units, personas, county, client_for
):
    today = county["today"]
    draw = _draw(units, personas, today)
    assert actions.available_draw_actions(draw, personas["discipline"]) == {"announce"}
    assert actions.available_draw_actions(draw, personas["clerk_a"]) == set()
    with pytest.raises(PermissionDenied):
        actions.announce_draw(draw, actor=personas["clerk_a"], witness_value="123456789")

    actions.announce_draw(draw, actor=personas["discipline"], witness_value="20261202-纪委-7")
    draw.refresh_from_db()
    anonymous = client_for(None)
    before = _public_json(anonymous, draw)
    assert set(before) == {
        "draw_no", "unit", "commitment", "seed", "pool", "n", "selected",
        "officer_pool", "officer_n", "officers", "published_on",
    }  # fmt: skip
    assert before["seed"] is None and before["selected"] == []
    assert len(before["pool"]) == 12 and before["officer_pool"] == [
        f"A-{i:03d}" for i in range(1, 6)
    ]

    assert actions.available_draw_actions(draw, personas["clerk_a"]) == {"draw"}
    assert "draw" not in actions.available_draw_actions(draw, personas["clerk_b"])
    actions.run_draw(draw, actor=personas["clerk_a"])
    draw.refresh_from_db()
    after = _public_json(anonymous, draw)
    assert after["commitment"] == before["commitment"] and after["pool"] == before["pool"]
    verify(after)
    assert after["n"] == 3 and after["officer_n"] == 5  # 3 × 2 wanted, 5 in the pool

    # The results are planned 双随机 inspections, officers paired in rank order.
    planned = Inspection.objects.filter(random_draw=draw.random_draw).select_related("enterprise")
    assert {i.enterprise.uscc for i in planned} == set(after["selected"])
    officers_of = {i.enterprise.uscc: i.officer_list for i in planned}
    o = after["officers"]
    expected = [[o[0], o[1]], [o[2], o[3]], [o[4], o[0]]]  # round the 5 drawn
    assert [officers_of[c] for c in after["selected"]] == expected
    assert all(i.is_planned and i.kind == "random" and i.verify_code for i in planned)
    # Each registered inspection has its own 登记 row, as enforcement's registration writes.
    registered = AuditEvent.objects.filter(action="enforcement.inspection.registered")
    assert sorted(e.object_id for e in registered) == sorted(str(i.pk) for i in planned)
    for event in registered:
        visit = next(i for i in planned if str(i.pk) == event.object_id)
        assert event.object_type == "enforcement.inspection"
        assert event.actor == personas["clerk_a"] and event.unit == units["a"]
        assert event.data == {
            "registration_no": visit.registration_no,
            "enterprise": visit.enterprise.uscc,
            "inspected_on": draw.inspect_on.isoformat(),
            "kind": "random",
            "mode": "onsite",
            "officers": visit.officer_list,
            "joint_no": "",
            "draw_no": draw.draw_no,
        }

    assert actions.available_draw_actions(draw, personas["leader_a"]) == {"publish"}
    actions.publish_draw(draw, actor=personas["leader_a"])
    draw.refresh_from_db()
    assert draw.random_draw.published_on == today
    assert _public_json(anonymous, draw)["published_on"] == today.isoformat()
    assert actions.publication_deadline(draw) > draw.inspect_on
    codes = list(
        AuditEvent.objects.filter(
            object_id=str(draw.pk), action__startswith="planning.draw"
        ).values_list("action", flat=True)
    )
    assert sorted(codes) == sorted(
        [
            "planning.draw.created",
            "planning.draw.announced",
            "planning.draw.drawn",
            "planning.draw.published",
        ]
    )

    page = anonymous.get(reverse("draws:detail", args=[draw.pk]))
    assert "任何人都可以这样复核本次抽取" in page.content.decode()
    listing = anonymous.get(reverse("draws:list"))
    assert draw.title in listing.content.decode()


def test_exclusions_change_the_pool_and_the_selection_still_checks(
    units, personas, county, client_for
):
    today = county["today"]
    ents = county["ents"]
    inspection(units["b"], ents[0], no="I-RECENT", inspected_on=today - timedelta(days=10))
    inspection(units["b"], ents[1], no="I-OLD", inspected_on=today - timedelta(days=200))
    ents[2].quiet_list = True
    ents[2].save()
    Closure.objects.create(enterprise=ents[3], closed_on=today - timedelta(days=1))
    draw = _draw(
        units,
        personas,
        today,
        n=4,
        excluded_usccs={uscc(5): "正在立案调查"},
        recusals={"A-002": "与抽查对象存在亲属关系"},
    )
    actions.announce_draw(draw, actor=personas["discipline"], witness_value="witness-42")
    actions.run_draw(draw, actor=personas["clerk_a"])
    d = _public_json(client_for(None), draw)
    gone = {uscc(1), uscc(3), uscc(4), uscc(5)}
    assert set(d["pool"]) == {e.uscc for e in ents} - gone
    assert uscc(2) in d["pool"]  # inspected 200 days ago: outside the 90 days
    assert "A-002" not in d["officer_pool"] and "A-EXP" not in d["officer_pool"]
    assert d["officer_n"] == 4 and len(d["officers"]) == 4  # 8 wanted, 4 left after 回避
    verify(d)
    draw.refresh_from_db()
    assert draw.excluded["recent"] == [uscc(1)] and draw.excluded["recusal"] == ["A-002"]


def test_a_changed_seed_or_pool_fails_the_check(units, personas, county, client_for):
    draw = _draw(units, personas, county["today"])
    actions.announce_draw(draw, actor=personas["discipline"], witness_value="witness-42")
    actions.run_draw(draw, actor=personas["clerk_a"])
    d = _public_json(client_for(None), draw)
    verify(d)
    forged = dict(d, seed=h("another seed"))
    with pytest.raises(AssertionError):
        verify(forged)  # the seed no longer matches the commitment
    dropped = dict(d, pool=[k for k in d["pool"] if k != d["selected"][0]])
    with pytest.raises(AssertionError):
        verify(dropped)  # an enterprise left out after the announcement shows


def test_the_seed_mixes_the_witness_value_and_is_secret_until_the_draw(
    units, personas, county, client_for
):
    a = _draw(units, personas, county["today"])
    b = _draw(units, personas, county["today"])
    actions.announce_draw(a, actor=personas["discipline"], witness_value="same-value")
    actions.announce_draw(b, actor=personas["discipline"], witness_value="same-value")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.seed != b.seed  # the platform's random part
    page = client_for(None).get(reverse("draws:detail", args=[a.pk])).content.decode()
    assert a.commitment in page and a.seed not in page


def test_refusals(units, personas, county):
    today = county["today"]
    with pytest.raises(ValidationError):
        _draw(units, personas, today, draw_on=today - timedelta(days=1))
    with pytest.raises(PermissionDenied):
        actions.create_draw(
            unit=units["a"], actor=personas["clerk_b"], title="x", n=1, draw_on=today,
            inspect_on=today, items="x",
        )  # fmt: skip
    later = _draw(
        units,
        personas,
        today,
        draw_on=today + timedelta(days=3),
        inspect_on=today + timedelta(days=5),
    )
    with pytest.raises(ValidationError):
        actions.announce_draw(later, actor=personas["discipline"], witness_value="short")
    actions.announce_draw(later, actor=personas["discipline"], witness_value="long enough")
    with pytest.raises(ValidationError, match="尚未到来"):
        actions.run_draw(later, actor=personas["clerk_a"])
    assert Draw.objects.get(pk=later.pk).state == Draw.State.ANNOUNCED


def test_every_bad_code_of_the_exclusion_list_is_named_at_once(units, personas, county):
    today = county["today"]
    good = uscc(5)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        _draw(
            units,
            personas,
            today,
            excluded_usccs={"123": "太短", good: "正在立案调查", wrong_check: "校验位错"},
        )
    (message,) = refused.value.message_dict["excluded_usccs"]
    assert message == (
        f"123：统一社会信用代码应为18位（当前3位）；{wrong_check}：统一社会信用代码校验位错误"
    )
    # One bad code reads as before.
    with pytest.raises(ValidationError) as refused:
        _draw(units, personas, today, excluded_usccs={"123": "太短"})
    assert refused.value.message_dict["excluded_usccs"] == [
        "123：统一社会信用代码应为18位（当前3位）"
    ]
    assert not Draw.objects.exists()


def test_draft_draws_are_not_public(units, personas, county, client_for):
    draw = _draw(units, personas, county["today"])
    assert client_for(None).get(reverse("draws:detail", args=[draw.pk])).status_code == 404
    assert client_for(None).get(reverse("draws:json", args=[draw.pk])).status_code == 404


def test_the_draw_pages_for_their_personas(units, personas, county, client_for):
    today = county["today"]
    response = client_for(personas["clerk_a"]).post(
        reverse("planning:draw_new"),
        {
            "title": "页面新建的抽查",
            "n": 2,
            "officers_per_enterprise": 2,
            "recent_days": 30,
            "draw_on": today.isoformat(),
            "inspect_on": (today + timedelta(days=7)).isoformat(),
            "items": "安全生产",
            "industries": "餐饮",
            "recusals": "A-001 亲属",
        },
    )
    draw = Draw.objects.get(title="页面新建的抽查")
    assert response.status_code == 302 and draw.recusals == {"A-001": "亲属"}
    assert (
        client_for(personas["clerk_b"]).get(reverse("planning:draw", args=[draw.pk])).status_code
        == 404
    )
    witness = client_for(personas["discipline"])
    bad = witness.post(
        reverse("planning:draw_action", args=[draw.pk, "announce"]), {"witness_value": "x"}
    )
    assert bad.status_code == 400 and "见证值至少" in bad.content.decode()
    witness.post(
        reverse("planning:draw_action", args=[draw.pk, "announce"]),
        {"witness_value": "页面见证值123"},
    )
    clerk = client_for(personas["clerk_a"])
    clerk.post(reverse("planning:draw_action", args=[draw.pk, "draw"]))
    draw.refresh_from_db()
    assert draw.state == Draw.State.DRAWN and len(draw.selected) == 2
    page = clerk.get(reverse("planning:draw", args=[draw.pk])).content.decode()
    assert draw.seed in page and "公示期限" in page
