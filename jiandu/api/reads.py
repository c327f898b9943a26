"""GET operations a province or a unit's system pulls: units, problems (整改台账) with
their deadlines and history, alerts with their evidence, complaints (never the
complainant's identity, never the 查询码), self-check reports and rule runs.

Every list: token scope `read`; a token limited to a unit sees that unit's records
only; ordered by `updated_at`, filtered by `updated_since`, paginated by an opaque
cursor (`next_cursor`, null on the last page). Records are named by the data
contract's natural keys (a unit's code, a problem's ZG number, an alert's rule and
subject, a complaint's JB number), never by database ids."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator, create_model

from jiandu.intake.api import ApiError, PathKey, ScopeDenied, TokenAuth, error_responses
from jiandu.integrations import keys
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert, RuleRun
from jiandu.orgs.access import scope
from jiandu.orgs.models import Unit
from jiandu.portal.models import Complaint
from jiandu.selfcheck.models import SelfCheckReport

router = Router(tags=["数据读取"])
READ = TokenAuth("read")
LIST_RESPONSES = error_responses(400)
PAGE_MAX = 1000


CURSOR_PATTERN = r"^[0-9]{1,16}-[0-9]{1,18}$"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def encode_cursor(stamp: datetime, pk: int) -> str:
    """`<microseconds since 1970>-<position>`: any string of this shape is a valid place
    in the order, so a cursor never goes stale."""
    micros = (stamp - EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{pk}"


def decode_cursor(text: str) -> tuple[datetime, int]:
    micros, pk = text.split("-")
    try:
        stamp = EPOCH + timedelta(microseconds=int(micros))
    except OverflowError:
        stamp = datetime.max.replace(tzinfo=UTC)
    return stamp, int(pk)


def _iso_datetime(value):
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ].+", value):
        raise ValueError("应为 ISO 8601 时间，如 2026-03-01T08:00:00+08:00")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime)]


class Page(Schema):
    """Paging and the incremental sync: pass `next_cursor` back as `cursor` until it is
    null; keep the largest `updated_at` seen and pass it as `updated_since` next time."""

    updated_since: IsoDateTime | None = Field(
        None, description="只返回此时刻（含）之后有变化的记录，ISO 8601 时间"
    )
    cursor: str | None = Field(
        None, pattern=CURSOR_PATTERN, description="上一页返回的 next_cursor，原样传回"
    )
    limit: int = Field(100, ge=1, le=PAGE_MAX, description="每页条数（1–1000）")


def _since(value: datetime | None):
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 lets a client send.
        return value.astimezone(UTC)
    except OverflowError:
        return None if value.year < 1000 else datetime.max.replace(tzinfo=UTC)


def paginate(queryset, page: Page, serialize_rows) -> dict:
    """One page of `queryset` by (updated_at, id), from `page.cursor` on; the page's rows
    go to `serialize_rows` together (a list in, a list out)."""
    queryset = queryset.order_by("updated_at", "pk")
    since = _since(page.updated_since)
    if since is not None:
        queryset = queryset.filter(updated_at__gte=since)
    if page.cursor:
        stamp, pk = decode_cursor(page.cursor)
        queryset = queryset.filter(Q(updated_at__gt=stamp) | Q(updated_at=stamp, pk__gt=pk))
    rows = list(queryset[: page.limit + 1])
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return {
        "items": serialize_rows(rows),
        "next_cursor": encode_cursor(rows[-1].updated_at, rows[-1].pk) if more else None,
    }


@dataclass(frozen=True)
class TokenReader:
    """The token as `orgs.access.scope` reads a user: all units, or its own unit."""

    unit_id: int | None

    is_authenticated = True

    @property
    def sees_all_units(self) -> bool:
        return self.unit_id is None


def scoped(queryset, token, unit_field="unit"):
    """A unit's token: that unit's records only, by the one scoping function the pages
    use (`orgs.access.scope`), with the token read as a user of its unit."""
    return scope(queryset, TokenReader(token.unit_id), unit_field)


def county_only(token):
    if token.unit_id is not None:
        raise ScopeDenied("该令牌限定单位，不能读取全县的数据。")


def state_field(choices) -> Any:
    """A state code: its labels in the description, its codes as the schema's enum."""
    return Field(
        description="状态代码：" + "、".join(f"{k.value}（{k.label}）" for k in choices),
        json_schema_extra={"enum": list(choices.values)},
    )


