"""Serving an attachment: the file as a download under its original name, and the
attachment of one owner model, for the views that decide who may read that owner."""

from django.http import FileResponse, Http404

from jiandu.documents.models import Attachment


def attachment_response(att: Attachment) -> FileResponse:
    return FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )


def attachment_of(model, pk) -> Attachment:
    """The attachment `pk` if it belongs to a `model` row (404 otherwise); the caller then
    checks the reader may open that row (`att.owner_id`)."""
    att = Attachment.objects.filter(pk=pk).select_related("owner_type").first()
    if att is None or att.owner_type.model_class() is not model:
        raise Http404
    return att
