"""裁量计算器: which tier applies and what fine range follows, from the circumstances,
the amounts and the benchmark in force. `calculate` is pure (plain data in, plain data
out, no ORM) so the rules of 行政处罚法 Art. 32/33 are unit-tested on their own; `load`
is the thin part that reads an item's benchmark and lenient list from the database.

The same `tier_range` serves the case page (is the fine inside its tier?)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from jiandu.standards.models import Benchmark, LenientListItem, Tier, TierLevel, ViolationItem

# The contract's 裁量情节 (DATA_CONTRACT.md, PenaltyCase.circumstances).
CIRCUMSTANCES = [
    "初次违法",
    "危害后果轻微",
    "及时改正",
    "主动消除或减轻危害后果",
    "配合查处",
    "受他人胁迫诱骗",
    "多次违法",
    "拒不改正",
    "造成严重后果",
    "妨碍执法",
]
# Art. 32: 应当从轻或者减轻 (the contract's names for its circumstances).
MITIGATING = ["主动消除或减轻危害后果", "受他人胁迫诱骗", "配合查处"]
AGGRAVATING = ["多次违法", "拒不改正", "造成严重后果", "妨碍执法"]
# Art. 33 para. 1 needs facts the contract's list does not name: asked separately.
FACTS = {
    "minor": "违法行为轻微",
    "no_harm": "没有造成危害后果",
    "no_fault": "有证据足以证明没有主观过错",
}

# The models' own labels, so the calculator and the pages never name a level differently.
LEVEL_LABELS = dict(TierLevel.choices)
MULTIPLE_LABELS = dict(Tier._meta.get_field("multiple_of").choices)
LIST_LABELS = dict(LenientListItem.Kind.choices)

ART_32 = "《中华人民共和国行政处罚法》第三十二条"
ART_33_1 = "《中华人民共和国行政处罚法》第三十三条第一款"
ART_33_2 = "《中华人民共和国行政处罚法》第三十三条第二款"
ART_5 = "《中华人民共和国行政处罚法》第五条（过罚相当）"
YUAN = Decimal("1")


@dataclass(frozen=True)
class TierSpec:
    level: str
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_of: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    conditions: str = ""
    other_penalties: str = ""

    @property
    def label(self):
        return LEVEL_LABELS.get(self.level, self.level)


@dataclass(frozen=True)
class LenientSpec:
    list_kind: str
    conditions: str = ""
    basis: str = ""
    effective_on: date | None = None
    # Conditions read from a published list that case data cannot show (a quantity
    # threshold, 验收已完成…): the calculator's user is asked to judge them.
    to_judge: tuple[str, ...] = ()

    @property
    def label(self):
        return LIST_LABELS.get(self.list_kind, self.list_kind)


@dataclass(frozen=True)
class FineRange:
    low: Decimal | None
    high: Decimal | None
    how: str  # a Chinese sentence: how the range was computed

    def contains(self, amount) -> bool | None:
        if amount is None or (self.low is None and self.high is None):
            return None
        amount = Decimal(str(amount))
        if self.low is not None and amount < self.low:
            return False
        return not (self.high is not None and amount > self.high)


@dataclass
class Result:
    level: str
    optional: bool = False  # 可以 (may) rather than 应当 (must)
    reasons: list[str] = field(default_factory=list)
    legal: list[str] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)
    tier: TierSpec | None = None
    range: FineRange | None = None
    lenient: list[LenientSpec] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self):
        return LEVEL_LABELS.get(self.level, self.level)

    @property
    def alternative_labels(self):
        return [LEVEL_LABELS.get(a, a) for a in self.alternatives]


def _yuan(value: Decimal) -> Decimal:
    return value.quantize(YUAN, rounding=ROUND_HALF_UP)


def _amount(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


def tier_range(tier: TierSpec, illegal_income=None, goods_value=None) -> FineRange:
    """The fine range of a tier in 元. Multiples of 违法所得/货值金额 are applied when that
    amount is known and positive; otherwise the fixed amounts (laws usually name them
    for the case "没有违法所得或者违法所得不足…")."""
    amounts = {"illegal_income": _amount(illegal_income), "goods_value": _amount(goods_value)}
    if tier.multiple_of and (tier.multiple_min is not None or tier.multiple_max is not None):
        base = amounts.get(tier.multiple_of)
        name = MULTIPLE_LABELS.get(tier.multiple_of, tier.multiple_of)
        if base is not None and base > 0:
            low = _yuan(base * tier.multiple_min) if tier.multiple_min is not None else None
            high = _yuan(base * tier.multiple_max) if tier.multiple_max is not None else None
            lo_txt = f"{tier.multiple_min.normalize():f}" if tier.multiple_min is not None else "—"
            hi_txt = f"{tier.multiple_max.normalize():f}" if tier.multiple_max is not None else "—"
            return FineRange(low, high, f"{name} {base:,.2f} 元 × {lo_txt}～{hi_txt} 倍")
        if tier.fine_min is None and tier.fine_max is None:
            return FineRange(None, None, f"按{name}的倍数计算，请填写{name}。")
        return FineRange(tier.fine_min, tier.fine_max, f"未填写{name}（或为零），按固定金额计算")
    if tier.fine_min is None and tier.fine_max is None:
        return FineRange(None, None, "该阶次未设罚款金额")
    return FineRange(tier.fine_min, tier.fine_max, "固定金额")


def ratio_warning(tier: TierSpec, limit: Decimal = Decimal("10")) -> str | None:
    """国发〔2024〕5号: a fixed fine range should keep max/min within 10×."""
    if tier.fine_min and tier.fine_max and tier.fine_min > 0:
        ratio = tier.fine_max / tier.fine_min
        if ratio > limit:
            return f"{tier.label}阶次罚款上限是下限的 {ratio:.1f} 倍，超过 {limit:.0f} 倍。"
    return None


def calculate(
    *,
    circumstances,
    facts=(),
    tiers: list[TierSpec] | None = None,
    lenient: list[LenientSpec] | None = None,
    illegal_income=None,
    goods_value=None,
    earlier_violations: bool = False,
) -> Result:
    """Decide the tier. `circumstances`: names from CIRCUMSTANCES; `facts`: keys of FACTS;
    `tiers`: the benchmark in force (empty: none); `lenient`: the item's list entries in force."""
    have = set(circumstances or ())
    facts = set(facts or ())
    tiers = list(tiers or [])
    lenient = list(lenient or [])
    by_level = {t.level: t for t in tiers}
    lists = {entry.list_kind: entry for entry in lenient}
    if "初次违法" in have and earlier_violations:
        have.discard("初次违法")
    mitigating = [c for c in MITIGATING if c in have]
    aggravating = [c for c in AGGRAVATING if c in have]

    result = _decide(have, facts, lists, mitigating, aggravating, by_level)
    if not tiers:
        result.warnings.append("该事项在所选日期没有生效的裁量基准，无法给出罚款幅度。")
    elif result.level != "exempt":
        tier = by_level.get(result.level)
        if tier is None:
            result.warnings.append(f"现行基准未设“{result.label}”阶次，请对照处罚依据裁量。")
        else:
            result.tier = tier
            result.range = tier_range(tier, illegal_income, goods_value)
    elif "exempt" in by_level:
        result.tier = by_level["exempt"]
    if result.level == "exempt":
        result.reasons.append("不予行政处罚的，应当对当事人进行教育。")
    return result


