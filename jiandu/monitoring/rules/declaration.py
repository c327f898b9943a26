"""What a rule is: its id, title, focus area, legal basis, severity, subject kind,
parameters (with defaults and, for periods, a day type), the import kinds it reads, and
one set-based `evaluate(ctx, params)` returning a Polars frame of hits: one row per
subject with `subject_key`, `unit_id`, `subject_date` and the evidence columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from jiandu.orgs.base_data import FOCUS_AREAS

CALENDAR = "calendar"
WORKING = "working"
DAY_TYPES = [(CALENDAR, "自然日"), (WORKING, "工作日")]
# The "import kind" of a rule that reads other rules' alerts (Rule.reads).
ALERTS = "alerts"


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    default: object
    kind: str = "int"  # int | float | day_type | choices
    choices: tuple = ()
    help: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    area: str  # FocusArea.code, or "campaign" for CAMP-01
    basis: str  # document and article
    severity: str  # Severity value
    subject_kind: str  # case | inspection | violation_item | transfer | credit_repair | complaint | random_draw | self_check_answer
    description: str
    evaluate: Callable
    params: tuple[Param, ...] = ()
    reads: frozenset = field(default_factory=frozenset)  # import kinds that make it stale

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    @property
    def reads_alerts(self) -> bool:
        """A rule over the alerts the others raised: the engine runs it after them."""
        return ALERTS in self.reads


AREA_LABELS = {code: name for code, name, _ in FOCUS_AREAS} | {"campaign": "专项行动"}
SUBJECT_LABELS = {
    "case": "处罚案件",
    "inspection": "涉企检查",
    "violation_item": "违法行为事项",
    "transfer": "案件移送",
    "credit_repair": "信用修复",
    "complaint": "举报投诉",
    "random_draw": "双随机抽查",
    "self_check_answer": "自查答复",
}


def days_param(default: int, day_type: str, label="期限（日）"):
    return (
        Param("days", label, default),
        Param("day_type", "日的类型", day_type, kind="day_type", choices=tuple(DAY_TYPES)),
    )
