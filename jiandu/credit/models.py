"""信用修复 done on the platform, and the record of 三书同达.

An enterprise applies on the public portal (`RepairApplication`, followed by its code);
the case's unit approves or refuses it; on approval each unit that published the penalty
(the case's unit, the credit platform's owner) confirms the withdrawal of the
publication (`Withdrawal`, one row each). The imported `enforcement.CreditRepair` rows
stay as they are; SERV-02/03 read both. `ThreeDocsService` records how the 信用修复告知书
and the 合规指导意见书 were served with the 决定书."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

REFERENCE_PREFIX = "XF"


class RepairApplication(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", "待审核"
        APPROVED = "approved", "准予修复"
        REFUSED = "refused", "不予修复"

    code = models.CharField("查询码", max_length=40, unique=True)
    case = models.ForeignKey(
        "enforcement.PenaltyCase",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="处罚案件",
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="作出处罚的单位"
    )
    uscc = models.CharField("统一社会信用代码", max_length=18)
    enterprise_name = models.CharField("申请主体名称", max_length=200)
    decision_no = models.CharField("处罚决定书文号", max_length=80)
    grounds = models.TextField("申请理由")
    applied_on = models.DateField("申请日期")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SUBMITTED)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opinion = models.TextField("审核意见", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["unit", "applied_on"], name="repair_app_unit_idx")]
        verbose_name = verbose_name_plural = "信用修复申请"

    def __str__(self):
        return f"{self.reference} {self.enterprise_name}"

    def get_absolute_url(self):
        return reverse("credit:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """How units, notices and the audit trail name it: the code is the applicant's."""
        return f"{REFERENCE_PREFIX}{self.pk:06d}" if self.pk else ""

    def pending_withdrawals(self):
        return [w for w in self.withdrawals.all() if w.confirmed_on is None]


class Withdrawal(models.Model):
    """One publishing unit's confirmation that it withdrew the penalty's publication."""

    application = models.ForeignKey(
        RepairApplication, on_delete=models.CASCADE, related_name="withdrawals"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="公示单位"
    )
    confirmed_on = models.DateField("撤下日期", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "unit"], name="withdrawal_once_per_unit")
        ]
        verbose_name = verbose_name_plural = "公示撤下确认"

    def __str__(self):
        return f"{self.application.reference} {self.unit.name}"


class ThreeDocsService(models.Model):
    class Method(models.TextChoices):
        DIRECT = "direct", "直接送达"
        MAIL = "mail", "邮寄送达"
        ELECTRONIC = "electronic", "电子送达"
        LEFT = "left", "留置送达"
        NOTICE = "notice", "公告送达"

    case = models.OneToOneField(
        "enforcement.PenaltyCase", on_delete=models.CASCADE, related_name="+"
    )
    served_on = models.DateField("送达日期")
    method = models.CharField("送达方式", max_length=12, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "三书同达送达记录"

    def __str__(self):
        return f"{self.case_id} {self.served_on}"

    @property
    def unit(self):
        return self.case.unit