def _decide(have, facts, lists, mitigating, aggravating, by_level) -> Result:
    harmless = "no_harm" in facts and "造成严重后果" not in have
    if "no_fault" in facts:
        return Result(
            "exempt", reasons=["有证据足以证明没有主观过错，不予行政处罚。"], legal=[ART_33_2]
        )
    if ("minor" in facts or "minor" in lists) and "及时改正" in have and harmless:
        result = Result(
            "exempt",
            reasons=["违法行为轻微并及时改正，没有造成危害后果，不予行政处罚。"],
            legal=[ART_33_1],
        )
        if "minor" in lists:
            result.lenient.append(lists["minor"])
        return result
    first_ok = all(c in have for c in ("初次违法", "危害后果轻微", "及时改正"))
    if first_ok and "first" in lists and not aggravating:
        result = Result(
            "exempt",
            optional=True,
            reasons=["列入首违不罚清单，初次违法且危害后果轻微并及时改正，可以不予行政处罚。"],
            legal=[ART_33_1],
        )
        result.lenient.append(lists["first"])
        # If the unit still punishes, the lightest tier is where it should look.
        result.alternatives = [lv for lv in ("mitigated", "lighter") if lv in by_level]
        return result
    notes = []
    if first_ok and "first" not in lists:
        notes.append("该事项未列入首违不罚清单，初次违法等情节按从轻情节考虑。")
    if mitigating and aggravating:
        return Result(
            "general",
            reasons=[
                *notes,
                f"同时存在从轻情节（{'、'.join(mitigating)}）和从重情节（{'、'.join(aggravating)}），综合裁量，按一般阶次。",
            ],
            legal=[ART_32, ART_5],
        )
    if aggravating:
        return Result(
            "heavier",
            reasons=[*notes, f"存在从重情节：{'、'.join(aggravating)}。"],
            legal=[ART_5],
        )
    if mitigating:
        result = Result(
            "lighter",
            reasons=[
                *notes,
                f"存在法定从轻或者减轻情节：{'、'.join(mitigating)}，应当从轻或者减轻。",
            ],
            legal=[ART_32],
        )
        if "mitigated" in by_level:
            result.alternatives = ["mitigated"]
        if "mitigate" in lists:
            result.lenient.append(lists["mitigate"])
        return result
    if "mitigate" in lists and (first_ok or ("危害后果轻微" in have and "及时改正" in have)):
        result = Result(
            "lighter",
            reasons=[*notes, "列入从轻减轻处罚清单，危害后果轻微并及时改正，可以从轻处罚。"],
            legal=[ART_32],
            optional=True,
        )
        result.lenient.append(lists["mitigate"])
        return result
    return Result(
        "general", reasons=[*notes, "无法定从轻、减轻或从重情节，按一般阶次。"], legal=[ART_5]
    )


