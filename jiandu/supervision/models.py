"""监督检查: the joint inspections of the campaign's second phase and the 案卷评查 done
during them. The tables keep the names they had in `campaigns`."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from jiandu.ledger.models import Problem


class SupervisionVisit(models.Model):
    """A joint inspection (体检) of one unit by the justice bureau and the discipline
    commission. Findings become ledger Problems whose origin is the visit (or, for a
    failed case file, its review); `ref` is their display text."""

    class State(models.TextChoices):
        PLANNED = "planned", "计划中"
        DONE = "done", "已完成"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="visits"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="supervision_visits",
        verbose_name="被检查单位",
    )
    visit_date = models.DateField("检查日期")
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="supervision_visits", verbose_name="检查组成员"
    )
    domains = models.ManyToManyField(
        "orgs.Domain", blank=True, related_name="+", verbose_name="检查领域（1+8）"
    )
    summary = models.TextField("检查情况", blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        # The table kept its name when the model moved out of `campaigns`.
        db_table = "campaigns_supervisionvisit"
        ordering = ["-visit_date", "-id"]
        verbose_name = verbose_name_plural = "监督检查"

    def __str__(self):
        return f"{self.unit} · {self.visit_date:%Y-%m-%d} 监督检查"

    def get_absolute_url(self):
        return reverse("campaigns:visit", args=[self.pk])

    @property
    def ref(self) -> str:
        return f"监督检查#{self.pk}"

    def findings(self):
        """The ledger problems recorded on this visit (its case-file reviews' included)."""
        return Problem.objects.from_origin(self) | Problem.objects.from_origin(self.reviews.all())


class CaseFileReview(models.Model):
    """案卷评查: one sampled case file scored against a rubric. The rubric used is kept
    with the scores so a later change of the default rubric leaves old reviews intact."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", "优秀"
        PASS = "pass", "合格"
        FAIL = "fail", "不合格"

    visit = models.ForeignKey(SupervisionVisit, on_delete=models.CASCADE, related_name="reviews")
    case_no = models.CharField("案件编号", max_length=80)
    case = models.ForeignKey(
        "enforcement.PenaltyCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="关联处罚案件",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rubric = models.JSONField("评查标准", default=list)
    scores = models.JSONField("各项得分", default=dict)
    total = models.PositiveSmallIntegerField("总分", default=0)
    grade = models.CharField("等次", max_length=10, choices=Grade.choices)
    comments = models.TextField("评查意见", blank=True)
    problem = models.ForeignKey(
        "ledger.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="列入整改台账的问题",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "campaigns_casefilereview"
        ordering = ["visit", "id"]
        verbose_name = verbose_name_plural = "案卷评查"

    def __str__(self):
        return f"案卷评查 {self.case_no}"

    def get_absolute_url(self):
        return reverse("campaigns:review", args=[self.pk])

    def score_rows(self):
        return [{**item, "score": self.scores.get(item["code"])} for item in self.rubric]
