"""Enforcement records as units keep them (DATA_CONTRACT.md). Multi-valued cells
(处罚种类, 裁量情节, 执法人员) are stored canonically as ';a;b;' so set-based rules can
test membership with LIKE '%;罚款;%' on SQLite and PostgreSQL alike; the monitoring
rules split the officers column themselves, so there is no officer link table to keep
in step on every import."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils import timezone

from jiandu.standards.models import TierLevel

# 处罚种类: the kinds of administrative penalty (行政处罚法 Art. 9), and 不予处罚.
PENALTY_KINDS = [
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "不予处罚",
]


def join_multi(values) -> str:
    values = [v for v in (values or []) if v]
    return ";" + ";".join(values) + ";" if values else ""


def split_multi(text: str) -> list[str]:
    return [v for v in (text or "").split(";") if v]


class Enterprise(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", "企业"
        INDIVIDUAL = "individual", "个体工商户"
        OTHER = "other", "其他组织"

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("企业名称", max_length=200)
    kind = models.CharField("主体类型", max_length=12, choices=Kind.choices, blank=True)
    industry = models.CharField("所属行业", max_length=100, blank=True)
    town = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="所属乡镇",
    )
    founded_on = models.DateField("成立日期", null=True, blank=True)
    quiet_list = models.BooleanField("无事不扰", null=True, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="ent_name_idx")]
        verbose_name = verbose_name_plural = "市场主体"

    def __str__(self):
        return self.name

    @property
    def subject_key(self):
        return self.uscc


class Certificate(models.TextChoices):
    """An enforcement certificate's state on a day. Only VALID lets its holder act: the
    registration form, the case and inspection pages, the public verification page and
    PROC-07 (monitoring.rules.procedure.officer_check, held to this by a test) agree."""

    VALID = "valid", "有效"
    EXPIRED = "expired", "已过期"
    UNKNOWN = "unknown", "有效期未知"
    UNREGISTERED = "unregistered", "不在执法人员名录中"


@dataclass(frozen=True)
class CertificateCheck:
    """One certificate number named on a case or an inspection, checked on its day."""

    cert_no: str
    officer: "Officer | None"
    state: str

    @property
    def valid(self) -> bool | None:
        """True or False, or None while the register cannot tell (no expiry recorded)."""
        if self.state == Certificate.UNKNOWN:
            return None
        return self.state == Certificate.VALID


class OfficerQuerySet(models.QuerySet):
    def valid_on(self, day: date):
        """The officers who may act on `day`: `Officer.valid_on` as a filter (through the
        expiry day inclusive; an unknown expiry does not count)."""
        return self.filter(valid_until__gte=day)

    def certificates_on(self, certs, day: date | None) -> list[CertificateCheck]:
        """Each of `certs` in order with its officer (None when not on the register) and
        the certificate's state on `day`, in one query."""
        certs = list(certs)
        found = {o.cert_no: o for o in self.filter(cert_no__in=certs).select_related("unit")}
        checks = []
        for cert in certs:
            officer = found.get(cert)
            state = Certificate.UNREGISTERED if officer is None else officer.certificate_on(day)
            checks.append(CertificateCheck(cert, officer, state))
        return checks


class Officer(models.Model):
    cert_no = models.CharField("执法证号", max_length=40, unique=True)
    name = models.CharField("姓名", max_length=30)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="officers", verbose_name="所属单位"
    )
    domain = models.CharField("执法领域", max_length=50, blank=True)
    valid_until = models.DateField("证件有效期至", null=True, blank=True)

    objects = OfficerQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "cert_no"]
        verbose_name = verbose_name_plural = "执法人员"

    def __str__(self):
        return f"{self.name}（{self.cert_no}）"

    @property
    def subject_key(self):
        return self.cert_no

    def certificate_on(self, day: date | None) -> str:
        """The certificate's state on `day`: valid through its expiry day inclusive; with
        no expiry recorded (or no day to check) the register cannot vouch for it."""
        if self.valid_until is None or day is None:
            return Certificate.UNKNOWN
        return Certificate.VALID if self.valid_until >= day else Certificate.EXPIRED

    def valid_on(self, day: date | None) -> bool:
        """Whether the holder may act on `day` (an unknown expiry does not count as valid)."""
        return self.certificate_on(day) == Certificate.VALID


