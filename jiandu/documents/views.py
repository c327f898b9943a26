from django.contrib.auth.decorators import login_required
from django.http import FileResponse

from jiandu.documents.models import Attachment
from jiandu.orgs.access import get_for_user


@login_required
def download(request, pk):
    att = get_for_user(Attachment.objects.all(), request.user, pk)
    return FileResponse(
        att.file.open("rb"),
        as_attachment=True,
        filename=att.original_name,
        content_type=att.content_type,
    )
