"""Events out: an integration's webhook registrations, the events jiandu emits and each
delivery of an event to a webhook, with every attempt's response."""

import secrets
import uuid

from django.db import models
from django.utils import timezone

EVENTS = {
    "problem.created": "问题登记",
    "problem.overdue": "问题逾期",
    "problem.accepted": "问题验收销号",
    "alert.confirmed": "预警确认",
    "complaint.received": "收到举报",
    "complaint.closed": "举报办结",
    "instrument.issued": "监督文书下达",
    "instrument.replied": "监督文书回复",
}


class Webhook(models.Model):
    """Where an integration wants events of some types POSTed. Registered through the
    API under its token: a unit's token gets that unit's events only."""

    key = models.UUIDField("编号", default=uuid.uuid4, unique=True, editable=False)
    token = models.ForeignKey(
        "intake.ApiToken", on_delete=models.CASCADE, related_name="+", verbose_name="接口令牌"
    )
    url = models.URLField("接收地址", max_length=500)
    events = models.JSONField("事件类型", default=list)
    secret = models.CharField("签名密钥", max_length=64, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "事件推送地址"

    def __str__(self):
        return self.url

    @staticmethod
    def new_secret() -> str:
        return "whsec_" + secrets.token_urlsafe(32)


class Event(models.Model):
    """One thing that happened, named by its object's natural key (the receiver pulls the
    object through the API). `dedupe` makes a time-based event (overdue) happen once."""

    key = models.UUIDField("编号", default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField("事件类型", max_length=40, db_index=True)
    object_key = models.CharField("对象", max_length=200)
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict)
    dedupe = models.CharField(max_length=240, null=True, blank=True, unique=True)
    created_at = models.DateTimeField("发生时间", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "推送事件"

    def __str__(self):
        return f"{self.type} {self.object_key}"


class Delivery(models.Model):
    """One event to one webhook: tried until a 2xx, with back-off, then given up; the
    supervisor can replay it (a new attempt of the same body, signed anew)."""

    class State(models.TextChoices):
        PENDING = "pending", "待发送"
        DELIVERED = "delivered", "已送达"
        FAILED = "failed", "已放弃"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    last_attempt_at = models.DateTimeField("最近尝试", null=True, blank=True)
    last_status = models.PositiveSmallIntegerField("最近响应码", null=True, blank=True)
    last_response = models.TextField("最近响应", blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "事件推送"

    def __str__(self):
        return f"{self.event} → {self.webhook}"

    @property
    def unit(self):
        return self.event.unit