class PartyType(models.TextChoices):
    LEGAL = "legal", "法人"
    ORG = "org", "其他组织"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    NATURAL = "natural", "自然人"


# The parties the enterprise services concern (法人、其他组织、个体工商户): 三书同达 here
# and in SERV-01 (monitoring.rules.common reads this tuple).
ENTERPRISE_PARTIES = tuple(
    str(p) for p in (PartyType.LEGAL, PartyType.ORG, PartyType.INDIVIDUAL_BUSINESS)
)
NO_PENALTY = "不予处罚"
# 处罚种类 as stored when the only penalty is a warning: 三书同达 does not apply.
WARNING_ONLY = join_multi(["警告"])
# How far back an earlier case of the same item makes a violation not the first (首违).
EARLIER_CASE_DAYS = 730

# A case's steps in order, as its page's timeline shows them.
TIMELINE = [
    ("filed_on", "立案"),
    ("notified_on", "事先告知"),
    ("legal_review_on", "法制审核"),
    ("decided_on", "决定"),
    ("served_on", "送达"),
    ("published_on", "公示"),
    ("closed_on", "结案"),
]


class PenaltyCaseQuerySet(models.QuerySet):
    def earlier_of_item(self, party_uscc: str, violation_code: str, day: date):
        """The party's cases (by USCC, across all units) of this item filed in the
        EARLIER_CASE_DAYS before `day`; none for a party without a USCC."""
        if not party_uscc:
            return self.none()
        return self.filter(
            party_uscc=party_uscc,
            violation_code=violation_code,
            filed_on__gte=day - timedelta(days=EARLIER_CASE_DAYS),
            filed_on__lt=day,
        )


