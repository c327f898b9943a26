"""The 江门 裁量标准参照表 (.xls), other formats and the two 不予处罚 lists, read as published."""

import io
import json
from decimal import Decimal as D

import docx
import pytest

from jiandu.standards.published.layout import normalise_level, parse_file
from jiandu.standards.published.lenient import condition, parse_list_file
from jiandu.standards.published.readers import NO_TEXT_LAYER, ReadError, read

from .realdata import GUANGDONG_LIST_PDF, GUANGDONG_TABLE_PDF, JIANGMEN_LIST_MD, JIANGMEN_XLS, need


@pytest.fixture(scope="module")
def jiangmen():
    return parse_file(need(JIANGMEN_XLS))


def test_jiangmen_items_and_tier_rows(jiangmen):
    assert len(jiangmen.items) == 165
    assert jiangmen.tier_count == 678
    assert len({i.sheet for i in jiangmen.items}) == 12  # one sheet per law
    assert jiangmen.items[0].code == "1-1" and jiangmen.items[-1].code.startswith("12-")


def test_share_of_tier_rows_without_a_problem(jiangmen):
    tiers = [t for i in jiangmen.items for t in i.tiers]
    clean = [t for t in tiers if not t.problems]
    # The two left are the publisher's: two different bands both numbered 4 in one item.
    assert len(clean) == 676
    assert {(p.sheet, p.row) for p in jiangmen.problems} == {
        ("大气污染防治法", 100),
        ("土壤污染防治法", 124),
    }


# (sheet, Excel row) → fine_min, fine_max, multiple_of, multiple_min, multiple_max, ladder;
# read by hand from the 裁量标准 cell of that row.
GV, II = "goods_value", "illegal_income"
SAMPLE = {
    ("环境影响评价法", 3): (None, None, "建设项目总投资额", "0.01", "0.02", 1),
    ("环境影响评价法", 4): (None, None, "建设项目总投资额", "0.02", "0.03", 1),
    ("环境影响评价法", 6): (None, None, "建设项目总投资额", "0.03", "0.04", 1),
    ("环境影响评价法", 9): (None, 10000, "", None, None, 1),
    ("环境影响评价法", 13): (500000, 700000, "", None, None, 1),
    ("环境影响评价法", 14): (700000, 1000000, "", None, None, 2),
    ("环境影响评价法", 17): (None, None, "所收费用", "3", "3", 1),
    ("环境影响评价法", 18): (None, None, "所收费用", "3", "4", 1),
    ("环境影响评价法", 19): (None, None, "所收费用", "4", "5", 1),
    ("水污染防治法", 3): (20000, 50000, "", None, None, 1),
    ("水污染防治法", 4): (50000, 100000, "", None, None, 1),
    ("水污染防治法", 10): (200000, 200000, "", None, None, 1),
    ("水污染防治法", 18): (50000, 150000, "", None, None, 2),
    ("水污染防治法", 19): (150000, 200000, "", None, None, 2),
    ("水污染防治法", 23): (150000, 200000, "", None, None, 1),
    ("水污染防治法", 46): (400000, 600000, "", None, None, 1),
    ("水污染防治法", 57): (100000, 100000, "", None, None, 1),
    ("水污染防治法", 62): (500000, 500000, "", None, None, 2),
    ("水污染防治法", 72): (80000, 100000, "", None, None, 1),
    ("水污染防治法", 141): (200, 500, "", None, None, 1),
    ("水污染防治法", 147): (None, None, "直接损失", "0.2", "0.2", 1),
    ("大气污染防治法", 12): (100000, 200000, "", None, None, 1),
    ("大气污染防治法", 58): (None, None, GV, "1", "2", 1),
    ("大气污染防治法", 59): (None, None, GV, "2", "3", 1),
    ("大气污染防治法", 99): (100000, 200000, "", None, None, 1),
    ("大气污染防治法", 101): (100000, 100000, "", None, None, 1),
    ("大气污染防治法", 102): (100000, 200000, "", None, None, 1),
    ("大气污染防治法", 126): (2000, 10000, "", None, None, 1),
    ("大气污染防治法", 128): (None, None, "直接经济损失", "2", "2", 1),
    ("大气污染防治法", 130): (None, None, "直接经济损失", "4", "4", 1),
    ("固废污染防治法", 15): (80000, 100000, "", None, None, 1),
    ("固废污染防治法", 16): (10000, 30000, "", None, None, 1),
    ("固废污染防治法", 17): (30000, 60000, "", None, None, 1),
    ("固废污染防治法", 19): (60000, 100000, "", None, None, 1),
    ("固废污染防治法", 23): (50000, 80000, "", None, None, 1),
    ("固废污染防治法", 47): (None, 10000, "", None, None, 1),
    ("固废污染防治法", 48): (10000, 30000, "", None, None, 1),
    ("固废污染防治法", 50): (50000, 100000, "", None, None, 1),
    ("固废污染防治法", 111): (10000, 10000, "", None, None, 1),
    ("固废污染防治法", 116): (None, None, "代为处置费用", "1", "1", 1),
    ("固废污染防治法", 117): (None, None, "代为处置费用", "2", "2", 1),
    ("固废污染防治法", 120): (None, None, II, "1", "1", 1),
    ("固废污染防治法", 122): (None, None, II, "3", "3", 1),
    ("固废污染防治法", 127): (None, 1000000, "直接损失", "0.3", "0.3", 1),
    ("噪声污染防治法", 20): (120000, 150000, "", None, None, 3),
    ("噪声污染防治法", 22): (None, None, "", None, None, 1),
    ("噪声污染防治法", 24): (1500, 3000, "", None, None, 1),
    ("土壤污染防治法", 40): (1500000, 2000000, "", None, None, 1),
    ("土壤污染防治法", 50): (200000, 300000, "", None, None, 1),
    ("土壤污染防治法", 89): (100000, 100000, "", None, None, 1),
    ("土壤污染防治法", 91): (200000, 300000, "", None, None, 1),
    ("土壤污染防治法", 107): (700000, 1000000, "", None, None, 1),
    ("土壤污染防治法", 196): (400000, 600000, "", None, None, 1),
    ("土壤污染防治法", 201): (10000, 20000, "", None, None, 1),
    ("放射污染防治法", 21): (None, None, II, "3", "5", 1),
    ("放射污染防治法", 44): (20000, 50000, "", None, None, 1),
    ("建管条例", 20): (1000010, 1300000, "", None, None, 2),  # 一百万一十元, as printed
    ("建管条例", 24): (70000, 90000, "", None, None, 3),
    ("建管条例", 31): (None, None, "所收费用", "1", "2", 1),
    ("畜禽条例", 5): (80000, 100000, "", None, None, 1),
    ("广东省环保条例", 18): (100000, 150000, "", None, None, 1),
    ("广东省环保条例", 50): (20000, 40000, "", None, None, 1),
    ("广东省大气条例", 10): (150000, 200000, "", None, None, 1),
    ("广东省大气条例", 24): (150000, 200000, "", None, None, 1),
    ("潭江条例", 9): (500000, 500000, "", None, None, 1),
}


