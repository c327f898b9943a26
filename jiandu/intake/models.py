import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from jiandu.intake.schema import KINDS


class ImportBatch(models.Model):
    """One import: the uploaded file, its state while it runs, and its report."""

    class State(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        REFUSED = "refused", "整个文件未导入"
        FAILED = "failed", "导入出错"
        # The process running it stopped (killed, restarted, lost its host) before the
        # end: what it committed stays, and running the file again completes it.
        INTERRUPTED = "interrupted", "中断"

    class Source(models.TextChoices):
        UPLOAD = "upload", "网页上传"
        API = "api", "接口"
        CLI = "cli", "命令行"

    kind = models.CharField("数据类型", max_length=20, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="限定单位",
        help_text="空：可导入所有单位的数据（监督管理员）",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="导入人",
    )
    token = models.ForeignKey(
        "intake.ApiToken",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="batches",
        verbose_name="接口令牌",
    )
    source = models.CharField("来源", max_length=10, choices=Source.choices, default=Source.UPLOAD)
    file = models.FileField("文件", upload_to="intake/%Y/%m/", blank=True)
    original_name = models.CharField("文件名", max_length=200, blank=True)
    all_or_nothing = models.BooleanField("全部成功才导入", default=False)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    rows = models.PositiveIntegerField("行数", default=0)
    created = models.PositiveIntegerField("新增", default=0)
    updated = models.PositiveIntegerField("更新", default=0)
    unchanged = models.PositiveIntegerField("未变", default=0)
    rejected = models.PositiveIntegerField("拒绝", default=0)
    errors = models.JSONField("错误", default=list, blank=True)
    warnings = models.JSONField("提示", default=list, blank=True)
    unknown_columns = models.JSONField("未识别的列", default=list, blank=True)
    message = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # While it runs: the process running it and when it last showed life. A running batch
    # whose heartbeat is older than INTAKE_STALE_SECONDS, or whose process is gone from
    # this host, is marked interrupted (actions.recover_stale).
    heartbeat_at = models.DateTimeField("最近活动", null=True, blank=True)
    runner = models.CharField("执行进程", max_length=200, blank=True)
    # How many data rows of the file (in file order) have their valid rows committed;
    # counted with the rows in the same transaction. A resumed run writes from here.
    resume_from = models.PositiveIntegerField("已写入至(行)", default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "导入批次"

    def __str__(self):
        return f"{self.kind_title} {self.original_name}".strip()

    @property
    def kind_title(self):
        kind = KINDS.get(self.kind)
        return kind.title if kind else "未识别"

    @property
    def is_running(self):
        return self.state in (self.State.PENDING, self.State.RUNNING)

    @property
    def interrupted(self):
        return self.state == self.State.INTERRUPTED

    @property
    def can_resume(self):
        """Interrupted with its file kept: it can be run again from where it stopped."""
        return self.interrupted and bool(self.file)

    @property
    def applied(self):
        return self.state == self.State.DONE and not (self.all_or_nothing and self.rejected)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


SCOPES = {"import": "导入数据", "read": "读取数据", "write": "回写数据"}


def parse_scopes(text) -> list[str]:
    """`import,read` (or a list) -> the known scopes in a fixed order; ValueError on others."""
    items = text if isinstance(text, (list, tuple, set)) else str(text or "").split(",")
    wanted = {s.strip() for s in items if s and s.strip()}
    unknown = wanted - set(SCOPES)
    if unknown:
        raise ValueError(
            f"未知的权限范围：{'、'.join(sorted(unknown))}（可选 {'、'.join(SCOPES)}）。"
        )
    return [s for s in SCOPES if s in wanted]


class ApiToken(models.Model):
    """A token of one integration (e.g. a unit's case system) for the /api/v1/ API.
    Its scopes say what it may do (import, read, write); its unit, when set, limits it to
    that unit's data. Only the hash is stored; the token itself is shown once."""

    name = models.CharField("名称", max_length=100)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="限定单位",
        help_text="填写后，该令牌只能导入此单位的数据",
    )
    scopes = models.CharField(
        "权限范围",
        max_length=40,
        default="import",
        help_text="以逗号分隔：import（导入）、read（读取）、write（回写）",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("令牌前缀", max_length=12, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "接口令牌"

    def __str__(self):
        return self.name

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split(",") if s]

    def allows(self, scope: str) -> bool:
        return scope in self.scope_list

    @property
    def scope_labels(self) -> str:
        return "、".join(SCOPES.get(s, s) for s in self.scope_list)

    @classmethod
    def issue(cls, **fields) -> tuple["ApiToken", str]:
        raw = "jd_" + secrets.token_urlsafe(32)
        if "scopes" in fields:
            fields["scopes"] = ",".join(parse_scopes(fields["scopes"]))
        token = cls.objects.create(token_hash=hash_token(raw), prefix=raw[:10], **fields)
        return token, raw

    @classmethod
    def authenticate(cls, raw: str):
        if not raw:
            return None
        # get(), not first(): the hash is unique, so first()'s ORDER BY created_at (built
        # into the SQL of every API request) orders one row at most.
        try:
            return cls.objects.select_related("unit").get(
                token_hash=hash_token(raw), is_active=True
            )
        except cls.DoesNotExist:
            return None