class PenaltyCase(models.Model):
    class Source(models.TextChoices):
        ROUTINE = "routine", "日常检查"
        RANDOM = "random", "双随机抽查"
        COMPLAINT = "complaint", "投诉举报"
        ASSIGNED = "assigned", "上级交办"
        TRANSFERRED = "transferred", "部门移送"
        OTHER = "other", "其他"

    # No separate index: (unit, case_no) and (unit, filed_on) lead with unit already.
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="执法单位",
        db_index=False,
    )
    case_no = models.CharField("案件编号", max_length=80)
    party_name = models.CharField("当事人名称", max_length=200)
    party_type = models.CharField("当事人类型", max_length=20, choices=PartyType.choices)
    party_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    # Nothing looks cases up by item id (case_group_idx leads with the item's code), and
    # every index costs each imported row: no index of its own.
    violation = models.ForeignKey(
        "standards.ViolationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    violation_code = models.CharField("违法行为编码", max_length=60)  # led by case_group_idx
    violation_name = models.CharField("违法行为名称", max_length=300, blank=True)
    source = models.CharField("案件来源", max_length=12, choices=Source.choices, blank=True)
    filed_on = models.DateField("立案日期")
    notified_on = models.DateField("事先告知日期", null=True, blank=True)
    hearing = models.BooleanField("听证", null=True, blank=True)
    legal_review = models.BooleanField("法制审核", null=True, blank=True)
    legal_review_on = models.DateField("法制审核日期", null=True, blank=True)
    collective_discussion = models.BooleanField("集体讨论", null=True, blank=True)
    extension_approved = models.BooleanField("延期审批", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    penalty_kinds = models.CharField(
        "处罚种类", max_length=300, blank=True, help_text="';罚款;警告;'"
    )
    fine = models.DecimalField(
        "罚款金额(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    confiscated = models.DecimalField(
        "没收违法所得(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    illegal_income = models.DecimalField(
        "违法所得(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    goods_value = models.DecimalField(
        "货值金额(元)", max_digits=16, decimal_places=2, null=True, blank=True
    )
    tier = models.CharField("裁量阶次", max_length=10, choices=TierLevel.choices, blank=True)
    circumstances = models.CharField(
        "裁量情节", max_length=300, blank=True, help_text="';初次违法;及时改正;'"
    )
    officers = models.CharField(
        "执法人员", max_length=300, blank=True, help_text="';执法证号;执法证号;'"
    )
    av_recorded = models.BooleanField("全过程记录", null=True, blank=True)
    credit_notice_on = models.DateField("信用修复告知书送达日期", null=True, blank=True)
    compliance_advice_on = models.DateField("合规指导意见书送达日期", null=True, blank=True)
    facts = models.TextField("案情摘要", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PenaltyCaseQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "case_no"], name="case_natural_key")]
        indexes = [
            models.Index(fields=["violation_code", "tier", "party_type"], name="case_group_idx"),
            models.Index(fields=["unit", "filed_on"], name="case_unit_filed_idx"),
            # The county-wide list sorts all units' cases by filing date.
            models.Index(fields=["filed_on", "id"], name="case_filed_idx"),
            # "One enterprise, all visits" and the calculator's earlier cases. A Meta
            # index: db_index would add a LIKE-pattern twin on PostgreSQL nothing uses.
            models.Index(fields=["party_uscc"], name="case_party_idx"),
        ]
        verbose_name = verbose_name_plural = "行政处罚案件"

    def __str__(self):
        return f"{self.case_no} {self.party_name}"

    @property
    def subject_key(self):
        return f"{self.unit.code}/{self.case_no}"

    @property
    def penalty_kind_list(self):
        return split_multi(self.penalty_kinds)

    @property
    def circumstance_list(self):
        return split_multi(self.circumstances)

    @property
    def officer_list(self):
        return split_multi(self.officers)

    def certificates(self) -> list[CertificateCheck]:
        """The case's officers' certificates on the filing date."""
        return Officer.objects.certificates_on(self.officer_list, self.filed_on)

    def repairs(self):
        """Credit repairs of this case, newest first: linked, or (imported before the case
        was) matched by unit and case number."""
        return CreditRepair.objects.filter(
            models.Q(case=self) | models.Q(unit_id=self.unit_id, case_no=self.case_no)
        ).order_by("-applied_on")

    def party_enterprise(self) -> Enterprise | None:
        """The party on the enterprise register, by USCC (None for a person or an unknown code)."""
        return Enterprise.objects.filter(uscc=self.party_uscc).first() if self.party_uscc else None

    @property
    def punished(self) -> bool:
        """Decided with a penalty (not 不予处罚) — monitoring.rules.common.punished()."""
        return (
            self.decided_on is not None
            and f";{NO_PENALTY};" not in (self.penalty_kinds or "")
            and self.tier != TierLevel.EXEMPT
        )

    @property
    def three_docs_required(self) -> bool:
        """三书同达 applies: an enterprise party decided with a penalty other than a
        warning alone. SERV-01's three_docs_required() is this test over a whole frame
        (a test holds the two together); the case page shows what the rule says."""
        return (
            self.punished
            and self.party_type in ENTERPRISE_PARTIES
            and (self.penalty_kinds or "") not in ("", WARNING_ONLY)
        )

    def timeline(self, calendar):
        """The steps in TIMELINE order, each with its date and the calendar and working
        days since the previous dated step; and filing to decision in total (None while
        undecided)."""
        steps, previous = [], None
        for field, label in TIMELINE:
            day = getattr(self, field)
            step = {"label": label, "date": day, "days": None, "workdays": None}
            if day and previous:
                step["days"] = (day - previous).days
                step["workdays"] = calendar.count_workdays(previous, day)
            if day:
                previous = day
            steps.append(step)
        total = None
        if self.decided_on:
            total = {
                "days": (self.decided_on - self.filed_on).days,
                "workdays": calendar.count_workdays(self.filed_on, self.decided_on),
            }
        return steps, total


