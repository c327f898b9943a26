"""The sheets of DATA_CONTRACT.md as column definitions: header, field, whether required,
how a cell is parsed. The same definitions drive validation, the templates, the header
recognition and the API's field names."""

import dataclasses
import re
from dataclasses import dataclass, field

from jiandu.enforcement.models import (
    PENALTY_KINDS,
    CreditRepair,
    Enterprise,
    Inspection,
    PartyType,
    PenaltyCase,
)
from jiandu.orgs.models import Unit
from jiandu.standards.calculator import CIRCUMSTANCES
from jiandu.standards.models import LenientListItem, TierLevel


def _labels(choices) -> dict[str, str]:
    """Chinese label -> stored value, from a Django choices class."""
    return {str(label): value for value, label in choices.choices}


UNIT_KINDS = _labels(Unit.Kind)
PARTY_TYPES = _labels(PartyType)
CASE_SOURCES = _labels(PenaltyCase.Source)
TIERS = _labels(TierLevel)
INSPECTION_MODES = _labels(Inspection.Mode)
INSPECTION_KINDS = _labels(Inspection.Kind)
INSPECTION_RESULTS = _labels(Inspection.Result)
ENTERPRISE_KINDS = _labels(Enterprise.Kind)
REPAIR_RESULTS = _labels(CreditRepair.Result)
LIST_KINDS = _labels(LenientListItem.Kind)
MULTIPLE_OF = {"违法所得": "illegal_income", "货值金额": "goods_value"}


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    type: str = "text"  # text, date, bool, amount, number, choice, multi, uscc, unit, list
    required: bool = False  # the column must exist and the cell be filled
    choices: dict | None = None  # Chinese label -> stored value (choice, multi)
    event: bool = False  # a date that cannot lie in the future
    max_length: int = 0
    example: object = ""
    note: str = ""
    # Set on an amount column whose header names another unit (罚款金额（万元）): what a
    # cell is multiplied by to make 元.
    scale: int = 1


@dataclass
class Kind:
    code: str
    title: str
    columns: list[Column]
    key: tuple[str, ...]
    # Columns required in the header although a row may leave them empty.
    header_required: tuple[str, ...] = ()
    supervisor_only: bool = False
    by_field: dict = field(init=False)
    by_header: dict = field(init=False)

    def __post_init__(self):
        self.by_field = {c.field: c for c in self.columns}
        self.by_header = {c.header: c for c in self.columns}

    @property
    def required_headers(self):
        return [c.header for c in self.columns if c.required or c.field in self.header_required]

    def header_of(self, field_name):
        col = self.by_field.get(field_name)
        return col.header if col else field_name


C = Column
KINDS: dict[str, Kind] = {}


def _kind(*args, **kwargs):
    kind = Kind(*args, **kwargs)
    KINDS[kind.code] = kind
    return kind


_kind(
    "units",
    "单位名录",
    [
        C("单位编码", "code", required=True, max_length=40, example="PC-SCJ"),
        C("单位名称", "name", required=True, max_length=100, example="平川县市场监督管理局"),
        C("单位类型", "kind", "choice", required=True, choices=UNIT_KINDS, example="县直部门"),
        C("执法领域", "domains", "list", example="市场监管", note="可填多个，用；分隔"),
        C("上级单位", "parent", max_length=100, example=""),
    ],
    key=("code",),
    supervisor_only=True,
)

_kind(
    "officers",
    "执法人员",
    [
        C("执法证号", "cert_no", required=True, max_length=40, example="33010012345"),
        C("姓名", "name", required=True, max_length=30, example="王建国"),
        C("所属单位", "unit", "unit", required=True, example="PC-SCJ"),
        C("执法领域", "domain", max_length=50, example="市场监管"),
        C("证件有效期至", "valid_until", "date", example="2027-12-31"),
    ],
    key=("cert_no",),
)

_kind(
    "enterprises",
    "市场主体名录",
    [
        C("统一社会信用代码", "uscc", "uscc", required=True, example="91110000600037341L"),
        C("企业名称", "name", required=True, max_length=200, example="平川县示例商贸有限公司"),
        C("主体类型", "kind", "choice", choices=ENTERPRISE_KINDS, example="企业"),
        C("所属行业", "industry", max_length=100, example="批发和零售业"),
        C("所属乡镇", "town", "unit", example="城关镇人民政府"),
        C("成立日期", "founded_on", "date", event=True, example="2018-05-20"),
        C("无事不扰", "quiet_list", "bool", example="否"),
    ],
    key=("uscc",),
)

