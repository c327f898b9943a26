"""A small county whose statistics for November 2026 (and October before it) are known
by hand: each figure the tests expect is counted in the docstring of `build`."""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from jiandu.enforcement.models import Inspection
from jiandu.ledger.models import Problem
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea
from jiandu.portal.models import Complaint
from jiandu.supervision.models import Instrument
from tests.enforcement.factories import case, enterprise

TODAY = date(2026, 12, 2)


def at(day, hour=12, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def build(units):
    """November 2026, by unit (a = 甲镇, b = 市场监管局):

    cases filed       a 2 (11-05, 11-10)          b 0   (b's 10-15 and 12-01 are outside)
    cases decided     a 2 (11-20, 11-25)          b 1 (11-03)
    fines             a 1000.00                   b 2500.50
    不予处罚           a 1 (11-25)                 b 0
    inspections       a 2 (11-03, 11-04)          b 1 (11-10; the planned one does not count)
    registered late   a 1 (no number)             b 1 (registered two days after)
    alerts raised     a 1 (11-02)                 b 1 (11-30 23:30 local: still November)
    alerts confirmed  a 1                          b 0
    alerts dismissed  a 0                          b 1 (acted 11-05, raised in October)
    problems opened   a 2 (11-01, 11-05)          b 2 (11-06, 11-07)
    problems closed   a 2 (11-09, 11-16)          b 1 (11-30 23:00 local)
    due in November   a 3                          b 1 (b's 12-10 one is not due)
    closed on time    a 1                          b 1
    late              a 2 (closed a day late; still open)   b 0
    按时整改率          a 33.3 %                     b 100 %  → b ranks 1st, a 2nd
    complaints        a 1 handled; 1 not yet assigned (no unit) naming b
    concluded         a 2 (one received in September, concluded late)
    on time           a 1
    督办函/意见书      a 0                          b 1 (issued 11-12; a's came in October)
    October (the period before): a filed 1 and decided 1 (fine 300), b filed 1;
    a 1 inspection; b 1 alert raised.
    """
    a, b = units["a"], units["b"]
    area = FocusArea.objects.get(code="procedure")
    ent = enterprise(1)

    case(
        a,
        "A-1",
        filed_on=date(2026, 11, 5),
        decided_on=date(2026, 11, 20),
        penalty_kinds=";罚款;",
        fine=Decimal("1000"),
    )
    case(
        a,
        "A-2",
        filed_on=date(2026, 11, 10),
        decided_on=date(2026, 11, 25),
        penalty_kinds=";不予处罚;",
    )
    case(
        a,
        "A-0",
        filed_on=date(2026, 10, 20),
        decided_on=date(2026, 10, 30),
        penalty_kinds=";罚款;",
        fine=Decimal("300"),
    )
    case(
        b,
        "B-1",
        filed_on=date(2026, 10, 15),
        decided_on=date(2026, 11, 3),
        penalty_kinds=";罚款;",
        fine=Decimal("2500.50"),
    )
    case(b, "B-2", filed_on=date(2026, 12, 1))

    def visit(unit, no, day, **extra):
        Inspection.objects.create(
            unit=unit,
            inspection_no=no,
            enterprise=ent,
            enterprise_name=ent.name,
            inspected_on=day,
            kind="routine",
            **extra,
        )

    visit(a, "IA-1", date(2026, 11, 3), registration_no="R1", registered_on=date(2026, 11, 3))
    visit(a, "IA-2", date(2026, 11, 4))
    visit(a, "IA-0", date(2026, 10, 5), registration_no="R0", registered_on=date(2026, 10, 5))
    visit(b, "IB-1", date(2026, 11, 10), registration_no="R2", registered_on=date(2026, 11, 12))
    visit(b, "IB-2", date(2026, 11, 15), is_planned=True)

    def alert(unit, key, first_seen, **extra):
        Alert.objects.create(
            rule="PROC-02",
            subject_kind="case",
            subject_key=key,
            unit=unit,
            evidence={},
            evidence_hash=key,
            first_seen=first_seen,
            **extra,
        )

    alert(a, "k1", at(date(2026, 11, 2)), state="confirmed", confirmed_at=at(date(2026, 11, 3)))
    alert(b, "k2", at(date(2026, 10, 28)), state="dismissed", acted_at=at(date(2026, 11, 5)))
    alert(b, "k3", at(date(2026, 11, 30), 23, 30))

    def problem(unit, created, deadline, closed=None):
        Problem.objects.create(
            unit=unit,
            focus_area=area,
            description="测试问题",
            source=Problem.Source.ALERT,
            created_at=created,
            deadline=deadline,
            closed_at=closed,
            state=Problem.State.CLOSED if closed else Problem.State.PENDING,
        )

    problem(a, at(date(2026, 11, 1)), date(2026, 11, 10), at(date(2026, 11, 9)))
    problem(a, at(date(2026, 10, 20)), date(2026, 11, 15), at(date(2026, 11, 16)))
    problem(a, at(date(2026, 11, 5)), date(2026, 11, 20))
    problem(b, at(date(2026, 11, 6)), date(2026, 12, 10))
    problem(b, at(date(2026, 11, 7)), date(2026, 11, 30), at(date(2026, 11, 30), 23))

    def complaint(code, received, **extra):
        Complaint.objects.create(
            tracking_code=code,
            category="other",
            description="测试",
            received_at=received,
            **extra,
        )

    complaint("Q1", at(date(2026, 11, 2)), unit=a, state="closed", closed_at=at(date(2026, 11, 4)))
    complaint("Q2", at(date(2026, 9, 1)), unit=a, state="closed", closed_at=at(date(2026, 11, 20)))
    complaint("Q3", at(date(2026, 11, 10)), reported_unit=b)

    def instrument(unit, issued):
        Instrument.objects.create(
            kind="supervision_letter", unit=unit, title="督办函", facts="f", basis="b",
            required_action="r", focus_area=area, reply_workdays=15, state="issued",
            issued_at=issued,
        )  # fmt: skip

    instrument(b, at(date(2026, 11, 12)))
    instrument(a, at(date(2026, 10, 12)))
