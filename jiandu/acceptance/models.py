"""总结验收 and 最佳案例/最佳实践, moved here from `campaigns` (campaigns 0007, acceptance
0001). The tables keep their old names (`Meta.db_table`), so nothing was copied; the content
types were renamed, so attachments of a showcase and old audit rows still find them."""

from django.conf import settings
from django.db import models
from django.utils import timezone

# ---------------------------------------------------------------- 总结验收 (phase 4)


class UnitAcceptance(models.Model):
    """The justice bureau's acceptance of one unit's rectification in a campaign."""

    class State(models.TextChoices):
        PENDING = "pending", "待验收"
        PASSED = "passed", "验收通过"
        FAILED = "failed", "验收不通过"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="acceptances"
    )
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    opinion = models.TextField("验收意见", blank=True)
    open_reason = models.TextField(
        "尚有未销号问题仍予通过的理由", blank=True, help_text="仅在尚有未销号问题时填写"
    )
    open_problems = models.PositiveIntegerField("验收时未销号问题数", default=0)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_on = models.DateField("验收日期", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        unique_together = [("campaign", "unit")]
        ordering = ["unit__kind", "unit__code"]
        verbose_name = verbose_name_plural = "单位整改验收"
        db_table = "campaigns_unitacceptance"

    def __str__(self):
        return f"{self.unit} · {self.get_state_display()}"


# ---------------------------------------------------------------- 最佳案例 / 最佳实践


class ShowcaseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=Showcase.State.PUBLISHED)

    def visible_to(self, user):
        """Published ones for every logged-in user; drafts to county roles and to the
        unit they belong to."""
        from jiandu.orgs.access import sees_all

        if not (user and user.is_authenticated):
            return self.none()
        if sees_all(user):
            return self
        condition = models.Q(state=Showcase.State.PUBLISHED)
        if user.unit_id:
            condition |= models.Q(unit_id=user.unit_id)
        return self.filter(condition)


class Showcase(models.Model):
    class Kind(models.TextChoices):
        CASE = "case", "最佳案例"
        PRACTICE = "practice", "最佳实践"

    class State(models.TextChoices):
        DRAFT = "draft", "推荐中"
        SELECTED = "selected", "已评选"
        PUBLISHED = "published", "已发布"

    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="showcases"
    )
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("简介")
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="单位",
    )
    kind = models.CharField("类别", max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    body = models.TextField("正文", blank=True)
    problem = models.ForeignKey(
        "ledger.Problem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="相关问题",
    )
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    objects = ShowcaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "最佳案例和最佳实践"
        db_table = "campaigns_showcase"

    def __str__(self):
        return self.title
