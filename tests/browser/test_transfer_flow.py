"""A town sends a case to a department with an attachment; the department returns it
for supplement, the town sends it again, the department accepts it. Both see the same
timed timeline."""

import pytest

from jiandu.orgs import base_data
from jiandu.orgs.models import Role, Unit
from jiandu.transfers.models import CaseTransfer
from tests.browser.factories import click_to_open, login
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def county(db):
    base_data.load()
    town = Unit.objects.create(code="TF-CGZ", name="城关镇人民政府", kind=Unit.Kind.TOWNSHIP)
    scj = Unit.objects.create(code="TF-SCJ", name="测试县市场监督管理局", kind=Unit.Kind.DEPARTMENT)
    make_user("town_clerk", town, Role.CLERK)
    make_user("scj_clerk", scj, Role.CLERK)


def test_send_return_resend_accept(county, live_server, browser, shot):
    sender = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    receiver = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN"
    ).new_page()
    for p in (sender, receiver):
        p.on("dialog", lambda dialog: dialog.accept())
    login(sender, live_server, "town_clerk", PASSWORD)
    sender.goto(f"{live_server.url}/transfers/")
    click_to_open(sender, "text=移送案件或线索")
    sender.select_option("select[name=to_unit]", label="测试县市场监督管理局")
    sender.fill("input[name=party_name]", "某某超市")
    sender.fill("textarea[name=facts]", "销售标签不符合规定的预包装食品 36 件。")
    sender.fill("textarea[name=basis]", "《食品安全法》第七十一条；职责划转目录")
    sender.set_input_files(
        "input[name=files]",
        files=[{"name": "现场笔录.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    click_to_open(sender, "button:has-text('移送')")
    t = CaseTransfer.objects.get()
    assert t.transfer_no in sender.content()

    login(receiver, live_server, "scj_clerk", PASSWORD)
    receiver.goto(f"{live_server.url}/transfers/{t.pk}/")
    assert "现场笔录.pdf" in receiver.content()
    receiver.fill("textarea[name=return-reason]", "缺少抽样检验报告，请补正。")
    click_to_open(receiver, "button:has-text('退回补正')")

    sender.goto(f"{live_server.url}/transfers/{t.pk}/")
    sender.fill("textarea[name=resend-note]", "已补充抽样检验报告。")
    click_to_open(sender, "button:has-text('补正后重新移送')")

    receiver.goto(f"{live_server.url}/transfers/{t.pk}/")
    click_to_open(receiver, "form:has(h6:text-is('接收')) button")
    t.refresh_from_db()
    assert t.state == CaseTransfer.State.ACCEPTED
    timeline = receiver.inner_text(".jd-timeline")
    for step in ("移送", "退回补正", "补正后重新移送", "接收"):
        assert step in timeline
    shot(receiver, "receiver-accepted", folder="transfer_flow")
    sender.goto(f"{live_server.url}/transfers/")
    assert "已接收" in sender.content()
    shot(sender, "sender-list", folder="transfer_flow")
