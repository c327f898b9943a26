"""The 文号 register: per kind and year, numbers 1, 2, 3, ... without gaps or duplicates
however many people issue at once. Each issuing locks the (kind, year) counter row
(jiandu.lib.locking.lock: SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers); a cancelled number is marked, never given again."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.documents.gongwen.kinds import get_kind
from jiandu.documents.models import DocumentNumber, NumberCounter
from jiandu.lib.locking import lock


def issue_number(kind: str, year: int) -> DocumentNumber:
    """The next 文号 of `kind` in `year`, registered as issued."""
    doc_kind = get_kind(kind)
    with transaction.atomic():
        counter, _ = NumberCounter.objects.get_or_create(kind=kind, year=year)
        lock(counter)
        counter.last_seq += 1
        counter.save(update_fields=["last_seq"])
        return DocumentNumber.objects.create(
            kind=kind, year=year, seq=counter.last_seq, prefix=doc_kind.prefix
        )


def _unit_of(number):
    try:
        return number.document.unit
    except DocumentNumber.document.RelatedObjectDoesNotExist:
        return None


def check_cancel(number, actor, today=None):
    if number.state == DocumentNumber.State.CANCELLED:
        return "该文号已作废。"
    return None


def cancel_number(number: DocumentNumber, actor, reason: str) -> DocumentNumber:
    """Mark a 文号 cancelled (作废) with the reason; it stays in the register, unused."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写作废原因。")
    with transaction.atomic():
        lock(number)
        refusal = check_cancel(number, actor)
        if refusal:
            raise ValidationError(refusal)
        number.state = DocumentNumber.State.CANCELLED
        number.cancelled_at = timezone.now()
        number.cancelled_by = actor if getattr(actor, "is_authenticated", False) else None
        number.cancel_reason = reason[:300]
        number.save(update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason"])
        log(
            "documents.number.cancelled",
            actor=actor,
            obj=number,
            unit=_unit_of(number),
            data={"doc_no": number.text, "reason": number.cancel_reason},
        )
    return number
