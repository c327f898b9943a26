"""不予处罚 / 首违不罚 lists as published: tables (.docx, .xlsx, PDF) or text (.md, .txt).

For each item: 违法行为, 违反条款, and the conditions of 不予处罚, each tagged (首次违法,
危害后果轻微, 及时改正, a quantity threshold, a look-back window such as 近一年内). A condition
whose tags the platform can check against case data (DATA_CONTRACT 裁量情节 and the party's
earlier cases) is marked `checkable`; the others are shown to the user of the calculator.
"""

import re
from dataclasses import dataclass, field

from .draft import Problem
from .numerals import NUMBER, number
from .readers import Document, read

# tag → (what it means, checkable against case data)
TAGS = {
    "first": ("首次违法", True),
    "minor_harm": ("危害后果轻微", True),
    "corrected": ("及时改正", True),
    "lookback": ("回溯期限内首次", True),
    "threshold": ("数量限度", False),
    "duration": ("持续时间", False),
    "other": ("其他情节", False),
}
# Look-back windows in months.
WINDOWS = {"近一年内": 12, "一年内": 12, "年度内": 12, "近两年内": 24, "两年内": 24, "二年内": 24}
WINDOWS.update({"近三年内": 36, "三年内": 36, "近半年内": 6, "半年内": 6, "六个月内": 6})

ITEM_HEADING = re.compile(r"^\s*#{0,6}\s*(?P<code>\d+)\s*[、.．]\s*(?P<name>\S.*)$")
CATEGORY_HEADING = re.compile(r"^\s*#{1,6}\s*(?:[一二三四五六七八九十]+、)?(?P<name>\S.*类)\s*$")
PART = re.compile(r"[（(]\s*(\d+)\s*[）)]")


@dataclass
class Condition:
    text: str
    tags: list[str] = field(default_factory=list)
    checkable: bool = False
    window_months: int | None = None

    def as_json(self):
        return {
            "text": self.text,
            "tags": self.tags,
            "checkable": self.checkable,
            "window_months": self.window_months,
        }


@dataclass
class ListItem:
    code: str
    name: str
    category: str = ""
    basis: str = ""
    preamble: str = ""  # 同时满足下列情形的，不予行政处罚 / 有下列情形之一的
    conditions: list[Condition] = field(default_factory=list)
    sheet: str = ""
    row: int = 0

    @property
    def all_required(self) -> bool:
        return "之一" not in self.preamble

    @property
    def list_kind(self) -> str:
        """首违不罚 when a condition asks for a first offence, else 轻微不罚."""
        return "first" if any("first" in c.tags for c in self.conditions) else "minor"

    def as_json(self):
        return {
            "code": self.code,
            "category": self.category,
            "name": self.name,
            "basis": self.basis,
            "preamble": self.preamble,
            "all_required": self.all_required,
            "list_kind": self.list_kind,
            "conditions": [c.as_json() for c in self.conditions],
        }


