"""State changes of intake: starting and running an import, issuing and revoking API
tokens. Each writes its audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.intake import engine
from jiandu.intake.models import ApiToken, ImportBatch
from jiandu.intake.readers import Refused, read_bytes, read_records
from jiandu.intake.schema import KINDS

TOKENS_ONLY_SUPERVISORS = "只有监督管理员可以管理接口令牌。"


def import_scope(user):
    """None: every unit; a unit id: that unit only. PermissionDenied for roles that only read."""
    if not user or not user.is_authenticated:
        raise PermissionDenied("请先登录。")
    if user.is_supervisor:
        return None
    if user.unit_id and user.has_role("clerk", "leader"):
        return user.unit_id
    raise PermissionDenied("您的角色不能导入数据。")


def create_batch(
    *,
    data: bytes,
    name: str,
    kind: str = "",
    all_or_nothing=False,
    user=None,
    token=None,
    source=ImportBatch.Source.UPLOAD,
    unit_id=None,
    keep_file=True,
    request=None,
) -> ImportBatch:
    """Record an import about to run (the file is kept for the error report)."""
    if kind and kind not in KINDS:
        raise ValidationError(f"无法识别的数据类型“{kind}”。")
    if user is not None and source == ImportBatch.Source.UPLOAD:
        unit_id = import_scope(user)
    batch = ImportBatch(
        kind=kind,
        unit_id=unit_id,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        token=token,
        source=source,
        original_name=(name or "")[:200],
        all_or_nothing=all_or_nothing,
    )
    if keep_file:
        suffix = name.rsplit(".", 1)[-1].lower() if "." in (name or "") else "csv"
        batch.file.save(f"import.{suffix[:5]}", ContentFile(data), save=False)
    batch.save()
    return batch


def _progress_updater(batch):
    last = {"pct": -1}

    def progress(done, total):
        pct = 100 if not total else int(done * 100 / total)
        if pct != last["pct"]:
            last["pct"] = pct
            ImportBatch.objects.filter(pk=batch.pk).update(progress=pct, rows=total)

    return progress


def run_batch(
    batch: ImportBatch, *, sheet=None, progress=None, request=None, **engine_options
) -> engine.Result:
    """Read, validate and apply one batch; store its counts and errors; audit it."""
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.RUNNING)
    updater = _progress_updater(batch)

    def both(done, total):
        updater(done, total)
        if progress:
            progress(done, total)

    try:
        if sheet is None:
            with batch.file.open("rb") as fh:
                data = fh.read()
            sheet = read_bytes(data, batch.original_name)
        result = engine.run(
            sheet,
            batch.kind or None,
            restrict_unit_id=batch.unit_id,
            all_or_nothing=batch.all_or_nothing,
            progress=both,
            **engine_options,
        )
    except Refused as exc:
        result = engine.Result(kind=batch.kind, refused=str(exc))
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            state=ImportBatch.State.FAILED,
            message=f"导入出错：{type(exc).__name__}",
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        batch.kind = result.kind
        batch.rows = result.rows
        batch.created, batch.updated, batch.unchanged, batch.rejected = (
            result.created,
            result.updated,
            result.unchanged,
            result.rejected,
        )
        batch.errors, batch.warnings, batch.unknown_columns = (
            result.errors,
            result.warnings,
            result.unknown_columns,
        )
        batch.message = result.refused
        if result.refused:
            batch.state = ImportBatch.State.REFUSED
        else:
            batch.state = ImportBatch.State.DONE
            if batch.all_or_nothing and result.rejected:
                batch.message = "有数据行未通过校验，已按“全部成功才导入”的要求全部不导入。"
        batch.progress = 100
        batch.finished_at = timezone.now()
        batch.save()
        actor = batch.created_by
        log(
            "intake.batch.refused" if result.refused else "intake.batch.imported",
            actor=actor,
            obj=batch,
            unit=batch.unit or getattr(actor, "unit", None),
            request=request,
            data={
                "kind": result.kind,
                "source": batch.source,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
                **({"token": batch.token.name} if batch.token_id else {}),
                **(
                    {"actor_name": f"接口令牌：{batch.token.name}"}
                    if batch.token_id and not actor
                    else {}
                ),
            },
        )
    return result


def import_records(records, *, kind: str, token: ApiToken, all_or_nothing=False) -> engine.Result:
    """The API: JSON records under an integration token (restricted to its unit, if any)."""
    import json

    try:
        sheet = read_records(records)
    except Refused as exc:
        return engine.Result(kind=kind, refused=str(exc))
    data = json.dumps(records, ensure_ascii=False, default=str).encode()
    batch = create_batch(
        data=data,
        name=f"api-{kind}.json",
        kind=kind if kind in KINDS else "",
        all_or_nothing=all_or_nothing,
        token=token,
        source=ImportBatch.Source.API,
        unit_id=token.unit_id,
    )
    if kind not in KINDS:
        return run_batch_unknown_kind(batch, kind)
    return run_batch(batch, sheet=sheet)


def run_batch_unknown_kind(batch, kind):
    result = engine.run(read_records([]), kind)
    with transaction.atomic():
        batch.state, batch.message, batch.finished_at = (
            ImportBatch.State.REFUSED,
            result.refused,
            timezone.now(),
        )
        batch.save()
        log(
            "intake.batch.refused",
            obj=batch,
            unit=batch.unit,
            data={"kind": kind, "source": batch.source},
        )
    return result


def issue_token(*, actor, name: str, unit=None, request=None) -> tuple[ApiToken, str]:
    if not actor.is_supervisor:
        raise PermissionDenied(TOKENS_ONLY_SUPERVISORS)
    with transaction.atomic():
        token, raw = ApiToken.issue(name=name, unit=unit, created_by=actor)
        log(
            "intake.token.issued",
            actor=actor,
            obj=token,
            unit=unit,
            request=request,
            data={"name": name},
        )
    return token, raw


def revoke_token(token: ApiToken, *, actor, request=None) -> ApiToken:
    if not actor.is_supervisor:
        raise PermissionDenied(TOKENS_ONLY_SUPERVISORS)
    with transaction.atomic():
        token.is_active = False
        token.save(update_fields=["is_active"])
        log("intake.token.revoked", actor=actor, obj=token, unit=token.unit, request=request)
    return token
