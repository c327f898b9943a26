from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from jiandu.campaigns.models import Campaign, Phase, SelfCheckItem, SelfCheckTemplate
from jiandu.monitoring.models import Alert
from jiandu.orgs.models import FocusArea
from jiandu.selfcheck.models import SelfCheckAnswer, SelfCheckReport
from tests.monitoring import factories as f
from tests.monitoring.helpers import hits, key

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(d):
    return datetime.combine(d, time(10, 0), tzinfo=TZ)


# ---------------------------------------------------------------- integration


def test_intg01_transfer_not_received_within_5_working_days():
    a, b = f.unit(), f.unit()
    sent = date(2025, 9, 30)  # then the holiday: 10-9 is the 1st working day after
    late = f.transfer(a, b, sent, received_on=date(2025, 10, 14))  # 10-9,10,11,13,14 -> 5: ok
    later = f.transfer(a, b, sent, received_on=date(2025, 10, 15))  # 6
    pending = f.transfer(a, b, sent)
    found = hits("INTG-01", today=date(2025, 10, 14))
    assert late.transfer_no not in found and pending.transfer_no not in found
    found = hits("INTG-01", today=date(2025, 10, 15))
    assert later.transfer_no in found and pending.transfer_no in found
    assert (
        found[later.transfer_no]["days_taken"] == 6 and found[later.transfer_no]["unit_id"] == b.pk
    )


def _complaint(code, received, **kw):
    Complaint = apps.get_model("portal", "Complaint")
    return Complaint.objects.create(
        tracking_code=code, category="other", description="测试", received_at=at(received), **kw
    )


def test_intg02_complaint_accept_and_close_deadlines():
    u = f.unit()
    r = date(2025, 11, 3)  # Monday
    late_acc = _complaint("C-LATE-ACC", r, unit=u, accepted_at=at(date(2025, 11, 13)))  # 8 days
    ok = _complaint(
        "C-OK", r, unit=u, accepted_at=at(date(2025, 11, 12)), closed_at=at(date(2025, 11, 24))
    )  # 7 / 15
    late_close = _complaint(
        "C-LATE-CLOSE",
        r,
        unit=u,
        accepted_at=at(date(2025, 11, 4)),
        closed_at=at(date(2025, 11, 25)),
    )  # 16
    # Withdrawn by the complainant on day 2, before acceptance: nothing is late.
    withdrawn = _complaint(
        "C-WITHDRAWN", r, unit=u, state="withdrawn", closed_at=at(date(2025, 11, 5))
    )
    found = hits("INTG-02", today=date(2025, 12, 31))
    # Alerts name the complaint by its internal reference, never the complainant's code.
    assert not any(key.startswith("C-") for key in found)
    assert found[late_acc.reference]["late_accept"] is True
    assert ok.reference not in found and withdrawn.reference not in found
    assert (
        found[late_close.reference]["late_close"] is True
        and found[late_close.reference]["late_accept"] is False
    )


def test_intg03_complaint_reassigned_three_times():
    Assignment = apps.get_model("portal", "ComplaintAssignment")
    units = [f.unit() for _ in range(4)]
    bounced = _complaint("C-BOUNCE", date(2025, 11, 3), unit=units[-1])
    twice = _complaint("C-TWICE", date(2025, 11, 3), unit=units[2])
    for u in units:
        Assignment.objects.create(complaint=bounced, unit=u)
    for u in units[:3]:
        Assignment.objects.create(complaint=twice, unit=u)
    found = hits("INTG-03")
    assert found[bounced.reference]["reassignments"] == 3 and twice.reference not in found
    assert found[bounced.reference]["units"] == [u.name for u in units]


# ---------------------------------------------------------------- leniency


def test_leni01_minor_list_item_corrected_yet_fined():
    u = f.unit()
    f.item("L1")
    f.lenient("L1", "minor", effective_on=date(2024, 1, 1))
    fined = f.case(u, violation_code="L1", circumstances=("及时改正",))
    warned = f.case(u, violation_code="L1", circumstances=("及时改正",), kinds=("警告",), fine=None)
    harm = f.case(u, violation_code="L1", circumstances=("及时改正", "造成严重后果"))
    before_list = f.case(
        u,
        violation_code="L1",
        circumstances=("及时改正",),
        filed_on=date(2023, 5, 1),
        decided_on=date(2023, 6, 1),
    )
    found = hits("LENI-01")
    assert key(fined) in found
    assert {key(warned), key(harm), key(before_list)}.isdisjoint(found)


