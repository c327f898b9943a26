"""The reminders' named transitions: the supervisor pauses one item's ladder with a
reason and resumes it; approves, issues or discards a drafted 提醒函/督办函. Same shape as
every app: `check_<name>(obj, actor, today)`, the action re-checks under a lock (the
draft's row; a pause is kept single by its unique constraint), audits and notifies."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.documents import gongwen
from jiandu.documents.gongwen.kinds import issuer
from jiandu.lib.action_errors import required_text
from jiandu.lib.locking import lock
from jiandu.lib.public import public_url
from jiandu.lib.transitions import allowed
from jiandu.orgs.access import require_supervisor
from jiandu.reminders.models import ReminderDraft, ReminderPause
from jiandu.workdays import calendar

D = ReminderDraft.State
DENIED = "只有监督管理员可以管理提醒。"


# ---------------------------------------------------------------- pause / resume


def check_pause(item, actor, today=None):
    require_supervisor(actor, DENIED)
    if item.pause is not None:
        raise ValidationError("该事项的提醒已暂停。")


def check_resume(item, actor, today=None):
    require_supervisor(actor, DENIED)
    if item.pause is None:
        raise ValidationError("该事项的提醒没有暂停。")


PAUSE_CHECKS = {"pause": check_pause, "resume": check_resume}


def available_pause_actions(item, user, today=None) -> set[str]:
    return allowed(PAUSE_CHECKS, item, user, today)


@transaction.atomic
def pause(item, *, actor, reason, request=None):
    check_pause(item, actor)
    reason = required_text(reason, "reason", "请填写暂停提醒的理由。")
    try:
        with transaction.atomic():
            row = ReminderPause.objects.create(
                item_key=item.key,
                item_label=item.label[:200],
                unit=item.unit,
                reason=reason,
                paused_by=actor,
            )
    except IntegrityError as exc:  # paused meanwhile by another request
        raise ValidationError("该事项的提醒已暂停。") from exc
    item.__dict__["pause"] = row  # Watched.pause is read once per item
    log(
        "reminders.paused",
        actor=actor,
        obj=row,
        unit=item.unit,
        request=request,
        data={"item": item.label, "reason": reason},
    )
    return row


@transaction.atomic
def resume(item, *, actor, request=None):
    check_resume(item, actor)
    row = lock(item.pause)
    if row.resumed_at is not None:
        raise ValidationError("该事项的提醒没有暂停。")
    row.resumed_at = timezone.now()
    row.resumed_by = actor
    row.save(update_fields=["resumed_at", "resumed_by"])
    item.__dict__["pause"] = None
    log(
        "reminders.resumed",
        actor=actor,
        obj=row,
        unit=item.unit,
        request=request,
        data={"item": item.label},
    )
    return row


# ---------------------------------------------------------------- drafts


def check_approve(draft, actor, today=None):
    require_supervisor(actor, DENIED)
    if draft.state != D.DRAFT:
        raise ValidationError(f"该文书{draft.get_state_display()}，不能审批。")


def check_issue(draft, actor, today=None):
    require_supervisor(actor, DENIED)
    if draft.state != D.APPROVED:
        raise ValidationError("文书审批后才能印发。")


def check_discard(draft, actor, today=None):
    require_supervisor(actor, DENIED)
    if draft.state not in (D.DRAFT, D.APPROVED):
        raise ValidationError(f"该文书{draft.get_state_display()}，不能作废。")


DRAFT_CHECKS = {"approve": check_approve, "issue": check_issue, "discard": check_discard}


def available_draft_actions(draft, user, today=None) -> set[str]:
    return allowed(DRAFT_CHECKS, draft, user, today)


def document_context(draft, today=None) -> dict:
    """The 公文 engine's context (documents.gongwen) for an approved draft: its text as
    the body (the salutation is the engine's 主送), the item in the 提醒函's table."""
    today = today or timezone.localdate()
    body = issuer()
    lines = [line.strip() for line in draft.text.splitlines() if line.strip()]
    if lines and draft.unit is not None and lines[0] == f"{draft.unit.name}：":
        lines = lines[1:]
    context = {
        "issuer": body,
        "title": f"关于{draft.item_label}的{draft.get_kind_display()}",
        "body_sections": [{"heading": "", "level": 0, "paragraphs": lines}],
        "signer": body,
        "date": gongwen.date_text(today),
        "attachments": [],
        "cc": [],
    }
    if draft.kind == ReminderDraft.Kind.REMINDER_LETTER:
        late = calendar().count_workdays(draft.deadline, today) if draft.deadline else 0
        context["rows"] = [
            [
                "1",
                draft.item_label,
                gongwen.date_text(draft.deadline),
                f"{late}个工作日" if late > 0 else "",
            ]
        ]
    return context


@transaction.atomic
def approve(draft, *, actor, text="", request=None):
    lock(draft)
    check_approve(draft, actor)
    text = (text or "").strip()
    if text:
        draft.text = text
    draft.state = D.APPROVED
    draft.decided_by = actor
    draft.decided_at = timezone.now()
    draft.save()
    log(
        "reminders.draft.approved",
        actor=actor,
        obj=draft,
        request=request,
        data={"kind": draft.get_kind_display(), "item": draft.item_label},
    )
    return draft


@transaction.atomic
def issue(draft, *, actor, request=None):
    """印发: the 公文 engine takes a 文号, renders the letter (GB/T 9704), files it and
    notifies the unit's users (送达 when they open it)."""
    lock(draft)
    check_issue(draft, actor)
    document = gongwen.issue_document(
        draft.kind,
        unit=draft.unit,
        context=document_context(draft),
        actor=actor,
        subject=draft,
    )
    draft.document_ref = document.number.text[:120]
    draft.document_id = document.pk
    draft.state = D.ISSUED
    draft.issued_at = timezone.now()
    draft.save()
    log(
        "reminders.draft.issued",
        actor=actor,
        obj=draft,
        request=request,
        data={"kind": draft.get_kind_display(), "item": draft.item_label},
    )
    return draft


@transaction.atomic
def discard(draft, *, actor, reason, request=None):
    lock(draft)
    check_discard(draft, actor)
    reason = required_text(reason, "reason", "请填写作废理由。")
    draft.state = D.DISCARDED
    draft.discard_reason = reason
    draft.decided_by = actor
    draft.decided_at = timezone.now()
    draft.save()
    log(
        "reminders.draft.discarded",
        actor=actor,
        obj=draft,
        request=request,
        data={"kind": draft.get_kind_display(), "item": draft.item_label, "reason": reason},
    )
    return draft


def draft_link(draft) -> str:
    return public_url(reverse("reminders:draft", args=[draft.pk]))
