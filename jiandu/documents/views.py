from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404

from jiandu.documents.models import Attachment
from jiandu.orgs.access import get_for_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def download_attachment(request, pk):
    """A file of a unit's data, for whoever may read that unit. Files without a unit (a
    complaint's) are not unit data: they open only where their owner is checked
    (portal:attachment), never here for everyone who reads all units."""
    att = get_for_user(Attachment.objects.filter(unit__isnull=False), request.user, pk)
    return FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )


@login_required
def download_issued(request, pk):
    """An issued 公文, for whoever may read its unit (a document to no single unit: the
    county's readers). The first opening by a user of the unit it went to is its 送达."""
    from jiandu.documents.gongwen import mark_delivered
    from jiandu.documents.models import IssuedDocument
    from jiandu.orgs.access import sees_all

    docs = IssuedDocument.objects.select_related("number")
    if sees_all(request.user):
        doc = get_object_or_404(docs, pk=pk)
    else:
        doc = get_for_user(docs.filter(unit__isnull=False), request.user, pk)
    mark_delivered(doc, request.user)
    return FileResponse(
        doc.file.open("rb"),
        as_attachment=True,
        filename=doc.filename,
        content_type=DOCX,
    )