def page_schema(item: type[Schema]) -> type[Schema]:
    """`<Name>Page` for `<Name>Out`: one page of items and the cursor to the next."""
    return create_model(
        item.__name__.removesuffix("Out") + "Page",
        __base__=Schema,
        __module__=item.__module__,
        items=(list[item], ...),
        next_cursor=(str | None, ...),
    )


def each(serialize):
    """`serialize` of one row, for a whole page of rows."""
    return lambda rows: [serialize(row) for row in rows]


def list_operation(
    on: Router,
    path: str,
    item: type[Schema],
    queryset,
    serialize_rows,
    *,
    summary: str,
    operation_id: str,
    unit_field: str | None = "unit",
    responses=LIST_RESPONSES,
):
    """A GET list on `on`: token scope `read`, `queryset()` scoped to the token's unit by
    `unit_field` (None: county tokens only), paginated, serialised page by page."""

    def operation(request, page: Query[Page]):
        if unit_field is None:
            county_only(request.auth)
            rows = queryset()
        else:
            rows = scoped(queryset(), request.auth, unit_field)
        return paginate(rows, page, serialize_rows)

    operation.__name__ = operation_id
    on.get(
        path,
        auth=READ,
        response={200: page_schema(item), **responses},
        summary=summary,
        operation_id=operation_id,
    )(operation)
    return operation


def _code(unit):
    return unit.code if unit is not None else None


# --- units ----------------------------------------------------------------------------


class UnitOut(Schema):
    code: str = Field(description="单位编码（键）")
    name: str
    kind: str = Field(description="单位类型：" + "、".join(str(k.label) for k in Unit.Kind))
    domains: list[str]
    parent: str | None = Field(description="上级单位的编码")
    is_active: bool
    updated_at: datetime


def unit_out(unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.get_kind_display(),
        "domains": [d.name for d in unit.domains.all()],
        "parent": _code(unit.parent),
        "is_active": unit.is_active,
        "updated_at": unit.updated_at,
    }


list_units = list_operation(
    router,
    "/units",
    UnitOut,
    lambda: Unit.objects.select_related("parent").prefetch_related("domains"),
    each(unit_out),
    summary="单位名录",
    operation_id="list_units",
    unit_field="pk",
)


# --- problems -------------------------------------------------------------------------


class DeadlineChangeOut(Schema):
    kind: str
    state: str
    old_deadline: date | None
    new_deadline: date
    reason: str
    requested_at: datetime
    decided_at: datetime | None


class ProgressOut(Schema):
    text: str
    created_at: datetime
    attachments: list[str] = Field(description="附件的文件名")


class EscalationOut(Schema):
    created_at: datetime
    note: str


class ProblemOut(Schema):
    ref: str = Field(description="问题编号（键），如 ZG000012", pattern=keys.PROBLEM_PATTERN)
    unit: str = Field(description="责任单位编码")
    focus_area: str
    description: str
    source: str = Field(description="来源：" + "、".join(str(k.label) for k in Problem.Source))
    source_ref: str
    severity: str = Field(
        description="严重程度：" + "、".join(str(k.label) for k in Problem.Severity)
    )
    state: str = state_field(Problem.State)
    state_label: str
    measures: str
    responsible_person: str
    deadline: date | None = Field(description="整改时限（经批准的）")
    original_deadline: date | None
    overdue: bool
    created_at: datetime
    submitted_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    deadline_changes: list[DeadlineChangeOut]
    progress: list[ProgressOut]
    escalations: list[EscalationOut]


def problem_queryset():
    from jiandu.documents.models import Attachment  # noqa: F401 (the notes' files)

    return Problem.objects.select_related("unit", "focus_area").prefetch_related(
        "deadline_changes", Prefetch("notes"), "escalations"
    )


