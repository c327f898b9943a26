"""On a phone: anyone opens the published draw, reads the three steps and checks the
draw from the JSON the page links to; an enterprise scans the joint visit's one 检查码
and sees every unit and item it covers."""

import hashlib
import json
import urllib.request
from datetime import date, timedelta

import pytest
from django.utils import timezone

from jiandu.orgs import base_data
from jiandu.planning import actions
from tests.browser.factories import click_to_open
from tests.enforcement.factories import enterprise, officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county(db, units, personas):
    base_data.load()  # an earlier transactional test may have flushed it
    today = timezone.localdate()
    for i in range(1, 9):
        enterprise(i, industry="餐饮", name=f"平川县第{i}餐馆")
    for i in range(1, 5):
        officer(units["a"], f"A-{i:03d}")
    draw = actions.create_draw(
        unit=units["a"], actor=personas["clerk_a"], title="餐饮单位食品安全双随机抽查", n=2,
        draw_on=today, inspect_on=today + timedelta(days=7), items="食品安全", industries=["餐饮"],
    )  # fmt: skip
    actions.announce_draw(draw, actor=personas["discipline"], witness_value="纪委现场见证值-0613")
    actions.run_draw(draw, actor=personas["clerk_a"])
    actions.publish_draw(draw, actor=personas["clerk_a"])

    year = today.year + 1
    ent = enterprise(20, name="平川县联合检查酒店")
    plans = [
        (units["a"], personas["clerk_a"], "消防安全检查"),
        (units["b"], personas["clerk_b"], "食品经营许可检查"),
    ]
    for n, (unit, clerk, items) in enumerate(plans):
        plan = actions.create_plan(unit=unit, year=year, actor=clerk)
        actions.add_entry(
            plan,
            actor=clerk,
            enterprise_uscc=ent.uscc,
            items=items,
            planned_on=date(year, 3, 2 + n),
        )
        actions.file_plan(plan, actor=clerk)
    (candidate,) = actions.joint_candidates()
    joint = actions.propose_joint_visit(candidate["entries"], actor=personas["supervisor"])
    for part in joint.participants.all():
        actions.accept_joint(part, actor=personas["supervisor"])
    joint.refresh_from_db()
    return {"draw": draw, "joint": joint}


def test_anyone_checks_a_draw_on_a_phone(county, live_server, phone_page, shot):
    page = phone_page
    page.goto(f"{live_server.url}/public/draws/")
    shot(page, "draws", folder="planning_phone")
    click_to_open(page, "text=餐饮单位食品安全双随机抽查")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    steps = page.locator("#how-to-check")
    assert steps.locator("text=任何人都可以这样复核本次抽取").is_visible()
    assert steps.locator("li").count() == 3
    shot(page, "draw", folder="planning_phone")

    href = page.get_attribute("text=下载完整数据（JSON）", "href")
    with urllib.request.urlopen(f"{live_server.url}{href}") as response:
        d = json.loads(response.read())

    def h(s):
        return hashlib.sha256(s.encode("utf-8")).hexdigest()

    assert h(d["seed"]) == d["commitment"] == page.inner_text("#commitment")
    assert sorted(d["pool"], key=lambda k: h(d["seed"] + "|" + k))[: d["n"]] == d["selected"]
    assert (
        sorted(d["officer_pool"], key=lambda k: h(d["seed"] + "|" + k))[: d["officer_n"]]
        == d["officers"]
    )


def test_an_enterprise_sees_the_joint_visit_under_one_code(county, live_server, phone_page, shot):
    page = phone_page
    page.goto(f"{live_server.url}/public/verify/{county['joint'].verify_code}/")
    card = page.locator("#joint-visit")
    assert card.locator("text=综合查一次").first.is_visible()
    assert card.locator("text=消防安全检查").is_visible()
    assert card.locator("text=食品经营许可检查").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "joint-visit", folder="planning_phone")
