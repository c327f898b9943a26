"""State changes of intake: starting, running, interrupting and resuming an import,
issuing and revoking API tokens. Each writes its audit row."""

import os
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.intake import engine
from jiandu.intake.models import ApiToken, ImportBatch, parse_scopes
from jiandu.intake.readers import Refused, read_bytes, read_records
from jiandu.intake.schema import KINDS
from jiandu.lib.locking import lock
from jiandu.lib.transitions import allowed
from jiandu.monitoring import hooks

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


def check_resume(batch, actor, today=None):
    """继续导入: the importer's own unit (or a supervisor), an interrupted batch with its file."""
    own = import_scope(actor)
    if own is not None and batch.unit_id != own:
        raise PermissionDenied("只能继续本单位的导入。")
    if not batch.interrupted:
        raise ValidationError("该导入不是“中断”状态，无需继续。")
    if not batch.file:
        raise ValidationError("该导入没有保存原文件，请重新上传同一文件。")


BATCH_CHECKS = {"resume": check_resume}


def available_actions(batch, user, today=None) -> set[str]:
    return allowed(BATCH_CHECKS, batch, user, today)


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
    # The batch and its audit row exist before any row of the file is written.
    with transaction.atomic():
        batch.save()
        log(
            "intake.batch.created",
            actor=batch.created_by,
            obj=batch,
            unit=batch.unit or getattr(batch.created_by, "unit", None),
            request=request,
            data={
                "kind": kind,
                "source": source,
                "name": batch.original_name,
                **_token_data(batch),
            },
        )
    return batch


def _token_data(batch) -> dict:
    if not batch.token_id:
        return {}
    out = {"token": batch.token.name}
    if not batch.created_by_id:
        out["actor_name"] = f"接口令牌：{batch.token.name}"
    return out


HEARTBEAT_EVERY = 5  # seconds: at most one heartbeat write per this many seconds of progress


