"""Write operations of a unit's case system (token scope `write`, limited to a unit):
attaching evidence to a problem's progress goes through the ledger's own transition
(`ledger.actions.add_progress`: its checks, its lock, its audit row), acting as the
token's service account (jiandu.integrations.actors).

Instruments and their 纠正情况 replies (issue 11) are not in this branch: their write
goes here, beside this one, once their models land."""

import base64
import binascii
from typing import Annotated

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator

from jiandu.api.reads import ProgressOut, get_problem
from jiandu.intake.api import TEXT_PATTERN, PathKey, ScopeDenied, TokenAuth, error_responses
from jiandu.integrations.actors import service_user
from jiandu.ledger import actions as ledger

router = Router(tags=["数据回写"])
WRITE = TokenAuth("write")


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store a NUL in text: refused here as a 422 naming the field, with
    # a Chinese reason, not a 500 deep in the transition.
    if "\x00" in value:
        raise ValueError("不能含有无效字符（NUL）")
    return value


# The published schema says it as well (the imports' TEXT_PATTERN): a client, and the API
# test's fuzzer, then know a text holding NUL for invalid data. Without it the fuzzer's
# schema-valid request was refused now and then. The validator, not the pattern, refuses.
Text = Annotated[str, AfterValidator(_no_nul), Field(json_schema_extra={"pattern": TEXT_PATTERN})]


class Evidence(Schema):
    name: Text = Field(..., min_length=1, max_length=200, description="文件名，如 整改照片.jpg")
    content_base64: str = Field(..., min_length=1, description="文件内容（Base64）")


class ProgressIn(Schema):
    text: Text = Field(..., min_length=1, max_length=4000, description="整改进展")
    attachments: list[Evidence] = Field([], max_length=10, description="证明材料")


def _files(items: list[Evidence]) -> list:
    files = []
    for item in items:
        try:
            data = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError(f"附件“{item.name}”的内容不是有效的 Base64。") from exc
        try:
            files.append(SimpleUploadedFile(item.name, data))
        except SuspiciousFileOperation as exc:
            # "/", "a/" or "..": no file name is left (Django's own 400 is an HTML page).
            raise ValidationError(
                f"附件的文件名“{item.name}”无效，请填写如 整改照片.jpg 的文件名。"
            ) from exc
    return files


def _message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def evidence_files(items: list[Evidence]):
    """The attachments decoded, or the 400 that refuses them (a `Status`)."""
    try:
        return _files(items)
    except ValidationError as exc:
        return Status(400, {"detail": _message(exc)})


def unit_token(request):
    """The request's token, which must be limited to a unit (else 403)."""
    token = request.auth
    if token.unit_id is None:
        raise ScopeDenied("回写数据需要限定单位的令牌。")
    return token


def write_operation(
    on: Router, path: str, out, *, summary: str, operation_id: str, description: str
):
    """A POST of a unit's case system on `on`: token scope `write`, `out` on success."""
    return on.post(
        path,
        auth=WRITE,
        response={200: out, **error_responses(404, 409, 413)},
        summary=summary,
        operation_id=operation_id,
        description=description,
    )


@write_operation(
    router,
    "/problems/{ref}/progress",
    ProgressOut,
    summary="为整改进展补充证明材料",
    operation_id="add_problem_progress",
    description=(
        "以令牌所属单位的名义填写一条整改进展，可附证明材料，与页面上的“填写进展”相同"
        "（同样的检查和审计记录）。需要 write 权限且令牌限定单位。\n\n"
        "- 400：附件不符合要求（类型、大小、Base64）；404：问题不存在或不属于本单位；"
        "409：问题当前状态不能填写进展（须为“整改中”或“待验收”）。"
    ),
)
def add_progress(request, ref: PathKey, payload: ProgressIn):
    token = unit_token(request)
    problem = get_problem(token, ref)
    actor = service_user(token)
    files = evidence_files(payload.attachments)
    if isinstance(files, Status):
        return files
    try:
        ledger.check_progress(problem, actor)
    except ValidationError as exc:
        return Status(409, {"detail": _message(exc)})
    try:
        note = ledger.add_progress(problem, actor=actor, text=payload.text, files=files)
    except ValidationError as exc:
        state_error = problem.state not in (
            problem.State.IN_PROGRESS,
            problem.State.AWAITING_ACCEPTANCE,
        )
        return Status(409 if state_error else 400, {"detail": _message(exc)})
    from jiandu.documents.uploads import attachments_of

    return {
        "text": note.text,
        "created_at": note.created_at,
        "attachments": [a.original_name for a in attachments_of(note)],
    }
