from datetime import date

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone


class TierLevel(models.TextChoices):
    EXEMPT = "exempt", "不予处罚"
    MITIGATED = "mitigated", "减轻"
    LIGHTER = "lighter", "从轻"
    GENERAL = "general", "一般"
    HEAVIER = "heavier", "从重"


class ViolationItem(models.Model):
    """One catalogued violation (违法行为事项), key 事项编码."""

    code = models.CharField("事项编码", max_length=60, unique=True)
    name = models.CharField("违法行为", max_length=300)
    domain = models.CharField("执法领域", max_length=50, blank=True)
    violation_basis = models.TextField("违法依据", blank=True)
    penalty_basis = models.TextField("处罚依据", blank=True)
    statutory_fine_max = models.DecimalField(
        "法定罚款上限(元)",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="空则取现行基准各阶次罚款上限的最大值（DISC-04 顶格罚款）",
    )
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "违法行为事项"

    def __str__(self):
        return f"{self.code} {self.name}"

    def benchmark_on(self, day: date | None = None):
        return Benchmark.objects.in_force(day).filter(item=self).first()


class BenchmarkQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def in_force(self, day: date | None = None):
        """Per item, the published version with the latest effective date on or before `day`."""
        day = day or timezone.localdate()
        latest = (
            Benchmark.objects.published()
            .filter(item=OuterRef("item"))
            .filter(Q(effective_on__isnull=True) | Q(effective_on__lte=day))
            .order_by("-effective_on", "-version")
            .values("pk")[:1]
        )
        return self.published().filter(pk=Subquery(latest))