def test_hand_checked_sample_of_tier_rows(jiangmen):
    assert len(SAMPLE) >= 50
    by_row = {(t.sheet, t.row): t for i in jiangmen.items for t in i.tiers}
    wrong = []
    for key, (lo, hi, of, mlo, mhi, ladder) in SAMPLE.items():
        t = by_row[key]
        got = (t.fine_min, t.fine_max, t.multiple_of, t.multiple_min, t.multiple_max, t.ladder)
        want = (
            None if lo is None else D(lo),
            None if hi is None else D(hi),
            of,
            None if mlo is None else D(mlo),
            None if mhi is None else D(mhi),
            ladder,
        )
        if got != want:
            wrong.append((key, t.original, got, want))
    assert not wrong


def test_layout_rules_on_the_real_table(jiangmen):
    item = next(i for i in jiangmen.items if i.code == "2-1")
    assert item.name == "拒绝现场检查或者在接受检查时弄虚作假"
    # 类别 1.0, 2.0 …; the empty cell under 2.0 adds a circumstance to tier 2.
    assert [t.level for t in item.tiers] == ["1", "2", "3", "4", "5"]
    assert "经提醒不改正" in item.tiers[1].circumstances
    assert item.tiers[0].measures == ["责令改正"]
    item = next(i for i in jiangmen.items if i.code == "2-2")
    assert "逾期不改正的，责令停产整治" in item.tiers[0].measures  # 备注
    # 个人 band kept next to the unit band.
    t = next(
        t for i in jiangmen.items for t in i.tiers if (t.sheet, t.row) == ("土壤污染防治法", 196)
    )
    assert any("个人处七千元以上一万元以下罚款" in m for m in t.measures)


