"""The reporting platform (举报曝光平台): complaints from the public and enterprises,
their handling, published typical cases, inspection ratings, and the small tables the
public pages need to defend themselves (CAPTCHA challenges, rate counters).

Deadlines are derived from `received_at` and the working-day calendar, never stored.
The complainant's name and phone are stored only as Fernet tokens (see crypto.py)."""

import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from jiandu.workdays import calendar

# INTG-02 defaults (DOMAIN.md): accept within 7 working days, conclude within 15, both
# counted from the day the complaint was received. The unit's reply is due a few
# working days before the conclusion so the supervisor has time to review it.
ACCEPT_DAYS = 7
CLOSE_DAYS = 15
REPLY_DAYS_BEFORE_CLOSE = 2


def step_deadlines(cal, received_on: date) -> dict:
    close = cal.add_workdays(received_on, CLOSE_DAYS)
    return {
        "accept": cal.add_workdays(received_on, ACCEPT_DAYS),
        "reply": cal.add_workdays(close, -REPLY_DAYS_BEFORE_CLOSE),
        "close": close,
    }


def overdue_cutoffs(cal, today: date) -> dict:
    """Per step, the latest day of receipt whose due date is before today."""
    out = {}
    for step in ("accept", "reply", "close"):
        day = today
        while step_deadlines(cal, day)[step] >= today:
            day -= timedelta(days=1)
        out[step] = day
    return out


class Category(models.TextChoices):
    INSPECTION = "inspection", "乱检查、重复检查"
    FINE = "fine", "乱罚款、小过重罚"
    BRIBE = "bribe", "吃拿卡要"
    DELAY = "delay", "办事拖延、推诿"
    CREDIT = "credit", "信用修复不同步"
    OTHER = "other", "其他"


# Category -> FocusArea.code, so a complaint that becomes a ledger problem lands in the
# right one of the plan's six areas.
CATEGORY_FOCUS = {
    Category.INSPECTION: "inspection",
    Category.FINE: "discretion",
    Category.BRIBE: "procedure",
    Category.DELAY: "integration",
    Category.CREDIT: "service",
    Category.OTHER: "procedure",
}

# Complaints about the conduct of a unit's own people (吃拿卡要 and the like): the unit
# complained about is never the one to handle them (conflict of interest).
MISCONDUCT_CATEGORIES = frozenset({Category.BRIBE})