class RandomDraw(models.Model):
    """双随机、一公开: enterprises and officers drawn by lot; results published afterwards."""

    draw_no = models.CharField("抽查编号", max_length=80, unique=True)
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="random_draws", verbose_name="组织单位"
    )
    title = models.CharField("抽查任务", max_length=200, blank=True)
    drawn_on = models.DateField("抽取日期")
    ratio = models.DecimalField(
        "抽查比例(%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    seed = models.CharField("随机种子", max_length=64, blank=True)
    published_on = models.DateField("结果公示日期", null=True, blank=True)

    class Meta:
        ordering = ["-drawn_on"]
        verbose_name = verbose_name_plural = "双随机抽查"

    def __str__(self):
        return self.draw_no


class Inspection(models.Model):
    class Mode(models.TextChoices):
        ONSITE = "onsite", "现场"
        OFFSITE = "offsite", "非现场"

    class Kind(models.TextChoices):
        RANDOM = "random", "双随机抽查"
        SPECIAL = "special", "专项检查"
        ROUTINE = "routine", "日常检查"
        COMPLAINT = "complaint", "投诉举报核查"
        ASSIGNED = "assigned", "上级交办"
        OTHER = "other", "其他"

    class Result(models.TextChoices):
        NONE_FOUND = "none_found", "未发现问题"
        ORDERED = "ordered", "责令整改"
        CASE_FILED = "case_filed", "立案查处"
        TRANSFERRED = "transferred", "移送处理"

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="inspections", verbose_name="检查单位"
    )
    inspection_no = models.CharField("检查编号", max_length=80)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="inspections")
    enterprise_name = models.CharField("企业名称", max_length=200)
    inspected_on = models.DateField("检查日期", db_index=True)
    mode = models.CharField("检查方式", max_length=8, choices=Mode.choices, default=Mode.ONSITE)
    kind = models.CharField("检查类型", max_length=10, choices=Kind.choices, blank=True)
    joint_no = models.CharField("联合检查编号", max_length=80, blank=True, db_index=True)
    registration_no = models.CharField("登记备案编号", max_length=80, blank=True)
    registered_on = models.DateField("登记备案日期", null=True, blank=True)
    officers = models.CharField(
        "检查人员", max_length=300, blank=True, help_text="';执法证号;执法证号;'"
    )
    items = models.TextField("检查事项", blank=True)
    result = models.CharField("检查结果", max_length=12, choices=Result.choices, blank=True)
    is_recheck = models.BooleanField(
        "整改复查", default=False, help_text="对责令整改事项的复查（INSP-03 除外）"
    )
    is_planned = models.BooleanField("计划中", default=False, help_text="已登记、尚未实施的检查")
    random_draw = models.ForeignKey(
        RandomDraw, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections"
    )
    verify_code = models.CharField("亮码核验码", max_length=16, null=True, blank=True, unique=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-inspected_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "inspection_no"], name="inspection_natural_key")
        ]
        indexes = [
            models.Index(fields=["enterprise", "inspected_on"], name="insp_ent_date_idx"),
            # A unit's list sorts its own inspections by date.
            models.Index(fields=["unit", "inspected_on"], name="insp_unit_date_idx"),
        ]
        verbose_name = verbose_name_plural = "涉企行政检查"

    def __str__(self):
        return f"{self.inspection_no} {self.enterprise_name}"

    @property
    def subject_key(self):
        return f"{self.unit.code}/{self.inspection_no}"

    @property
    def officer_list(self):
        return split_multi(self.officers)

    def certificates(self) -> list[CertificateCheck]:
        """The inspecting officers' certificates on the inspection day."""
        return Officer.objects.certificates_on(self.officer_list, self.inspected_on)


class CreditRepair(models.Model):
    class Result(models.TextChoices):
        GRANTED = "granted", "准予修复"
        REFUSED = "refused", "不予修复"

    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="credit_repairs",
        verbose_name="执法单位",
    )
    case_no = models.CharField("案件编号", max_length=80)
    case = models.ForeignKey(
        PenaltyCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="credit_repairs"
    )
    applied_on = models.DateField("申请日期")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    result = models.CharField("修复结果", max_length=10, choices=Result.choices, blank=True)
    withdrawn_on = models.DateField("公示撤下日期", null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-applied_on"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "case_no"], name="repair_natural_key")
        ]
        verbose_name = verbose_name_plural = "信用修复"

    def __str__(self):
        return f"{self.case_no} 信用修复"

    @property
    def subject_key(self):
        return f"{self.unit.code}/{self.case_no}"


class Transfer(models.Model):
    transfer_no = models.CharField("移送编号", max_length=80, unique=True)
    from_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="transfers_out", verbose_name="移出单位"
    )
    to_unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="transfers_in", verbose_name="接收单位"
    )
    sent_on = models.DateField("移送日期")
    received_on = models.DateField("接收日期", null=True, blank=True)
    outcome = models.TextField("办理结果", blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_on"]
        verbose_name = verbose_name_plural = "案件移送"

    def __str__(self):
        return self.transfer_no

    @property
    def subject_key(self):
        return self.transfer_no
