from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Now
from django.utils import timezone

from jiandu.ledger.figures import completion_rate


def overdue_q(today: date) -> Q:
    """逾期: open and past the approved deadline (`deadline` only ever holds an approved
    date: a pending 延期申请 does not move it). A problem the unit submitted for acceptance
    on or before its deadline is not the unit's delay while the supervisor has not
    decided (待验收 in time); a returned one is judged by its deadline again.
    Derived, never stored; the one definition that the ledger's filter, the cockpit's
    counts and `Problem.is_overdue` share."""
    return (
        Q(deadline__lt=today)
        & ~Q(state=Problem.State.CLOSED)
        & ~Q(
            state=Problem.State.AWAITING_ACCEPTANCE,
            submitted_at__isnull=False,
            submitted_at__date__lte=F("deadline"),
        )
    )


class ProblemQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Problem.State.CLOSED)

    def from_origin(self, origins):
        """The problems that came from `origins`: one source object, or a queryset of
        one model's objects (as a subquery)."""
        if isinstance(origins, models.QuerySet):
            ct = ContentType.objects.get_for_model(origins.model)
            return self.filter(origin_type=ct, origin_id__in=origins.order_by().values("pk"))
        ct = ContentType.objects.get_for_model(origins)
        return self.filter(origin_type=ct, origin_id=origins.pk)

    def overdue(self, today: date | None = None):
        return self.filter(overdue_q(today or timezone.localdate()))

    def not_overdue(self, today: date | None = None):
        return self.exclude(overdue_q(today or timezone.localdate()))

    def awaiting_in_time(self):
        """待验收 and submitted on or before the deadline: the supervisor's turn."""
        return self.filter(
            state=Problem.State.AWAITING_ACCEPTANCE,
            submitted_at__isnull=False,
            deadline__isnull=False,
            submitted_at__date__lte=F("deadline"),
        )

    def with_pending_extension(self):
        """Problems whose 延期申请 waits for the supervisor (the supervisor's queue)."""
        return self.filter(_pending_extension())

    def with_latest_note(self):
        """The text of the newest progress note, as one subquery (lists and exports)."""
        latest = ProgressNote.objects.filter(problem=OuterRef("pk")).order_by("-created_at", "-id")
        return self.annotate(latest_note=Subquery(latest.values("text")[:1]))

    def with_escalation_flag(self):
        return self.annotate(
            escalated=Exists(Escalation.objects.filter(problem=OuterRef("pk"))),
            extension_pending=_pending_extension(),
        )

    # -- The figures: ONE definition of "a campaign's problems", the counts per state,
    # overdue and the completion rate. The cockpit, the campaign page, the acceptance
    # page, the ledger's campaign filter and the summary report all call these, so they
    # show the same number.

    def of_campaign(self, campaign):
        """A campaign's problems: those filed under it, plus those filed under no campaign
        (daily supervision: confirmed alerts, hand-registered findings) registered while
        it ran, from its first phase's start to its last phase's end (local dates).
        Problems of another campaign never count. `campaign` is a Campaign or its id; the
        span is read in the same SQL query."""
        from jiandu.campaigns.models import Phase

        phases = Phase.objects.filter(campaign=campaign).order_by().values("campaign")
        first = Subquery(phases.annotate(day=Min("start")).values("day")[:1])
        last = Subquery(phases.annotate(day=Max("end")).values("day")[:1])
        return self.filter(
            Q(campaign=campaign)
            | Q(campaign__isnull=True, created_at__date__gte=first, created_at__date__lte=last)
        )

    def _count_expressions(self, today):
        # Overdue goes through overdue() itself (as a subquery), so whatever decides
        # overdue decides these counts too.
        overdue = Problem.objects.overdue(today).order_by().values("pk")
        counts = {state: Count("pk", filter=Q(state=state)) for state in Problem.State.values}
        counts["total"] = Count("pk")
        counts["overdue"] = Count("pk", filter=Q(pk__in=overdue))
        return counts

    @staticmethod
    def _finish(row):
        row["open"] = row["total"] - row[Problem.State.CLOSED]
        row["rate"] = completion_rate(row[Problem.State.CLOSED], row["total"])
        return row

    def no_counts(self) -> dict:
        """The counts of a group without any problem (rate None, never 100 %)."""
        return self._finish(
            {state: 0 for state in Problem.State.values} | {"total": 0, "overdue": 0}
        )

    def counts(self, today: date | None = None) -> dict:
        """One query: total, one count per state (keys are the state values), open,
        overdue and rate (completion_rate of closed out of total; None when total is 0)."""
        today = today or timezone.localdate()
        return self._finish(self.order_by().aggregate(**self._count_expressions(today)))

    def counts_by(self, field: str, today: date | None = None, keys=None) -> dict:
        """`counts` per value of `field` (one grouped query). With `keys`, every key is
        in the answer, with `no_counts()` when it has no problem."""
        today = today or timezone.localdate()
        grouped = {
            row.pop(field): self._finish(row)
            for row in self.order_by().values(field).annotate(**self._count_expressions(today))
        }
        for key in keys or ():
            grouped.setdefault(key, self.no_counts())
        return grouped

    def counts_by_unit(self, today: date | None = None, units=None) -> dict:
        """`counts` per unit id; with `units` (ids), every one of them is in the answer."""
        return self.counts_by("unit_id", today, keys=units)

    def completion_rate(self) -> float | None:
        """整改完成率 of these problems (see figures.completion_rate)."""
        return self.counts()["rate"]


