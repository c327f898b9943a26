"""From a parsed published file to draft rows, from draft rows to the platform's tiers.

Numbered tiers (1..N) are mapped to the platform's 阶次 through a mapping the supervisor
confirms, per number of tiers an item has: {"3": {"1": "lighter", "2": "general", "3":
"heavier"}, "5": {...}}. The default is proportional. Numbered tiers that land on the same
阶次 are merged (lowest minimum, highest maximum, their circumstances listed with their
numbers). A second ladder (逾期不改正, 责任人员…) stays as text with the heaviest tier.
"""

from collections import defaultdict
from decimal import Decimal

from jiandu.standards.models import TierLevel

PLATFORM_BASES = {"illegal_income", "goods_value"}
SCALE = [TierLevel.LIGHTER, TierLevel.GENERAL, TierLevel.HEAVIER]
NAMED = {
    "不予处罚": TierLevel.EXEMPT,
    "免罚": TierLevel.EXEMPT,
    "减轻": TierLevel.MITIGATED,
    "从轻": TierLevel.LIGHTER,
    "轻微": TierLevel.LIGHTER,
    "一般": TierLevel.GENERAL,
    "较重": TierLevel.HEAVIER,
    "从重": TierLevel.HEAVIER,
    "严重": TierLevel.HEAVIER,
    "特别严重": TierLevel.HEAVIER,
}
ORDER = [TierLevel.EXEMPT, TierLevel.MITIGATED, *SCALE]


def rows_from_benchmark(parsed) -> list[dict]:
    """PublishedRow fields for every tier row of a parsed 裁量基准."""
    rows = []
    for item in parsed.items:
        for tier in item.tiers:
            rows.append(
                {
                    "sheet": tier.sheet,
                    "row_number": tier.row,
                    "item_code": item.code,
                    "item_name": item.name,
                    "basis": item.basis,
                    "level": tier.level,
                    "ladder": tier.ladder,
                    "circumstances": tier.circumstances,
                    "fine_min": tier.fine_min,
                    "fine_max": tier.fine_max,
                    "multiple_of": tier.multiple_of[:60],
                    "multiple_min": tier.multiple_min,
                    "multiple_max": tier.multiple_max,
                    "measures": "；".join(tier.measures),
                    "original": tier.original,
                    "problem": "；".join(tier.problems),
                }
            )
    return rows


def rows_from_list(parsed) -> list[dict]:
    """PublishedRow fields for every item of a parsed 不予处罚 list."""
    return [
        {
            "sheet": item.sheet,
            "row_number": item.row,
            "item_code": item.code,
            "item_name": item.name,
            "basis": item.basis,
            "category": item.category[:100],
            "level": item.list_kind,
            "circumstances": item.preamble,
            "conditions": [c.as_json() for c in item.conditions],
            "original": item.preamble,
            "problem": "" if item.conditions else "未读出不予处罚的情节",
        }
        for item in parsed.items
    ]


