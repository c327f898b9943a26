from datetime import date

from django.db import models
from django.utils import timezone


class CampaignQuerySet(models.QuerySet):
    def current(self, today: date | None = None):
        """The active campaign whose span contains today, else the latest active one."""
        today = today or timezone.localdate()
        active = self.filter(is_active=True)
        inside = (
            active.filter(phases__start__lte=today, phases__end__gte=today)
            .distinct()
            .order_by("-id")
        )
        return inside.first() or active.order_by("-id").first()


class Campaign(models.Model):
    title = models.CharField("名称", max_length=100)
    doc_no = models.CharField("文号", max_length=60, blank=True)
    lead_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位"
    )
    description = models.TextField("主要任务", blank=True)
    public_notice = models.TextField("公开通告", blank=True, help_text="在公开页面展示")
    focus_areas = models.ManyToManyField("orgs.FocusArea", verbose_name="整治内容")
    is_active = models.BooleanField("进行中", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = verbose_name_plural = "专项行动"

    def __str__(self):
        return self.title

    def phase_on(self, day: date | None = None):
        day = day or timezone.localdate()
        return next((p for p in self.phases.all() if p.start <= day <= p.end), None)

    def phase(self, kind: str):
        return next((p for p in self.phases.all() if p.kind == kind), None)

    @property
    def self_check_deadline(self):
        phase = self.phase(Phase.Kind.SELF_CHECK)
        return phase.end if phase else None


class CampaignContact(models.Model):
    """Contact people are data, never code."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, verbose_name="单位"
    )
    name = models.CharField("联系人", max_length=30)
    phone = models.CharField("联系电话", max_length=30)
    duty = models.CharField("职责", max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "联系人"

    def __str__(self):
        return f"{self.name} {self.phone}"


class Phase(models.Model):
    class Kind(models.TextChoices):
        SELF_CHECK = "self_check", "问题自查"
        SUPERVISION = "supervision", "监督检查"
        RECTIFICATION = "rectification", "整改提升"
        ACCEPTANCE = "acceptance", "总结验收"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField("阶段", max_length=20, choices=Kind.choices)
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    description = models.TextField("工作要求", blank=True)

    class Meta:
        ordering = ["start"]
        unique_together = [("campaign", "kind")]
        verbose_name = verbose_name_plural = "阶段"

    def __str__(self):
        return self.get_kind_display()

    def days_left(self, today: date | None = None) -> int:
        return (self.end - (today or timezone.localdate())).days


class SelfCheckTemplate(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="template")
    title = models.CharField("标题", max_length=200)
    instructions = models.TextField("填报说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "自查表模板"

    def __str__(self):
        return self.title

    def is_editable(self, today: date | None = None) -> bool:
        """The supervisor edits the template until the self-check phase starts."""
        phase = self.campaign.phase(Phase.Kind.SELF_CHECK)
        return phase is None or (today or timezone.localdate()) < phase.start


class SelfCheckItem(models.Model):
    template = models.ForeignKey(SelfCheckTemplate, on_delete=models.CASCADE, related_name="items")
    focus_area = models.ForeignKey(
        "orgs.FocusArea", on_delete=models.PROTECT, verbose_name="整治内容"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)
    text = models.TextField("自查事项")
    guidance = models.TextField("自查要点", blank=True)
    rules = models.CharField(
        "对应预警规则",
        max_length=200,
        blank=True,
        help_text="CAMP-01 比对用，规则编号以逗号分隔，如 DISC-01,DISC-02",
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "自查事项"

    def __str__(self):
        return f"{self.order}. {self.text[:30]}"

    @property
    def rule_ids(self) -> list[str]:
        return split_rule_ids(self.rules)


def split_rule_ids(rules: str) -> list[str]:
    """Rule ids as typed (commas, full-width too), trimmed and upper-cased."""
    return [r.strip().upper() for r in rules.replace("，", ",").split(",") if r.strip()]
