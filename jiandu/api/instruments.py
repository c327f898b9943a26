"""Supervision instruments (督办函, 意见书; issue 11) for a unit's case system: read them
with their replies (scope `read`), and record the 纠正情况 reply (scope `write`, a unit's
token) through the same transition as the page (`supervision.actions.reply_instrument`:
its checks, its lock, the ledger items to 待验收, its audit row and notices)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status

from jiandu.api.reads import list_operation, scoped, state_field
from jiandu.api.writes import Evidence, Text, _message, evidence_files, unit_token, write_operation
from jiandu.intake.api import PathKey, error_responses
from jiandu.integrations import keys
from jiandu.integrations.actors import service_user
from jiandu.ledger.models import Problem
from jiandu.supervision import actions as supervision
from jiandu.supervision.models import Instrument

router = Router(tags=["监督文书"])


class ReplyOut(Schema):
    kind: str = Field(description="答复 或 异议")
    text: str = Field(description="纠正情况 / 异议理由")
    at: datetime
    decision: str = Field(description="审核结果")


class InstrumentOut(Schema):
    ref: str = Field(description="文书编号（键），如 WS000012", pattern=keys.INSTRUMENT_PATTERN)
    number: str = Field(description="文号（签发后）")
    kind: str = Field(description="文书种类：" + "、".join(str(k.label) for k in Instrument.Kind))
    unit: str = Field(description="主送单位编码")
    title: str
    facts: str
    basis: str
    required_action: str = Field(description="督办 / 纠正事项")
    deadline: date | None = Field(description="答复期限")
    state: str = state_field(Instrument.State)
    state_label: str
    overdue: bool
    issued_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    problems: list[str] = Field(description="台账中的问题编号")
    replies: list[ReplyOut]


def instrument_out(inst, problems: dict | None = None) -> dict:
    if problems is None:
        problems = _problem_refs([inst])
    return {
        "ref": keys.instrument_ref(inst.pk),
        "number": inst.number,
        "kind": inst.get_kind_display(),
        "unit": inst.unit.code,
        "title": inst.title,
        "facts": inst.facts,
        "basis": inst.basis,
        "required_action": inst.required_action,
        "deadline": inst.deadline,
        "state": inst.state,
        "state_label": inst.get_state_display(),
        "overdue": inst.is_overdue(),
        "issued_at": inst.issued_at,
        "closed_at": inst.closed_at,
        "updated_at": inst.updated_at,
        "problems": problems.get(inst.pk, []),
        "replies": [
            {
                "kind": r.get_kind_display(),
                "text": r.text,
                "at": r.at,
                "decision": r.get_decision_display(),
            }
            for r in inst.replies.all()
        ],
    }


def _problem_refs(instruments) -> dict[int, list[str]]:
    """The ledger numbers of each instrument's problems, for a whole page in one query
    (`Instrument.problems()` per row was one query per row)."""
    pks = [inst.pk for inst in instruments]
    out: dict[int, list[str]] = {}
    if not pks:
        return out
    rows = Problem.objects.from_origin(Instrument.objects.filter(pk__in=pks)).values_list(
        "origin_id", "pk"
    )
    for origin, pk in rows:
        out.setdefault(origin, []).append(keys.problem_ref(pk))
    return out


def instruments_out(instruments) -> list[dict]:
    problems = _problem_refs(instruments)
    return [instrument_out(inst, problems) for inst in instruments]


def issued():
    """Drafts are the supervisor's own: an integration sees issued instruments only."""
    return (
        Instrument.objects.exclude(state=Instrument.State.DRAFT)
        .select_related("unit")
        .prefetch_related("replies")
    )


list_instruments = list_operation(
    router,
    "/instruments",
    InstrumentOut,
    issued,
    instruments_out,
    summary="监督文书（督办函、意见书）及其答复",
    operation_id="list_instruments",
    responses=error_responses(),
)


class ReplyIn(Schema):
    text: Text = Field(..., min_length=1, max_length=4000, description="纠正（履职）情况")
    attachments: list[Evidence] = Field([], max_length=10, description="证明材料")


@write_operation(
    router,
    "/instruments/{ref}/reply",
    InstrumentOut,
    summary="答复监督文书（纠正情况）",
    operation_id="reply_instrument",
    description=(
        "以令牌所属单位的名义答复，与页面上的“答复”相同：文书转为“已答复待审核”，"
        "台账中的问题转为“待验收”，监督管理员收到通知。需要 write 权限且令牌限定单位。\n\n"
        "- 400：附件不符合要求；404：文书不存在或不是发给本单位的；"
        "409：文书当前状态不能答复（须为“待答复”或“答复被退回”）。"
    ),
)
def reply_instrument(request, ref: PathKey, payload: ReplyIn):
    token = unit_token(request)
    pk = keys.pk_of_instrument(ref)
    inst = scoped(issued(), token).filter(pk=pk).first() if pk else None
    if inst is None:
        raise Http404("未找到该文书，或该令牌无权查看。")
    actor = service_user(token)
    files = evidence_files(payload.attachments)
    if isinstance(files, Status):
        return files
    if inst.state not in Instrument.AWAITING_UNIT:
        return Status(409, {"detail": "只有“待答复”或“答复被退回”的文书可以答复。"})
    try:
        supervision.reply_instrument(inst, actor=actor, text=payload.text, files=files)
    except ValidationError as exc:
        return Status(400, {"detail": _message(exc)})
    return instrument_out(issued().get(pk=inst.pk))