_kind(
    "standards",
    "违法行为事项及裁量基准",
    [
        C("事项编码", "code", required=True, max_length=60, example="SC-001"),
        C("违法行为", "name", max_length=300, example="销售不符合食品安全标准的食品"),
        C("执法领域", "domain", max_length=50, example="市场监管"),
        C("违法依据", "violation_basis", example="《中华人民共和国食品安全法》第三十四条"),
        C("处罚依据", "penalty_basis", example="《中华人民共和国食品安全法》第一百二十四条"),
        C("裁量阶次", "tier", "choice", required=True, choices=TIERS, example="一般"),
        C("适用情形", "conditions", example="货值金额较大的"),
        C("罚款下限(元)", "fine_min", "amount", example="50000"),
        C("罚款上限(元)", "fine_max", "amount", example="100000"),
        C("倍数基数", "multiple_of", "choice", choices=MULTIPLE_OF, example=""),
        C("倍数下限", "multiple_min", "number", example=""),
        C("倍数上限", "multiple_max", "number", example=""),
        C("其他处罚", "other_penalties", example="没收违法所得"),
        C("生效日期", "effective_on", "date", example="2024-01-01"),
    ],
    key=("code", "tier"),
    header_required=("name",),
    supervisor_only=True,
)

_kind(
    "lenient",
    "轻微不罚/首违不罚清单",
    [
        C(
            "清单类型",
            "list_kind",
            "choice",
            required=True,
            choices=LIST_KINDS,
            example="首次违法不予处罚",
        ),
        C("事项编码", "code", required=True, max_length=60, example="SC-001"),
        C("违法行为", "name", max_length=300, example="未按规定公示营业执照"),
        C("适用条件", "conditions", required=True, example="首次违法、危害后果轻微并及时改正"),
        C("法律依据", "basis", example="《中华人民共和国行政处罚法》第三十三条"),
        C("发布单位", "unit", "unit", example="PC-SCJ"),
        C("生效日期", "effective_on", "date", example="2024-01-01"),
    ],
    key=("list_kind", "code"),
    supervisor_only=True,
)

_kind(
    "cases",
    "行政处罚案件",
    [
        C("案件编号", "case_no", required=True, max_length=80, example="平市监罚〔2024〕12号"),
        C("执法单位", "unit", "unit", required=True, example="PC-SCJ"),
        C(
            "当事人名称",
            "party_name",
            required=True,
            max_length=200,
            example="平川县示例商贸有限公司",
        ),
        C("当事人类型", "party_type", "choice", required=True, choices=PARTY_TYPES, example="法人"),
        C(
            "统一社会信用代码",
            "party_uscc",
            "uscc",
            example="91110000600037341L",
            note="自然人可不填",
        ),
        C("违法行为编码", "violation_code", required=True, max_length=60, example="SC-001"),
        C("违法行为名称", "violation_name", max_length=300, example=""),
        C("案件来源", "source", "choice", choices=CASE_SOURCES, example="日常检查"),
        C("立案日期", "filed_on", "date", required=True, event=True, example="2024-03-01"),
        C("事先告知日期", "notified_on", "date", event=True, example="2024-03-20"),
        C("听证", "hearing", "bool", example="否"),
        C("法制审核", "legal_review", "bool", example="是"),
        C("法制审核日期", "legal_review_on", "date", event=True, example="2024-03-25"),
        C("集体讨论", "collective_discussion", "bool", example="否"),
        C("延期审批", "extension_approved", "bool", example="否"),
        C("决定日期", "decided_on", "date", event=True, example="2024-03-28"),
        C("送达日期", "served_on", "date", event=True, example="2024-03-29"),
        C("公示日期", "published_on", "date", event=True, example="2024-04-02"),
        C("结案日期", "closed_on", "date", event=True, example="2024-04-20"),
        C(
            "处罚种类",
            "penalty_kinds",
            "multi",
            choices={k: k for k in PENALTY_KINDS},
            example="罚款",
        ),
        C("罚款金额(元)", "fine", "amount", example="5,000"),
        C("没收违法所得(元)", "confiscated", "amount", example=""),
        C("违法所得(元)", "illegal_income", "amount", example=""),
        C("货值金额(元)", "goods_value", "amount", example=""),
        C("裁量阶次", "tier", "choice", choices=TIERS, example="一般"),
        C(
            "裁量情节",
            "circumstances",
            "multi",
            choices={k: k for k in CIRCUMSTANCES},
            example="初次违法；及时改正",
        ),
        C("执法人员", "officers", "list", example="33010012345；33010012346"),
        C("全过程记录", "av_recorded", "bool", example="是"),
        C("信用修复告知书送达日期", "credit_notice_on", "date", event=True, example="2024-03-29"),
        C(
            "合规指导意见书送达日期",
            "compliance_advice_on",
            "date",
            event=True,
            example="2024-03-29",
        ),
        C("案情摘要", "facts", example="经查，当事人……"),
    ],
    key=("unit", "case_no"),
)

