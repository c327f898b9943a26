"""Bulk actions in a real browser: the supervisor ticks two alerts and dismisses them
with one reason; ticks every extension request on the queue page and approves them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jiandu.ledger import actions
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea, Role, Unit
from tests.browser.factories import login
from tests.monitoring import factories as f
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    justice = Unit.objects.create(code="X-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    town = Unit.objects.create(code="X-CGZ", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    return {
        "town": town,
        "sup": make_user("sup", justice, Role.SUPERVISOR),
        "clerk": make_user("tb", town, Role.CLERK),
    }


def as_supervisor(page, live_server):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "sup", PASSWORD)
    return page


def test_tick_two_alerts_and_dismiss_them_with_one_reason(page, live_server, people, shot):
    rows = [f.alert(people["town"], subject_key=f"城关罚〔2026〕{n}号") for n in (1, 2, 3)]
    as_supervisor(page, live_server)
    page.goto(f"{live_server.url}/monitoring/alerts/")
    assert "共 3 条" in page.locator("#alert-count").inner_text()
    dismiss = page.locator("#alert-bulk-bar button[value=dismiss]")
    assert dismiss.is_disabled()  # nothing ticked yet
    for a in rows[:2]:
        page.check(f"#alert-table input[name=ids][value='{a.pk}']")
    assert page.locator("#alert-bulk-bar [data-bulk-count]").inner_text() == "2"
    page.fill("#bulk-reason", "同一案件重复导入")
    shot(page, "alerts-ticked", folder="bulk")
    dismiss.click()
    page.wait_for_selector("text=已排除 2 条预警。")
    table = page.locator("#alert-table").inner_text()
    assert rows[2].subject_key in table
    assert rows[0].subject_key not in table and rows[1].subject_key not in table
    shot(page, "alerts-dismissed", folder="bulk")
    assert Alert.objects.filter(state="dismissed", dismissed_reason="同一案件重复导入").count() == 2

    # "Select all on this page" ticks what is left.
    page.check("#alert-table input[data-bulk-all]")
    assert page.locator("#alert-bulk-bar [data-bulk-count]").inner_text() == "1"


def test_approve_two_extensions_from_the_queue(page, live_server, people, shot):
    area = FocusArea.objects.get(code="procedure")
    problems = []
    for text in ("现场检查笔录无当事人签字", "执法记录仪未全程记录"):
        p = actions.create_problem_by_hand(
            actor=people["sup"],
            unit=people["town"],
            focus_area=area,
            description=text,
            source=Problem.Source.SUPERVISION,
        )
        actions.start_rectification(
            p, actor=people["clerk"], measures="逐案补正", responsible_person="李建国"
        )
        actions.request_extension(
            p,
            actor=people["clerk"],
            new_deadline=p.deadline + timedelta(days=15),
            reason="需等待第三方检测报告",
        )
        problems.append(p)
    wanted = [p.pending_extension.new_deadline for p in problems]
    as_supervisor(page, live_server)
    page.goto(f"{live_server.url}/ledger/extensions/")  # the cockpit's 延期待审批 button
    page.check("#extension-table input[data-bulk-all]")
    assert page.locator("#extension-bulk-bar [data-bulk-count]").inner_text() == "2"
    page.fill("#bulk-note", "同意延期")
    shot(page, "extensions-ticked", folder="bulk")
    page.click("#extension-bulk-bar button[value=approve]")
    page.wait_for_selector("text=已批准 2 份延期申请。")
    assert "没有待审批的延期申请" in page.content()
    shot(page, "extensions-approved", folder="bulk")
    for p, day in zip(problems, wanted, strict=True):
        p.refresh_from_db()
        assert p.deadline == day and p.deadline > timezone.localdate()
