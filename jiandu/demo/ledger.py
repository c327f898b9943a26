"""Demo: the ledger as it looks half way through 整改提升.

Runs after the campaigns demo (whose accepted self-checks put problems in the ledger).
It adds the problems the supervision teams found, then replays the rectification with
the real actions, each one on the day it "happened" (a demo clock), so states, progress
notes, audit rows and notifications agree with each other: some problems closed, some
awaiting acceptance, some in progress with notes and photos, a couple returned, several
overdue, a few escalated (督办), one handed to the discipline commission."""

import io
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from jiandu.ledger import actions
from jiandu.ledger.models import Problem
from jiandu.orgs.models import FocusArea, Notification

# unit code, focus area, severity, description, days into the supervision phase
SUPERVISION_FINDINGS = [
    (
        "PC-SCJ",
        "procedure",
        "serious",
        "抽查2023年行政处罚案卷10件，其中4件现场检查笔录无当事人签字或见证人签字，1件缺少送达回证。",
        12,
    ),
    (
        "PC-HBJ",
        "discretion",
        "grave",
        "同类超标排放案件罚款金额差异较大，2件案件未说明适用裁量阶次的理由。",
        20,
    ),
    (
        "PC-JTJ",
        "inspection",
        "normal",
        "对同一道路运输企业30日内开展3次同类检查，均未登记备案，未纳入联合检查计划。",
        34,
    ),
    (
        "PC-ZFJ",
        "integration",
        "serious",
        "划转事项投诉件办理超过规定时限，与业务主管部门之间存在推诿。",
        41,
    ),
    (
        "PC-CGZ",
        "leniency",
        "normal",
        "对首次违法且及时改正的沿街商户作出罚款，未适用首违不罚清单。",
        55,
    ),
    (
        "PC-WJJ",
        "service",
        "normal",
        "处罚决定送达时未同步送达信用修复告知书和合规指导意见书（三书同达未落实）。",
        63,
    ),
    (
        "PC-YJJ",
        "procedure",
        "serious",
        "重大执法决定未经法制审核即作出，集体讨论记录缺失。",
        80,
    ),
    (
        "PC-NYJ",
        "inspection",
        "normal",
        "双随机抽查结果超过20个工作日未公示。",
        96,
    ),
    (
        "PC-DLZ",
        "procedure",
        "normal",
        "执法人员现场执法未全程音像记录，执法记录仪使用登记不全。",
        110,
    ),
]

PROGRESS = [
    "已召开专题会议研究整改，明确分管领导和责任科室，制定整改方案。",
    "已对涉及的案卷逐一复查，补正材料，完成第一轮整改。",
    "已组织全体执法人员专题培训，培训考试合格率100%。",
    "已修订相关工作制度并印发执行，附制度文本。",
    "已建立工作台账，由法制科每周检查落实情况。",
    "已完成整改前后对比，附现场照片。",
]
RETURN_REASONS = [
    "整改佐证材料不足，未提供修订后的制度文本和培训签到表，请补充后重新提请验收。",
    "整改措施未覆盖全部涉及案件，请逐案说明整改情况。",
]
ACCEPT_NOTES = ["整改到位，同意销号。", "经核查材料齐全，整改到位。", ""]

# Cycled over the problems (oldest first) so every state is represented.
SCENARIOS = [
    "closed",
    "in_progress",
    "closed",
    "awaiting",
    "returned",
    "in_progress",
    "closed",
    "pending",
    "closed",
    "in_progress",
    "awaiting",
    "closed",
    "returned_again",
    "in_progress",
]


@contextmanager
def _clock(moment):
    """Let the actions run as if it were `moment`: timezone.now() and every model
    field defaulting to it (audit rows, notes, notifications) see that time."""
    real = timezone.now
    fields = [f for m in apps.get_models() for f in m._meta.concrete_fields if f.default is real]

    def fake():
        return moment

    for f in fields:
        f.default = fake
        f.__dict__.pop("_get_default", None)  # Field caches its default callable
    timezone.now = fake
    try:
        yield
    finally:
        timezone.now = real
        for f in fields:
            f.default = real
            f.__dict__.pop("_get_default", None)