_kind(
    "inspections",
    "涉企行政检查",
    [
        C(
            "检查编号",
            "inspection_no",
            required=True,
            max_length=80,
            example="平市监检〔2024〕0001",
        ),
        C("检查单位", "unit", "unit", required=True, example="PC-SCJ"),
        C(
            "企业名称",
            "enterprise_name",
            required=True,
            max_length=200,
            example="平川县示例商贸有限公司",
        ),
        C(
            "统一社会信用代码",
            "enterprise_uscc",
            "uscc",
            required=True,
            example="91110000600037341L",
        ),
        C("检查日期", "inspected_on", "date", required=True, event=True, example="2024-05-10"),
        C("检查方式", "mode", "choice", choices=INSPECTION_MODES, example="现场"),
        C("检查类型", "kind", "choice", choices=INSPECTION_KINDS, example="日常检查"),
        C("联合检查编号", "joint_no", max_length=80, example=""),
        C("登记备案编号", "registration_no", max_length=80, example="DJ2024050001"),
        C("登记备案日期", "registered_on", "date", event=True, example="2024-05-08"),
        C("检查人员", "officers", "list", example="33010012345；33010012346"),
        C("检查事项", "items", example="食品经营许可、进货查验记录"),
        C("检查结果", "result", "choice", choices=INSPECTION_RESULTS, example="未发现问题"),
    ],
    key=("unit", "inspection_no"),
)

_kind(
    "credit_repairs",
    "信用修复",
    [
        C("案件编号", "case_no", required=True, max_length=80, example="平市监罚〔2024〕12号"),
        C("执法单位", "unit", "unit", required=True, example="PC-SCJ"),
        C("申请日期", "applied_on", "date", required=True, event=True, example="2024-06-01"),
        C("决定日期", "decided_on", "date", event=True, example="2024-06-10"),
        C("修复结果", "result", "choice", choices=REPAIR_RESULTS, example="准予修复"),
        C("公示撤下日期", "withdrawn_on", "date", event=True, example="2024-06-12"),
    ],
    key=("unit", "case_no"),
)

_kind(
    "transfers",
    "案件移送",
    [
        C("移送编号", "transfer_no", required=True, max_length=80, example="YS2024001"),
        C("移出单位", "from_unit", "unit", required=True, example="PC-CGZ"),
        C("接收单位", "to_unit", "unit", required=True, example="PC-SCJ"),
        C("移送日期", "sent_on", "date", required=True, event=True, example="2024-04-01"),
        C("接收日期", "received_on", "date", event=True, example="2024-04-02"),
        C("办理结果", "outcome", example="已立案查处"),
    ],
    key=("transfer_no",),
)

ORDER = list(KINDS)  # units first: everything else refers to them
# Columns the error report adds; ignored silently when a corrected report comes back.
REPORT_COLUMNS = {"原行号", "错误说明"}


# Amount units a header may name instead of 元 (GB/T 双公示: 罚款金额（万元）).
AMOUNT_UNITS = {"万元": 10_000, "千元": 1_000, "元": 1}
_UNIT_HEADER = re.compile(r"^(?P<base>.+?)\s*[（(]\s*(?P<unit>万元|千元|元)\s*[）)]$")


def scaled_column(kind: "Kind", header: str) -> "Column | None":
    """The kind's amount column a header in another unit stands for, with its scale:
    `罚款金额（万元）` → 罚款金额(元) × 10000. None when the header is not one of them."""
    m = _UNIT_HEADER.match(header.strip())
    if not m:
        return None
    base, unit = m.group("base"), m.group("unit")
    for col in kind.columns:
        if col.type != "amount":
            continue
        own = _UNIT_HEADER.match(col.header)
        if own and own.group("base") == base and own.group("unit") != unit:
            return dataclasses.replace(col, scale=AMOUNT_UNITS[unit])
    return None


def recognise(headers: list[str]) -> str | None:
    """The kind whose required headers are all present and whose columns match most."""
    present = set(headers)
    best, best_score = None, 0
    for kind in KINDS.values():
        if not set(kind.required_headers) <= present:
            continue
        score = len(present & set(kind.by_header)) - 0.01 * len(kind.columns)
        if score > best_score:
            best, best_score = kind.code, score
    return best


def closest(headers: list[str]) -> str | None:
    """The kind a file meant, when no kind has all its required headers: the one kind
    matching more of the headers than any other, with at least two of them and at least
    half of its own required ones, so that the refusal names the missing columns rather
    than saying the kind cannot be told. None when no kind stands out."""
    present = set(headers)
    matched = {code: len(present & set(kind.by_header)) for code, kind in KINDS.items()}
    ranked = sorted(matched.items(), key=lambda item: item[1], reverse=True)
    code, best = ranked[0]
    if best < 2 or (len(ranked) > 1 and ranked[1][1] == best):
        return None
    required = KINDS[code].required_headers
    if 2 * len(present & set(required)) < len(required):
        return None
    return code