class Benchmark(models.Model):
    """A version of an item's discretion benchmark (裁量基准), in force from `effective_on`."""

    item = models.ForeignKey(ViolationItem, on_delete=models.CASCADE, related_name="benchmarks")
    version = models.PositiveIntegerField("版本", default=1)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    published = models.BooleanField("已发布", default=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    source = models.CharField("发布文件", max_length=200, blank=True)
    imported_from = models.ForeignKey(
        "standards.PublishedDraft",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="benchmarks",
        verbose_name="导入自",
    )

    objects = BenchmarkQuerySet.as_manager()

    class Meta:
        ordering = ["item__code", "-effective_on", "-version"]
        unique_together = [("item", "version")]
        verbose_name = verbose_name_plural = "裁量基准"

    def __str__(self):
        return f"{self.item.code} 第{self.version}版"


# What a tier says besides its level: copied into a new draft, edited in its form, imported.
TIER_FIELDS = [
    "conditions",
    "fine_min",
    "fine_max",
    "multiple_of",
    "multiple_min",
    "multiple_max",
    "other_penalties",
]


class Tier(models.Model):
    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE, related_name="tiers")
    level = models.CharField("裁量阶次", max_length=10, choices=TierLevel.choices)
    conditions = models.TextField("适用情形", blank=True)
    fine_min = models.DecimalField(
        "罚款下限(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        "罚款上限(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    multiple_of = models.CharField(
        "倍数基数",
        max_length=16,
        blank=True,
        choices=[("illegal_income", "违法所得"), ("goods_value", "货值金额")],
    )
    multiple_min = models.DecimalField(
        "倍数下限", max_digits=8, decimal_places=2, null=True, blank=True
    )
    multiple_max = models.DecimalField(
        "倍数上限", max_digits=8, decimal_places=2, null=True, blank=True
    )
    other_penalties = models.TextField("其他处罚", blank=True)

    class Meta:
        ordering = ["benchmark", "id"]
        unique_together = [("benchmark", "level")]
        verbose_name = verbose_name_plural = "裁量阶次"

    def __str__(self):
        return self.get_level_display()


class LenientListItem(models.Model):
    """轻微不罚 / 首违不罚 / 从轻减轻 list item, key 清单类型 + 事项编码."""

    class Kind(models.TextChoices):
        MINOR = "minor", "轻微违法不予处罚"
        FIRST = "first", "首次违法不予处罚"
        MITIGATE = "mitigate", "从轻减轻处罚"

    list_kind = models.CharField("清单类型", max_length=10, choices=Kind.choices)
    code = models.CharField("事项编码", max_length=60, db_index=True)
    item = models.ForeignKey(
        ViolationItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lenient_items",
    )
    name = models.CharField("违法行为", max_length=300, blank=True)
    conditions = models.TextField("适用条件")
    basis = models.TextField("法律依据", blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="发布单位"
    )
    effective_on = models.DateField("生效日期", null=True, blank=True)
    published = models.BooleanField("已发布", default=True)
    # As read from a published list: [{"text", "tags", "checkable", "window_months"}];
    # the calculator shows those that are not checkable against case data.
    condition_parts = models.JSONField("情节（逐条）", default=list, blank=True)
    imported_from = models.ForeignKey(
        "standards.PublishedDraft",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lenient_items",
        verbose_name="导入自",
    )

    class Meta:
        ordering = ["list_kind", "code"]
        unique_together = [("list_kind", "code")]
        verbose_name = verbose_name_plural = "轻微不罚/首违不罚清单事项"

    def __str__(self):
        return f"{self.get_list_kind_display()} {self.code}"


class PublishedDraft(models.Model):
    """A published 裁量基准 table or 不予处罚 list as uploaded, read into rows that the
    supervisor checks, corrects or excludes, then publishes as a new benchmark version
    (or as list entries) with an effective date."""

    class Kind(models.TextChoices):
        BENCHMARK = "benchmark", "裁量基准"
        LENIENT = "lenient", "不予处罚清单"

    class State(models.TextChoices):
        DRAFT = "draft", "待发布"
        PUBLISHED = "published", "已发布"
        DISCARDED = "discarded", "已作废"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.DRAFT)
    title = models.CharField("发布文件", max_length=200)
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, verbose_name="上传单位"
    )
    domain = models.CharField("执法领域", max_length=50, blank=True)
    code_prefix = models.CharField("事项编码前缀", max_length=20, blank=True)
    attachment = models.ForeignKey(
        "documents.Attachment", null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_by = models.ForeignKey(
        "orgs.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    # Numbered tier → platform 阶次 (TierLevel), confirmed by the supervisor.
    mapping = models.JSONField("阶次对应", default=dict, blank=True)
    mapping_confirmed = models.BooleanField("阶次对应已确认", default=False)
    problems = models.JSONField("读取问题", default=list, blank=True)
    effective_on = models.DateField("生效日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = verbose_name_plural = "发布文件导入草稿"

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"


class PublishedRow(models.Model):
    """One tier row (裁量基准) or one list item (不予处罚清单) as read from the file, next to
    its original text; corrected in place or excluded before publishing."""

    draft = models.ForeignKey(PublishedDraft, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField("顺序")
    sheet = models.CharField("工作表", max_length=100, blank=True)
    row_number = models.PositiveIntegerField("原表行号", default=0)
    item_code = models.CharField("序号", max_length=40)
    item_name = models.TextField("违法行为")
    basis = models.TextField("法律依据", blank=True)
    category = models.CharField("类别", max_length=100, blank=True)
    level = models.CharField("阶次", max_length=20, blank=True)
    ladder = models.PositiveSmallIntegerField("序列", default=1)
    circumstances = models.TextField("裁量情节", blank=True)
    fine_min = models.DecimalField(
        "罚款下限(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        "罚款上限(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    multiple_of = models.CharField("倍数基数", max_length=60, blank=True)
    multiple_min = models.DecimalField(
        "倍数下限", max_digits=8, decimal_places=4, null=True, blank=True
    )
    multiple_max = models.DecimalField(
        "倍数上限", max_digits=8, decimal_places=4, null=True, blank=True
    )
    measures = models.TextField("其他处罚", blank=True)
    conditions = models.JSONField("不予处罚的情节", default=list, blank=True)
    original = models.TextField("原文", blank=True)
    problem = models.TextField("读取问题", blank=True)
    excluded = models.BooleanField("已排除", default=False)
    corrected = models.BooleanField("已更正", default=False)

    class Meta:
        ordering = ["draft", "position"]
        verbose_name = verbose_name_plural = "发布文件导入行"

    def __str__(self):
        return f"{self.item_code} {self.level}"
