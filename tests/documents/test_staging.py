import os
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jiandu.documents import staging
from jiandu.documents.models import PendingUpload
from jiandu.documents.uploads import check_upload

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_kept_files_left_behind_are_removed_after_a_day(personas):
    old = staging.stage(check_upload(SimpleUploadedFile("旧.pdf", PDF)), personas["clerk_a"])
    fresh = staging.stage(check_upload(SimpleUploadedFile("新.pdf", PDF)), personas["clerk_a"])
    PendingUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=staging.PENDING_HOURS + 1)
    )
    path = old.file.path
    staging.sweep()
    assert list(PendingUpload.objects.values_list("pk", flat=True)) == [fresh.pk]

    assert not os.path.exists(path)