def test_leni01_first_violation_lookback_across_units():
    a, b = f.unit(), f.unit()
    f.lenient("L2", "first")
    first_cs = ("初次违法", "危害后果轻微", "及时改正")
    uscc = "91330000MA00000001"
    # The same party was punished for the same item by another unit 23 months earlier.
    f.case(
        b,
        violation_code="L2",
        party_uscc=uscc,
        filed_on=date(2023, 5, 1),
        decided_on=date(2023, 5, 20),
    )
    repeat = f.case(
        a,
        violation_code="L2",
        party_uscc=uscc,
        circumstances=first_cs,
        filed_on=date(2025, 4, 1),
        decided_on=date(2025, 4, 20),
    )
    # Another party whose earlier case is more than 2 years back: first violation again.
    other = "91330000MA00000002"
    f.case(
        b,
        violation_code="L2",
        party_uscc=other,
        filed_on=date(2023, 3, 31),
        decided_on=date(2023, 4, 20),
    )
    fresh = f.case(
        a,
        violation_code="L2",
        party_uscc=other,
        circumstances=first_cs,
        filed_on=date(2025, 4, 1),
        decided_on=date(2025, 4, 20),
    )
    missing_one = f.case(a, violation_code="L2", circumstances=("初次违法", "及时改正"))
    found = hits("LENI-01")
    assert key(fresh) in found
    assert key(repeat) not in found and key(missing_one) not in found


def test_leni02_minor_harm_corrected_but_heavier_or_top_of_range():
    u = f.unit()
    f.item("L3", {"general": (1000, 11000), "heavier": (11000, 20000)})
    cs = ("危害后果轻微", "及时改正")
    heavy = f.case(u, violation_code="L3", circumstances=cs, tier="heavier", fine=Decimal(12000))
    top = f.case(u, violation_code="L3", circumstances=cs, fine=Decimal(8001))  # > 8000 = top 30 %
    edge = f.case(u, violation_code="L3", circumstances=cs, fine=Decimal(8000))
    without = f.case(
        u, violation_code="L3", circumstances=("及时改正",), tier="heavier", fine=Decimal(12000)
    )
    found = hits("LENI-02")
    assert key(heavy) in found and key(top) in found
    assert key(edge) not in found and key(without) not in found


# ---------------------------------------------------------------- service


def test_serv01_enterprise_credit_notice_not_served_with_decision():
    u = f.unit()
    d = date(2025, 5, 6)
    late_notice = f.case(
        u, served_on=d, credit_notice_on=d + timedelta(days=1), compliance_advice_on=d
    )
    together = f.case(u, served_on=d)
    warning_only = f.case(
        u, served_on=d, kinds=("警告",), fine=None, credit_notice_on=None, compliance_advice_on=None
    )
    person = f.case(
        u,
        served_on=d,
        party_type="natural",
        party_uscc="",
        credit_notice_on=None,
        compliance_advice_on=None,
    )
    found = hits("SERV-01")
    assert key(late_notice) in found
    assert {key(together), key(warning_only), key(person)}.isdisjoint(found)


def test_serv02_granted_repair_still_published_after_5_working_days():
    u = f.unit()
    d = date(2025, 9, 26)
    late = f.repair(
        u, date(2025, 9, 1), decided_on=d, result="granted", withdrawn_on=date(2025, 10, 10)
    )  # 5th: ok
    later = f.repair(
        u, date(2025, 9, 1), decided_on=d, result="granted", withdrawn_on=date(2025, 10, 11)
    )  # 6th
    refused = f.repair(u, date(2025, 9, 1), decided_on=d, result="refused")
    found = hits("SERV-02")
    assert f"{u.code}/{later.case_no}" in found
    assert f"{u.code}/{late.case_no}" not in found and f"{u.code}/{refused.case_no}" not in found


def test_serv03_application_undecided_after_10_working_days():
    u = f.unit()
    pending = f.repair(u, date(2025, 12, 1))
    found = hits("SERV-03", today=date(2025, 12, 15))  # 10 working days
    assert f"{u.code}/{pending.case_no}" not in found
    assert f"{u.code}/{pending.case_no}" in hits("SERV-03", today=date(2025, 12, 16))


# ---------------------------------------------------------------- campaign


