"""The case-file questions the models answer once for every page, rule and form: is an
officer's certificate valid on a day, does 三书同达 apply to a case, a case's timeline,
and a party's earlier cases of an item. Where a monitoring rule asks the same question
over a whole frame, a test here holds the rule to the model."""

from datetime import date, timedelta
from itertools import product

import pytest

from jiandu import workdays
from jiandu.enforcement.models import (
    ENTERPRISE_PARTIES,
    TIMELINE,
    Certificate,
    Officer,
    PartyType,
    PenaltyCase,
    join_multi,
)
from jiandu.monitoring.rules import service
from jiandu.monitoring.rules.frames import RunContext
from jiandu.orgs.models import Unit
from jiandu.portal.public import inspection_officers
from tests.enforcement.factories import case, enterprise, inspection, uscc
from tests.monitoring import factories as mf
from tests.monitoring.helpers import hits, key

DAY = date(2025, 3, 3)


# --- an officer's certificate on a day -------------------------------------------------


@pytest.mark.parametrize(
    ("valid_until", "state"),
    [
        (DAY + timedelta(days=1), Certificate.VALID),
        (DAY, Certificate.VALID),  # valid through its expiry day
        (DAY - timedelta(days=1), Certificate.EXPIRED),
        (None, Certificate.UNKNOWN),
    ],
)
def test_a_certificate_is_valid_through_its_expiry_day(valid_until, state):
    officer = Officer(cert_no="ZF-1", name="甲", valid_until=valid_until)
    assert officer.certificate_on(DAY) == state
    assert officer.valid_on(DAY) is (state == Certificate.VALID)


def test_without_a_day_the_register_cannot_vouch_for_a_certificate():
    officer = Officer(cert_no="ZF-1", name="甲", valid_until=DAY)
    assert officer.certificate_on(None) == Certificate.UNKNOWN and not officer.valid_on(None)


@pytest.mark.django_db
def test_the_officers_valid_on_a_day_are_those_whose_certificate_is_valid_that_day():
    """The filter (draw pools, the officer list) answers as Officer.valid_on, edge days included."""
    u = mf.unit()
    officers = {
        cert: Officer.objects.get(cert_no=cert)
        for until in (DAY + timedelta(days=1), DAY, DAY - timedelta(days=1), None)
        for cert in mf.officers(u, 1, valid_until=until)
    }
    assert set(Officer.objects.valid_on(DAY).values_list("cert_no", flat=True)) == {
        cert for cert, o in officers.items() if o.valid_on(DAY)
    }
    assert Officer.objects.valid_on(DAY).count() == 2


@pytest.mark.django_db
def test_certificates_named_on_a_case_are_checked_in_order_in_one_query(
    django_assert_num_queries,
):
    u = mf.unit()
    good = mf.officers(u, 1, valid_until=DAY)[0]
    old = mf.officers(u, 1, valid_until=DAY - timedelta(days=1))[0]
    vague = mf.officers(u, 1, valid_until=None)[0]
    c = case(u, officers=join_multi([old, "NOSUCH", good, vague]), filed_on=DAY)
    with django_assert_num_queries(1):
        checks = c.certificates()
    assert [(k.cert_no, k.state, k.valid) for k in checks] == [
        (old, Certificate.EXPIRED, False),
        ("NOSUCH", Certificate.UNREGISTERED, False),
        (good, Certificate.VALID, True),
        (vague, Certificate.UNKNOWN, None),
    ]
    assert checks[2].officer.unit == u and checks[1].officer is None


@pytest.mark.django_db
def test_proc07_counts_as_bad_exactly_the_certificates_not_valid_on_the_filing_day():
    """PROC-07 asks the question over all cases at once (officer_check); it must answer as
    Officer.valid_on does, edge days included."""
    u = mf.unit()
    cases = {}
    for name, valid_until in {
        "day_after": DAY + timedelta(days=1),
        "on_the_day": DAY,
        "day_before": DAY - timedelta(days=1),
        "unknown": None,
    }.items():
        cert = mf.officers(u, 1, valid_until=valid_until)[0]
        cases[name] = mf.case(u, officer_certs=[*mf.officers(u, 1), cert], filed_on=DAY)
    cases["unregistered"] = mf.case(u, officer_certs=[*mf.officers(u, 1), "NOSUCH"], filed_on=DAY)
    found = hits("PROC-07")
    for name, c in cases.items():
        valid = all(k.valid is True for k in c.certificates())
        assert (key(c) not in found) == valid, name
    assert {n for n, c in cases.items() if key(c) not in found} == {"day_after", "on_the_day"}


