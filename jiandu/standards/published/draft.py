"""What a published file was read into: items, their tiers and the problems found, in the
shape of `jiandu standards parse --json`."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Problem:
    sheet: str
    row: int
    message: str

    def as_json(self):
        return {"sheet": self.sheet, "row": self.row, "message": self.message}


@dataclass
class ParsedTier:
    level: str
    circumstances: str = ""
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    multiple_of: str = ""
    multiple_min: Decimal | None = None
    multiple_max: Decimal | None = None
    measures: list[str] = field(default_factory=list)
    ladder: int = 1
    # Where it came from, for the preview next to the original text.
    sheet: str = ""
    row: int = 0
    original: str = ""
    problems: list[str] = field(default_factory=list)

    def as_json(self):
        return {
            "level": self.level,
            "circumstances": self.circumstances,
            "fine_min": amount(self.fine_min),
            "fine_max": amount(self.fine_max),
            "multiple_of": self.multiple_of,
            "multiple_min": amount(self.multiple_min),
            "multiple_max": amount(self.multiple_max),
            "measures": self.measures,
            "ladder": self.ladder,
        }


@dataclass
class ParsedItem:
    code: str
    name: str
    basis: str = ""
    tiers: list[ParsedTier] = field(default_factory=list)
    sheet: str = ""
    row: int = 0

    def as_json(self):
        return {
            "code": self.code,
            "name": self.name,
            "basis": self.basis,
            "tiers": [t.as_json() for t in self.tiers],
        }


@dataclass
class Parsed:
    items: list[ParsedItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    source: str = ""

    def as_json(self):
        return {
            "items": [i.as_json() for i in self.items],
            "problems": [p.as_json() for p in self.problems],
        }

    @property
    def tier_count(self):
        return sum(len(i.tiers) for i in self.items)


def amount(value: Decimal | None):
    """JSON number: int when whole (元), else float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
