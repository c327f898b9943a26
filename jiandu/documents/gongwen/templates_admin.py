"""The supervisor's replacement templates: upload (checked: a .docx that docxtpl reads,
with every field its kind needs), and back to the default. Audited."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jiandu.audit.log import log
from jiandu.documents.gongwen.kinds import get_kind
from jiandu.documents.gongwen.render import TemplateRefused, check_template
from jiandu.documents.models import DocumentTemplate
from jiandu.documents.uploads import check_upload
from jiandu.orgs.access import is_supervisor

DOCX_ONLY = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def check_upload_template(kind, actor, today=None):
    if not is_supervisor(actor):
        return "只有监督管理员可以更换公文模板。"
    return None


def upload_template(kind: str, upload, actor) -> DocumentTemplate:
    doc_kind = get_kind(kind)
    refusal = check_upload_template(kind, actor)
    if refusal:
        raise ValidationError(refusal)
    checked = check_upload(upload, allowed=DOCX_ONLY)
    try:
        check_template(kind, checked.data)
    except TemplateRefused as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        row, _ = DocumentTemplate.objects.get_or_create(kind=kind)
        row.file.save(f"{kind}.docx", ContentFile(checked.data), save=False)
        row.uploaded_by = actor
        row.uploaded_at = timezone.now()
        row.last_error, row.failed_at = "", None
        row.save()
        log(
            "documents.template.uploaded",
            actor=actor,
            obj=row,
            data={"kind": doc_kind.name, "attachment": checked.name},
        )
    return row


def reset_template(kind: str, actor) -> None:
    doc_kind = get_kind(kind)
    refusal = check_upload_template(kind, actor)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        deleted, _ = DocumentTemplate.objects.filter(kind=kind).delete()
        if deleted:
            log("documents.template.reset", actor=actor, data={"kind": doc_kind.name})