def _at(day, i=0):
    return timezone.make_aware(datetime.combine(day, time(9 + i % 8, (i * 17) % 60)))


def _photo(i):
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 200), (230, 236, 244))
    ImageDraw.Draw(img).rectangle((20 + i % 5 * 10, 30, 200, 160), outline=(31, 58, 95), width=4)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return SimpleUploadedFile(f"整改现场照片{i + 1}.png", out.getvalue(), content_type="image/png")


def _phases(ctx, today):
    campaign = ctx.get("campaign")
    sup = campaign.phase("supervision") if campaign else None
    rect = campaign.phase("rectification") if campaign else None
    rect_start = rect.start if rect and rect.start < today else today - timedelta(days=30)
    sup_start = sup.start if sup and sup.start < rect_start else rect_start - timedelta(days=120)
    return campaign, sup_start, rect_start


def _between(lo, hi, frac):
    """A day between lo and hi (inclusive), `frac` of the way."""
    if hi <= lo:
        return lo
    return lo + timedelta(days=round((hi - lo).days * frac))


def seed(ctx):
    today, units, users = ctx["today"], ctx["units"], ctx["users"]
    supervisor, inspector = users["supervisor"], users.get("inspector") or users["supervisor"]
    discipline = users.get("discipline")
    campaign, sup_start, rect_start = _phases(ctx, today)
    last = today - timedelta(days=1)
    note_mark = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    areas = {a.code: a for a in FocusArea.objects.all()}

    # 1. What the supervision teams found (监督检查), on the day of each visit.
    for n, (code, area, severity, text, offset) in enumerate(SUPERVISION_FINDINGS):
        if code not in units:
            continue
        day = min(sup_start + timedelta(days=offset), rect_start - timedelta(days=1), last)
        with _clock(_at(day, n)):
            actions.create_problem_by_hand(
                actor=inspector if n % 3 else supervisor,
                unit=units[code],
                focus_area=areas[area],
                description=text,
                source=Problem.Source.SUPERVISION,
                severity=severity,
                campaign=campaign,
                source_ref=f"监督检查记录 JC-{day:%Y}-{n + 1:03d}",
            )

    # 2. The rectification, problem by problem, in the order of the days it happened.
    problems = list(
        Problem.objects.filter(state=Problem.State.PENDING)
        .select_related("unit")
        .order_by("created_at", "id")
    )
    escalated = 0
    photos = 0
    for i, p in enumerate(problems):
        scenario = SCENARIOS[i % len(SCENARIOS)]
        clerk = users.get(f"{p.unit.code}:clerk")
        leader = users.get(f"{p.unit.code}:leader") or clerk
        if clerk is None or scenario == "pending":
            continue
        created = timezone.localdate(p.created_at)
        start = min(created + timedelta(days=2 + i % 6), last - timedelta(days=8))
        if start <= created:
            continue  # registered too recently to have a history
        # Problems found in supervision get deadlines inside the rectification phase.
        deadline = p.deadline or max(
            rect_start + timedelta(days=12 + 9 * (i % 4)), start + timedelta(days=10)
        )
        with _clock(_at(start, i)):
            actions.start_rectification(
                p,
                actor=clerk,
                measures=p.measures
                or "对照问题逐项整改：完善制度、复查案卷、开展培训、建立长效机制。",
                responsible_person=p.responsible_person or leader.display_name,
                deadline=deadline,
            )
        # Submission days spread over the rectification phase, so the weekly trend of
        # closures is a curve rather than one spike.
        window_lo = max(rect_start, start + timedelta(days=4))
        if scenario == "closed":
            submit = _between(window_lo, last - timedelta(days=3), ((i * 37) % 100) / 100)
        elif scenario in ("awaiting", "returned_again"):
            submit = _between(max(window_lo, today - timedelta(days=12)), last, (i % 5) / 5)
        elif scenario == "returned":
            submit = _between(window_lo, last - timedelta(days=6), 0.4)
        else:
            submit = None
        notes_until = submit - timedelta(days=1) if submit else last
        for k, frac in enumerate((0.25, 0.6) if i % 2 else (0.4,)):
            day = _between(start + timedelta(days=1), notes_until, frac)
            text = PROGRESS[(i + k) % len(PROGRESS)]
            files = []
            if "照片" in text or (i + k) % 4 == 0:
                files = [_photo(photos)]
                photos += 1
            with _clock(_at(day, i + k + 1)):
                actions.add_progress(p, actor=clerk, text=text, files=files)
        if submit is None:
            continue
        with _clock(_at(submit, i + 3)):
            actions.submit_for_acceptance(p, actor=leader, note="整改已完成，请予验收。")
        verdict = min(submit + timedelta(days=1 + i % 3), last)
        if scenario == "closed":
            with _clock(_at(verdict, i + 5)):
                actions.accept_problem(
                    p, actor=supervisor, note=ACCEPT_NOTES[i % len(ACCEPT_NOTES)]
                )
        elif scenario in ("returned", "returned_again") and verdict < last:
            with _clock(_at(verdict, i + 5)):
                actions.return_problem(
                    p, actor=supervisor, reason=RETURN_REASONS[i % len(RETURN_REASONS)]
                )
            if scenario == "returned_again":
                with _clock(_at(last, i + 6)):
                    actions.add_progress(
                        p, actor=clerk, text="已按退回意见补充制度文本和培训签到表。"
                    )
                    actions.submit_for_acceptance(p, actor=leader, note="已补充材料，请再次验收。")

    # 3. 督办 on the longest-overdue problems still being rectified.
    overdue = (
        Problem.objects.overdue(today)
        .filter(state=Problem.State.IN_PROGRESS, deadline__lt=today - timedelta(days=3))
        .select_related("unit")
        .order_by("deadline", "id")
    )
    for p in overdue[:3]:
        by = discipline if escalated == 2 and discipline else supervisor
        day = max(p.deadline + timedelta(days=3), today - timedelta(days=8 - 3 * escalated))
        with _clock(_at(min(day, last), escalated)):
            actions.escalate(
                p,
                actor=by,
                note=f"该问题已超过整改时限，请于{(min(day, last) + timedelta(days=7)):%m月%d日}前"
                "整改到位并书面报告整改情况，逾期将约谈单位主要负责人。",
                to_discipline=(escalated == 0),
            )
        escalated += 1

    # 4. A lead from a complaint, received and closed by the discipline commission.
    if discipline and "PC-ZRJ" in units:
        day = rect_start + timedelta(days=3)
        with _clock(_at(day, 2)):
            lead = actions.create_lead(
                unit=units["PC-ZRJ"],
                title="群众反映执法人员在土地执法中违规收取费用",
                description="举报人反映，某执法人员在违法占地查处中向当事人收取“协调费”。",
                source=Problem.Source.COMPLAINT,
                source_ref="举报 JB-0012",
                actor=supervisor,
            )
        with _clock(_at(day + timedelta(days=1), 3)):
            actions.receive_lead(lead, actor=discipline)
        with _clock(_at(min(day + timedelta(days=15), last), 4)):
            actions.close_lead(
                lead,
                actor=discipline,
                result="经核查，反映问题部分属实，已对相关人员进行诫勉谈话，责令退还费用。",
            )

    # Older routine messages would only be noise; recent ones and 督办 stay unread.
    # After the commit: the notices are written then.
    stale = _at(today - timedelta(days=7))
    transaction.on_commit(
        lambda: Notification.objects.filter(
            id__gt=note_mark, important=False, created_at__lt=stale
        ).update(read_at=timezone.now())
    )
