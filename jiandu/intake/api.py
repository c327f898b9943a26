"""POST /api/v1/import/{kind}: the same import as the upload page, for integrations.
Authorised by a per-integration token (Authorization: Bearer <token>)."""

import json

from django.core.exceptions import RequestDataTooBig
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from jiandu.errors import too_large_message
from jiandu.intake import actions, engine
from jiandu.intake.models import ApiToken
from jiandu.intake.schema import KINDS


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.authenticate(token)
        if found is not None:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found


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

BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"type": "array", "items": {"type": "object"}},
                        {
                            "type": "object",
                            "properties": {
                                "records": {"type": "array", "items": {"type": "object"}}
                            },
                            "required": ["records"],
                        },
                    ]
                }
            }
        },
    }
}


@router.post(
    "/import/{kind}",
    auth=TokenAuth(),
    response={200: ImportReport, 400: ImportReport, 413: ImportReport},
    summary="导入一类数据的记录（JSON）",
    description=(
        "kind："
        + "、".join(f"{k}（{v.title}）" for k, v in KINDS.items())
        + "。记录的字段名见数据规范的 field 列。有行被拒绝时仍返回 200，拒绝的行在 errors 中；"
        "整个请求被拒绝（未知类型、缺少必填字段、格式错误）时返回 400；"
        "请求体超过上限（DATA_UPLOAD_MAX_MEMORY_SIZE）时返回 413，请分批提交。"
    ),
    openapi_extra=BODY,
)
def import_kind(request, kind: str, all_or_nothing: bool = False):
    try:
        body = request.body
    except RequestDataTooBig:
        # The records are held in memory as a whole: Django's cap on what it reads into
        # memory is the API's limit (the upload page streams files and allows more).
        return Status(413, engine.Result(kind=kind, refused=too_large_message()).as_json())
    try:
        records = json.loads(body.decode("utf-8") or "null")
    except (ValueError, UnicodeDecodeError):
        records = None
    result = actions.import_records(
        records, kind=kind, token=request.auth, all_or_nothing=all_or_nothing
    )
    report = result.as_json()
    return Status(400 if result.refused else 200, report)