@pytest.mark.django_db
def test_the_public_verification_page_reads_the_same_certificate_states():
    u = Unit.objects.create(code="U1", name="单位一", kind=Unit.Kind.DEPARTMENT)
    day = date(2026, 3, 2)
    for cert, until in (("A", day), ("B", day - timedelta(days=1)), ("C", None)):
        Officer.objects.create(cert_no=cert, name=f"人员{cert}", unit=u, valid_until=until)
    visit = inspection(
        u, enterprise(1), officers=join_multi(["A", "B", "C", "D"]), inspected_on=day
    )
    rows = {r["cert_no"]: r for r in inspection_officers(visit)}
    assert rows["A"]["valid"] and rows["A"]["detail"] == "有效期至 2026-03-02"
    assert not rows["B"]["valid"] and rows["B"]["detail"] == "已于 2026-03-01 过期"
    assert not rows["C"]["valid"] and rows["C"]["detail"] == "有效期未知"
    assert not rows["D"]["valid"] and rows["D"]["detail"] == "未在册"


# --- 三书同达 ---------------------------------------------------------------------------


def _case(**kw):
    fields = {
        "party_type": PartyType.LEGAL,
        "penalty_kinds": join_multi(["罚款"]),
        "tier": "general",
        "filed_on": DAY,
        "decided_on": DAY + timedelta(days=20),
    }
    fields.update(kw)
    return PenaltyCase(**fields)


@pytest.mark.parametrize(
    ("kw", "required"),
    [
        ({}, True),
        ({"party_type": PartyType.INDIVIDUAL_BUSINESS}, True),
        ({"party_type": PartyType.ORG}, True),
        ({"party_type": PartyType.NATURAL}, False),
        ({"penalty_kinds": join_multi(["警告"])}, False),
        ({"penalty_kinds": join_multi(["警告", "罚款"])}, True),
        ({"penalty_kinds": join_multi(["通报批评"])}, True),
        ({"penalty_kinds": ""}, False),
        ({"penalty_kinds": join_multi(["不予处罚"])}, False),
        ({"tier": "exempt"}, False),
        ({"decided_on": None}, False),
    ],
)
def test_three_docs_apply_to_an_enterprise_punished_beyond_a_warning(kw, required):
    assert _case(**kw).three_docs_required is required


@pytest.mark.django_db
def test_serv01_decides_three_docs_as_the_case_model_does():
    """Every combination of party, kinds, tier and decision: the rule's frame expression
    (which the case page evaluates) and PenaltyCase.three_docs_required agree."""
    u = mf.unit()
    kinds = ["", join_multi(["警告"]), join_multi(["罚款"]), join_multi(["警告", "罚款"])]
    kinds.append(join_multi(["不予处罚"]))
    made = []
    for n, (party, k, tier, decided) in enumerate(
        product(PartyType.values, kinds, ["general", "exempt", ""], [True, False])
    ):
        made.append(
            case(
                u,
                f"G-{n}",
                party_type=party,
                party_uscc="" if party == PartyType.NATURAL else uscc(n),
                penalty_kinds=k,
                tier=tier,
                decided_on=DAY + timedelta(days=20) if decided else None,
            )
        )
    frame = service.three_docs(RunContext(unit_ids=[u.pk]))
    by_key = dict(zip(frame["subject_key"], frame["three_docs_required"], strict=True))
    assert len(by_key) == len(made)
    for c in made:
        assert by_key[c.subject_key] == c.three_docs_required, (c.party_type, c.penalty_kinds)
    assert any(c.three_docs_required for c in made)
    assert set(ENTERPRISE_PARTIES) == set(PartyType.values) - {PartyType.NATURAL}


# --- the timeline and earlier cases ----------------------------------------------------


@pytest.mark.django_db
def test_timeline_counts_days_from_the_previous_dated_step():
    c = _case(
        filed_on=date(2025, 3, 3),  # Monday
        notified_on=date(2025, 3, 10),
        legal_review_on=None,
        decided_on=date(2025, 3, 14),
        served_on=date(2025, 3, 17),
    )
    steps, total = c.timeline(workdays.calendar())
    by_label = {s["label"]: s for s in steps}
    assert [s["label"] for s in steps] == [label for _, label in TIMELINE]
    assert by_label["立案"]["days"] is None and by_label["法制审核"]["date"] is None
    assert by_label["事先告知"]["days"] == 7 and by_label["决定"]["days"] == 4  # skips 审核
    assert by_label["送达"]["days"] == 3 and by_label["公示"]["days"] is None
    assert total["days"] == 11
    assert total["workdays"] == workdays.calendar().count_workdays(c.filed_on, c.decided_on)
    assert _case(decided_on=None).timeline(workdays.calendar())[1] is None


@pytest.mark.django_db
def test_earlier_cases_of_an_item_reach_back_two_years_to_the_day():
    u = mf.unit()
    day = date(2026, 6, 1)
    party = uscc(7)
    for no, filed in {
        "edge": day - timedelta(days=730),
        "too_old": day - timedelta(days=731),
        "same_day": day,
    }.items():
        case(u, no, party_uscc=party, filed_on=filed)
    case(u, "other_item", party_uscc=party, violation_code="SC-999", filed_on=day - timedelta(1))
    earlier = PenaltyCase.objects.earlier_of_item(party, "SC-001", day)
    assert {c.case_no for c in earlier} == {"edge"}
    assert not PenaltyCase.objects.earlier_of_item("", "SC-001", day).exists()
