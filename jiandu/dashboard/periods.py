"""Reporting periods for the leadership's statistics: a month, a quarter, a year or a
custom range, read from the URL, each with the period before it to compare with.

Pure date arithmetic, no ORM: the statistics and the 通报 document share it, so a period
means the same days everywhere."""

from dataclasses import dataclass
from datetime import date, timedelta

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KINDS = [(MONTH, "月度"), (QUARTER, "季度"), (YEAR, "年度"), (CUSTOM, "自定义")]
QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
# A custom range longer than this is refused: the page groups by month and a decade of
# months is not a chart anybody reads.
MAX_DAYS = 3 * 366


class PeriodError(ValueError):
    """A period the user asked for that cannot be read; the message is for the user."""


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive
    name: str = ""  # a named span (a campaign's), shown instead of the dates

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{QUARTER_NAMES[_quarter(self.start)]}季度"
        if self.kind == YEAR:
            return f"{self.start.year}年"
        return f"{_cn(self.start)}至{_cn(self.end)}"

    @property
    def value(self) -> str:
        """What the period selector puts in `?value=` for this period."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{_quarter(self.start)}"
        if self.kind == YEAR:
            return str(self.start.year)
        return ""

    def previous(self) -> "Period":
        """The period just before, of the same kind (a custom range: the same length)."""
        if self.kind == MONTH:
            return month(_shift_months(self.start, -1))
        if self.kind == QUARTER:
            return quarter(_shift_months(self.start, -3))
        if self.kind == YEAR:
            return year(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period(CUSTOM, end - timedelta(days=self.days - 1), end)

    def buckets(self) -> list[tuple[date, date, str]]:
        """The trend chart's steps: months for a period over two months, else weeks
        (Monday to Sunday, clipped to the period). (start, end, label) each."""
        out = []
        if self.days > 62:
            first = self.start.replace(day=1)
            while first <= self.end:
                nxt = _shift_months(first, 1)
                out.append(
                    (
                        max(first, self.start),
                        min(nxt - timedelta(days=1), self.end),
                        f"{first:%Y-%m}",
                    )
                )
                first = nxt
            return out
        monday = self.start - timedelta(days=self.start.weekday())
        while monday <= self.end:
            lo, hi = max(monday, self.start), min(monday + timedelta(days=6), self.end)
            out.append((lo, hi, f"{lo:%m-%d}"))
            monday += timedelta(days=7)
        return out

    def as_of(self, today: date) -> date:
        """The last day whose state the period can show: its end, or today if sooner."""
        return min(self.end, today)


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _shift_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month(day: date) -> Period:
    first = day.replace(day=1)
    return Period(MONTH, first, _shift_months(first, 1) - timedelta(days=1))


def quarter(day: date) -> Period:
    first = date(day.year, (_quarter(day) - 1) * 3 + 1, 1)
    return Period(QUARTER, first, _shift_months(first, 3) - timedelta(days=1))


def year(number: int) -> Period:
    return Period(YEAR, date(number, 1, 1), date(number, 12, 31))


def span(name: str, start: date, end: date) -> Period:
    """A named custom period (a campaign from its first phase's start to its last
    phase's end); the period before it is the same number of days before."""
    return Period(CUSTOM, start, end, name)


def _read_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except (AttributeError, ValueError):
        raise PeriodError(f"{what}“{text}”不是有效日期，请按 2026-01-31 的格式填写。") from None


FIRST_YEAR, LAST_YEAR = 1990, 2100


def parse(params, today: date) -> Period:
    """The period in `params` (`kind` and `value`, or `start`/`end` for a custom range);
    without one, the current month. Raises PeriodError with a Chinese message."""
    period = _parse(params, today)
    # The period before it must exist too (no year 0), and nobody counts 1066.
    if period.start.year <= FIRST_YEAR or period.end.year > LAST_YEAR:
        raise PeriodError(f"统计期间应在{FIRST_YEAR + 1}年至{LAST_YEAR}年之间。")
    return period


def _parse(params, today: date) -> Period:
    kind = (params.get("kind") or MONTH).strip()
    value = (params.get("value") or "").strip()
    try:
        if kind == MONTH:
            if not value:
                return month(today)
            y, m = value.split("-")
            return month(date(int(y), int(m), 1))
        if kind == QUARTER:
            if not value:
                return quarter(today)
            y, q = value.upper().split("-Q")
            if not 1 <= int(q) <= 4:
                raise ValueError
            return quarter(date(int(y), (int(q) - 1) * 3 + 1, 1))
        if kind == YEAR:
            number = int(value) if value else today.year
            if not FIRST_YEAR < number <= LAST_YEAR:
                raise ValueError
            return year(number)
    except ValueError:
        raise PeriodError(f"统计期间“{value}”无法识别。") from None
    if kind == CUSTOM:
        start = _read_date(params.get("start") or "", "开始日期")
        end = _read_date(params.get("end") or "", "结束日期")
        if end < start:
            raise PeriodError("结束日期不能早于开始日期。")
        if (end - start).days + 1 > MAX_DAYS:
            raise PeriodError("自定义期间最长三年，请缩短期间。")
        return Period(CUSTOM, start, end)
    raise PeriodError(f"统计期间类型“{kind}”无法识别。")
