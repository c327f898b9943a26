"""Inspection planning (issue 13 §1, §2): units' plans, joint visits (综合查一次),
frequency caps per enterprise category, and 双随机 draws that anyone can verify.

Months are stored canonically as ';3;4;' (as enforcement stores multi-valued cells), so a
plan's entries can be matched by month with LIKE on SQLite and PostgreSQL alike."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from jiandu.enforcement.models import join_multi, split_multi


def join_months(months) -> str:
    return join_multi([str(m) for m in sorted({int(m) for m in months or []})])


def split_months(text: str) -> list[int]:
    return [int(m) for m in split_multi(text)]


class Plan(models.Model):
    """A unit's inspection plan for a year (month empty) or one month of it. Filed, it is
    read-only for the unit; a change is a new version that supersedes it."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        FILED = "filed", "已报备"
        SUPERSEDED = "superseded", "已被新版本替代"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="inspection_plans", verbose_name="单位"
    )
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    title = models.CharField("计划名称", max_length=200)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        verbose_name="上一版本",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_on = models.DateField("报备日期", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-month", "unit", "-version"]
        indexes = [models.Index(fields=["year", "state"], name="plan_year_state_idx")]
        verbose_name = verbose_name_plural = "检查计划"

    def __str__(self):
        return f"{self.title}（第{self.version}版）"

    @property
    def period(self) -> str:
        return f"{self.year}年{self.month}月" if self.month else f"{self.year}年度"


class PlanEntry(models.Model):
    """One line of a plan: an enterprise (by USCC) or a category of enterprises, the
    items to check, the months; optionally the day it is meant for."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="entries")
    enterprise = models.ForeignKey(
        "enforcement.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_entries",
        verbose_name="企业",
    )
    category = models.CharField("企业类别（行业）", max_length=100, blank=True)
    items = models.TextField("检查事项")
    months = models.CharField("计划月份", max_length=40, help_text="';3;4;'")
    planned_on = models.DateField("计划日期", null=True, blank=True)

    class Meta:
        ordering = ["plan", "planned_on", "id"]
        indexes = [models.Index(fields=["enterprise", "planned_on"], name="plan_entry_ent_idx")]
        verbose_name = verbose_name_plural = "计划事项"

    def __str__(self):
        return f"{self.target} {self.items[:20]}"

    @property
    def target(self) -> str:
        return self.enterprise.name if self.enterprise_id else f"类别：{self.category}"

    @property
    def month_list(self) -> list[int]:
        return split_months(self.months)

    def visit_days(self, year: int) -> list[date]:
        """The days this entry stands for when matched with other units' plans: its planned
        day, else the 15th of each planned month."""
        if self.planned_on:
            return [self.planned_on]
        return [date(year, m, 15) for m in self.month_list]


class FrequencyCap(models.Model):
    """At most `cap` on-site visits a calendar year (all units together) to an enterprise
    of a category: the enterprises on the 无事不扰 list, of an industry, of a kind. The
    criteria set on a cap must all match; a cap with none applies to every enterprise."""

    label = models.CharField("名称", max_length=100)
    quiet_list = models.BooleanField("仅“无事不扰”企业", default=False)
    industry = models.CharField("所属行业", max_length=100, blank=True)
    kind = models.CharField("主体类型", max_length=12, blank=True)
    cap = models.PositiveSmallIntegerField("每年现场检查上限（次）")
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["cap", "id"]
        verbose_name = verbose_name_plural = "检查频次上限"

    def __str__(self):
        return f"{self.label}：每年不超过{self.cap}次"

    def matches(self, enterprise) -> bool:
        if self.quiet_list and not enterprise.quiet_list:
            return False
        if self.industry and enterprise.industry != self.industry:
            return False
        return not (self.kind and enterprise.kind != self.kind)


class Closure(models.Model):
    """An enterprise that no longer operates (注销、吊销、歇业): left out of draw pools."""

    enterprise = models.OneToOneField(
        "enforcement.Enterprise", on_delete=models.CASCADE, related_name="closure"
    )
    closed_on = models.DateField("关闭日期")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "已关闭市场主体"

    def __str__(self):
        return f"{self.enterprise} {self.closed_on}"


class JointVisit(models.Model):
    """综合查一次: several units that planned the same enterprise within the window visit
    it once, on one date, under one 检查码."""

    class State(models.TextChoices):
        PROPOSED = "proposed", "待各单位确认"
        CONFIRMED = "confirmed", "已确认"
        CANCELLED = "cancelled", "未成行"

    joint_no = models.CharField("联合检查编号", max_length=40, unique=True)
    enterprise = models.ForeignKey(
        "enforcement.Enterprise", on_delete=models.PROTECT, related_name="joint_visits"
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="led_joint_visits",
        verbose_name="牵头单位",
    )
    visit_on = models.DateField("联合检查日期")
    window = models.PositiveSmallIntegerField("匹配窗口（日）")
    verify_code = models.CharField("检查码", max_length=16, unique=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_on = models.DateField("提议日期")

    class Meta:
        ordering = ["-visit_on", "-id"]
        verbose_name = verbose_name_plural = "联合检查（综合查一次）"

    def __str__(self):
        return f"{self.joint_no} {self.enterprise}"


class JointParticipant(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待确认"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已拒绝"

    joint = models.ForeignKey(JointVisit, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(
        PlanEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="joint_parts"
    )
    items = models.TextField("检查事项")
    planned_on = models.DateField("原计划日期")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.TextField("拒绝理由", blank=True)
    officers = models.CharField(
        "检查人员", max_length=300, blank=True, help_text="';执法证号;执法证号;'"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("确认日期", null=True, blank=True)
    inspection = models.ForeignKey(
        "enforcement.Inspection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["joint", "id"]
        constraints = [
            models.UniqueConstraint(fields=["joint", "unit"], name="joint_participant_once")
        ]
        verbose_name = verbose_name_plural = "联合检查参与单位"

    def __str__(self):
        return f"{self.joint.joint_no} {self.unit}"

    @property
    def officer_list(self) -> list[str]:
        return split_multi(self.officers)


class Draw(models.Model):
    """双随机、一公开 with commit-reveal. The pools (after exclusions) and the commitment
    are fixed when the discipline commission's witness announces it; the seed is revealed
    at the draw; anyone recomputes the selection from the public JSON."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        ANNOUNCED = "announced", "已公告"
        DRAWN = "drawn", "已抽取"
        PUBLISHED = "published", "结果已公示"

    draw_no = models.CharField("抽查编号", max_length=40, unique=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="planning_draws",
        verbose_name="组织单位",
    )
    title = models.CharField("抽查任务", max_length=200)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    industries = models.JSONField("抽查对象类别（行业）", default=list, blank=True)
    recent_days = models.PositiveSmallIntegerField("近期已检查排除（日）", default=180)
    excluded_usccs = models.JSONField("其他排除企业", default=dict, blank=True)
    recusals = models.JSONField("回避人员", default=dict, blank=True)
    n = models.PositiveIntegerField("抽取企业数")
    officers_per_enterprise = models.PositiveSmallIntegerField("每户检查人员数", default=2)
    draw_on = models.DateField("抽取日期")
    inspect_on = models.DateField("计划检查日期")
    items = models.TextField("检查事项")
    # Fixed at announcement.
    witness_name = models.CharField("见证人", max_length=50, blank=True)
    commitment = models.CharField("承诺值", max_length=64, blank=True)
    seed = models.CharField("随机种子", max_length=64, blank=True)  # kept secret until drawn
    pool = models.JSONField("抽查对象库", default=list, blank=True)
    officer_pool = models.JSONField("执法人员库", default=list, blank=True)
    excluded = models.JSONField("排除情况", default=dict, blank=True)
    announced_on = models.DateField("公告日期", null=True, blank=True)
    # Set at the draw.
    selected = models.JSONField("抽中企业", default=list, blank=True)
    officers = models.JSONField("抽中人员", default=list, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    random_draw = models.OneToOneField(
        "enforcement.RandomDraw",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planning_draw",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-draw_on", "-id"]
        verbose_name = verbose_name_plural = "双随机抽取"

    def __str__(self):
        return f"{self.draw_no} {self.title}"

    @property
    def revealed(self) -> bool:
        return self.state in (self.State.DRAWN, self.State.PUBLISHED)

    @property
    def published_on(self):
        return self.random_draw.published_on if self.random_draw_id else None

    @property
    def officer_n(self) -> int:
        """Officers to draw: k per enterprise drawn, at most the pool (as the draw takes)."""
        drawn = min(self.n, len(self.pool))
        return min(drawn * self.officers_per_enterprise, len(self.officer_pool))