def _campaign(units):
    c = Campaign.objects.create(title="测试行动", lead_unit=units["justice"])
    Phase.objects.create(
        campaign=c, kind="self_check", start=date(2026, 3, 1), end=date(2026, 3, 28)
    )
    Phase.objects.create(
        campaign=c, kind="acceptance", start=date(2026, 10, 1), end=date(2026, 11, 30)
    )
    t = SelfCheckTemplate.objects.create(campaign=c, title="自查表")
    area = FocusArea.objects.get(code="procedure")
    item = SelfCheckItem.objects.create(
        template=t, focus_area=area, order=3, text="是否存在未事先告知", rules="PROC-05, PROC-04"
    )
    item2 = SelfCheckItem.objects.create(
        template=t, focus_area=area, order=4, text="送达", rules="PROC-02"
    )
    return c, item, item2


def test_camp01_no_problem_answer_against_confirmed_alerts(units):
    c, item, item2 = _campaign(units)
    report = SelfCheckReport.objects.create(campaign=c, unit=units["a"], state="submitted")
    SelfCheckAnswer.objects.create(report=report, item=item, has_problem=False)
    SelfCheckAnswer.objects.create(report=report, item=item2, has_problem=False)
    draft = SelfCheckReport.objects.create(campaign=c, unit=units["b"], state="draft")
    SelfCheckAnswer.objects.create(report=draft, item=item, has_problem=False)
    common = dict(
        subject_kind="case",
        evidence={},
        evidence_hash="x",
        confirmed_at=at(date(2026, 4, 1)),
        state="confirmed",
    )
    Alert.objects.create(
        rule="PROC-05",
        subject_key="T-A/1",
        unit=units["a"],
        subject_date=date(2025, 8, 1),
        **common,
    )
    Alert.objects.create(
        rule="PROC-05",
        subject_key="T-B/1",
        unit=units["b"],
        subject_date=date(2025, 8, 1),
        **common,
    )
    Alert.objects.create(
        rule="PROC-02",
        subject_key="T-A/2",
        unit=units["a"],
        subject_date=date(2024, 1, 1),
        **common,
    )  # before the period
    Alert.objects.create(
        rule="PROC-05",
        subject_key="T-A/3",
        unit=units["a"],
        subject_date=date(2025, 8, 1),
        subject_kind="case",
        evidence={},
        evidence_hash="x",
    )  # not confirmed
    found = hits("CAMP-01", today=date(2026, 5, 1))
    assert set(found) == {"T-A/3"}
    assert found["T-A/3"]["confirmed_alerts"] == ["PROC-05 T-A/1"]


def test_camp01_reads_the_answers_of_the_reports_campaigns_call_submitted(units):
    """The frame's SQL names the unsubmitted states; the campaigns' own query decides."""
    from jiandu.monitoring.rules.frames import RunContext

    c, item, item2 = _campaign(units)
    for state in SelfCheckReport.State.values:
        report = SelfCheckReport.objects.create(campaign=c, unit=f.unit(), state=state)
        SelfCheckAnswer.objects.create(report=report, item=item, has_problem=False)
        SelfCheckAnswer.objects.create(report=report, item=item2, has_problem=None)
    expected = SelfCheckAnswer.objects.filter(
        has_problem=False, report__in=SelfCheckReport.objects.submitted()
    )
    frame = RunContext().self_check_answers()
    assert sorted(frame["answer_id"]) == sorted(expected.values_list("pk", flat=True))
    assert 0 < frame.height < len(SelfCheckReport.State.values)


# ---------------------------------------------------------------- vocabulary


def test_rules_speak_the_data_contracts_vocabulary():
    """A misspelt kind or circumstance in a rule would never match: every value the rules
    test for is one the import accepts."""
    from jiandu.enforcement.models import ENTERPRISE_PARTIES, PENALTY_KINDS, PartyType
    from jiandu.intake.schema import CIRCUMSTANCES
    from jiandu.monitoring.rules import discretion
    from jiandu.monitoring.rules.common import HEAVY_KINDS, MAJOR_KINDS

    assert HEAVY_KINDS == (
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
    )
    assert set(MAJOR_KINDS) <= set(PENALTY_KINDS)
    assert set(discretion.MITIGATING) | set(discretion.AGGRAVATING) <= set(CIRCUMSTANCES)
    assert set(ENTERPRISE_PARTIES) <= set(PartyType.values) - {PartyType.NATURAL}
