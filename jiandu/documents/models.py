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


# -- official documents in 公文 format (jiandu/documents/gongwen) ---------------------


def _template_to(instance, filename):
    return f"gongwen/templates/{instance.kind}/{uuid.uuid4().hex}.docx"


def _issued_to(instance, filename):
    return f"gongwen/issued/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.docx"


class DocumentTemplate(models.Model):
    """A supervisor's replacement of a kind's default template (a .docx with docxtpl tags,
    checked for the fields the kind needs when it is uploaded). When rendering with it
    fails, the default is used and the failure is kept here."""

    kind = models.CharField("文书种类", max_length=40, unique=True)
    file = models.FileField("模板文件", upload_to=_template_to)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    last_error = models.TextField("最近一次套用失败", blank=True)
    failed_at = models.DateTimeField("失败时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公文模板"

    def __str__(self):
        from jiandu.documents.gongwen.kinds import KINDS

        kind = KINDS.get(self.kind)
        return f"{kind.name if kind else self.kind}模板"


class NumberCounter(models.Model):
    """The last 文号 sequence given per kind and year: the row every issuing locks."""

    kind = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last_seq = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="gongwen_counter_kind_year")
        ]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last_seq}"


class DocumentNumber(models.Model):
    """One 文号 of the register, e.g. 平司监督〔2026〕12号: gap-free per kind and year; a
    cancelled number stays in the register, marked, and is never given again."""

    class State(models.TextChoices):
        ISSUED = "issued", "已使用"
        CANCELLED = "cancelled", "已作废"

    kind = models.CharField("文书种类", max_length=40)
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    prefix = models.CharField("发文字号前缀", max_length=40)
    state = models.CharField("状态", max_length=12, choices=State, default=State.ISSUED)
    issued_at = models.DateTimeField("取号时间", default=timezone.now)
    cancelled_at = models.DateTimeField("作废时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancel_reason = models.CharField("作废原因", max_length=300, blank=True)

    class Meta:
        ordering = ["kind", "year", "seq"]
        verbose_name = verbose_name_plural = "文号登记"
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "seq"], name="gongwen_number_unique")
        ]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        # 〔〕 brackets and no leading zeros (GB/T 9704-2012 7.2.4).
        return f"{self.prefix}〔{self.year}〕{self.seq}号"


class IssuedDocument(models.Model):
    """A document issued in 公文 format: its 文号, the rendered .docx, what it is about
    (any object), and the unit it went to with its 送达 (first opening by that unit)."""

    kind = models.CharField("文书种类", max_length=40, db_index=True)
    number = models.OneToOneField(
        DocumentNumber, on_delete=models.PROTECT, related_name="document", verbose_name="文号"
    )
    title = models.CharField("标题", max_length=300)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_documents",
        verbose_name="主送单位",
    )
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    file = models.FileField(upload_to=_issued_to)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    from_default_template = models.BooleanField("套用默认模板", default=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_at = models.DateTimeField("印发时间", default=timezone.now)
    served_at = models.DateTimeField("送达时间", null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="签收人",
    )
    receipt = models.ForeignKey(
        Attachment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="送达回执",
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = verbose_name_plural = "已印发公文"

    def __str__(self):
        return f"{self.number.text} {self.title}"

    @property
    def kind_name(self) -> str:
        from jiandu.documents.gongwen.kinds import KINDS

        kind = KINDS.get(self.kind)
        return kind.name if kind else self.kind

    @property
    def filename(self) -> str:
        return f"{self.number.text}{self.title}.docx".replace("/", "-")
