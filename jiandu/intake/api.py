"""POST /api/v1/import/<kind>: the same import as the upload page, for integrations.
Authorised by a per-integration token (Authorization: Bearer <token>) holding the scope
`import`.

One operation per kind, its records typed by a model GENERATED from the column
definitions of intake/schema.py (the same ones that drive the templates and the
validation), so the published schema cannot drift from what the import accepts. The
typed body refuses what breaks the schema (422, with the record and field); what only
the data can tell (a USCC check character, an unknown unit, a date in the future) is a
row error in a 200 report, exactly as on the upload page."""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Path, Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    WithJsonSchema,
    create_model,
)

from jiandu.intake import actions, parse
from jiandu.intake.models import ApiToken
from jiandu.intake.schema import KINDS, Column

USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
# No NUL character: no database field can hold one.
TEXT_PATTERN = r"^[^\x00]*$"
# A key in the address (/problems/{ref}): a NUL there is refused before any view (400, the
# project's RefuseNulMiddleware), and the schema says so.
PathKey = Annotated[str, Path(pattern=TEXT_PATTERN)]
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
AMOUNT_MAX = 10**13  # 元: far above any fine, within the database's decimal fields
RECORDS_MAX = 50_000  # records in one request; larger sets go in several requests


# --- authentication ------------------------------------------------------------------


class ScopeDenied(Exception):
    """The token is valid but lacks the scope, or its unit is not the object's (403)."""


class TokenAuth(HttpBearer):
    """A valid, active token (else 401) holding `scope` (else 403). `checks` run on every
    authenticated request first (the API adds its refusal of unknown query parameters)."""

    checks: list = []

    def __init__(self, scope: str = "import"):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        found = ApiToken.authenticate(token)
        if found is None:
            return None
        for check in self.checks:
            check(request)
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        if not found.allows(self.scope):
            raise ScopeDenied(f"该令牌没有“{self.scope}”权限。")
        return found


# --- bodies every operation may answer with ----------------------------------------


class ApiError(Schema):
    """The body of 401, 403, 404, 409, 413 and 429: one Chinese message."""

    detail: str


class ValidationIssue(Schema):
    model_config = ConfigDict(extra="allow")
    type: str
    loc: list[str | int]
    msg: str


class ValidationFailed(Schema):
    """422: the request breaks the schema; `loc` names the record and the field."""

    detail: list[ValidationIssue]


def error_responses(*codes: int) -> dict:
    """The documented error statuses, with their bodies (400, 401, 403, 422, 429 always:
    400 is also the platform's refusal of a NUL character anywhere in a request)."""
    out = {400: ApiError, 401: ApiError, 403: ApiError, 422: ValidationFailed, 429: ApiError}
    for code in codes:
        out.setdefault(code, ApiError)
    return out


# --- record models generated from the column definitions -----------------------------


def _iso_date(value):
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str) or not DATE_RE.fullmatch(value):
        raise ValueError("日期应写成 YYYY-MM-DD")
    return value


def _between(top):
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
            raise ValueError("应为数字")
        if not 0 <= value <= top:
            raise ValueError(f"应在 0 到 {top} 之间")
        return value

    return check


MULTIPLE_MAX = float(parse.NUMBER_MAX)  # 倍数: what the database's field holds


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]
Number = Annotated[
    float,
    BeforeValidator(_between(AMOUNT_MAX)),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": AMOUNT_MAX}),
]
Multiple = Annotated[
    float,
    BeforeValidator(_between(MULTIPLE_MAX)),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": MULTIPLE_MAX}),
]


def _choices_text(col: Column) -> str:
    return "可选值：" + "、".join(col.choices or {})


def _annotation(col: Column):
    """The pydantic type and Field arguments of one column."""
    desc = col.header + (f"。{col.note}" if col.note else "")
    if col.type == "date":
        extra = "；不得晚于今天" if col.event else ""
        return IsoDate, {"description": f"{desc}（日期 YYYY-MM-DD{extra}）"}
    if col.type == "bool":
        return StrictBool, {"description": f"{desc}（是 true / 否 false）"}
    if col.type == "amount":
        return Number, {"description": desc}
    if col.type == "number":
        return Multiple, {"description": desc}
    if col.type == "choice":
        labels = tuple(col.choices or {})
        return Literal[labels], {"description": f"{desc}。{_choices_text(col)}"}
    if col.type == "multi":
        labels = tuple(col.choices or {})
        return list[Literal[labels]], {
            "description": f"{desc}（可多个）。{_choices_text(col)}",
            "max_length": len(labels),
        }
    if col.type == "list":
        item = Annotated[StrictStr, Field(max_length=100, pattern=TEXT_PATTERN)]
        return list[item], {"description": f"{desc}（可多个）", "max_length": 200}
    if col.type == "uscc":
        return StrictStr, {
            "description": f"{desc}（18 位，含校验码，GB 32100-2015）",
            "pattern": USCC_PATTERN,
        }
    if col.type == "unit":
        return StrictStr, {
            "description": f"{desc}（单位编码或单位名称）",
            "max_length": 100,
            "pattern": TEXT_PATTERN,
        }
    return StrictStr, {
        "description": desc,
        "max_length": col.max_length or 4000,
        "pattern": TEXT_PATTERN,
    }


