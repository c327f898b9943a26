"""A band phrase read exactly: 处二万元以上五万元以下罚款, 五十万元以下, 处一千元罚款,
违法所得一倍以上十倍以下, 对个人/对单位, 按日连续处罚, 并处/或者, 责令改正 and other measures.

`parse_band(text)` is pure: it returns every fine band it finds (with the subject and the
condition written before it), the other measures, and the parts it could not read.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .numerals import NUMBER, number, plain, ratio

# The bases of multiples the platform computes; other bases (所收费用, 总投资额…) are kept
# as written.
BASES = {"违法所得": "illegal_income", "货值金额": "goods_value", "货值": "goods_value"}

AMOUNT = rf"(?:{NUMBER}\s*元|{NUMBER}(?=\s*以上))"  # 二百以上五百元以下: the first 元 left out
MONEY_RANGE = re.compile(
    rf"(?P<lo>{AMOUNT})\s*以上\s*(?:[，,]?\s*)?(?P<hi>{NUMBER}\s*元?)\s*以下"
    rf"|(?P<max>{NUMBER}\s*元)\s*以下"
    rf"|(?P<fixed>{NUMBER}\s*元)"
)
RATIO = rf"(?:百分之{NUMBER}|{NUMBER}\s*[%％]|{NUMBER}\s*倍|等值)"
MULTIPLE_RANGE = re.compile(
    rf"(?P<base>[^\d，,；;。、]{{0,30}}?)的?"
    rf"(?:(?P<lo>{RATIO})\s*以上\s*(?P<hi>{RATIO})(?:\s*以下)?|(?P<max>{RATIO})\s*以下|(?P<fixed>{RATIO}))"
)
FINE_WORD = re.compile(r"罚款|罚金")
# The words between a band and 罚款: 的, 元 written twice, nothing else.
TAIL = re.compile(
    r"^\s*(?:元)?\s*(?:的)?\s*(?:标准)?\s*(?:处以)?\s*(?:罚款|罚金)|^\s*(?:元)?\s*(?:的标准.*)?$"
)

SUBJECTS = [
    ("直接负责的主管人员", "直接责任人员"),
    ("责任人", "直接责任人员"),
    ("主要负责人", "直接责任人员"),
    ("法定代表人", "直接责任人员"),
    ("对个人", "个人"),
    ("个人", "个人"),
    ("对单位", "单位"),
    ("单位", "单位"),
]

MEASURE = re.compile(
    r"(责令[^，,；;。]*|没收[^，,；;。]*|[给予]*警告|通报批评|吊销[^，,；;。]*|暂扣[^，,；;。]*"
    r"|[^，,；;。]*拘留|限期[^，,；;。]*|停[产业工][^，,；;。]*|强制拆除[^，,；;。]*|予以公告"
    r"|禁止[^，,；;。]*|[^，,；;。]*关闭|[^，,；;。]*代为[^，,；;。]*|降低资质等级|限制[^，,；;。]*)"
)
FILLER = re.compile(r"^(?:并|并且|可以|可|并可以|并可|处以?|或者|由|依法|予以|给予|的|，|,|\s)+")


@dataclass
class Band:
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_of: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    subject: str = ""  # 单位 / 个人 / 直接责任人员, "" when the phrase does not say
    condition: str = ""  # 情节严重的 / 逾期不改正的 / 违法所得不足1万元的…
    optional: bool = False  # 可以处 / 可处
    joint: bool = False  # 并处
    alternative: bool = False  # 或者 (…拘留或者五百元以下罚款)
    daily: bool = False  # 按日连续处罚
    text: str = ""

    def as_dict(self):
        return {
            "fine_min": plain(self.fine_min),
            "fine_max": plain(self.fine_max),
            "multiple_of": self.multiple_of,
            "multiple_min": plain(self.multiple_min),
            "multiple_max": plain(self.multiple_max),
            "subject": self.subject,
            "condition": self.condition,
            "optional": self.optional,
            "joint": self.joint,
            "alternative": self.alternative,
            "daily": self.daily,
            "text": self.text,
        }


@dataclass
class BandParse:
    text: str
    bands: list[Band] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    daily: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def main(self) -> Band | None:
        """The band a tier takes: the first one for the party itself (no condition, not
        for individuals or the persons in charge), else the first one."""
        for band in self.bands:
            if not band.condition and band.subject in ("", "单位"):
                return band
        return self.bands[0] if self.bands else None


SENTENCE = re.compile(r"[；;。\n|]+")
CLAUSE = re.compile(r"[，,：:]+")


def _money(text: str) -> Decimal:
    text = re.sub(r"\s", "", text).rstrip("元")
    return number(text)


def _base(text: str) -> str:
    text = re.sub(r"^(?:并|可以|可|处以?|以|按照?|对[^处]*处以?|的)+", "", text.strip())
    text = text.removesuffix("的")
    for word, key in BASES.items():
        if word in text:
            return key
    return text


def _read_fine(clause: str, last_base: str = "") -> tuple[Band | None, str | None]:
    """The band of one clause that mentions 罚款 (or ends in a band: 处以一百元以上一千元以下),
    or a problem."""
    fine = FINE_WORD.search(clause)
    before = clause[: fine.start()] if fine else clause
    # A money band right before 罚款 (only 的/元 between).
    for m in MONEY_RANGE.finditer(before):
        if not TAIL.match(clause[m.end() :]):
            continue
        try:
            if m.group("lo"):
                band = Band(fine_min=_money(m.group("lo")), fine_max=_money(m.group("hi")))
            elif m.group("max"):
                band = Band(fine_max=_money(m.group("max")))
            else:
                amount = _money(m.group("fixed"))
                band = Band(fine_min=amount, fine_max=amount)
        except (ValueError, KeyError):
            return None, f"金额无法识别：{m.group(0)}"
        band.text = clause[: m.end()]
        if band.fine_min is not None and band.fine_max is not None:
            if band.fine_min > band.fine_max:
                return None, f"罚款下限大于上限：{m.group(0)}"
        return band, None
    for m in MULTIPLE_RANGE.finditer(before):
        if not TAIL.match(clause[m.end() :]):
            continue
        try:
            if m.group("lo"):
                lo, hi = ratio(m.group("lo")), ratio(m.group("hi"))
            elif m.group("max"):
                lo, hi = None, ratio(m.group("max"))
            else:
                lo = hi = ratio(m.group("fixed"))
        except (ValueError, KeyError):
            return None, f"倍数无法识别：{m.group(0)}"
        base = _base(m.group("base")) or last_base  # 情节严重的，处五倍以上十倍以下罚款
        if not base:
            return None, f"未写明倍数的基数：{m.group(0)}"
        band = Band(multiple_of=base, multiple_min=lo, multiple_max=hi, text=clause[: m.end()])
        return band, None
    # 按照直接损失的百分之三十计算罚款
    m = re.search(rf"按照?(?P<base>[^，,；;。]+?)的?(?P<r>{RATIO})计算", before)
    if m:
        try:
            r = ratio(m.group("r"))
        except (ValueError, KeyError):
            return None, f"倍数无法识别：{m.group(0)}"
        return Band(multiple_of=_base(m.group("base")), multiple_min=r, multiple_max=r), None
    return None, f"未能读出罚款幅度：{clause}"


def _subject(prefix: str) -> str:
    for word, subject in SUBJECTS:
        if word in prefix:
            return subject
    m = re.match(r"(?:并)?对(?P<who>[^处，,]{1,20}?)(?:可以?)?(?:并)?处", prefix)
    return m.group("who") if m else ""


def parse_band(text: str) -> BandParse:
    """Every band, measure and problem of a band phrase as published."""
    result = BandParse(text=text or "")
    text = (text or "").strip()
    if not text or text in {"暂无", "无", "/", "-"}:
        return result
    result.daily = "按日连续处罚" in text
    last_base = ""
    for sentence in SENTENCE.split(text):
        condition = ""
        subject = ""
        banded = False
        for clause in CLAUSE.split(sentence):
            clause = re.sub(r"\s+", "", clause)
            clause = re.sub(r"^(?:\d+[.、．]|[（(]?[一二三四五六七八九十\d]+[）)、])", "", clause)
            if not clause:
                continue
            if clause.endswith("的") and not re.search(r"处.*罚[款金]的$", clause):
                condition = clause  # applies to what follows in the sentence
                subject = _subject(clause) or subject
                continue
            cap = re.search(rf"最高不(?:超过|得超过|高于)(?P<cap>{NUMBER}\s*元)", clause)
            if cap and result.bands:
                result.bands[-1].fine_max = _money(cap.group("cap"))  # the multiple's ceiling
                continue
            per_head = "每" in clause and "元" in clause  # 按照…每人1000元以上…的标准计算
            if (
                clause.startswith(("按", "不足"))
                and clause.endswith(("计算", "计罚"))
                and not per_head
            ):
                result.notes.append(clause)  # 货值金额不足十万元的，按十万元计算
                continue
            if re.search(r"支付|赔偿|补偿", clause):
                result.measures.append(FILLER.sub("", clause))
                continue
            has_fine = bool(FINE_WORD.search(clause))
            bare_band = not has_fine and (
                re.search(r"[处按].*(?:以下|倍)$", clause)
                or (per_head and clause.startswith("按"))
                or MONEY_RANGE.fullmatch(clause)  # 五十万元以下, as a column of bands has it
            )
            note = ("每" in clause and "增加" in clause) or clause.startswith(("（", "(", "不足"))
            if note and not has_fine:
                result.notes.append(clause)  # how to compute inside the band, kept as written
                continue
            if has_fine or bare_band:
                if has_fine and banded and not re.search(r"[\d元倍%％十百千万]", clause):
                    continue  # …的标准计算，处以罚款: the band was in the clause before
                rest = clause
                # 处五日以下拘留或者五百元以下罚款: the measure before 或者 is a measure.
                if "或者" in rest and ("拘留" in rest.split("或者")[0]):
                    head, rest = rest.split("或者", 1)
                    result.measures.append(FILLER.sub("", head))
                    alternative = True
                else:
                    alternative = clause.startswith("或") or "或者处" in clause
                band, problem = _read_fine(rest, last_base)
                if problem:
                    result.problems.append(problem)
                    continue
                band.subject = _subject(band.text) or subject
                band.condition = condition
                band.optional = bool(re.search(r"可以?[并处]|^可", band.text[:8]))
                band.joint = "并" in band.text[:4]
                band.alternative = alternative
                band.daily = result.daily
                band.text = clause
                result.bands.append(band)
                banded = True
                subject = band.subject if band.subject != "单位" else subject
                if band.multiple_of:
                    last_base = band.multiple_of
                continue
            if MEASURE.search(clause):
                result.measures.append(FILLER.sub("", clause).strip())
                continue
            if _subject(clause) and len(clause) < 60:
                subject = _subject(clause)
                continue
            if "按日连续处罚" in clause:
                continue
            if "处" not in clause and "罚" not in clause:
                condition = clause  # 涉及发票金额不满50000元: a threshold before its band
                continue
            if "元" in clause or "倍" in clause:
                result.problems.append(f"未能读出：{clause}")
            else:
                # Words that are neither a band nor a measure: kept as a measure, as written.
                result.measures.append(FILLER.sub("", clause))
    return result