def default_mapping(counts: dict[str, list[str]]) -> dict:
    """{tier count: {numbered level: platform level}}, proportional: of N tiers, tier i
    goes to 从轻/一般/从重 by the third its middle falls in (5 tiers: 1-2 从轻, 3 一般,
    4-5 从重; one tier alone is 一般)."""
    mapping = {}
    for count, levels in counts.items():
        n = len(levels)
        mapping[count] = {
            level: (
                NAMED.get(level)
                or (TierLevel.GENERAL if n == 1 else SCALE[min(2, (2 * i + 1) * 3 // (2 * n))])
            ).value
            for i, level in enumerate(levels)
        }
    return mapping


def item_levels(rows) -> dict[str, list[str]]:
    """Per item code, its ladder-1 levels in order."""
    levels = defaultdict(list)
    for row in rows:
        if row.ladder == 1 and not row.excluded and row.level not in levels[row.item_code]:
            levels[row.item_code].append(row.level)
    return levels


def level_counts(rows) -> dict[str, list[str]]:
    """{tier count: the levels such items have} over a draft's rows."""
    counts: dict[str, list[str]] = {}
    for levels in item_levels(rows).values():
        key = str(len(levels))
        if key not in counts or len(levels) > len(counts[key]):
            counts[key] = levels
    return dict(sorted(counts.items(), key=lambda kv: int(kv[0])))


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


def band_text(row) -> str:
    if row.multiple_of:
        return f"{row.multiple_of} {_money(row.multiple_min)}～{_money(row.multiple_max)} 倍"
    if row.fine_min is None and row.fine_max is None:
        return "无罚款"
    return f"{_money(row.fine_min)}～{_money(row.fine_max)} 元"


def mapped_tiers(rows, mapping: dict) -> list[dict]:
    """The platform tiers of one item's rows (excluded rows left out)."""
    rows = [r for r in rows if not r.excluded]
    main = [r for r in rows if r.ladder == 1]
    levels = []
    for r in main:
        if r.level not in levels:
            levels.append(r.level)
    table = (
        mapping.get(str(len(levels)))
        or default_mapping({str(len(levels)): levels})[str(len(levels))]
    )
    merged: dict[str, dict] = {}
    for r in main:
        target = table.get(r.level) or NAMED.get(r.level, TierLevel.GENERAL)
        tier = merged.setdefault(
            target,
            {
                "level": target,
                "conditions": [],
                "fine_min": None,
                "fine_max": None,
                "multiple_of": "",
                "multiple_min": None,
                "multiple_max": None,
                "other_penalties": [],
            },
        )
        label = f"第{r.level}档" if r.level.isdigit() else r.level
        tier["conditions"].append(f"{label}：{r.circumstances}（{band_text(r)}）")
        if r.multiple_of in PLATFORM_BASES:
            tier["multiple_of"] = tier["multiple_of"] or r.multiple_of
            tier["multiple_min"] = _lowest(tier["multiple_min"], r.multiple_min)
            tier["multiple_max"] = _highest(tier["multiple_max"], r.multiple_max)
        elif r.multiple_of:
            tier["other_penalties"].append(f"按{r.multiple_of}计罚：{band_text(r)}")
        if r.fine_min is not None or r.fine_max is not None:
            if r.fine_min is not None:
                tier["fine_min"] = _lowest(tier["fine_min"], r.fine_min)
            tier["fine_max"] = _highest(tier["fine_max"], r.fine_max)
        for m in filter(None, r.measures.split("；")):
            if m not in tier["other_penalties"]:
                tier["other_penalties"].append(m)
    tiers = [merged[level] for level in ORDER if level in merged]
    others = [r for r in rows if r.ladder > 1]
    if tiers and others:
        tiers[-1]["other_penalties"].append(
            "另一序列（逾期不改正等）："
            + "；".join(f"第{r.level}档 {r.circumstances}（{band_text(r)}）" for r in others)
        )
    for t in tiers:
        t["conditions"] = "\n".join(t["conditions"])
        t["other_penalties"] = "；".join(t["other_penalties"])
    return tiers


def _lowest(a, b):
    return b if a is None else a if b is None else min(a, b)


def _highest(a, b):
    return b if a is None else a if b is None else max(a, b)


def rows_by_item(rows) -> dict[str, list]:
    by_item: dict[str, list] = {}
    for row in rows:
        by_item.setdefault(row.item_code, []).append(row)
    return by_item


def differences(draft, today) -> list[dict]:
    """What publishing the draft changes against the version in force today, per item:
    new items, changed or added or dropped 阶次 (amounts and multiples)."""
    from jiandu.standards.models import ViolationItem

    rows = list(draft.rows.all())
    by_item = rows_by_item(rows)
    codes = [draft.code_prefix + code for code in by_item]
    existing = {i.code: i for i in ViolationItem.objects.filter(code__in=codes)}
    changes = []
    for code, item_rows in by_item.items():
        if all(r.excluded for r in item_rows):
            continue
        full = draft.code_prefix + code
        new = {t["level"]: t for t in mapped_tiers(item_rows, draft.mapping)}
        item = existing.get(full)
        current = item.benchmark_on(today) if item else None
        if current is None:
            changes.append({"code": full, "name": item_rows[0].item_name, "change": "新增"})
            continue
        old = {t.level: t for t in current.tiers.all()}
        lines = []
        for level in ORDER:
            label = TierLevel(level).label
            a, b = old.get(level), new.get(level)
            if a and not b:
                lines.append(f"{label}：删除")
            elif b and not a:
                lines.append(f"{label}：新增 {_range(b)}")
            elif a and b and _range(b) != _range(a.__dict__):
                lines.append(f"{label}：{_range(a.__dict__)} → {_range(b)}")
        if lines:
            changes.append(
                {
                    "code": full,
                    "name": item_rows[0].item_name,
                    "change": f"第{current.version}版 → 新版：" + "；".join(lines),
                }
            )
    return changes


def _range(t: dict) -> str:
    if t.get("multiple_of"):
        return f"{_money(t['multiple_min'])}～{_money(t['multiple_max'])}倍"
    return f"{_money(t['fine_min'])}～{_money(t['fine_max'])}元"
