import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


def _upload_to(instance, filename):
    # Stored under a random name: the original name is kept in the row, never trusted on disk.
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class Attachment(models.Model):
    """A file attached to a self-check answer, a progress note, a complaint, ...
    `unit` scopes it: a unit's users download only their own unit's files."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    owner_id = models.PositiveBigIntegerField(db_index=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT)
    file = models.FileField(upload_to=_upload_to)
    original_name = models.CharField("文件名", max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    is_public = models.BooleanField(default=False, help_text="公开页面可下载（如曝光案例）")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = verbose_name_plural = "附件"

    def __str__(self):
        return self.original_name


def _pending_to(instance, filename):
    return f"pending/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


def _token():
    return uuid.uuid4().hex


class PendingUpload(models.Model):
    """A checked file from a form that failed for another reason: kept for its user (or,
    on a public form, for whoever holds its random token), so the corrected form need
    not choose it again (documents.staging). Removed once the form succeeds, or after
    PENDING_HOURS."""

    token = models.CharField(max_length=32, unique=True, default=_token)
    # None: a public form's (the portal's); such a file is found by its token alone.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    file = models.FileField(upload_to=_pending_to)
    # The bytes as received when cleaning changed them (a complaint's photo with its
    # metadata): they follow the file to the supervisor-only original.
    original = models.FileField(upload_to=_pending_to, blank=True)
    original_name = models.CharField("文件名", max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "暂存附件"

    def __str__(self):
        return self.original_name