def _pending_extension():
    return Exists(
        DeadlineChange.objects.filter(problem=OuterRef("pk"), state=DeadlineChange.State.PENDING)
    )


class Problem(models.Model):
    """One confirmed problem in a unit's rectification ledger (整改台账), whatever its source.
    Its rectification (整改措施, 责任人, 整改时限) is stored on it."""

    class Source(models.TextChoices):
        SELF_CHECK = "self_check", "自查"
        SUPERVISION = "supervision", "监督检查"
        ALERT = "alert", "预警"
        COMPLAINT = "complaint", "举报"
        OTHER = "other", "其他"

    class Severity(models.TextChoices):
        NORMAL = "normal", "一般"
        SERIOUS = "serious", "较重"
        GRAVE = "grave", "严重"

    class State(models.TextChoices):
        PENDING = "pending", "待整改"
        IN_PROGRESS = "in_progress", "整改中"
        AWAITING_ACCEPTANCE = "awaiting_acceptance", "待验收"
        CLOSED = "closed", "已销号"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="problems", verbose_name="责任单位"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="problems",
    )
    focus_area = models.ForeignKey(
        "orgs.FocusArea", on_delete=models.PROTECT, verbose_name="问题领域"
    )
    description = models.TextField("问题描述")
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    source_ref = models.CharField(
        "来源编号", max_length=120, blank=True, help_text="如预警规则与对象、举报查询码"
    )
    # Where the problem came from (a self-check answer, a supervision visit, a case-file
    # review, an alert, a complaint), as data: a generic relation, so the ledger stands
    # under every app that feeds it and imports none of them. Empty for a problem
    # registered by hand or carried over. The source links to its page with
    # `get_absolute_url`; `source_ref` is display text only, never parsed.
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    measures = models.TextField("整改措施", blank=True)
    responsible_person = models.CharField("责任人", max_length=50, blank=True)
    # The approved deadline: set when the problem is registered (a default per source and
    # severity, `ledger.deadlines`), changed only by the supervisor (an approved 延期申请
    # or a direct change, each a DeadlineChange row).
    deadline = models.DateField("整改时限", null=True, blank=True)
    original_deadline = models.DateField("原定整改时限", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=24, choices=State.choices, default=State.PENDING, db_index=True
    )
    returned_reason = models.TextField("退回原因", blank=True)
    acceptance_note = models.TextField("验收意见", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField("提请验收时间", null=True, blank=True)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When it last changed (the API's updated_since; kept true by jiandu.lib.stamps.follow).
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_default=Now(), db_index=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "问题"
        indexes = [
            models.Index(fields=["origin_type", "origin_id"], name="ledger_problem_origin_idx")
        ]

    def __str__(self):
        return f"#{self.pk} {self.description[:30]}"

    @property
    def origin_url(self) -> str:
        """The page of the problem's origin, when it has one."""
        origin = self.origin
        get_url = getattr(origin, "get_absolute_url", None)
        return get_url() if get_url else ""

    def is_overdue(self, today: date | None = None) -> bool:
        """The same rule as `overdue_q`, on one loaded problem."""
        today = today or timezone.localdate()
        if self.state == self.State.CLOSED or self.deadline is None or self.deadline >= today:
            return False
        return not self.submitted_in_time

    @property
    def submitted_in_time(self) -> bool:
        """待验收 and submitted on or before the deadline (not the unit's delay)."""
        return (
            self.state == self.State.AWAITING_ACCEPTANCE
            and self.submitted_at is not None
            and self.deadline is not None
            and timezone.localdate(self.submitted_at) <= self.deadline
        )

    def awaiting_days(self, today: date | None = None) -> int:
        """How long the problem has waited for the supervisor (待验收), in calendar days."""
        if self.state != self.State.AWAITING_ACCEPTANCE or self.submitted_at is None:
            return 0
        return max(
            ((today or timezone.localdate()) - timezone.localdate(self.submitted_at)).days, 0
        )

    @property
    def deadline_locked(self) -> bool:
        """After 督办 or a lead to 纪委 only the supervisor changes the deadline."""
        return self.escalations.exists() or self.leads.exists()

    @property
    def pending_extension(self):
        return self.deadline_changes.filter(state=DeadlineChange.State.PENDING).first()

    def days_overdue(self, today: date | None = None) -> int:
        if not self.is_overdue(today):
            return 0
        return ((today or timezone.localdate()) - self.deadline).days


class DeadlineChange(models.Model):
    """One change of a problem's deadline: a unit's 延期申请 (pending until the supervisor
    approves or refuses it), the supervisor's own change, or the unit's earlier
    commitment when it starts rectification. With `Problem.original_deadline` it is the
    deadline's whole history."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", "延期申请"
        SUPERVISOR = "supervisor", "监督管理员调整"
        COMMITMENT = "commitment", "单位承诺提前"

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "不予批准"
        # Still pending when the problem was closed: nothing left to decide.
        MOOT = "moot", "销号后无需审批"

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="deadline_changes")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    state = models.CharField("状态", max_length=16, choices=State.choices, db_index=True)
    old_deadline = models.DateField("原整改时限", null=True, blank=True)
    new_deadline = models.DateField("申请整改时限")
    reason = models.TextField("理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = verbose_name_plural = "整改时限变更"
        constraints = [
            # One open request per problem, even when two clerks press the button at once.
            models.UniqueConstraint(
                fields=["problem"],
                condition=Q(state="pending"),
                name="ledger_one_pending_extension_per_problem",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.new_deadline}"

    @property
    def unit(self):
        return self.problem.unit


class ProgressNote(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("整改进展")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = verbose_name_plural = "整改进展"

    def __str__(self):
        return self.text[:30]

    @property
    def unit(self):
        return self.problem.unit


class Escalation(models.Model):
    """督办: a formal push on an overdue problem; the unit sees it prominently."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="escalations")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("督办意见")
    to_discipline = models.BooleanField("同时移交纪委监委", default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "督办"

    def __str__(self):
        return self.note[:30]

    @property
    def unit(self):
        return self.problem.unit


class Lead(models.Model):
    """线索: a clue handed to the discipline commission (移送, Art. 33 of the 条例) from a
    complaint, an alert, a problem, an instrument or a visit (`origin`, generic like
    `Problem.origin`). The commission disposes of it in one of the four standard ways
    (`Disposal`), records the result and its date; the justice bureau sees the result,
    never `working_notes`. A lead that is no discipline matter goes back (`RETURNED`)."""

    class State(models.TextChoices):
        NEW = "new", "待处理"
        RECEIVED = "received", "已接收"
        CLOSED = "closed", "已办结"
        RETURNED = "returned", "已退回（非纪律问题）"

    # Not yet concluded by the commission: the one definition (ledger.actions.OPEN_LEAD).
    OPEN_STATES = (State.NEW, State.RECEIVED)

    class Disposal(models.TextChoices):
        TALK = "talk", "谈话函询"
        VERIFY = "verify", "初步核实"
        SHELVE = "shelve", "暂存待查"
        CLOSE = "close", "予以了结"

    class Outcome(models.TextChoices):
        CASE = "case", "立案审查调查"
        ORG = "org", "组织处理"
        ADMONISH = "admonish", "批评教育"
        CLEARED = "cleared", "予以了结"
        OTHER = "other", "其他"

    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name="涉及单位",
    )
    title = models.CharField("标题", max_length=200)
    description = models.TextField("线索内容")
    source = models.CharField("来源", max_length=20, choices=Problem.Source.choices)
    source_ref = models.CharField("来源编号", max_length=120, blank=True)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.NEW)
    problem = models.ForeignKey(
        Problem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        verbose_name="相关问题",
    )
    # What the lead came from (a complaint, an alert, a problem, an instrument, a visit):
    # a generic relation, as Problem.origin, so the ledger imports none of them.
    origin_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    due_date = models.DateField("办理期限", null=True, blank=True)
    disposal = models.CharField("处置方式", max_length=10, choices=Disposal.choices, blank=True)
    disposed_at = models.DateTimeField("处置时间", null=True, blank=True)
    # The commission's working papers: discipline only, never shown to the justice bureau.
    working_notes = models.TextField("工作底稿", blank=True)
    outcome = models.CharField("办理结果类别", max_length=10, choices=Outcome.choices, blank=True)
    result = models.TextField("办理结果", blank=True)
    result_date = models.DateField("结果日期", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField("接收时间", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "问题线索"
        constraints = [
            # At most one open lead per problem: a second 移交纪委 adds nothing but noise.
            models.UniqueConstraint(
                fields=["problem"],
                condition=Q(problem__isnull=False) & ~Q(state__in=["closed", "returned"]),
                name="ledger_one_open_lead_per_problem",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def is_overdue(self, today: date | None = None) -> bool:
        """Past its due date and not yet concluded (derived, never stored)."""
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today

    @property
    def origin_url(self) -> str:
        get_url = getattr(self.origin, "get_absolute_url", None)
        return get_url() if get_url else ""