def test_json_shape_is_exact(jiangmen):
    data = json.loads(json.dumps(jiangmen.as_json(), ensure_ascii=False))
    assert set(data) == {"items", "problems"}
    item = data["items"][0]
    assert set(item) == {"code", "name", "basis", "tiers"}
    assert set(item["tiers"][0]) == {
        "level", "circumstances", "fine_min", "fine_max", "multiple_of",
        "multiple_min", "multiple_max", "measures", "ladder",
    }  # fmt: skip
    assert set(data["problems"][0]) == {"sheet", "row", "message"}
    two = next(i for i in data["items"] if i["code"] == "2-1")["tiers"][0]
    assert (two["fine_min"], two["fine_max"]) == (20000, 50000)


def test_levels_numbered_and_named():
    assert normalise_level("1.0") == "1"
    assert normalise_level("第3档") == "3"
    assert normalise_level("10") == "10"
    assert normalise_level("从重") == "从重"
    assert normalise_level("较重情形") == "较重"


def _docx_table(rows) -> bytes:
    document = docx.Document()
    document.add_paragraph("某县城市管理行政处罚裁量基准")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    # 序号 and 违法行为 merged down the item's rows, as Word tables have them.
    table.cell(2, 0).merge(table.cell(4, 0))
    table.cell(2, 1).merge(table.cell(4, 1))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_table_with_named_tiers_and_merged_cells():
    data = _docx_table(
        [
            ["城市管理", "", "", "", ""],
            ["序号", "违法行为", "裁量阶次", "适用情形", "裁量基准"],
            ["CG-1", "乱倒垃圾", "从轻", "首次，及时清理", "处五十元以上一百元以下罚款"],
            ["", "", "一般", "", "处一百元以上一百五十元以下罚款"],
            ["", "", "从重", "拒不清理", "处一百五十元以上二百元以下罚款"],
        ]
    )
    parsed = parse_file(io.BytesIO(data), name="基准.docx")
    assert not parsed.problems
    [item] = parsed.items
    assert (item.code, item.name) == ("CG-1", "乱倒垃圾")
    assert [(t.level, t.fine_min, t.fine_max) for t in item.tiers] == [
        ("从轻", 50, 100),
        ("一般", 100, 150),
        ("从重", 150, 200),
    ]


