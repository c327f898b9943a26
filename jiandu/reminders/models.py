"""What the reminders keep: one ReminderLog row per message (the ladder's history and its
idempotency), the drafts of 提醒函/督办函 the ladder writes for the supervisor, and the
pauses the supervisor puts on one item's ladder.

A watched item is named by its key (`keys.item_key`): "ledger.problem:12",
"portal.complaint:3", "selfcheck:<campaign>:<unit>" (a unit's report may not exist yet).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Step(models.TextChoices):
    BEFORE = "before", "提醒"
    DUE = "due", "到期提醒"
    LETTER = "letter", "提醒函（草稿）"
    SUPERVISION = "supervision", "督办函（草稿）"
    URGE = "urge", "催报"
    RETRY = "retry", "重发"


class Channel(models.TextChoices):
    INAPP = "inapp", "站内通知"
    EMAIL = "email", "电子邮件"
    WEBHOOK = "webhook", "群机器人"
    SMS = "sms", "短信"


class ReminderLog(models.Model):
    """One message to one recipient through one channel. Unique per (item, step,
    recipient, channel, day): a second run on the same day sends nothing new."""

    class Status(models.TextChoices):
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    day = models.DateField("日期", db_index=True)
    item_key = models.CharField("事项", max_length=80, db_index=True)
    kind = models.CharField("类型", max_length=20)
    item_label = models.CharField("事项名称", max_length=200)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="单位",
    )
    deadline = models.DateField("期限", null=True, blank=True)
    step = models.CharField("阶梯", max_length=20, choices=Step.choices)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="接收人",
    )
    recipient_key = models.CharField(max_length=120)
    recipient_label = models.CharField("接收人", max_length=200)
    address = models.CharField("地址", max_length=500, blank=True)
    subject_url = models.CharField("链接", max_length=500, blank=True)
    text = models.TextField("内容")
    status = models.CharField(
        "状态", max_length=10, choices=Status.choices, default=Status.SENT, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    error = models.CharField("错误", max_length=500, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发送人",
        help_text="空：系统按阶梯自动发送",
    )
    created_at = models.DateTimeField("时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "提醒记录"
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "step", "recipient_key", "channel", "day"],
                name="reminders_one_message_per_day",
            )
        ]
        indexes = [models.Index(fields=["unit", "-created_at"])]

    def __str__(self):
        return f"{self.item_label} {self.get_step_display()} → {self.recipient_label}"


class ReminderDraft(models.Model):
    """A 提醒函 or 督办函 the ladder drafted for the supervisor to approve and issue."""

    class Kind(models.TextChoices):
        REMINDER_LETTER = "reminder_letter", "提醒函"
        SUPERVISION_LETTER = "supervision_letter", "督办函"

    class State(models.TextChoices):
        DRAFT = "draft", "待审批"
        APPROVED = "approved", "已审批"
        ISSUED = "issued", "已印发"
        DISCARDED = "discarded", "已作废"

    item_key = models.CharField("事项", max_length=80, db_index=True)
    item_kind = models.CharField("事项类型", max_length=20)
    item_label = models.CharField("事项名称", max_length=200)
    subject_url = models.CharField("事项链接", max_length=300, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="单位",
    )
    deadline = models.DateField("期限", null=True, blank=True)
    kind = models.CharField("文书", max_length=20, choices=Kind.choices)
    text = models.TextField("正文")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    created_at = models.DateTimeField("起草时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    discard_reason = models.TextField("作废理由", blank=True)
    # The 公文 the engine issued (documents.gongwen.IssuedDocument): its 文号 and id.
    document_ref = models.CharField("文号", max_length=120, blank=True)
    document_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "提醒函/督办函草稿"
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "kind", "deadline"], name="reminders_one_draft_per_step"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.item_label}"


class ReminderPause(models.Model):
    """The supervisor paused one item's ladder (with a reason); `resumed_at` ends it."""

    item_key = models.CharField("事项", max_length=80, db_index=True)
    item_label = models.CharField("事项名称", max_length=200)
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("暂停理由")
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    paused_at = models.DateTimeField("暂停时间", default=timezone.now)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resumed_at = models.DateTimeField("恢复时间", null=True, blank=True)

    class Meta:
        ordering = ["-paused_at", "-id"]
        verbose_name = verbose_name_plural = "暂停提醒"
        constraints = [
            models.UniqueConstraint(
                fields=["item_key"],
                condition=models.Q(resumed_at__isnull=True),
                name="reminders_one_open_pause",
            )
        ]

    def __str__(self):
        return f"暂停：{self.item_label}"
