from datetime import date

import pytest

from jiandu.monitoring.hooks import inspection_warnings
from tests.monitoring import factories as f
from tests.monitoring.helpers import hits, key

pytestmark = pytest.mark.django_db


def test_insp01_third_counted_visit_in_a_year_hits_not_the_second():
    u, ent = f.unit(), f.enterprise()
    first = f.inspection(u, ent, date(2025, 2, 1))
    second = f.inspection(u, ent, date(2025, 5, 1), kind="special")
    complaint = f.inspection(u, ent, date(2025, 6, 1), kind="complaint")
    third = f.inspection(u, ent, date(2025, 9, 1), kind="random")
    next_year = f.inspection(u, ent, date(2026, 1, 5))
    found = hits("INSP-01", today=date(2026, 2, 1))
    assert key(third) in found
    assert {key(first), key(second), key(complaint), key(next_year)}.isdisjoint(found)
    assert len(found[key(third)]["earlier_visits"]) == 2
    assert key(third) not in hits("INSP-01", today=date(2026, 2, 1), cap=3)


def test_insp02_other_unit_within_window_not_joint():
    a, b, c = f.unit(), f.unit(), f.unit()
    ent = f.enterprise()
    f.inspection(a, ent, date(2025, 3, 1))
    within = f.inspection(b, ent, date(2025, 3, 31))  # 30 days later
    beyond = f.inspection(c, f.enterprise(), date(2025, 3, 1))
    found = hits("INSP-02")
    assert key(within) in found and key(beyond) not in found
    assert found[key(within)]["other_units_visits"][0].startswith(a.code)


def test_insp02_31_days_apart_and_joint_and_offsite_do_not_hit():
    a, b = f.unit(), f.unit()
    ent, ent2, ent3 = f.enterprise(), f.enterprise(), f.enterprise()
    f.inspection(a, ent, date(2025, 3, 1))
    late = f.inspection(b, ent, date(2025, 4, 1))  # 31 days
    f.inspection(a, ent2, date(2025, 3, 1), joint_no="LH-1")
    joint = f.inspection(b, ent2, date(2025, 3, 1), joint_no="LH-1")
    f.inspection(a, ent3, date(2025, 3, 1), mode="offsite")
    after_offsite = f.inspection(b, ent3, date(2025, 3, 5))
    found = hits("INSP-02")
    assert {key(late), key(joint), key(after_offsite)}.isdisjoint(found)


def test_insp02_joint_visit_still_hits_an_earlier_separate_visit():
    a, b, c = f.unit(), f.unit(), f.unit()
    ent = f.enterprise()
    f.inspection(c, ent, date(2025, 3, 1))
    f.inspection(a, ent, date(2025, 3, 10), joint_no="LH-2")
    joint_b = f.inspection(b, ent, date(2025, 3, 10), joint_no="LH-2")
    found = hits("INSP-02")
    assert key(joint_b) in found
    assert len(found[key(joint_b)]["other_units_visits"]) == 1  # c's visit, not a's joint one


def test_insp02_lists_the_other_units_visits_by_date_same_day_ones_included():
    a, b, c = f.unit(), f.unit(), f.unit()
    ent, elsewhere = f.enterprise(), f.enterprise()
    f.inspection(a, ent, date(2025, 3, 1))
    f.inspection(b, elsewhere, date(2025, 3, 2))  # another enterprise: never counted
    b_visit = f.inspection(b, ent, date(2025, 3, 5))
    a_again = f.inspection(a, ent, date(2025, 3, 10))
    c_visit = f.inspection(c, ent, date(2025, 3, 10))
    found = hits("INSP-02")

    def visits(insp):
        return [(v.split()[0], v.split()[-1]) for v in found[key(insp)]["other_units_visits"]]

    assert visits(b_visit) == [(a.code, "2025-03-01")]
    assert visits(a_again) == [(b.code, "2025-03-05"), (c.code, "2025-03-10")]
    assert visits(c_visit) == [
        (a.code, "2025-03-01"),
        (b.code, "2025-03-05"),
        (a.code, "2025-03-10"),
    ]
    assert len(found) == 3


def test_insp03_same_unit_within_window_except_complaints_and_rechecks():
    u, ent = f.unit(), f.enterprise()
    f.inspection(u, ent, date(2025, 3, 1))
    repeat = f.inspection(u, ent, date(2025, 3, 31))
    recheck = f.inspection(u, ent, date(2025, 4, 5), is_recheck=True)
    complaint = f.inspection(u, ent, date(2025, 4, 8), kind="complaint")
    later = f.inspection(u, ent, date(2025, 5, 9))  # 31 days after 04-08
    found = hits("INSP-03")
    assert key(repeat) in found
    assert {key(recheck), key(complaint), key(later)}.isdisjoint(found)


