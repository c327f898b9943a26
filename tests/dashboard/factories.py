"""A constructed campaign whose numbers the tests know by heart.

Units: A (township, accepted on time), B (department, returned, submitted late),
C (township, no report). Problems of the campaign (plus one tied to no campaign, which
counts, and one of another campaign, which does not):

    unit  area        state                deadline     created    closed
    A     discretion  pending              today-1      week -3
    A     procedure   closed               today-20     week -3    week -1
    A     procedure   in_progress (ret.)   today+5      week -2
    B     discretion  awaiting_acceptance  today+3      week -2
    B     inspection  closed               today-30     week -1    week 0
    B     discretion  pending (no campaign, source alert)  today-3  week 0

Totals: 6 problems, 2 closed (33.3 %), 2 overdue (A's pending, B's alert one).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from jiandu.campaigns.models import Campaign, Phase
from jiandu.ledger.models import Escalation, Problem
from jiandu.orgs.models import FocusArea, Unit
from jiandu.selfcheck.models import SelfCheckReport


def at(day, hour=12):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def monday(day, weeks=0):
    return day - timedelta(days=day.weekday()) + timedelta(weeks=weeks)


def build(units, personas, today):
    c_unit = Unit.objects.create(code="T-C", name="丙乡人民政府", kind=Unit.Kind.TOWNSHIP)
    campaign = Campaign.objects.create(title="破执法梗阻·优法治服务", lead_unit=units["justice"])
    campaign.focus_areas.set(FocusArea.objects.all())
    deadline = today - timedelta(days=10)
    Phase.objects.create(
        campaign=campaign,
        kind=Phase.Kind.SELF_CHECK,
        start=today - timedelta(days=30),
        end=deadline,
    )
    Phase.objects.create(
        campaign=campaign,
        kind=Phase.Kind.SUPERVISION,
        start=deadline + timedelta(days=1),
        end=today + timedelta(days=20),
    )
    Phase.objects.create(
        campaign=campaign,
        kind=Phase.Kind.RECTIFICATION,
        start=today + timedelta(days=21),
        end=today + timedelta(days=60),
    )
    other = Campaign.objects.create(
        title="往年专项行动", lead_unit=units["justice"], is_active=False
    )
    report_a = SelfCheckReport.objects.create(
        campaign=campaign,
        unit=units["a"],
        state=SelfCheckReport.State.ACCEPTED,
        first_submitted_at=at(deadline - timedelta(days=2)),
        submitted_at=at(deadline - timedelta(days=2)),
    )
    report_b = SelfCheckReport.objects.create(
        campaign=campaign,
        unit=units["b"],
        state=SelfCheckReport.State.RETURNED,
        first_submitted_at=at(deadline + timedelta(days=1), hour=0),
        submitted_at=at(deadline + timedelta(days=1)),
        returned_reason="第3项未附佐证材料，请补充后重新上报",
    )
    area = {a.code: a for a in FocusArea.objects.all()}
    S = Problem.State

    def problem(unit, code, state, deadline, created_week, closed_week=None, **extra):
        extra.setdefault("campaign", campaign)
        return Problem.objects.create(
            unit=unit,
            focus_area=area[code],
            description=f"{unit.name}{area[code].name}问题（{state}）",
            source=extra.pop("source", Problem.Source.SELF_CHECK),
            state=state,
            deadline=deadline,
            created_at=at(monday(today, created_week) + timedelta(days=1)),
            closed_at=at(monday(today, closed_week) + timedelta(days=2))
            if closed_week is not None
            else None,
            **extra,
        )

    a, b = units["a"], units["b"]
    problems = {
        "a_pending": problem(a, "discretion", S.PENDING, today - timedelta(days=1), -3),
        "a_closed": problem(a, "procedure", S.CLOSED, today - timedelta(days=20), -3, -1),
        "a_returned": problem(
            a,
            "procedure",
            S.IN_PROGRESS,
            today + timedelta(days=5),
            -2,
            returned_reason="整改佐证不足，请补充现场照片",
        ),
        "b_awaiting": problem(
            b, "discretion", S.AWAITING_ACCEPTANCE, today + timedelta(days=3), -2
        ),
        "b_closed": problem(b, "inspection", S.CLOSED, today - timedelta(days=30), -1, 0),
        "b_alert": problem(
            b,
            "discretion",
            S.PENDING,
            today - timedelta(days=3),
            0,
            campaign=None,
            source=Problem.Source.ALERT,
        ),
        "a_other_campaign": problem(
            a, "service", S.PENDING, today - timedelta(days=100), -3, campaign=other
        ),
    }
    escalation = Escalation.objects.create(
        problem=problems["a_pending"],
        by=personas["supervisor"],
        note="该问题已逾期，请于三个工作日内完成整改并报送佐证",
    )
    return {
        "today": today,
        "deadline": deadline,
        "campaign": campaign,
        "other_campaign": other,
        "unit_c": c_unit,
        "report_a": report_a,
        "report_b": report_b,
        "problems": problems,
        "escalation": escalation,
    }
