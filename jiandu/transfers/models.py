"""案件移送 done on the platform: a unit sends a case or a clue to another unit or to the
judicial organs; the receiver accepts, refuses or returns it; a disputed jurisdiction
goes to the supervisor. Every step is a `TransferStep` row (who, when), so the timeline
and the deadlines are derived, never stored as flags. The imported `enforcement.Transfer`
rows (a unit's own register) stay as they are; INTG-01 reads both."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class CaseTransfer(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", "案件"
        CLUE = "clue", "线索"

    class External(models.TextChoices):
        POLICE = "police", "公安机关"
        PROCURATORATE = "procuratorate", "检察机关"

    class State(models.TextChoices):
        SENT = "sent", "待接收"
        ACCEPTED = "accepted", "已接收"
        REFUSED = "refused", "拒绝接收"
        RETURNED = "returned", "退回补正"
        DISPUTED = "disputed", "管辖争议待裁定"
        KEPT = "kept", "裁定由移出单位管辖"

    OPEN_STATES = (State.SENT, State.RETURNED, State.REFUSED, State.DISPUTED)

    transfer_no = models.CharField("移送编号", max_length=40, unique=True)
    kind = models.CharField("移送类型", max_length=8, choices=Kind.choices, default=Kind.CASE)
    from_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="移出单位"
    )
    to_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="接收单位",
    )
    external = models.CharField("司法机关", max_length=16, choices=External.choices, blank=True)
    external_name = models.CharField("司法机关名称", max_length=100, blank=True)
    case = models.ForeignKey(
        "enforcement.PenaltyCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="关联案件",
    )
    party_name = models.CharField("当事人", max_length=200)
    facts = models.TextField("违法事实")
    basis = models.TextField("移送依据")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SENT)
    sent_on = models.DateField("移送日期")
    first_answered_on = models.DateField("首次答复日期", null=True, blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    reason = models.TextField("拒收或退回理由", blank=True)
    dispute_reason = models.TextField("争议理由", blank=True)
    disputed_on = models.DateField("报请裁定日期", null=True, blank=True)
    decision = models.TextField("裁定意见", blank=True)
    decided_on = models.DateField("裁定日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [
            models.Index(fields=["from_unit", "sent_on"], name="transfer_from_idx"),
            models.Index(fields=["to_unit", "sent_on"], name="transfer_to_idx"),
        ]
        verbose_name = verbose_name_plural = "案件移送（平台办理）"

    def __str__(self):
        return f"{self.transfer_no} {self.party_name}"

    def get_absolute_url(self):
        return reverse("transfers:detail", args=[self.pk])

    @property
    def unit(self):
        """The audit trail's unit: the sender's."""
        return self.from_unit

    @property
    def receiver_name(self) -> str:
        if self.to_unit_id:
            return self.to_unit.name
        return self.external_name or self.get_external_display()

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class TransferStep(models.Model):
    class Code(models.TextChoices):
        SENT = "sent", "移送"
        ACCEPTED = "accepted", "接收"
        REFUSED = "refused", "拒绝接收"
        RETURNED = "returned", "退回补正"
        RESENT = "resent", "补正后重新移送"
        DISPUTED = "disputed", "报请管辖裁定"
        DECIDED = "decided", "监督机关裁定"

    transfer = models.ForeignKey(CaseTransfer, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField("环节", max_length=10, choices=Code.choices)
    on = models.DateField("日期")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", null=True, on_delete=models.PROTECT, related_name="+", verbose_name="办理单位"
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "移送环节"

    def __str__(self):
        return f"{self.transfer.transfer_no} {self.get_code_display()}"