# Plain words for the complainant, shown under each choice on the form.
CATEGORY_HELP = {
    Category.INSPECTION: "没有理由的检查、同一件事反复来查、多个部门轮流查",
    Category.FINE: "罚款没有依据、小问题罚很重、只罚款不指导",
    Category.BRIBE: "索要财物、吃请、故意刁难",
    Category.DELAY: "该办的事拖着不办、部门之间互相推",
    Category.CREDIT: "已经整改或修复，网上的处罚信息还没撤下",
    Category.OTHER: "其他执法不规范的问题",
}


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Supervisors and the discipline commission read every complaint; any other
        user only the complaints currently assigned to their own unit."""
        if not user or not user.is_authenticated:
            return self.none()
        if user.is_supervisor or user.is_discipline:
            return self
        if not user.unit_id:
            return self.none()
        return self.filter(unit_id=user.unit_id)

    def open(self):
        return self.exclude(state__in=Complaint.CONCLUDED)

    def overdue(self, today: date | None = None, cal=None):
        """Open complaints whose current step is past its due date, as one filter: the
        deadlines grow with the day received, so each step has a latest 'received on'
        day that is already overdue today."""
        cal = cal or calendar()
        today = today or timezone.localdate()
        cut = overdue_cutoffs(cal, today)

        def before_end_of(day):
            return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))

        S = Complaint.State
        return self.filter(
            Q(state=S.RECEIVED, received_at__lt=before_end_of(cut["accept"]))
            | Q(state=S.ASSIGNED, received_at__lt=before_end_of(cut["reply"]))
            | Q(state__in=[S.ACCEPTED, S.REPLIED], received_at__lt=before_end_of(cut["close"]))
        )


class Complaint(models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", "待受理"
        ACCEPTED = "accepted", "已受理"
        REJECTED = "rejected", "不予受理"
        ASSIGNED = "assigned", "已交办"
        REPLIED = "replied", "单位已答复"
        CLOSED = "closed", "已办结"
        WITHDRAWN = "withdrawn", "已撤回"

    CONCLUDED = (State.CLOSED, State.REJECTED, State.WITHDRAWN)

    # The complainant's key to the tracking page: shown to the complainant only, never on
    # an internal page, an export, a notification or the audit trail (see `reference`).
    tracking_code = models.CharField("查询码", max_length=20, unique=True)
    category = models.CharField("问题类型", max_length=12, choices=Category.choices)
    reported_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="被反映单位",
        help_text="举报人选择的单位；空表示不清楚",
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name="承办单位",
        help_text="当前交办的单位；空表示尚未交办",
    )
    description = models.TextField("反映内容")
    happened_on = models.DateField("发生日期", null=True, blank=True)
    place = models.CharField("发生地点", max_length=200, blank=True)
    inspection = models.ForeignKey(
        "enforcement.Inspection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
        verbose_name="涉及的检查",
    )
    inspection_ref = models.CharField(
        "检查核验码", max_length=40, blank=True, help_text="举报人提供的亮码核验码（可能未登记）"
    )
    anonymous = models.BooleanField("匿名", default=True)
    # Fernet tokens; never plaintext. Read only through actions.reveal_identity().
    name_cipher = models.TextField("姓名（密文）", blank=True)
    phone_cipher = models.TextField("电话（密文）", blank=True)

    state = models.CharField(
        "状态", max_length=10, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    received_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    closed_at = models.DateTimeField(
        "办结时间", null=True, blank=True, help_text="办结、不予受理或举报人撤回的时间"
    )
    withdraw_reason = models.TextField("撤回理由", blank=True)
    accept_note = models.TextField("受理意见", blank=True)
    reject_reason = models.TextField("不予受理理由", blank=True)
    result = models.TextField("办理结果", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="受理人",
    )
    problem = models.ForeignKey(
        "ledger.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead = models.ForeignKey(
        "ledger.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField("满意度评价", null=True, blank=True)
    rating_comment = models.TextField("评价意见", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    # When it last changed (the API's updated_since; kept true by jiandu.lib.stamps.follow).
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_default=Now(), db_index=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = verbose_name_plural = "举报投诉"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_5",
            )
        ]

    def __str__(self):
        return f"举报 {self.reference}"

    def get_absolute_url(self):
        """The handling page (staff). Never the public tracking page: the 查询码 is the
        complainant's alone and must not reach a unit's page through a link."""
        return reverse("portal:complaint", args=[self.pk])

    @property
    def reference(self) -> str:
        """The internal number that handlers, units, the ledger and alerts use. It opens
        nothing on the public side, unlike the tracking code."""
        return reference_of(self.pk)

    # --- derived deadlines (INTG-02) -------------------------------------------------

    @property
    def received_on(self) -> date:
        return timezone.localdate(self.received_at)

    def deadlines(self, cal=None) -> dict:
        """accept / reply / close due dates. `cal` is a workdays calendar (pass one in
        when computing many, so the holiday table is read once)."""
        return step_deadlines(cal or calendar(), self.received_on)

    @property
    def is_open(self) -> bool:
        return self.state not in self.CONCLUDED

    def current_step(self, cal=None, today: date | None = None) -> dict | None:
        """The step now waiting, its due date and whether it is overdue; None when done."""
        if not self.is_open:
            return None
        today = today or timezone.localdate()
        due = self.deadlines(cal)
        if self.state == self.State.RECEIVED:
            step, label = "accept", "待受理"
        elif self.state == self.State.ASSIGNED:
            step, label = "reply", "待单位答复"
        else:
            step, label = "close", "待办结"
        return {"step": step, "label": label, "due": due[step], "overdue": due[step] < today}

    def on_time(self, cal=None) -> bool | None:
        """Whether a concluded complaint was concluded by its deadline."""
        if self.closed_at is None:
            return None
        return timezone.localdate(self.closed_at) <= self.deadlines(cal)["close"]

    @property
    def has_identity(self) -> bool:
        return bool(self.name_cipher or self.phone_cipher)


REFERENCE_PREFIX = "JB"


def reference_of(pk) -> str:
    return f"{REFERENCE_PREFIX}{pk:06d}" if pk else ""


def pk_of_reference(text: str) -> int | None:
    text = (text or "").strip().upper()
    if text.startswith(REFERENCE_PREFIX) and text[len(REFERENCE_PREFIX) :].isdigit():
        return int(text[len(REFERENCE_PREFIX) :])
    return None


class ComplaintAssignment(models.Model):
    """Each assignment to a unit is a row; reassignments = rows − 1 (INTG-03)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField("交办时间", default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("交办意见", blank=True)
    conflict_reason = models.TextField(
        "交由被反映单位办理的理由", blank=True, help_text="承办单位就是被反映单位时必填"
    )

    class Meta:
        ordering = ["assigned_at", "id"]
        verbose_name = verbose_name_plural = "交办记录"

    def __str__(self):
        return f"{self.complaint.reference} → {self.unit}"


class ComplaintMessage(models.Model):
    """What was said on a complaint after it was filed: the complainant's additions,
    the unit's replies, the handler's notes. `public` ones show on the tracking page."""

    class Kind(models.TextChoices):
        SUPPLEMENT = "supplement", "举报人补充"
        REPLY = "reply", "承办单位答复"
        NOTE = "note", "办理说明"

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField("内容")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "办理记录"

    def __str__(self):
        return self.text[:30]


class PublishedCaseQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(withdrawn_at__isnull=True)


class PublishedCase(models.Model):
    """典型案例曝光: text the supervisor wrote from a closed complaint, personal data removed."""

    complaint = models.OneToOneField(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="published_case"
    )
    title = models.CharField("标题", max_length=200)
    text = models.TextField("案例内容")
    category = models.CharField("问题类型", max_length=12, choices=Category.choices)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="涉及单位",
    )
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField("撤下时间", null=True, blank=True)

    objects = PublishedCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "曝光典型案例"

    def __str__(self):
        return self.title


