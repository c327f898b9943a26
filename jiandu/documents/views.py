from django.contrib.auth.decorators import login_required
from django.http import FileResponse

from jiandu.documents.models import Attachment
from jiandu.orgs.access import get_for_user


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
