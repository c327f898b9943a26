"""监督检查: the joint inspections of the campaign's second phase and the 案卷评查 done
during them. The tables keep the names they had in `campaigns`."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Now
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


# ------------------------------------------------------------ the 条例's instruments


class ReplyDeadline(models.Model):
    """How many working days a unit has to reply to an instrument of one kind. The 条例
    sets no number (Arts. 27/28 leave it to the letter): the supervisor edits it; a
    kind without a row uses `DEFAULT_REPLY_WORKDAYS`."""

    kind = models.CharField("文书种类", max_length=24, unique=True)
    workdays = models.PositiveSmallIntegerField("答复期限（工作日）")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "文书答复期限"

    def __str__(self):
        return f"{self.kind}: {self.workdays}"


class InstrumentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=Instrument.OPEN_STATES)

    def overdue(self, today=None):
        """Issued, past the reply deadline and no accepted reply (derived, never stored)."""
        today = today or timezone.localdate()
        return self.filter(state__in=Instrument.AWAITING_UNIT, deadline__lt=today)


class Instrument(models.Model):
    """A 行政执法监督督办函 (Art. 27: a duty not performed) or 意见书 (Art. 28: an act unlawful
    or clearly improper) issued by the justice bureau to one unit. Its open items are
    ledger problems (origin the instrument, deadline the reply deadline)."""

    class Kind(models.TextChoices):
        SUPERVISION_LETTER = "supervision_letter", "行政执法监督督办函"
        OPINION_LETTER = "opinion_letter", "行政执法监督意见书"

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        ISSUED = "issued", "待答复"
        REPLIED = "replied", "已答复待审核"
        RETURNED = "returned", "答复被退回"
        OBJECTED = "objected", "异议待处理"
        ACCEPTED = "accepted", "已办结"
        WITHDRAWN = "withdrawn", "已撤回（异议成立）"
        ESCALATED = "escalated", "已提请县政府处理"

    # The unit owes a reply (or a new one) in these states: overdue is counted here.
    AWAITING_UNIT = (State.ISSUED, State.RETURNED)
    OPEN_STATES = (State.ISSUED, State.REPLIED, State.RETURNED, State.OBJECTED)

    kind = models.CharField("文书种类", max_length=24, choices=Kind.choices)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="instruments", verbose_name="主送单位"
    )
    title = models.CharField("标题", max_length=200)
    facts = models.TextField("基本事实")
    basis = models.TextField("依据")
    required_action = models.TextField("督办 / 纠正事项")
    focus_area = models.ForeignKey(
        "orgs.FocusArea", on_delete=models.PROTECT, related_name="+", verbose_name="问题领域"
    )
    reply_workdays = models.PositiveSmallIntegerField("答复期限（工作日）")
    deadline = models.DateField("答复期限", null=True, blank=True)
    number = models.CharField("文号", max_length=60, blank=True)
    state = models.CharField(
        "状态", max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # The 公文 issued with it (documents.gongwen.IssuedDocument), when the engine is there.
    document_id = models.PositiveBigIntegerField(null=True, blank=True)
    objection_result = models.TextField("异议处理意见", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField("签发时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # When it last changed (the API's updated_since; kept true by jiandu.lib.stamps.follow).
    updated_at = models.DateTimeField("更新时间", auto_now=True, db_default=Now(), db_index=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "监督文书"

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self):
        return reverse("supervision:instrument", args=[self.pk])

    @property
    def ref(self) -> str:
        return self.number or f"{self.get_kind_display()}#{self.pk}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.state in self.AWAITING_UNIT and bool(self.deadline) and self.deadline < today

    def workdays_left(self, today=None, cal=None):
        """Working days from today to the deadline (negative when past), None without one
        or once concluded. Pass `cal` (jiandu.workdays.calendar()) for a list."""
        if not self.deadline or self.state not in self.OPEN_STATES:
            return None
        from jiandu.workdays import calendar

        return (cal or calendar()).count_workdays(today or timezone.localdate(), self.deadline)

    def problems(self):
        return Problem.objects.from_origin(self)


class InstrumentSubject(models.Model):
    """What an instrument is about: a problem, an alert, a complaint, a case, a visit
    (generic, so those apps' pages can list the instruments about them)."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="subjects")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = verbose_name_plural = "文书关联对象"
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "content_type", "object_id"], name="supervision_subject_once"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="supervision_subject_idx")
        ]

    def __str__(self):
        return f"{self.content_type.name}#{self.object_id}"