@dataclass
class ParsedList:
    items: list[ListItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    def as_json(self):
        return {
            "items": [i.as_json() for i in self.items],
            "problems": [p.as_json() for p in self.problems],
        }


def condition(text: str) -> Condition:
    """One condition, tagged. 近一年内属于首次违法 → first + lookback (12 months)."""
    text = text.strip().rstrip("；;。")
    c = Condition(text=text)
    if "首次" in text or "初次" in text or "第一次" in text:
        c.tags.append("first")
    for word, months in WINDOWS.items():
        if word in text:
            c.window_months = months
            c.tags.append("lookback")
            break
    if "危害后果轻微" in text or "未造成危害后果" in text or "没有造成危害后果" in text:
        c.tags.append("minor_harm")
    if re.search(r"(责令改正期限内|及时|主动|立即)[^；。]*改正|改正违法[^；。]*行为", text):
        c.tags.append("corrected")
    if re.search(
        rf"(?:不超过|以下|以内|低于|少于|未超过)\s*{NUMBER}?|{NUMBER}\s*(?:吨|倍|千克|公斤|立方米|平方米|个|台|件)",
        text,
    ):
        if re.search(r"\d|[一二三四五六七八九十百千万]+(?:吨|倍|日|天|个|小时)", text):
            c.tags.append("duration" if re.search(r"持续时间|日|天|小时", text) else "threshold")
    rest = re.sub(
        r"属于|首次违法|初次违法|近?[一二两三半]年内|年度内|六个月内|在责令改正期限内|改正违法行为|"
        r"危害后果轻微|及时|主动|立即|改正|的|，|,|且|并",
        "",
        text,
    )
    if len(rest) > 12 and not {"threshold", "duration"} & set(c.tags):
        c.tags.append("other")  # e.g. 环境保护设施验收工作已全部完成
    if not c.tags:
        c.tags.append("other")
    c.checkable = all(TAGS[t][1] for t in c.tags)
    return c


def split_conditions(text: str) -> tuple[str, list[Condition]]:
    """'同时满足下列情形的，不予行政处罚：（1）…；（2）…' → preamble and conditions."""
    text = re.sub(r"\s*\n\s*", "", text).strip()
    parts = PART.split(text)
    if len(parts) == 1:
        return "", [condition(text)] if text else []
    preamble = parts[0].strip().rstrip("：:")
    conditions = [condition(parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
    return preamble, conditions


def _join(text: str) -> str:
    """Cell text wrapped by the PDF or Word line breaks, joined (Chinese has no spaces)."""
    return re.sub(r"\s*\n\s*", "", text or "").strip()


LIST_COLUMNS = {
    "code": ("序号", "编号"),
    "category": ("类别", "领域", "分类"),
    "name": ("违法行为",),
    "basis": ("违反条款", "法律依据", "违法依据", "依据"),
    "conditions": ("不予处罚的情节", "情节", "适用条件", "条件", "不予处罚情形"),
}


def _header(row) -> dict[str, int] | None:
    cells = [re.sub(r"\s", "", c) for c in row]
    columns = {}
    for role, words in LIST_COLUMNS.items():
        for word in words:
            hits = [i for i, c in enumerate(cells) if word in c and i not in columns.values()]
            if hits:
                columns[role] = hits[0]
                break
    return columns if "name" in columns and "conditions" in columns else None


def walk_tables(doc: Document, parsed: ParsedList) -> None:
    columns = None
    category = ""
    current: ListItem | None = None
    for sheet in doc.sheets:
        for index, row in enumerate(sheet.rows):
            number_ = sheet.first_row + index
            head = _header(row)
            if head:
                columns = head
                continue
            if not columns or not any(c.strip() for c in row):
                continue

            def get(role, row=row, columns=columns):
                i = columns.get(role)
                return row[i] if i is not None and i < len(row) else ""

            code, name = _join(get("code")), _join(get("name"))
            if code in {"备注", "说明", "注"}:
                current = None
                continue
            if get("category").strip():
                category = _join(get("category"))
            if code and (current is None or code != current.code):
                current = ListItem(code=code, name=name, category=category, sheet=sheet.name)
                current.row = number_
                current.basis = _join(get("basis"))
                current._raw = get("conditions")
                parsed.items.append(current)
            elif current is not None:
                # A row cut by a page break: its cells continue the item above.
                current.name += name if name != current.name else ""
                basis = _join(get("basis"))
                if basis and basis not in current.basis:
                    current.basis += basis
                current._raw += "\n" + get("conditions")
            else:
                parsed.problems.append(Problem(sheet.name, number_, "该行不属于任何清单事项"))
    for item in parsed.items:
        item.preamble, item.conditions = split_conditions(getattr(item, "_raw", ""))
        del item._raw


def walk_text(text: str, parsed: ParsedList, sheet="正文") -> None:
    """Markdown or plain text: `### 9、违法行为` headings, then 违反条款 and 不予处罚的情节."""
    category = ""
    current: ListItem | None = None
    section = ""
    buffers: dict[int, dict[str, list[str]]] = {}
    for number_, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or (line.startswith(":::") and len(line) <= 3):
            continue
        line = re.sub(r"^:::\s*\w+\s*", "", line)  # ::: details 违反条款
        line = re.sub(r":mag:\*\[[^\]]*\]\([^)]*\)\*", "", line).replace("&emsp;", " ")
        line = re.sub(r"^[-*]\s+", "", line)
        line = re.sub(r"-{3,}.*$|原文链接.*$|<https?://[^>]*>", "", line).strip()  # page footer
        if not line:
            continue
        if m := CATEGORY_HEADING.match(raw):
            category = m.group("name")
            continue
        if (m := ITEM_HEADING.match(raw)) and (raw.lstrip().startswith("#") or len(raw) < 120):
            current = ListItem(
                code=m.group("code"), name=m.group("name").strip(), category=category
            )
            current.sheet, current.row = sheet, number_
            parsed.items.append(current)
            buffers[id(current)] = {"basis": [], "conditions": []}
            section = ""
            continue
        if current is None:
            continue
        if re.match(r"^(违反条款|法律依据|违法依据)[:：]?$", line):
            section = "basis"
            continue
        if re.match(r"^(不予处罚的情节|不予处罚情节|适用条件|情节)[:：]?$", line):
            section = "conditions"
            continue
        if m := re.match(r"^(违反条款|法律依据)[:：](.+)$", line):
            section = "basis"
            line = m.group(2)
        elif m := re.match(r"^(不予处罚的情节|适用条件)[:：](.+)$", line):
            section = "conditions"
            line = m.group(2)
        if section:
            buffers[id(current)][section].append(line)
    for item in parsed.items:
        buffer = buffers[id(item)]
        item.basis = "\n".join(buffer["basis"])
        item.preamble, item.conditions = split_conditions("\n".join(buffer["conditions"]))
        if not item.conditions:
            parsed.problems.append(
                Problem(item.sheet, item.row, f"事项 {item.code} 未读出不予处罚的情节")
            )


def parse_list(doc: Document) -> ParsedList:
    parsed = ParsedList(source=doc.name)
    if any(sheet.rows for sheet in doc.sheets):
        walk_tables(doc, parsed)
    if not parsed.items and doc.text:
        walk_text(doc.text, parsed)
    if not parsed.items:
        parsed.problems.append(
            Problem("", 0, "文件中没有找到清单事项（需有“违法行为”和“不予处罚的情节”）")
        )
    for item in parsed.items:
        if not item.basis:
            parsed.problems.append(
                Problem(item.sheet, item.row, f"事项 {item.code} 未读出违反条款")
            )
    return parsed


def parse_list_file(source, name: str | None = None) -> ParsedList:
    return parse_list(read(source, name=name))


def threshold_value(text: str) -> str | None:
    """The first quantity in a threshold condition, as written with its unit (0.1吨)."""
    m = re.search(rf"({NUMBER})\s*(吨|倍|千克|公斤|日|天|小时)", text)
    if not m:
        return None
    try:
        return f"{number(m.group(1))}{m.group(2)}"
    except ValueError:
        return None
