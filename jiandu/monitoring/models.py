"""Rule settings, rule runs and alerts (预警). Rules themselves are code
(jiandu/monitoring/rules/); their thresholds are data (RuleSetting)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone


class RuleSettingQuerySet(models.QuerySet):
    def in_force(self, rule_id: str, day: date | None = None):
        day = day or timezone.localdate()
        return (
            self.filter(rule_id=rule_id, effective_from__lte=day)
            .order_by("-effective_from", "-id")
            .first()
        )

    def in_force_by_rule(self, day: date | None = None) -> dict:
        """{rule id: the setting in force on `day`} in one query (settings rows are few)."""
        day = day or timezone.localdate()
        latest = {}
        for setting in self.filter(effective_from__lte=day).order_by(
            "rule_id", "-effective_from", "-id"
        ):
            latest.setdefault(setting.rule_id, setting)
        return latest


class RuleSetting(models.Model):
    """A supervisor's thresholds for one rule, in force from `effective_from`. The latest
    row in force wins; earlier rows stay as the record of what held when."""

    rule_id = models.CharField("规则编号", max_length=20, db_index=True)
    params = models.JSONField("参数", default=dict)
    enabled = models.BooleanField("启用", default=True)
    effective_from = models.DateField("生效日期")
    note = models.CharField("调整依据", max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    objects = RuleSettingQuerySet.as_manager()

    class Meta:
        ordering = ["rule_id", "-effective_from", "-id"]
        verbose_name = verbose_name_plural = "预警规则参数"

    def __str__(self):
        return f"{self.rule_id} 自 {self.effective_from:%Y-%m-%d}"


class RuleRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "运行中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "手动运行"
        IMPORT = "import", "导入后自动"
        CLI = "cli", "命令行"
        DEMO = "demo", "演示数据"

    trigger = models.CharField(
        "触发方式", max_length=10, choices=Trigger.choices, default=Trigger.MANUAL
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule_ids = models.JSONField("规则", default=list)
    unit_ids = models.JSONField("范围单位", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    params = models.JSONField("所用参数", default=dict)
    results = models.JSONField(
        "各规则结果", default=dict, help_text="{rule: {ms, hits, status, ...}}"
    )
    load_ms = models.PositiveIntegerField("读取数据耗时(毫秒)", default=0)
    done_count = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # When it last changed (the API's updated_since; kept true by jiandu.lib.stamps.follow).
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "规则运行记录"

    def __str__(self):
        return f"运行 #{self.pk}"

    @property
    def total(self):
        return len(self.rule_ids)

    @property
    def percent(self):
        return int(100 * self.done_count / self.total) if self.total else 0

    @property
    def duration_ms(self):
        if self.started_at and self.finished_at:
            return int((self.finished_at - self.started_at).total_seconds() * 1000)
        return None

    @property
    def hit_total(self):
        return sum((r or {}).get("hits", 0) for r in self.results.values())


class Severity(models.TextChoices):
    # The same values as ledger.Problem.Severity, so a confirmed alert carries it over.
    NORMAL = "normal", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class Alert(models.Model):
    class State(models.TextChoices):
        NEW = "new", "待处理"
        CONFIRMED = "confirmed", "已确认"
        DISMISSED = "dismissed", "已排除"
        RESOLVED = "resolved", "已消除"
        TRANSFERRED = "transferred", "已移交纪委"

    rule = models.CharField("规则", max_length=20)
    subject_kind = models.CharField("对象类型", max_length=20)
    subject_key = models.CharField("对象", max_length=200)
    subject_date = models.DateField(
        "对象日期", null=True, blank=True, help_text="决定日期、检查日期等"
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alerts",
        verbose_name="单位",
    )
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    state = models.CharField(
        "状态", max_length=12, choices=State.choices, default=State.NEW, db_index=True
    )
    evidence = models.JSONField("证据", default=dict)
    evidence_hash = models.CharField(max_length=40)
    basis = models.TextField("依据", blank=True)
    first_seen = models.DateTimeField("首次发现", default=timezone.now)
    last_seen = models.DateTimeField("最近发现", default=timezone.now)
    resolved_at = models.DateTimeField("消除时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acted_at = models.DateTimeField("处理时间", null=True, blank=True)
    dismissed_reason = models.TextField("排除理由", blank=True)
    problem = models.ForeignKey(
        "ledger.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    lead = models.ForeignKey(
        "ledger.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts"
    )
    # The supervisor who is to handle it (分配); the alert stays 待处理 until handled.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_alerts",
        verbose_name="承办人",
    )
    # When it last changed (the API's updated_since; kept true by jiandu.lib.stamps.follow):
    # a change of its state, evidence or handling, not a run that only sees it again.
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject_key"], name="alert_rule_subject")
        ]
        indexes = [
            models.Index(fields=["rule", "state"], name="alert_rule_state_idx"),
            models.Index(fields=["unit", "state"], name="alert_unit_state_idx"),
            models.Index(fields=["state", "last_seen"], name="alert_state_seen_idx"),
        ]
        verbose_name = verbose_name_plural = "预警"

    def __str__(self):
        return f"{self.rule} {self.subject_key}"

    def get_absolute_url(self):
        return reverse("monitoring:alert", args=[self.pk])

    @property
    def rule_def(self):
        # Here, not at the top: the rules import these models.
        from jiandu.monitoring.rules import get_rule

        return get_rule(self.rule)

    @property
    def title(self):
        rule = self.rule_def
        return rule.title if rule else self.rule

    @property
    def source_ref(self):
        return f"{self.rule}:{self.subject_key}"