# --- the thin loader -------------------------------------------------------------


def load(item, day: date):
    """(tiers, lenient entries, benchmark) of `item` in force on `day`: published only."""
    benchmark = Benchmark.objects.in_force(day).filter(item=item).first()
    tiers = [spec_of(t) for t in benchmark.tiers.all()] if benchmark else []
    entries = LenientListItem.objects.filter(
        Q(item=item) | Q(code=item.code), published=True
    ).filter(Q(effective_on__isnull=True) | Q(effective_on__lte=day))
    lenient = [
        LenientSpec(
            e.list_kind,
            e.conditions,
            e.basis,
            e.effective_on,
            tuple(c["text"] for c in e.condition_parts or [] if not c.get("checkable")),
        )
        for e in entries
    ]
    return tiers, lenient, benchmark


def spec_of(tier) -> TierSpec:
    return TierSpec(
        level=tier.level,
        fine_min=tier.fine_min,
        fine_max=tier.fine_max,
        multiple_of=tier.multiple_of,
        multiple_min=tier.multiple_min,
        multiple_max=tier.multiple_max,
        conditions=tier.conditions,
        other_penalties=tier.other_penalties,
    )


def tier_ranges(benchmark, illegal_income=None, goods_value=None) -> list[tuple[Tier, FineRange]]:
    """Each tier of `benchmark` with its fine range (multiples computed when the amounts
    are given)."""
    return [(t, tier_range(spec_of(t), illegal_income, goods_value)) for t in benchmark.tiers.all()]


def case_benchmark(case) -> dict:
    """A decided case against the benchmark in force on its decision date: every tier's
    range for the case's amounts, and the claimed tier's range with whether the fine lies
    inside it. `case` is a PenaltyCase (read by attribute: standards sits below
    enforcement)."""
    item = case.violation or ViolationItem.objects.filter(code=case.violation_code).first()
    day = case.decided_on
    if item is None or day is None:
        return {"item": item, "day": day}
    benchmark = Benchmark.objects.in_force(day).filter(item=item).prefetch_related("tiers").first()
    info = {"item": item, "day": day, "benchmark": benchmark, "tiers": []}
    if benchmark is None:
        return info
    for tier, rng in tier_ranges(benchmark, case.illegal_income, case.goods_value):
        claimed = tier.level == case.tier
        info["tiers"].append({"tier": tier, "range": rng, "claimed": claimed})
        if claimed:
            info["claimed"] = {"tier": tier, "range": rng, "inside": rng.contains(case.fine)}
    return info