def _attachments(notes) -> dict[int, list[str]]:
    from django.contrib.contenttypes.models import ContentType

    from jiandu.documents.models import Attachment
    from jiandu.ledger.models import ProgressNote

    ids = [n.pk for n in notes]
    out: dict[int, list[str]] = {}
    if not ids:
        return out
    rows = Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(ProgressNote), owner_id__in=ids
    ).values_list("owner_id", "original_name")
    for owner, name in rows:
        out.setdefault(owner, []).append(name)
    return out


def problem_out(problem, files: dict | None = None, today=None) -> dict:
    notes = list(problem.notes.all())
    files = files if files is not None else _attachments(notes)
    return {
        "ref": keys.problem_ref(problem.pk),
        "unit": problem.unit.code,
        "focus_area": problem.focus_area.name,
        "description": problem.description,
        "source": problem.get_source_display(),
        "source_ref": problem.source_ref,
        "severity": problem.get_severity_display(),
        "state": problem.state,
        "state_label": problem.get_state_display(),
        "measures": problem.measures,
        "responsible_person": problem.responsible_person,
        "deadline": problem.deadline,
        "original_deadline": problem.original_deadline,
        "overdue": problem.is_overdue(today),
        "created_at": problem.created_at,
        "submitted_at": problem.submitted_at,
        "closed_at": problem.closed_at,
        "updated_at": problem.updated_at,
        "deadline_changes": [
            {
                "kind": c.get_kind_display(),
                "state": c.get_state_display(),
                "old_deadline": c.old_deadline,
                "new_deadline": c.new_deadline,
                "reason": c.reason,
                "requested_at": c.requested_at,
                "decided_at": c.decided_at,
            }
            for c in problem.deadline_changes.all()
        ],
        "progress": [
            {"text": n.text, "created_at": n.created_at, "attachments": files.get(n.pk, [])}
            for n in notes
        ],
        "escalations": [
            {"created_at": e.created_at, "note": getattr(e, "note", "")}
            for e in problem.escalations.all()
        ],
    }


def problems_out(problems) -> list[dict]:
    """A page of problems: their notes' files in one query."""
    files = _attachments([n for p in problems for n in p.notes.all()])
    today = timezone.localdate()
    return [problem_out(p, files, today) for p in problems]


list_problems = list_operation(
    router,
    "/problems",
    ProblemOut,
    problem_queryset,
    problems_out,
    summary="整改台账：问题、状态、时限与经过",
    operation_id="list_problems",
)


def get_problem(token, ref: str):
    """One problem by its number, within the token's unit (else 404, as on the pages)."""
    pk = keys.pk_of_problem(ref)
    problem = scoped(problem_queryset(), token).filter(pk=pk).first() if pk else None
    if problem is None:
        raise Http404("未找到该问题，或该令牌无权查看。")
    return problem


@router.get(
    "/problems/{ref}",
    auth=READ,
    response={200: ProblemOut, **error_responses(404)},
    summary="一个问题",
    operation_id="get_problem",
)
def problem_detail(request, ref: PathKey):
    return problem_out(get_problem(request.auth, ref))


# --- alerts ---------------------------------------------------------------------------


class AlertOut(Schema):
    key: str = Field(description="预警的键：规则/对象（数据规范的对象键）")
    rule: str
    subject_kind: str
    subject_key: str = Field(description="对象的自然键，如 单位编码/案件编号")
    subject_date: date | None
    unit: str | None
    severity: str
    state: str = state_field(Alert.State)
    state_label: str
    evidence: dict[str, Any] = Field(description="证据：规则判断所依据的字段和值")
    basis: str
    first_seen: datetime
    last_seen: datetime
    confirmed_at: datetime | None
    resolved_at: datetime | None
    problem: str | None = Field(description="确认后登记的问题编号")
    updated_at: datetime


def alert_out(alert) -> dict:
    return {
        "key": f"{alert.rule}/{alert.subject_key}",
        "rule": alert.rule,
        "subject_kind": alert.subject_kind,
        "subject_key": alert.subject_key,
        "subject_date": alert.subject_date,
        "unit": _code(alert.unit),
        "severity": alert.get_severity_display(),
        "state": alert.state,
        "state_label": alert.get_state_display(),
        "evidence": alert.evidence if isinstance(alert.evidence, dict) else {},
        "basis": alert.basis,
        "first_seen": alert.first_seen,
        "last_seen": alert.last_seen,
        "confirmed_at": alert.confirmed_at,
        "resolved_at": alert.resolved_at,
        "problem": keys.problem_ref(alert.problem_id) if alert.problem_id else None,
        "updated_at": alert.updated_at,
    }