def test_insp04_unregistered_or_registered_late():
    u, ent = f.unit(), f.enterprise()
    none = f.inspection(u, ent, date(2025, 3, 1), registration_no="", registered_on=None)
    late = f.inspection(u, ent, date(2025, 6, 1), registered_on=date(2025, 6, 2))
    same_day = f.inspection(u, ent, date(2025, 9, 1), registered_on=date(2025, 9, 1))
    planned = f.inspection(
        u, ent, date(2026, 3, 1), registration_no="", registered_on=None, is_planned=True
    )
    found = hits("INSP-04")
    assert key(none) in found and key(late) in found
    assert key(same_day) not in found and key(planned) not in found


def test_insp05_quiet_list_enterprise_routine_visit():
    u = f.unit()
    quiet, normal = f.enterprise(quiet=True), f.enterprise(quiet=False)
    routine = f.inspection(u, quiet, date(2025, 3, 1))
    complaint = f.inspection(u, quiet, date(2025, 6, 1), kind="complaint")
    elsewhere = f.inspection(u, normal, date(2025, 3, 1))
    found = hits("INSP-05")
    assert key(routine) in found and key(complaint) not in found and key(elsewhere) not in found


def test_insp06_too_few_or_expired_officers_on_the_day():
    u, ent = f.unit(), f.enterprise()
    on = date(2025, 3, 1)
    one = f.inspection(u, ent, on, officer_certs=f.officers(u, 1))
    expired = f.inspection(
        u,
        ent,
        date(2025, 4, 1),
        officer_certs=f.officers(u, 1) + f.officers(u, 1, valid_until=date(2025, 3, 31)),
    )
    ok = f.inspection(u, ent, date(2025, 5, 1))
    found = hits("INSP-06")
    assert key(one) in found and key(expired) in found and key(ok) not in found


def test_insp07_random_draw_results_published_after_20_working_days():
    u, ent = f.unit(), f.enterprise()
    late = f.random_draw(u, date(2025, 9, 1), published_on=date(2025, 10, 24))
    ok = f.random_draw(u, date(2025, 9, 1), published_on=date(2025, 10, 23))
    for d in (late, ok):
        f.inspection(u, ent, date(2025, 9, 19), random_draw=d, kind="random", mode="offsite")
    # After Fri 9-19: 9-22..9-26 (5), 9-28 (6), 9-29, 9-30 (8), 10-9, 10-10, 10-11 (11),
    # 10-13..10-17 (16), 10-20..10-23 (20), 10-24 (21).
    found = hits("INSP-07")
    assert late.draw_no in found and found[late.draw_no]["days_taken"] == 21
    assert ok.draw_no not in found


def test_registration_warnings_name_other_units_recent_and_planned_visits():
    a, b = f.unit(), f.unit()
    ent = f.enterprise(quiet=True)
    f.inspection(b, ent, date(2025, 3, 1))
    f.inspection(b, ent, date(2025, 3, 20), is_planned=True)
    f.inspection(a, ent, date(2025, 1, 5))
    f.inspection(a, ent, date(2025, 2, 20))
    warnings = inspection_warnings(
        unit=a, enterprise=ent, inspected_on=date(2025, 3, 10), kind="routine"
    )
    rules = {w["rule"]: w for w in warnings}
    assert set(rules) == {"INSP-01", "INSP-02", "INSP-03", "INSP-05"}
    others = rules["INSP-02"]["others"]
    assert {o["planned"] for o in others} == {True, False} and all(
        o["unit"] == b.name for o in others
    )


def test_registration_warnings_quiet_when_nothing_would_hit():
    a = f.unit()
    ent = f.enterprise()
    assert (
        inspection_warnings(unit=a, enterprise=ent, inspected_on=date(2025, 3, 10), kind="routine")
        == []
    )


def test_registration_warnings_at_the_ends_of_the_calendar():
    a, b = f.unit(), f.unit()
    ent = f.enterprise()
    f.inspection(b, ent, date(9999, 12, 20))
    last = inspection_warnings(unit=a, enterprise=ent, inspected_on=date(9999, 12, 31))
    assert [w["rule"] for w in last] == ["INSP-02"]
    assert inspection_warnings(unit=a, enterprise=ent, inspected_on=date(1, 1, 1)) == []
