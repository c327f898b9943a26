"""The kinds of official document (文书种类): name, default 文号 prefix, the fields an
uploaded template must contain, and the columns of the kind's table, if it has one.

Prefixes and the issuing body come from settings (GONGWEN_ISSUER, GONGWEN_PREFIXES: a
dict kind -> prefix overriding the defaults below)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

# What every default template has, and every uploaded one must contain.
COMMON_FIELDS = ("issuer", "number", "title", "recipient", "body_sections", "signer", "date")


@dataclass(frozen=True)
class DocKind:
    code: str
    name: str
    default_prefix: str
    # (column title, width in mm) of the kind's table, filled from context["rows"]
    columns: tuple[tuple[str, int], ...] = ()
    table_title: str = ""
    extra_fields: tuple[str, ...] = ()
    # builds the default template's .docx bytes; set below (layout.build_default)
    builder: Callable[["DocKind"], bytes] | None = field(default=None, compare=False)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields an uploaded template must contain."""
        return COMMON_FIELDS + (("rows",) if self.columns else ()) + self.extra_fields

    @property
    def prefix(self) -> str:
        return getattr(settings, "GONGWEN_PREFIXES", {}).get(self.code) or self.default_prefix

    def default_template(self) -> bytes:
        from jiandu.documents.gongwen.layout import build_default

        return (self.builder or build_default)(self)


PROBLEM_COLUMNS = (("序号", 12), ("问题", 58), ("整改措施", 54), ("整改时限", 32))

_KINDS = [
    DocKind(
        "rectification_notice",
        "整改通知书",
        "平司整改",
        columns=PROBLEM_COLUMNS,
        table_title="问题及整改要求清单",
    ),
    DocKind(
        "reminder_letter",
        "提醒函",
        "平司提醒",
        columns=(("序号", 12), ("事项", 76), ("期限", 32), ("逾期", 36)),
        table_title="逾期事项清单",
    ),
    DocKind("supervision_letter", "督办函", "平司监督"),
    DocKind("opinion_letter", "行政执法监督意见书", "平司监意"),
    DocKind("decision_proposal", "处理建议", "平司建议"),
    DocKind("interview_notice", "约谈通知", "平司约谈"),
    DocKind("circular", "通报", "平司通报"),
    DocKind(
        "inspection_notice",
        "检查通知书",
        "平司检通",
        columns=(("序号", 12), ("需准备的材料", 144)),
        table_title="需准备的材料",
    ),
    DocKind(
        "inspection_feedback",
        "检查反馈意见书",
        "平司检反",
        columns=PROBLEM_COLUMNS,
        table_title="检查发现的问题",
    ),
    DocKind("acceptance_opinion", "验收意见书", "平司验收"),
    DocKind(
        "selfcheck_form",
        "自查表",
        "平司自查",
        columns=(("序号", 12), ("检查内容", 78), ("自查结果", 26), ("情况说明", 40)),
        table_title="自查情况",
    ),
    DocKind("campaign_summary", "工作总结", "平司总结"),
    DocKind("periodic_report", "月度/季度通报", "平司月报"),
]

KINDS: dict[str, DocKind] = {k.code: k for k in _KINDS}


def get_kind(code: str) -> DocKind:
    try:
        return KINDS[code]
    except KeyError:
        raise ValueError(f"未知的文书种类：{code}") from None


def issuer() -> str:
    return getattr(settings, "GONGWEN_ISSUER", "") or "平川县司法局"