class InspectionRating(models.Model):
    """An enterprise's rating of an inspection after verifying it (1–5): one per
    inspection, i.e. per verification code, held by a unique constraint. Units see these
    only in aggregate."""

    inspection = models.ForeignKey(
        "enforcement.Inspection", on_delete=models.CASCADE, related_name="ratings"
    )
    score = models.PositiveSmallIntegerField("评分")
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "检查评价"
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="inspection_rating_1_5"
            ),
            models.UniqueConstraint(fields=["inspection"], name="inspection_rating_once"),
        ]

    def __str__(self):
        return f"{self.inspection_id}: {self.score}"


class CaptchaChallenge(models.Model):
    """A CAPTCHA kept server-side, keyed by a random id; deleted on the first attempt."""

    id = models.CharField(primary_key=True, max_length=40)
    question = models.CharField(max_length=20)
    answer = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "验证码"

    def __str__(self):
        return self.pk


class RateCounter(models.Model):
    """Requests per (scope, address, time window), shared by every web worker."""

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "访问频次"

    def __str__(self):
        return f"{self.key}: {self.count}"


def _original_upload_to(instance, filename):
    # Apart from the served copies, so no URL or listing of attachments leads here.
    return f"originals/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{instance.attachment.extension}"


class OriginalFile(models.Model):
    """A complaint file exactly as the complainant sent it, before its metadata was
    removed: for the supervisor only (the served attachment is the cleaned copy)."""

    attachment = models.OneToOneField(
        "documents.Attachment", on_delete=models.CASCADE, related_name="original_copy"
    )
    file = models.FileField(upload_to=_original_upload_to)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "附件原件"

    def __str__(self):
        return f"原件 {self.attachment_id}"


def _held_upload_to(instance, filename):
    # Referenced by migration 0002 (the former HeldUpload, now documents.PendingUpload).
    return f"held/{uuid.uuid4().hex}.{instance.extension}"
