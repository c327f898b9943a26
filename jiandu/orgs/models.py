from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone


class Domain(models.Model):
    """One of the "1+8" enforcement fields (综合行政执法 plus eight professional ones)."""

    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = verbose_name_plural = "执法领域"

    def __str__(self):
        return self.name


class FocusArea(models.Model):
    """The six focus areas of the plan (base data, see `base_data`). Reference data beside
    `Domain`: campaigns, self-check items and ledger problems name one. Moved here from
    `campaigns` (orgs 0003); the table keeps its old name."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50)
    description = models.TextField("说明", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "campaigns_focusarea"
        ordering = ["order"]
        verbose_name = verbose_name_plural = "整治内容"

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def enforcement(self):
        """Townships and county departments: the units that enforce and are supervised."""
        return self.filter(kind__in=Unit.ENFORCEMENT_KINDS)

    def active(self):
        return self.filter(is_active=True)


class Unit(models.Model):
    class Kind(models.TextChoices):
        TOWNSHIP = "township", "乡镇"
        DEPARTMENT = "department", "县直部门"
        JUSTICE = "justice", "司法局"
        DISCIPLINE = "discipline", "纪委监委"

    ENFORCEMENT_KINDS = (Kind.TOWNSHIP, Kind.DEPARTMENT)

    code = models.CharField("单位编码", max_length=40, unique=True)
    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类型", max_length=20, choices=Kind.choices)
    domains = models.ManyToManyField(Domain, blank=True, verbose_name="执法领域")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, verbose_name="上级单位"
    )
    is_active = models.BooleanField("启用", default=True)
    # The unit's group robot (浙政钉/钉钉/企业微信) for reminders (jiandu.reminders); empty:
    # the county default JIANDU_WEBHOOK_URL. The secret signs 钉钉 robot calls (加签).
    # db_default: rows written by raw SQL (bench loaders) get empty values too.
    webhook_url = models.URLField(
        "群机器人 Webhook 地址", max_length=500, blank=True, default="", db_default=""
    )
    webhook_secret = models.CharField(
        "群机器人加签密钥",
        max_length=200,
        blank=True,
        default="",
        db_default="",
        help_text="钉钉机器人“加签”的密钥；不加签留空",
    )
    # When it last changed (the API's updated_since; kept true by jiandu.lib.stamps.follow).
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_default=Now(), db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = verbose_name_plural = "单位"

    def __str__(self):
        return self.name

    @property
    def is_enforcement_unit(self):
        """Townships and county departments are the ones supervised."""
        return self.kind in self.ENFORCEMENT_KINDS


class Role(models.Model):
    SUPERVISOR = "supervisor"
    DISCIPLINE = "discipline"
    CLERK = "clerk"
    LEADER = "leader"
    INSPECTOR = "inspector"
    CHOICES = [
        (SUPERVISOR, "监督管理员"),
        (DISCIPLINE, "纪检监督员"),
        (CLERK, "单位填报员"),
        (LEADER, "单位负责人"),
        (INSPECTOR, "检查组成员"),
    ]

    code = models.CharField("代码", max_length=20, unique=True, choices=CHOICES)
    name = models.CharField("名称", max_length=30)
    # Set by the supervisor (orgs.actions.set_role_otp_required), audited.
    otp_required = models.BooleanField("须双因素认证", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "角色"

    def __str__(self):
        return self.name


class User(AbstractUser):
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, verbose_name="所属单位"
    )
    roles = models.ManyToManyField(Role, blank=True, verbose_name="角色")
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    # An account given a password by someone else (a new account, an administrator's
    # reset, a demo account) changes it at its first sign-in.
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    # Made by `seed_demo`: exempt from the first-sign-in change and the second factor
    # only while the server runs as the demo (settings.JIANDU_DEMO).
    demo_account = models.BooleanField("演示账号", default=False)

    objects = UserManager()

    class Meta:
        verbose_name = verbose_name_plural = "用户"

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username

    @cached_property
    def role_list(self) -> list[Role]:
        # Every page shows the roles (base.html) and asks which of them the user has
        # (menu, scoping): one query a request answers both.
        return list(self.roles.all()) if self.pk else []

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(role.code for role in self.role_list)

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    @property
    def is_supervisor(self):
        return self.is_superuser or self.has_role(Role.SUPERVISOR)

    @property
    def is_discipline(self):
        return self.has_role(Role.DISCIPLINE)

    @property
    def is_inspector(self):
        return self.has_role(Role.INSPECTOR)

    @property
    def sees_all_units(self):
        """The justice bureau, the discipline commission and inspection teams read every unit."""
        return self.is_supervisor or self.is_discipline or self.is_inspector

    @property
    def is_clerk(self):
        return self.has_role(Role.CLERK)

    @property
    def is_leader(self):
        return self.has_role(Role.LEADER)

    @property
    def demo_exempt(self) -> bool:
        return self.demo_account and settings.JIANDU_DEMO

    @property
    def needs_password_change(self) -> bool:
        return self.must_change_password and not self.demo_exempt

    @property
    def otp_required(self) -> bool:
        """System administrators always; other accounts when one of their roles asks."""
        if self.demo_exempt:
            return False
        return self.is_superuser or self.is_staff or self.roles.filter(otp_required=True).exists()


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message: reminders, 督办 notes, returned reports."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    important = models.BooleanField("醒目提示", default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "站内通知"

    def __str__(self):
        return self.title
