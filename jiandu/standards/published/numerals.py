"""Chinese and Arabic numbers as published: 二万, 一千二百, 两, 0.5万, 30000, 百分之五十, 30%."""

import re
from decimal import Decimal, InvalidOperation

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
DIGITS.update({"六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4})
DIGITS.update({"伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9})
SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}

CN = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿"
# A number as written in a band: Arabic (with decimals and separators) followed by
# optional Chinese units (1万, 0.5万, 10万), or Chinese numerals alone (二万, 一百五十).
NUMBER = rf"(?:\d[\d,，]*(?:\.\d+)?[十百千万亿]*|[{CN}]+(?:点[{CN}]+)?)"


def cn_int(text: str) -> Decimal:
    """一千二百 → 1200, 十五 → 15, 二万五千 → 25000, 三亿 → 300000000."""
    total = Decimal(0)  # finished 亿/万 sections
    section = Decimal(0)  # below 万
    digit = None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL:
            section += (1 if digit is None else digit) * SMALL[ch]
            digit = None
        elif ch in BIG:
            section += digit or 0
            digit = None
            if section == 0:
                section = Decimal(1)
            if BIG[ch] == 100_000_000:
                total = (total + section) * BIG[ch]
            else:
                total += section * BIG[ch]
            section = Decimal(0)
        else:
            raise ValueError(text)
    return total + section + (digit or 0)


def number(text: str) -> Decimal:
    """Any NUMBER: '2' '0.5万' '1,000' '二万' '十五' '两千' '一点五万'."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        raise ValueError(text)
    if text[0].isdigit():
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([十百千万亿]*)", text)
        if not m:
            raise ValueError(text)
        try:
            value = Decimal(m.group(1))
        except InvalidOperation as e:
            raise ValueError(text) from e
        for ch in m.group(2):
            value *= SMALL.get(ch) or BIG[ch]
        return value
    if "点" in text:
        whole, frac = text.split("点", 1)
        # 一点五万: the fraction's digits, then the trailing units
        units = ""
        while frac and (frac[-1] in BIG or frac[-1] in SMALL):
            units = frac[-1] + units
            frac = frac[:-1]
        value = Decimal(f"{cn_int(whole) if whole else 0}.{''.join(str(DIGITS[c]) for c in frac)}")
        for ch in units:
            value *= SMALL.get(ch) or BIG[ch]
        return value
    return cn_int(text)


def ratio(text: str) -> Decimal:
    """A multiple: '一倍' '2倍' '百分之五十' '30%' '0.5倍' → Decimal (0.5 for 百分之五十)."""
    text = text.strip()
    if text == "等值":
        return Decimal(1)
    if text.startswith("百分之"):
        return number(text[3:]) / 100
    if text.endswith(("%", "％")):
        return number(text[:-1]) / 100
    if text.endswith("倍"):
        text = text[:-1]
    return number(text)


def plain(value: Decimal | None) -> str | None:
    """Decimal as JSON-friendly text without trailing zeros: 20000, 0.5."""
    if value is None:
        return None
    value = value.normalize()
    return format(value, "f")
