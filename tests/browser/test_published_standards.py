"""A supervisor uploads the real 江门 .xls, corrects one row in the preview, confirms the
tier mapping and publishes; the calculator then uses the new version."""

import pytest
from playwright.sync_api import expect

from jiandu.orgs.models import Role, Unit
from jiandu.standards.models import Benchmark, PublishedRow
from tests.browser.factories import login
from tests.orgs.factories import PASSWORD, make_user
from tests.standards.realdata import JIANGMEN_XLS, need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_correct_publish_and_calculate(live_server, page, shot):
    xls = need(JIANGMEN_XLS)
    justice = Unit.objects.create(code="P-SFJ", name="测试县司法局", kind=Unit.Kind.JUSTICE)
    make_user("sup", justice, Role.SUPERVISOR)
    login(page, live_server, "sup", PASSWORD)

    page.goto(f"{live_server.url}/standards/published/upload/")
    page.select_option("#id_kind", "benchmark")
    page.set_input_files("#id_file", str(xls))
    page.fill("#id_domain", "生态环境")
    page.fill("#id_code_prefix", "JM")
    with page.expect_navigation():
        page.click("button:has-text('上传并读取')")
    expect(page.locator("body")).to_contain_text("读取 678 行")
    expect(page.locator("body")).to_contain_text("2 行未读懂")
    shot(page, "preview", folder="published_standards")

    # 2-1 第3档 as published: 责令改正，处十万元以上十五万元以下罚款. Corrected in place.
    row = PublishedRow.objects.get(sheet="水污染防治法", row_number=6)
    page.goto(f"{live_server.url}/standards/published/{row.draft_id}/?q=2-1")
    line = page.locator(f"#row-{row.pk}")
    expect(line).to_contain_text("100000～150000 元")
    line.get_by_text("更正").click()
    form = page.locator(f"#row-{row.pk} form")
    expect(form).to_be_visible()
    form.locator("[name=fine_min]").fill("110000")
    shot(page, "correcting", folder="published_standards")
    form.get_by_role("button", name="保存更正").click()
    expect(page.locator(f"#row-{row.pk}")).to_contain_text("110000～150000 元")
    expect(page.locator(f"#row-{row.pk}")).to_contain_text("已更正")

    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="确认阶次对应").click()
    expect(page.locator("#mapping")).to_contain_text("已确认")
    with page.expect_navigation():
        page.get_by_role("button", name="发布为新版本").click()
    expect(page.locator("body")).to_contain_text("已发布，自")
    shot(page, "published", folder="published_standards")
    assert Benchmark.objects.filter(imported_from=row.draft_id).count() == 165

    # The calculator uses the new version: 2-1's tiers 3 → 一般, with the corrected minimum.
    page.goto(f"{live_server.url}/standards/calculator/")
    page.locator("#id_item").press_sequentially("JM2-1", delay=30)
    expect(page.locator('#item-options option[value^="JM2-1 "]')).to_have_count(1)
    page.locator("#id_item").fill(
        page.locator('#item-options option[value^="JM2-1 "]').get_attribute("value")
    )
    page.locator("#id_item").dispatch_event("change")
    page.wait_for_selector("#calc-result >> text=110,000 元 ～ 150,000 元")
    shot(page, "calculator", folder="published_standards")