def example_value(col: Column):
    """The column's example, as the JSON the API takes (None: no example)."""
    return json_value(col, col.example)


def json_value(col: Column, raw):
    """A sheet's cell text as the JSON value the API takes (None: leave the field out):
    what a client converting its Excel ledger sends. Uses the import's own parsers."""
    if raw in ("", None):
        return None
    if col.type == "bool":
        return parse.parse_bool(raw)
    if col.type in ("amount", "number"):
        return float(parse.parse_amount(raw) if col.type == "amount" else parse.parse_number(raw))
    if col.type in ("multi", "list"):
        return parse.split_values(raw)
    if col.type == "date":
        return parse.parse_date(raw).isoformat()
    return raw


def example_record(code: str) -> dict:
    out = {}
    for col in KINDS[code].columns:
        value = example_value(col)
        if value is not None:
            out[col.field] = value
    return out


def _class_name(code: str) -> str:
    return "".join(part.title() for part in code.split("_"))


def record_model(code: str):
    """The typed record of one kind, generated from its columns."""
    kind = KINDS[code]
    fields: dict[str, Any] = {}
    for col in kind.columns:
        annotation, kwargs = _annotation(col)
        if col.required:
            fields[col.field] = (annotation, Field(..., **kwargs))
        elif col.field in kind.header_required:  # the column must be there, may be empty
            fields[col.field] = (annotation | None, Field(..., **kwargs))
        else:
            fields[col.field] = (annotation | None, Field(None, **kwargs))
    return create_model(
        f"{_class_name(code)}Record",
        __config__=ConfigDict(
            extra="forbid",  # a misspelt field is the client's error: 422 names it
            title=f"{kind.title}（一条记录）",
            json_schema_extra={"example": example_record(code)},
        ),
        __doc__=f"{kind.title}的一条记录；字段即数据规范的 field 列。",
        **fields,
    )


def payload_model(code: str):
    kind = KINDS[code]
    record = record_model(code)
    return create_model(
        f"{_class_name(code)}Import",
        __config__=ConfigDict(
            extra="forbid",
            title=f"导入{kind.title}",
            json_schema_extra={"example": {"records": [example_record(code)]}},
        ),
        records=(list[record], Field(..., min_length=1, max_length=RECORDS_MAX)),
    )


RECORD_MODELS = {code: record_model(code) for code in KINDS}
PAYLOAD_MODELS = {code: payload_model(code) for code in KINDS}


# --- the operations ------------------------------------------------------------------


class RowIssue(Schema):
    row: int
    column: str
    message: str


class ImportReport(Schema):
    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[RowIssue]
    warnings: list[RowIssue] = []
    unknown_columns: list[str] = []
    refused: str = ""


router = Router(tags=["数据导入"])


def _import_operation(code: str):
    kind = KINDS[code]
    payload_type = PAYLOAD_MODELS[code]

    def view(request, payload: payload_type, all_or_nothing: bool = False):
        if kind.supervisor_only and request.auth.unit_id is not None:
            raise ScopeDenied(f"“{kind.title}”是全县共用的数据，只有司法局的监督管理员可以导入。")
        records = [record.model_dump(mode="json", exclude_unset=True) for record in payload.records]
        result = actions.import_records(
            records, kind=code, token=request.auth, all_or_nothing=all_or_nothing
        )
        return Status(400 if result.refused else 200, result.as_json())

    view.__name__ = f"import_{code}"
    router.post(
        f"/import/{code}",
        auth=TokenAuth("import"),
        response={**error_responses(413), 200: ImportReport, 400: ImportReport | ApiError},
        summary=f"导入{kind.title}",
        operation_id=f"import_{code}",
        description=(
            f"导入{kind.title}（与网页上传相同的导入）。请求体为 "
            '{"records": [...]}，每条记录的字段即数据规范的 field 列，键：'
            + "+".join(kind.header_of(f) for f in kind.key)
            + "（已有的记录按键更新）。\n\n"
            "- 200：导入完成；有行被拒绝时仍返回 200，拒绝的行在 errors 中"
            "（all_or_nothing=true 时有错误则整批不写入）。\n"
            "- 400：整个请求被拒绝。\n"
            "- 401：缺少令牌或令牌无效；403：令牌没有 import 权限，或限定单位的令牌导入全县共用的数据。\n"
            "- 413：请求体超过上限，请分批提交。\n"
            "- 422：请求体不符合本接口的结构（类型、必填字段、格式），detail 指出第几条记录的哪个字段。\n"
            "- 429：请求过于频繁，请稍后再试。"
            + ("\n\n仅限不限单位的令牌（监督管理员数据）。" if kind.supervisor_only else "")
        ),
    )(view)


for _code in KINDS:
    _import_operation(_code)
