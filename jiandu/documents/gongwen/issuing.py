"""Issuing a document (印发) and its delivery (送达).

`issue_document` takes a 文号, renders the .docx, stores it, links it to what it is
about, audits and tells the unit; the unit's to-do page lists it until a user of that
unit opens it (`mark_delivered`, called by the download view), which is its 送达.
Who may issue is the caller's business (the supervisor's pages and actions)."""

import hashlib
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.documents.gongwen.kinds import get_kind
from jiandu.documents.gongwen.numbers import issue_number
from jiandu.documents.gongwen.render import render_with_fallback
from jiandu.documents.models import IssuedDocument
from jiandu.documents.uploads import check_upload, save_attachment
from jiandu.lib.locking import lock
from jiandu.orgs.access import unit_users
from jiandu.orgs.notify import notify


def _year(context) -> int:
    value = context.get("date")
    if isinstance(value, datetime | date):
        return value.year
    return timezone.localdate().year


def issue_document(kind: str, *, unit, context: dict, actor, subject=None) -> IssuedDocument:
    """Issue a document of `kind` to `unit` (None: to no single unit, e.g. a 通报 or the
    campaign's 工作总结). The 文号 is taken in the same transaction as the document is
    stored: a document that fails to render leaves no hole in the register."""
    doc_kind = get_kind(kind)
    with transaction.atomic():
        number = issue_number(kind, _year(context))
        ctx = {**context, "number": number.text}
        if unit is not None and not ctx.get("recipient"):
            ctx["recipient"] = unit.name
        data, used_default = render_with_fallback(kind, ctx)
        doc = IssuedDocument(
            kind=kind,
            number=number,
            title=str(context.get("title"))[:300],
            unit=unit,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            from_default_template=used_default,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if subject is not None:
            doc.subject_type = ContentType.objects.get_for_model(subject)
            doc.subject_id = subject.pk
        doc.file.save("x.docx", ContentFile(data), save=False)
        doc.save()
        log(
            "documents.document.issued",
            actor=actor,
            obj=doc,
            unit=unit,
            data={"doc_no": number.text, "kind": doc_kind.name, "title": doc.title},
        )
        if unit is not None:
            notify(
                unit_users(unit.pk),
                f"收到{doc_kind.name}：{number.text}",
                doc.title,
                url=reverse("documents:issued_download", args=[doc.pk]),
                important=True,
            )
    return doc


def documents_about(obj):
    """The documents issued about `obj`, newest first."""
    return IssuedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk
    ).select_related("number", "unit")


def check_deliver(doc, user, today=None):
    if doc.unit_id is None or getattr(user, "unit_id", None) != doc.unit_id:
        return "只有主送单位的人员打开文书才记为送达。"
    if doc.served_at is not None:
        return "该文书已送达。"
    return None


def mark_delivered(doc: IssuedDocument, user) -> bool:
    """送达: the first opening by a user of the unit it was sent to records the time and
    the user (audited). Later openings and other readers change nothing."""
    if check_deliver(doc, user):
        return False
    with transaction.atomic():
        lock(doc)
        if check_deliver(doc, user):
            return False
        doc.served_at = timezone.now()
        doc.served_by = user
        doc.save(update_fields=["served_at", "served_by"])
        log(
            "documents.document.served",
            actor=user,
            obj=doc,
            unit=doc.unit,
            data={"doc_no": doc.number.text},
        )
    return True


def check_receipt(doc, user, today=None):
    from jiandu.orgs.access import can_write_unit

    if doc.unit_id is None or not can_write_unit(user, doc.unit_id):
        return "只有主送单位的填报员、负责人或监督管理员可以上传送达回执。"
    return None


def attach_receipt(doc: IssuedDocument, upload, user) -> IssuedDocument:
    """The optional paper 送达回执 (a scan or photo), checked like every upload."""
    refusal = check_receipt(doc, user)
    if refusal:
        raise ValidationError(refusal)
    checked = check_upload(upload)
    with transaction.atomic():
        lock(doc)
        att = save_attachment(checked, owner=doc, unit=doc.unit, user=user)
        doc.receipt = att
        doc.save(update_fields=["receipt"])
        log(
            "documents.document.receipt",
            actor=user,
            obj=doc,
            unit=doc.unit,
            data={"doc_no": doc.number.text, "attachment": att.original_name},
        )
    return doc