def runner_id() -> str:
    """The process running a batch: host and pid, so a worker starting on the same host
    can tell at once that the process is gone."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _progress_updater(batch):
    last = {"pct": -1, "beat": time.monotonic()}

    def progress(done, total):
        pct = 100 if not total else int(done * 100 / total)
        now = time.monotonic()
        if pct != last["pct"] or now - last["beat"] >= HEARTBEAT_EVERY:
            last["pct"], last["beat"] = pct, now
            ImportBatch.objects.filter(pk=batch.pk).update(
                progress=pct, rows=total, heartbeat_at=timezone.now()
            )

    return progress


class NotPending(Exception):
    """The batch is not waiting to run: another process claimed it, or it ended."""


def run_batch(
    batch: ImportBatch, *, sheet=None, progress=None, request=None, **engine_options
) -> engine.Result:
    """Read, validate and apply one batch; store its counts and errors; audit it.

    The batch is claimed (pending -> running) so that two processes never run it at
    once. Each written batch of rows records the counts so far, the heartbeat and how
    far the file is written, in the rows' own transaction: a killed import leaves the
    batch with exactly what it committed, and a resumed one (`resume_batch`) writes
    only the rest and adds to those counts."""
    claimed = ImportBatch.objects.filter(pk=batch.pk, state=ImportBatch.State.PENDING).update(
        state=ImportBatch.State.RUNNING, runner=runner_id(), heartbeat_at=timezone.now()
    )
    if not claimed:
        raise NotPending(batch.pk)
    batch.refresh_from_db()
    start = batch.resume_from
    base = (batch.created, batch.updated, batch.unchanged) if start else (0, 0, 0)
    updater = _progress_updater(batch)

    def both(done, total):
        updater(done, total)
        if progress:
            progress(done, total)

    def committed(result, position):
        ImportBatch.objects.filter(pk=batch.pk).update(
            created=base[0] + result.created,
            updated=base[1] + result.updated,
            unchanged=base[2] + result.unchanged,
            rejected=result.rejected,
            resume_from=position,
            heartbeat_at=timezone.now(),
        )

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
            committed=committed,
            resume_from=start,
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
    except BaseException:
        # Stopped from outside (the worker's second SIGTERM, Ctrl+C): what was
        # committed stays counted; the batch can be resumed.
        interrupt(batch.pk, "导入进程被停止")
        raise
    with transaction.atomic():
        batch.kind = result.kind
        batch.rows = result.rows
        batch.created, batch.updated, batch.unchanged, batch.rejected = (
            base[0] + result.created,
            base[1] + result.updated,
            base[2] + result.unchanged,
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
                "created": batch.created,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
                "rejected": result.rejected,
                **({"resumed_from": start} if start else {}),
                **_token_data(batch),
            },
        )
    if start:
        result.created, result.updated, result.unchanged = (
            batch.created,
            batch.updated,
            batch.unchanged,
        )
    if result.applied and (result.created or result.updated):
        # The rules reading this kind run again, for the units written (all of them when
        # resumed: the interrupted run's units are not known here).
        hooks.after_import(result.kind, None if start else sorted(result.unit_ids))
    return result


def _stale_reason(batch, cutoff, host) -> str:
    """Why a running batch is taken for dead ('' while it looks alive)."""
    runner_host, _, pid = batch.runner.rpartition(":")
    if runner_host == host and pid.isdigit() and not _alive(int(pid)):
        return "执行导入的进程已不存在"
    if batch.heartbeat_at is None or batch.heartbeat_at < cutoff:
        return "执行导入的进程长时间没有响应"
    return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def interrupt(batch_id: int, reason: str) -> bool:
    """Mark a running batch interrupted, with what it committed. True if it was marked."""
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(skip_locked=True)
            .filter(pk=batch_id, state=ImportBatch.State.RUNNING)
            .first()
        )
        if batch is None:
            return False  # ended meanwhile, or its row is being written right now: alive
        written = batch.created + batch.updated + batch.unchanged
        batch.state = ImportBatch.State.INTERRUPTED
        batch.message = (
            f"导入中断（{reason}）。已写入 {written} 行（新增 {batch.created}、更新 "
            f"{batch.updated}、未变 {batch.unchanged}），这些数据已保存。"
            + (
                "点击“继续导入”可完成余下的行；"
                if batch.file
                else "请重新导入同一文件完成余下的行；"
            )
            + "已写入的行按编号识别，不会重复。"
        )
        batch.finished_at = timezone.now()
        batch.save(update_fields=["state", "message", "finished_at"])
        log(
            "intake.batch.interrupted",
            obj=batch,
            unit=batch.unit,
            data={
                "reason": reason,
                "runner": batch.runner,
                "resume_from": batch.resume_from,
                "created": batch.created,
                "updated": batch.updated,
                "unchanged": batch.unchanged,
                **_token_data(batch),
            },
        )
    return True


def recover_stale(batches=None) -> list[int]:
    """Mark running batches whose process is gone as interrupted: on this host, a runner
    pid that no longer exists; anywhere, a heartbeat older than INTAKE_STALE_SECONDS
    (hosts share only the database). A batch whose row is locked is being written,
    so it is alive. Returns the ids marked."""
    cutoff = timezone.now() - timedelta(seconds=settings.INTAKE_STALE_SECONDS)
    host = socket.gethostname()
    batches = ImportBatch.objects.all() if batches is None else batches
    marked = []
    running = batches.filter(state=ImportBatch.State.RUNNING).select_related(None)
    for batch in running.only("pk", "runner", "heartbeat_at"):
        reason = _stale_reason(batch, cutoff, host)
        if not reason:
            continue
        try:
            if interrupt(batch.pk, reason):
                marked.append(batch.pk)
        except OperationalError:
            # SQLite: another connection holds the write lock past the busy timeout,
            # e.g. an all-or-nothing import writing in one transaction: alive.
            continue
    return marked


def resume_batch(batch: ImportBatch, *, actor, request=None) -> ImportBatch:
    """Queue an interrupted batch again (排队中) to run its kept file once more
    (tasks.start): the rows it wrote are checked but not written again; the rest is
    written and added to its counts."""
    with transaction.atomic():
        lock(batch)
        check_resume(batch, actor)
        batch.state = ImportBatch.State.PENDING
        batch.message = ""
        batch.finished_at = None
        batch.save(update_fields=["state", "message", "finished_at"])
        log(
            "intake.batch.resumed",
            actor=actor,
            obj=batch,
            unit=batch.unit,
            request=request,
            data={"resume_from": batch.resume_from},
        )
    return batch


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


CLI_ACTOR = "命令行（服务器管理员）"


def _may_manage_tokens(actor) -> None:
    """The supervisor on the page; `actor=None` is the server's own command line."""
    if actor is not None and not actor.is_supervisor:
        raise PermissionDenied(TOKENS_ONLY_SUPERVISORS)


def issue_token(
    *, actor, name: str, unit=None, scopes="import", request=None
) -> tuple[ApiToken, str]:
    """A new token; the raw value is returned once and never stored."""
    _may_manage_tokens(actor)
    try:
        scope_list = parse_scopes(scopes)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if not scope_list:
        raise ValidationError("请至少选择一项权限范围。")
    if "write" in scope_list and unit is None:
        raise ValidationError("write（回写）权限只能给限定单位的令牌：回写以该单位的名义进行。")
    data = {"name": name, "scopes": ",".join(scope_list)}
    if actor is None:
        data["actor_name"] = CLI_ACTOR
    with transaction.atomic():
        token, raw = ApiToken.issue(name=name, unit=unit, created_by=actor, scopes=scope_list)
        log("intake.token.issued", actor=actor, obj=token, unit=unit, request=request, data=data)
    return token, raw


def revoke_token(token: ApiToken, *, actor, request=None) -> ApiToken:
    _may_manage_tokens(actor)
    with transaction.atomic():
        token = lock(token)
        if not token.is_active:
            return token  # already revoked (a double click): nothing changes, no second row
        token.is_active = False
        token.save(update_fields=["is_active"])
        data = {"actor_name": CLI_ACTOR} if actor is None else {}
        log(
            "intake.token.revoked",
            actor=actor,
            obj=token,
            unit=token.unit,
            request=request,
            data=data,
        )
    return token
