from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.monitoring import factories as f
from tests.monitoring.helpers import hits, key

pytestmark = pytest.mark.django_db


def test_proc01_decided_after_90_days_without_extension():
    u = f.unit()
    filed = date(2025, 1, 2)
    late = f.case(u, filed_on=filed, decided_on=filed + timedelta(days=91))
    on_time = f.case(u, filed_on=filed, decided_on=filed + timedelta(days=90))
    extended = f.case(
        u, filed_on=filed, decided_on=filed + timedelta(days=100), extension_approved=True
    )
    found = hits("PROC-01")
    assert key(late) in found and found[key(late)]["days_taken"] == 91
    assert key(on_time) not in found and key(extended) not in found


def test_proc01_still_undecided_that_long_after_filing():
    u = f.unit()
    open_case = f.case(u, filed_on=date(2025, 1, 2), decided_on=None)
    assert key(open_case) in hits("PROC-01", today=date(2025, 4, 3))  # 91 days
    assert key(open_case) not in hits("PROC-01", today=date(2025, 4, 2))


def test_proc02_served_more_than_7_days_after_decision():
    u = f.unit()
    d = date(2025, 5, 6)
    late = f.case(u, decided_on=d, served_on=d + timedelta(days=8))
    ok = f.case(u, decided_on=d, served_on=d + timedelta(days=7))
    found = hits("PROC-02")
    assert key(late) in found and key(ok) not in found


def test_proc03_working_days_across_national_day_and_adjusted_workdays():
    u = f.unit()
    d = date(2025, 9, 26)  # Friday; 9-28 (Sun) is an adjusted workday, 10-1..10-8 holiday
    # Working days after 9-26: 9-28, 9-29, 9-30, 10-9, 10-10, 10-11 (Sat, adjusted), 10-13 ...
    on_time = f.case(u, decided_on=d, published_on=date(2025, 10, 11))  # the 6th working day
    seventh = f.case(u, decided_on=d, published_on=date(2025, 10, 13))  # the 7th
    eighth = f.case(u, decided_on=d, published_on=date(2025, 10, 14))  # the 8th: late
    found = hits("PROC-03")
    assert key(on_time) not in found and key(seventh) not in found
    assert key(eighth) in found and found[key(eighth)]["days_taken"] == 8
    # In calendar days the same publication would be 18 days: the day type matters.
    assert key(seventh) in hits("PROC-03", day_type="calendar")


def test_proc03_not_published_and_not_for_exemptions():
    u = f.unit()
    d = date(2025, 12, 1)
    unpublished = f.case(u, decided_on=d, published_on=None)
    exempt = f.case(
        u, decided_on=d, published_on=None, kinds=("不予处罚",), tier="exempt", fine=None
    )
    found = hits("PROC-03", today=date(2025, 12, 31))
    assert key(unpublished) in found and key(exempt) not in found
    assert key(unpublished) not in hits("PROC-03", today=date(2025, 12, 9))  # 6 working days


def test_proc04_major_fine_threshold_by_party_type_without_review():
    u = f.unit()
    natural = f.case(
        u,
        party_type="natural",
        party_uscc="",
        fine=Decimal(10000),
        legal_review=None,
        legal_review_on=None,
    )
    natural_small = f.case(
        u,
        party_type="natural",
        party_uscc="",
        fine=Decimal(9999),
        legal_review=None,
        legal_review_on=None,
    )
    company = f.case(u, fine=Decimal(99999), legal_review=None, legal_review_on=None)
    revoked = f.case(
        u, kinds=("吊销许可证件",), fine=None, legal_review=False, legal_review_on=None
    )
    d = date(2025, 3, 23)
    late_review = f.case(
        u,
        fine=Decimal(100000),
        decided_on=d,
        legal_review=True,
        legal_review_on=d + timedelta(days=1),
    )
    found = hits("PROC-04")
    assert key(natural) in found and key(natural_small) not in found
    assert key(company) not in found and key(revoked) in found and key(late_review) in found


def test_proc05_no_prior_notice_or_notice_after_decision():
    u = f.unit()
    d = date(2025, 4, 1)
    none = f.case(u, decided_on=d, notified_on=None)
    after = f.case(u, decided_on=d, notified_on=d + timedelta(days=1))
    same_day = f.case(u, decided_on=d, notified_on=d)
    found = hits("PROC-05")
    assert key(none) in found and key(after) in found and key(same_day) not in found


def test_proc06_major_decision_without_collective_discussion():
    u = f.unit()
    hearing = f.case(u, hearing=True, collective_discussion=None)
    discussed = f.case(u, hearing=True, collective_discussion=True)
    minor = f.case(u, collective_discussion=None)
    found = hits("PROC-06")
    assert key(hearing) in found and key(discussed) not in found and key(minor) not in found


def test_proc07_officers_too_few_unknown_or_expired_on_filing_date():
    u = f.unit()
    filed = date(2025, 3, 3)
    one = f.case(u, officer_certs=f.officers(u, 1), filed_on=filed)
    expired = f.case(
        u,
        officer_certs=f.officers(u, 1) + f.officers(u, 1, valid_until=filed - timedelta(days=1)),
        filed_on=filed,
    )
    valid_that_day = f.case(
        u, officer_certs=f.officers(u, 1) + f.officers(u, 1, valid_until=filed), filed_on=filed
    )
    unknown = f.case(u, officer_certs=[*f.officers(u, 1), "NOSUCH"], filed_on=filed)
    found = hits("PROC-07")
    assert key(one) in found and key(expired) in found and key(unknown) in found
    assert key(valid_that_day) not in found
    assert found[key(unknown)]["bad_officers"] == "NOSUCH"


def test_proc08_major_without_av_record_or_closed_case_missing_dates():
    u = f.unit()
    no_av = f.case(u, hearing=True, av_recorded=False)
    closed_missing = f.case(u, closed_on=date(2025, 6, 1), served_on=None)
    closed_complete = f.case(u, closed_on=date(2025, 6, 1))
    found = hits("PROC-08")
    assert (
        key(no_av) in found and key(closed_missing) in found and key(closed_complete) not in found
    )
    assert "送达日期" in found[key(closed_missing)]["missing_dates"]