def test_xlsx_with_header_below_title(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "市场监管"
    sheet.append(["某市市场监管行政处罚裁量基准"])
    sheet.append([])
    sheet.append(["序号", "违法行为", "法律依据", "阶次", "情节", "裁量标准"])
    sheet.append(
        [
            "SC-1",
            "销售过期食品",
            "《食品安全法》第一百二十四条",
            1,
            "货值不足一万元",
            "处五万元以上七万元以下罚款",
        ]
    )
    sheet.append([None, None, None, 2, "货值一万元以上", "处货值金额十倍以上十五倍以下罚款"])
    sheet.append([None, None, "逾期不改正的，……", 1, "", "处十万元罚款"])
    sheet.merge_cells("A4:A6")
    path = tmp_path / "基准.xlsx"
    book.save(path)
    parsed = parse_file(path)
    [item] = parsed.items
    assert [(t.level, t.ladder, t.fine_min, t.multiple_of, t.multiple_max) for t in item.tiers] == [
        ("1", 1, 50000, "", None),
        ("2", 1, None, "goods_value", 15),
        ("1", 2, 100000, "", None),
    ]


def test_pdf_without_text_layer_is_said_clearly():
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    with pytest.raises(ReadError) as e:
        read(io.BytesIO(out.getvalue()), name="扫描件.pdf")
    assert str(e.value) == NO_TEXT_LAYER
    assert "没有文字层" in NO_TEXT_LAYER


def test_unsupported_file_is_refused_in_chinese():
    with pytest.raises(ReadError, match="旧版 Word"):
        read(io.BytesIO(b"x"), name="a.doc")
    with pytest.raises(ReadError, match="不支持的文件类型"):
        read(io.BytesIO(b"x"), name="a.zip")


# Lenient lists


def test_jiangmen_list_of_40_items():
    parsed = parse_list_file(need(JIANGMEN_LIST_MD))
    assert len(parsed.items) == 40 and not parsed.problems
    nine = next(i for i in parsed.items if i.code == "9")
    assert nine.name == "超过水污染物排放标准排放水污染物"
    assert nine.category == "二、水污染防治类" or nine.category.endswith("水污染防治类")
    assert "第十条" in nine.basis and "排污许可管理条例》第十七条" in nine.basis
    assert nine.all_required and nine.list_kind == "first"
    first, threshold, corrected = nine.conditions
    assert first.tags == ["first", "lookback"] and first.window_months == 12 and first.checkable
    assert "threshold" in threshold.tags and not threshold.checkable
    assert "0.1倍以下" in threshold.text
    assert corrected.tags == ["corrected"] and corrected.checkable
    assert all(i.conditions for i in parsed.items) and all(i.basis for i in parsed.items)


def test_guangdong_list_of_20_items_from_pdf():
    parsed = parse_list_file(need(GUANGDONG_LIST_PDF))
    assert [i.code for i in parsed.items] == [str(n) for n in range(1, 21)]
    assert not parsed.problems
    one = parsed.items[0]
    assert one.name == "建设单位未依法备案建设项目环境影响登记表"
    assert one.category == "建设项目管理"
    assert one.basis.startswith("《中华人民共和国环境影响评价法》第二十二条第四款")
    assert [c.text for c in one.conditions] == [
        "属于首次违法",
        "在责令改正期限内改正违法行为，危害后果轻微",
    ]
    assert [c.checkable for c in one.conditions] == [True, True]
    # Item 14 is cut by a page break: its last condition continues on the next page.
    fourteen = parsed.items[13]
    assert fourteen.conditions[-1].text == "在责令改正期限内改正违法行为，危害后果轻微"
    assert "不超过0.1吨" in fourteen.conditions[1].text and not fourteen.conditions[1].checkable
    ten = parsed.items[9]
    assert not ten.all_required  # 有下列情形之一的
    # Categories carry down empty cells.
    assert parsed.items[1].category == "建设项目管理"


def test_condition_tags():
    c = condition("年度内属于首次违法")
    assert c.tags == ["first", "lookback"] and c.window_months == 12
    c = condition("违法行为持续时间不超过20日")
    assert c.tags == ["duration"] and not c.checkable
    c = condition("环境保护设施验收工作已全部完成")
    assert c.tags == ["other"] and not c.checkable


def test_cli_parse_prints_the_draft_without_saving(db):
    from django.core.management import call_command

    from jiandu.standards.models import ViolationItem

    out = io.StringIO()
    call_command("standards", "parse", str(need(JIANGMEN_XLS)), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["items"]) == 165
    assert sum(len(i["tiers"]) for i in data["items"]) == 678
    assert data["items"][0]["code"] == "1-1"
    assert not ViolationItem.objects.exists()
    out = io.StringIO()
    call_command("standards", "parse", str(need(JIANGMEN_XLS)), stdout=out)
    assert "事项 165 个，阶次 678 行，问题 2 处。" in out.getvalue()
    out = io.StringIO()
    call_command("standards", "parse-list", str(need(JIANGMEN_LIST_MD)), stdout=out)
    assert "清单事项 40 个，问题 0 处。" in out.getvalue()


def test_cli_refuses_a_scanned_pdf(tmp_path):
    import pikepdf
    from django.core.management import CommandError, call_command

    pdf = pikepdf.new()
    pdf.add_blank_page()
    path = tmp_path / "扫描件.pdf"
    pdf.save(path)
    with pytest.raises(CommandError, match="没有文字层"):
        call_command("standards", "parse", str(path))


def test_guangdong_factor_table_pdf_first_chapter():
    """The 234-page 广东 裁量表 takes about a minute to read whole (bench); its first
    chapter's pages are enough to check the items, bases, bands and weights."""
    import pdfplumber

    from jiandu.standards.published.factor_pdf import as_parsed_items, read_factor_text

    with pdfplumber.open(need(GUANGDONG_TABLE_PDF)) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages[14:30])
    items = read_factor_text(text)
    first = items[0]
    assert first.code == "1.1" and first.chapter == "环评类"
    assert first.name.startswith("建设单位未依法报批建设项目环境影响报告书")
    assert "第二十五条" in first.violation_basis
    assert first.penalty_basis.startswith("《中华人民共和国环境影响评价法》第三十一条")
    band = first.bands[0]
    assert (band.multiple_of, band.multiple_min, band.multiple_max) == (
        "建设项目总投资额",
        D("0.01"),
        D("0.05"),
    )
    assert first.start_weight == "20" and ("报告表类", "0") in first.factors
    parsed_items, _problems = as_parsed_items(items)
    assert parsed_items[0].tiers[0].level == "法定"
    assert [i.code for i in items[:3]] == ["1.1", "1.2", "1.3"]
