"""Walk published 裁量基准 tables into items and tiers.

The tables as the issuing bodies publish them: one sheet per law; the header row somewhere
near the top (not the first row); 序号 and 违法行为 only on an item's first row with
continuation rows below; tiers numbered (1..10, "1.0") or named (从轻/一般/从重, 轻微/一般/
较重/严重); an empty tier cell continues the tier above; a second 法律依据 inside an item
starts ladder 2 (逾期不改正); merged cells (read as repeated values).
"""

import re

from .bands import parse_band
from .draft import Parsed, ParsedItem, ParsedTier, Problem, amount
from .factor_pdf import MARK, as_parsed_items, read_factor_text
from .readers import Document, Sheet

__all__ = ["Parsed", "ParsedItem", "ParsedTier", "Problem", "amount", "parse_file", "walk"]

# Header words per column, the first match wins (order matters: 违法行为 before 行为).
COLUMNS = {
    "code": ("序号", "编号", "事项编码", "事项编号"),
    "name": ("违法行为", "违法行为名称", "违法事项"),
    "basis": ("法律依据", "处罚依据", "违法依据", "违反条款", "依据"),
    "level": ("类别", "裁量阶次", "阶次", "裁量等级", "档次", "等级", "裁量档次", "违法程度"),
    "circumstances": ("裁量情节", "情节", "适用情形", "适用条件", "违法情节", "裁量因素"),
    "band": ("裁量标准", "处罚标准", "裁量基准", "处罚幅度", "裁量幅度", "处罚裁量", "罚款"),
    "note": ("备注", "其他处罚", "其他"),
}
NAMED_LEVELS = [
    "不予处罚",
    "免罚",
    "减轻",
    "从轻",
    "轻微",
    "一般",
    "较重",
    "从重",
    "严重",
    "特别严重",
]


def normalise_level(text: str) -> str:
    """'1.0' → '1', '第2档' → '2', named tiers as written."""
    text = re.sub(r"\s", "", text)
    m = re.fullmatch(r"第?(\d+)(?:\.0+)?[档级阶类]?", text)
    if m:
        return str(int(m.group(1)))
    for name in NAMED_LEVELS:
        if name in text:
            return name
    return text


def find_header(rows: list[list[str]], look=12) -> tuple[int, dict[str, int]] | None:
    """The header row (index) and column of each role, in the first `look` rows."""
    for index, row in enumerate(rows[:look]):
        cells = [re.sub(r"\s", "", c) for c in row]
        columns: dict[str, int] = {}
        for role, words in COLUMNS.items():
            for word in words:
                hits = [i for i, c in enumerate(cells) if c == word]
                hits = hits or [i for i, c in enumerate(cells) if word in c and len(c) <= 12]
                hits = [i for i in hits if i not in columns.values()]
                if hits:
                    columns[role] = hits[0]
                    break
        if "name" in columns and ("band" in columns or "level" in columns):
            return index, columns
    return None


def _get(row, columns, role) -> str:
    i = columns.get(role)
    return row[i].strip() if i is not None and i < len(row) else ""


def _fill_tier(tier: ParsedTier, band_text: str, note: str) -> None:
    tier.original = band_text
    result = parse_band(band_text)
    main = result.main
    if main:
        tier.fine_min, tier.fine_max = main.fine_min, main.fine_max
        tier.multiple_of = main.multiple_of
        tier.multiple_min, tier.multiple_max = main.multiple_min, main.multiple_max
    # Other bands (个人, 直接责任人员, conditions) are kept with the measures, as written.
    others = [b.text for b in result.bands if b is not main]
    tier.measures = [*result.measures, *others]
    if result.daily:
        tier.measures.append("按日连续处罚")
    if result.notes:
        tier.measures.append("；".join(result.notes))
    if note:
        tier.measures.append(note.strip())
    tier.problems.extend(result.problems)
    if not band_text.strip():
        tier.problems.append("裁量标准为空")
    elif not result.bands and not result.measures:
        tier.problems.append(f"未能读出裁量标准：{band_text}")


