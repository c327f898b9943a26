"""A unit's clerk imports cases in a real browser: uploads a sheet with bad rows, reads
the reasons, downloads the error report, corrects it and uploads it again; and a large
import's progress bar follows the background task until its result replaces it."""

import io
from datetime import date

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from jiandu.enforcement.models import Officer, PenaltyCase
from jiandu.intake import actions
from jiandu.intake.models import ImportBatch
from jiandu.orgs.models import Role, Unit
from jiandu.standards.models import Benchmark, Tier, ViolationItem
from tests.browser.factories import login
from tests.intake.factories import CASE_HEADER, case_row, to_csv
from tests.orgs.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def county():
    town = Unit.objects.create(code="T-A", name="甲镇人民政府", kind=Unit.Kind.TOWNSHIP)
    Unit.objects.create(code="T-B", name="乙镇人民政府", kind=Unit.Kind.TOWNSHIP)
    item = ViolationItem.objects.create(code="V-1", name="未按规定公示", domain="市场监管")
    bench = Benchmark.objects.create(item=item, version=1, effective_on=date(2024, 1, 1))
    Tier.objects.create(benchmark=bench, level="general", fine_min=1000, fine_max=10000)
    Officer.objects.create(cert_no="C001", name="王一", unit=town)
    Officer.objects.create(cert_no="C002", name="李二", unit=town)
    clerk = make_user("tb", town, Role.CLERK)
    return {"town": town, "clerk": clerk}


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(page, live_server, name, data):
    page.goto(f"{live_server.url}/intake/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}],
    )
    page.select_option("select[name=kind]", "cases")
    page.click("button:has-text('开始导入')")
    page.wait_for_url("**/intake/batches/*/")


def counts(page) -> dict:
    cells = page.locator("#batch-progress .col")
    return {
        cells.nth(i).locator(".small").inner_text(): cells.nth(i).locator(".fs-4").inner_text()
        for i in range(cells.count())
    }


def test_clerk_fixes_the_error_report_and_uploads_it_again(browser, live_server, county, shot):
    page = browser.new_page(locale="zh-CN")
    page.set_default_timeout(15000)
    login(page, live_server, "tb", PASSWORD)
    sheet = [
        CASE_HEADER,
        case_row("C-1"),
        case_row("C-2", **{"罚款金额(元)": "五千"}),
        case_row("C-3", **{"违法行为编码": "V-404"}),
        case_row("C-4", unit="T-B"),
    ]
    upload(page, live_server, "本镇处罚案件.xlsx", xlsx(sheet))
    assert counts(page) == {"数据行": "4", "新增": "1", "更新": "0", "未变": "0", "拒绝": "3"}
    errors = page.locator("table").first.locator("tbody tr")
    assert [errors.nth(i).inner_text().split("\t") for i in range(errors.count())] == [
        ["3", "罚款金额(元)", "“五千”不是有效的金额"],
        ["4", "违法行为编码", "违法行为编码“V-404”不在违法行为事项目录中"],
        ["5", "执法单位", "不能导入其他单位的数据（本账号只能导入单位 T-A 的数据）"],
    ]
    shot(page, "import-errors", folder="import")

    with page.expect_download() as info:
        page.click("a:has-text('下载错误报告')")
    report = info.value.path().read_bytes()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(report)).get_sheet_by_index(0).to_python()
    header = rows[0]
    assert header[0] == "原行号" and header[-1] == "错误说明"
    assert [(int(r[0]), r[header.index("案件编号")]) for r in rows[1:]] == [
        (3, "C-2"),
        (4, "C-3"),
        (5, "C-4"),
    ]
    assert rows[1][-1] == "罚款金额(元)：“五千”不是有效的金额"

    # The clerk corrects the two rows of their own unit and deletes the other unit's.
    wb = load_workbook(io.BytesIO(report))
    ws = wb.active
    columns = {cell.value: cell.column for cell in ws[1]}
    ws.cell(row=2, column=columns["罚款金额(元)"], value="5000")
    ws.cell(row=3, column=columns["违法行为编码"], value="V-1")
    ws.delete_rows(4)
    fixed = io.BytesIO()
    wb.save(fixed)
    upload(page, live_server, "错误报告-已改正.xlsx", fixed.getvalue())
    assert counts(page) == {"数据行": "2", "新增": "2", "更新": "0", "未变": "0", "拒绝": "0"}
    assert page.locator("text=已完成").count() == 1
    shot(page, "import-fixed", folder="import")
    assert sorted(PenaltyCase.objects.values_list("case_no", flat=True)) == ["C-1", "C-2", "C-3"]
    assert PenaltyCase.objects.get(case_no="C-2").fine == 5000
    page.close()


def test_progress_bar_follows_a_background_import(browser, live_server, county, shot):
    batch = ImportBatch.objects.create(
        kind="cases",
        unit=county["town"],
        created_by=county["clerk"],
        original_name="全年处罚案件.xlsx",
        state=ImportBatch.State.RUNNING,
        rows=120000,
        progress=40,
        heartbeat_at=timezone.now(),  # its process is alive
    )
    page = browser.new_page(locale="zh-CN")
    page.set_default_timeout(15000)
    login(page, live_server, "tb", PASSWORD)
    page.goto(f"{live_server.url}/intake/batches/{batch.pk}/")
    bar = page.get_by_role("progressbar", name="导入进度")
    assert bar.get_attribute("aria-valuenow") == "40"
    assert "共 120000 行" in page.locator("#batch-progress").inner_text()
    shot(page, "import-progress-40", folder="import")

    ImportBatch.objects.filter(pk=batch.pk).update(progress=85)
    page.wait_for_selector("[role=progressbar][aria-valuenow='85']")  # polled every second

    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.DONE, progress=100, created=119998, rejected=2
    )
    page.wait_for_selector("text=部分导入")  # the page reloads itself with the result
    assert counts(page)["新增"] == "119998"
    assert page.get_by_role("progressbar").count() == 0
    shot(page, "import-done", folder="import")
    page.close()


def test_interrupted_import_shows_what_it_wrote_and_resumes(browser, live_server, county, shot):
    data = to_csv([CASE_HEADER] + [case_row(f"C-{i}") for i in range(8)])
    batch = actions.create_batch(data=data, name="处罚案件.csv", kind="cases", user=county["clerk"])

    def stop(written):
        if written == 4:
            raise SystemExit(1)  # the worker stopped in the middle of the third batch

    with pytest.raises(SystemExit):
        actions.run_batch(batch, batch_size=2, after_batch=stop)
    page = browser.new_page(locale="zh-CN")
    page.set_default_timeout(15000)
    login(page, live_server, "tb", PASSWORD)
    page.goto(f"{live_server.url}/intake/batches/{batch.pk}/")
    box = page.locator("#batch-progress")
    assert "中断" in box.inner_text() and "已写入 4 行" in box.inner_text()
    assert counts(page)["新增"] == "4"
    assert page.get_by_role("progressbar").count() == 0
    shot(page, "import-interrupted", folder="import")

    page.click("button:has-text('继续导入')")
    page.wait_for_selector("text=已完成")
    assert counts(page) == {"数据行": "8", "新增": "8", "更新": "0", "未变": "0", "拒绝": "0"}
    shot(page, "import-resumed", folder="import")
    assert PenaltyCase.objects.count() == 8
    page.close()