class InstrumentReply(models.Model):
    """The unit's answer to an instrument: a reply with its 纠正情况 (and evidence as
    attachments), or an objection (异议, Art. 30) with reasons; then the supervisor's
    decision on it."""

    class Kind(models.TextChoices):
        REPLY = "reply", "答复"
        OBJECTION = "objection", "异议"

    class Decision(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "予以认可"
        RETURNED = "returned", "退回重新答复"
        UPHELD = "upheld", "异议成立"
        REJECTED = "rejected", "异议不成立"

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    text = models.TextField("纠正情况 / 异议理由")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField("提交时间", default=timezone.now)
    decision = models.CharField(
        "审核结果", max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decision_note = models.TextField("审核意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "文书答复"

    def __str__(self):
        return f"{self.get_kind_display()} {self.text[:20]}"

    @property
    def unit(self):
        return self.instrument.unit


class Proposal(models.Model):
    """处理建议 (Art. 29): for a 重大问题, or an instrument not complied with, the bureau
    proposes that the county government issue a 行政执法监督决定书; the decision is
    recorded when it comes back (its file as an attachment of the proposal)."""

    class Reason(models.TextChoices):
        NONCOMPLIANCE = "noncompliance", "督办函、意见书未落实"
        MAJOR = "major", "重大问题"

    class State(models.TextChoices):
        SENT = "sent", "已报县政府"
        DECIDED = "decided", "已作出决定"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="proposals", verbose_name="涉及单位"
    )
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    reason = models.CharField("提请理由", max_length=16, choices=Reason.choices)
    facts = models.TextField("基本情况")
    proposal = models.TextField("处理建议")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SENT)
    number = models.CharField("文号", max_length=60, blank=True)
    document_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decision_number = models.CharField("决定书文号", max_length=60, blank=True)
    decision_date = models.DateField("决定日期", null=True, blank=True)
    decision_content = models.TextField("决定内容", blank=True)
    decided_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "处理建议"

    def __str__(self):
        return f"处理建议：{self.unit}"

    def get_absolute_url(self):
        return reverse("supervision:proposal", args=[self.pk])


class Interview(models.Model):
    """约谈 (Art. 22): who was talked to, when, by whom, what was said; its follow-up
    items are ledger problems whose origin is the interview. Scheduled first with a 约谈通知
    (a 公文 with its 文号), or recorded at once."""

    class State(models.TextChoices):
        PLANNED = "planned", "已通知待约谈"
        HELD = "held", "已约谈"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="interviews", verbose_name="约谈单位"
    )
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.SET_NULL, related_name="interviews"
    )
    held_at = models.DateTimeField("约谈时间")
    place = models.CharField("地点", max_length=100, blank=True)
    interviewers = models.CharField("约谈人", max_length=200)
    attendees = models.CharField("被约谈人", max_length=300)
    reason = models.TextField("约谈事由", blank=True)
    content = models.TextField("约谈内容", blank=True)
    state = models.CharField("状态", max_length=8, choices=State.choices, default=State.HELD)
    number = models.CharField("约谈通知文号", max_length=60, blank=True)
    document_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_at", "-id"]
        verbose_name = verbose_name_plural = "约谈"

    def __str__(self):
        return f"约谈 {self.unit} {self.held_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("supervision:interview", args=[self.pk])

    def problems(self):
        return Problem.objects.from_origin(self)


class Circular(models.Model):
    """通报 (Art. 31): to all units, or public (then listed on the public portal)."""

    class Audience(models.TextChoices):
        UNITS = "units", "全县执法单位"
        PUBLIC = "public", "向社会公开"

    title = models.CharField("标题", max_length=200)
    content = models.TextField("通报内容")
    audience = models.CharField("范围", max_length=10, choices=Audience.choices)
    units = models.ManyToManyField(
        "orgs.Unit", blank=True, related_name="circulars", verbose_name="被通报单位"
    )
    number = models.CharField("文号", max_length=60, blank=True)
    document_id = models.PositiveBigIntegerField(null=True, blank=True)
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "通报"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:circular", args=[self.pk])


class OfficerRecommendation(models.Model):
    """Art. 32: a recommendation about one officer, decided by the competent body."""

    class Measure(models.TextChoices):
        CRITICISM = "criticism", "批评教育"
        TRAINING = "training", "离岗教育"
        TRANSFER = "transfer", "调离执法岗位"
        REVOKE = "revoke", "取消执法资格"

    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="officer_recommendations",
        verbose_name="所在单位",
    )
    officer_name = models.CharField("执法人员", max_length=50)
    certificate_no = models.CharField("执法证号", max_length=50, blank=True)
    measure = models.CharField("建议措施", max_length=10, choices=Measure.choices)
    reason = models.TextField("事实与理由")
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    competent_body = models.CharField("有权机关", max_length=100)
    decision = models.TextField("有权机关决定", blank=True)
    decision_date = models.DateField("决定日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "执法人员处理建议"

    def __str__(self):
        return f"{self.officer_name}：{self.get_measure_display()}"


class DisciplineRequest(models.Model):
    """The discipline commission asks the supervisor for a 督办 on a problem or a unit;
    the supervisor answers by issuing an instrument or with a note."""

    class State(models.TextChoices):
        OPEN = "open", "待处理"
        DONE = "done", "已处理"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="涉及单位"
    )
    problem = models.ForeignKey(
        "ledger.Problem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("督办请求")
    state = models.CharField("状态", max_length=6, choices=State.choices, default=State.OPEN)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    instrument = models.ForeignKey(
        Instrument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.TextField("处理情况", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = verbose_name_plural = "纪委督办请求"

    def __str__(self):
        return f"督办请求：{self.unit}"