list_alerts = list_operation(
    router,
    "/alerts",
    AlertOut,
    lambda: Alert.objects.select_related("unit"),
    each(alert_out),
    summary="预警及其证据",
    operation_id="list_alerts",
)


# --- complaints -----------------------------------------------------------------------


class ComplaintOut(Schema):
    """A complaint without its complainant: no name, no phone, never the 查询码."""

    ref: str = Field(description="举报编号（键），如 JB000012；不是举报人的查询码")
    category: str
    reported_unit: str | None
    unit: str | None = Field(description="承办单位编码")
    description: str
    happened_on: date | None
    place: str
    state: str = state_field(Complaint.State)
    state_label: str
    received_at: datetime
    accepted_at: datetime | None
    closed_at: datetime | None
    result: str
    problem: str | None
    updated_at: datetime


def complaint_out(c) -> dict:
    return {
        "ref": c.reference,
        "category": c.get_category_display(),
        "reported_unit": _code(c.reported_unit),
        "unit": _code(c.unit),
        "description": c.description,
        "happened_on": c.happened_on,
        "place": c.place,
        "state": c.state,
        "state_label": c.get_state_display(),
        "received_at": c.received_at,
        "accepted_at": c.accepted_at,
        "closed_at": c.closed_at,
        "result": c.result,
        "problem": keys.problem_ref(c.problem_id) if c.problem_id else None,
        "updated_at": c.updated_at,
    }


list_complaints = list_operation(
    router,
    "/complaints",
    ComplaintOut,
    lambda: Complaint.objects.select_related("unit", "reported_unit").defer(
        "tracking_code", "name_cipher", "phone_cipher"
    ),
    each(complaint_out),
    summary="举报（不含举报人身份和查询码）",
    operation_id="list_complaints",
)


# --- self-check reports ---------------------------------------------------------------


class SelfCheckOut(Schema):
    campaign: str = Field(description="专项行动名称")
    campaign_doc_no: str
    unit: str = Field(description="单位编码；与专项行动一起为键")
    state: str = state_field(SelfCheckReport.State)
    state_label: str
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    accepted_at: datetime | None
    returned_reason: str
    updated_at: datetime


def selfcheck_out(r) -> dict:
    return {
        "campaign": r.campaign.title,
        "campaign_doc_no": r.campaign.doc_no,
        "unit": r.unit.code,
        "state": r.state,
        "state_label": r.get_state_display(),
        "first_submitted_at": r.first_submitted_at,
        "submitted_at": r.submitted_at,
        "accepted_at": r.accepted_at,
        "returned_reason": r.returned_reason,
        "updated_at": r.updated_at,
    }


list_self_check_reports = list_operation(
    router,
    "/self-check-reports",
    SelfCheckOut,
    lambda: SelfCheckReport.objects.select_related("campaign", "unit"),
    each(selfcheck_out),
    summary="自查报告",
    operation_id="list_self_check_reports",
)


# --- rule runs ------------------------------------------------------------------------


class RuleRunOut(Schema):
    run_no: int = Field(description="运行序号（页面上的“运行 #n”）")
    trigger: str
    status: str = state_field(RuleRun.Status)
    rules: list[str]
    started_at: datetime | None
    finished_at: datetime | None
    hits: int
    results: dict[str, Any]
    error: str
    updated_at: datetime


def rule_run_out(run) -> dict:
    return {
        "run_no": run.pk,
        "trigger": run.get_trigger_display(),
        "status": run.status,
        "rules": [str(r) for r in run.rule_ids or []],
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "hits": run.hit_total,
        "results": run.results if isinstance(run.results, dict) else {},
        "error": run.error,
        "updated_at": run.updated_at,
    }


list_rule_runs = list_operation(
    router,
    "/rule-runs",
    RuleRunOut,
    RuleRun.objects.all,
    each(rule_run_out),
    summary="预警规则的运行记录（仅限不限单位的令牌）",
    operation_id="list_rule_runs",
    unit_field=None,
)


__all__ = ["ApiError", "router"]
