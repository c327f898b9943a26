"""自查表 as units fill it in: one report per unit and campaign, one answer per template
item. The template and its items stay in `campaigns`; these models moved here from there
(campaigns 0006) and keep their tables (Meta.db_table)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone


class SelfCheckReportQuerySet(models.QuerySet):
    def submitted(self):
        return self.exclude(
            state__in=[SelfCheckReport.State.DRAFT, SelfCheckReport.State.PENDING_SIGNOFF]
        )


class SelfCheckReport(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "填报中"
        PENDING_SIGNOFF = "pending_signoff", "待负责人签发"
        SUBMITTED = "submitted", "已上报"
        RETURNED = "returned", "已退回"
        ACCEPTED = "accepted", "已接收"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="self_check_reports"
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    contact_name = models.CharField("填报人", max_length=30, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    first_submitted_at = models.DateTimeField("首次上报时间", null=True, blank=True)
    submitted_at = models.DateTimeField("上报时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_reason = models.TextField("退回原因", blank=True)
    accepted_at = models.DateTimeField("接收时间", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = SelfCheckReportQuerySet.as_manager()

    class Meta:
        unique_together = [("campaign", "unit")]
        ordering = ["unit__kind", "unit__code"]
        verbose_name = verbose_name_plural = "自查报告"
        db_table = "campaigns_selfcheckreport"

    def __str__(self):
        return f"{self.unit} · {self.campaign}"

    @property
    def is_late(self) -> bool:
        """Derived: first submitted after the deadline, or not yet submitted past it."""
        deadline = self.campaign.self_check_deadline
        if deadline is None:
            return False
        if self.first_submitted_at:
            return timezone.localdate(self.first_submitted_at) > deadline
        return timezone.localdate() > deadline

    @property
    def is_editable_by_unit(self) -> bool:
        return self.state in {self.State.DRAFT, self.State.PENDING_SIGNOFF, self.State.RETURNED}


class SelfCheckAnswer(models.Model):
    report = models.ForeignKey(SelfCheckReport, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(
        "campaigns.SelfCheckItem", on_delete=models.PROTECT, related_name="answers"
    )
    has_problem = models.BooleanField("存在问题", null=True, help_text="空表示尚未作答")
    description = models.TextField("问题描述", blank=True)
    cause = models.TextField("原因分析", blank=True)
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    # The ledger problem made of this answer when the report was accepted (the answer
    # points at its problem, as alerts, complaints and reviews do).
    problem = models.OneToOneField(
        "ledger.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="列入整改台账的问题",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("report", "item")]
        ordering = ["item__order", "item_id"]
        verbose_name = verbose_name_plural = "自查答复"
        db_table = "campaigns_selfcheckanswer"

    def __str__(self):
        return f"{self.report.unit} · {self.item}"

    def get_absolute_url(self):
        return reverse("campaigns:report", args=[self.report_id]) + f"#answer-{self.pk}"