def walk_sheet(sheet: Sheet, parsed: Parsed) -> None:
    header = find_header(sheet.rows)
    if not header:
        if any(any(c for c in r) for r in sheet.rows):
            parsed.problems.append(
                Problem(
                    sheet.name,
                    sheet.first_row,
                    "未找到表头（需有“违法行为”和“裁量标准”或“阶次”列）",
                )
            )
        return
    head_index, columns = header
    header_cells = [c.strip() for c in sheet.rows[head_index]]
    item: ParsedItem | None = None
    tier: ParsedTier | None = None
    bases: list[str] = []
    ladder = 1
    for index in range(head_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        number = sheet.first_row + index
        if not any(c.strip() for c in row) or [c.strip() for c in row] == header_cells:
            continue
        code, name = _get(row, columns, "code"), _get(row, columns, "name")
        basis, level = _get(row, columns, "basis"), _get(row, columns, "level")
        circumstances, band = _get(row, columns, "circumstances"), _get(row, columns, "band")
        note = _get(row, columns, "note")
        starts = (code and (item is None or code != item.code)) or (
            "code" not in columns and name and (item is None or name != item.name)
        )
        if starts:
            item = ParsedItem(
                code=code or f"{sheet.name}-{len(parsed.items) + 1}",
                name=name,
                basis=basis,
                sheet=sheet.name,
                row=number,
            )
            parsed.items.append(item)
            tier, bases, ladder = None, [basis] if basis else [], 1
            if not name:
                parsed.problems.append(Problem(sheet.name, number, f"事项 {code} 缺少违法行为"))
        elif item is None:
            parsed.problems.append(Problem(sheet.name, number, "该行不属于任何事项（缺少序号）"))
            continue
        elif basis and basis not in bases:
            # A second 法律依据 inside the item: a second ladder (逾期不改正, 责任人员…).
            bases.append(basis)
            item.basis = "\n".join(bases)
            ladder = len(bases)
            tier = None
        # The same tier number written again (not a merged cell) with its own band: the
        # publisher numbered two tiers alike; read as a new tier and said so.
        repeated = (
            level
            and tier is not None
            and normalise_level(level) == tier.level
            and (index, columns.get("level")) not in sheet.filled
            and band
            and band != tier.original
        )
        new_tier = level and (
            tier is None
            or normalise_level(level) != tier.level
            or tier.ladder != ladder
            or repeated
        )
        if new_tier or tier is None:
            if not level and "level" in columns:
                if not band:
                    parsed.problems.append(
                        Problem(sheet.name, number, "缺少裁量阶次，且无裁量标准")
                    )
                    continue
                level = str(len([t for t in item.tiers if t.ladder == ladder]) + 1)
                tier_problem = "缺少裁量阶次，按顺序编为第" + level + "档"
            else:
                tier_problem = ""
            tier = ParsedTier(
                level=normalise_level(level) if level else str(len(item.tiers) + 1),
                circumstances=circumstances,
                ladder=ladder,
                sheet=sheet.name,
                row=number,
            )
            _fill_tier(tier, band, note)
            if tier_problem:
                tier.problems.append(tier_problem)
            if repeated:
                tier.problems.append(f"阶次与上一档相同（{tier.level}），但裁量标准不同，请核对")
            item.tiers.append(tier)
            for message in tier.problems:
                parsed.problems.append(Problem(sheet.name, number, message))
            continue
        # A continuation row: more circumstances for the tier above.
        if circumstances and circumstances not in tier.circumstances.split("；"):
            tier.circumstances = "；".join(filter(None, [tier.circumstances, circumstances]))
        if band and band != tier.original:
            # Its own wording of the same tier's band: kept with the circumstance.
            tier.circumstances += f"（{band}）"
        if note and note.strip() not in tier.measures:
            tier.measures.append(note.strip())


def walk(doc: Document) -> Parsed:
    parsed = Parsed(source=doc.name)
    if doc.text and len(MARK.findall(doc.text)) >= 3:
        # A factor-matrix 裁量表 (§1.1 裁量标准 …): items and statutory bands only.
        parsed.items, parsed.problems = as_parsed_items(read_factor_text(doc.text))
        return parsed
    for sheet in doc.sheets:
        walk_sheet(sheet, parsed)
    if not parsed.items and not parsed.problems:
        parsed.problems.append(Problem("", 0, "文件中没有找到裁量基准表格"))
    return parsed


def parse_file(source, name: str | None = None) -> Parsed:
    from .readers import read

    return walk(read(source, name=name))
