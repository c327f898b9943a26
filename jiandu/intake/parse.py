"""Cell parsers: each takes a raw cell (str, number, bool, date, datetime or None from
calamine/csv/JSON) and returns the clean value or raises Invalid with a Chinese reason.
Pure Python, no ORM, so validating 100k rows costs only function calls."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation


class Invalid(ValueError):
    """A cell that cannot be accepted; str(exc) is the Chinese reason."""


EXCEL_EPOCH = date(1899, 12, 30)
_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
DATE_FORMS = "2024-03-28、2024/3/28 或 2024年3月28日"
_date_cache: dict[str, date] = {}


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores numeric-looking codes as floats
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise Invalid(f"“{value}”不是有效的日期（应为 {DATE_FORMS}）")
    if isinstance(value, int | float):
        # An Excel serial (a date cell read as a number).
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise Invalid(f"“{text(value)}”不是有效的日期（应为 {DATE_FORMS}）")
    raw = str(value).strip()
    hit = _date_cache.get(raw)
    if hit is not None:
        return hit
    m = _DATE_RE.match(raw) or _COMPACT_RE.match(raw)
    if m:
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise Invalid(f"“{raw}”不是存在的日期") from None
        if len(_date_cache) < 20000:
            _date_cache[raw] = day
        return day
    if raw.replace(".", "", 1).isdigit():
        return parse_date(float(raw))
    raise Invalid(f"“{raw}”不是有效的日期（应为 {DATE_FORMS}）")


YES = {"是", "y", "yes", "1", "true", "t", "有", "√"}
NO = {"否", "n", "no", "0", "false", "f", "无", "×"}


def parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise Invalid(f"“{text(value)}”不是有效的是/否值（应为 是 或 否）")
    raw = str(value).strip().lower()
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise Invalid(f"“{value}”不是有效的是/否值（应为 是 或 否）")


_CENT = Decimal("0.01")


def parse_amount(value) -> Decimal:
    if isinstance(value, bool):
        raise Invalid(f"“{value}”不是有效的金额")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        raw = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
        if raw.endswith("元"):
            raw = raw[:-1]
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            raise Invalid(f"“{value}”不是有效的金额") from None
        if not amount.is_finite():
            raise Invalid(f"“{value}”不是有效的金额")
    if amount < 0:
        raise Invalid("金额不能为负数")
    if amount >= Decimal("1e14"):
        raise Invalid(f"金额“{text(value)}”过大")
    return amount.quantize(_CENT)


# A multiple (倍数) is stored with 8 digits, 2 of them decimals.
NUMBER_MAX = Decimal("999999.99")


def parse_number(value) -> Decimal:
    try:
        amount = parse_amount(value)
    except Invalid as exc:
        raise Invalid(str(exc).replace("金额", "数值")) from None
    if amount > NUMBER_MAX:
        raise Invalid(f"数值“{text(value)}”过大（不超过 {NUMBER_MAX}）")
    return amount


_SPLIT_RE = re.compile(r"[；;、,，\n]")


def split_values(value) -> list[str]:
    """A multi-valued cell (；;、, separators) or a JSON list, cleaned, order kept, no duplicates."""
    if isinstance(value, list | tuple):
        parts = [text(v) for v in value]
    else:
        parts = _SPLIT_RE.split(text(value))
    seen, out = set(), []
    for part in parts:
        part = part.strip()
        if part and part not in seen:
            seen.add(part)
            out.append(part)
    return out


def normalise_header(value) -> str:
    """Header cells as people type them: spaces, full-width brackets, a '*' marking required."""
    raw = text(value).replace("\ufeff", "")
    raw = raw.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "")
    return raw.strip("*＊")
