"""The registration warnings and the case page's 三书同达 flag are the rule functions
evaluated on one enterprise or one case: they agree with what a run stores."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from jiandu.monitoring.engine import evaluate, evidence_rows, params_for
from jiandu.monitoring.hooks import inspection_warnings
from jiandu.monitoring.rules import get_rule
from jiandu.monitoring.rules.frames import RunContext
from tests.monitoring import factories as f
from tests.monitoring.helpers import hits, key

pytestmark = pytest.mark.django_db

WARNED = ("INSP-01", "INSP-02", "INSP-03", "INSP-05")
TODAY = date(2026, 12, 31)


def stored(rule_id):
    """What a run over every unit would store for the rule: (subject, evidence) rows."""
    rule = get_rule(rule_id)
    return set(evidence_rows(evaluate(rule, RunContext(today=TODAY), params_for(rule, TODAY))))


def warned_and_hit(unit, ent, on, **visit):
    """The rules warned about at registration, and the rules whose stored hits the visit,
    once carried out, adds or changes (a run after the fact)."""
    warned = {
        w["rule"] for w in inspection_warnings(unit=unit, enterprise=ent, inspected_on=on, **visit)
    }
    before = {r: stored(r) for r in WARNED}
    f.inspection(unit, ent, on, **visit)
    changed = {r for r in WARNED if stored(r) - before[r]}
    return warned, changed


def test_a_visit_before_the_units_own_recheck_is_not_warned_as_repeated():
    """整改复查 is exempt from INSP-03, as the warning's own message says."""
    a = f.unit()
    ent = f.enterprise()
    recheck = f.inspection(a, ent, date(2025, 3, 20), is_recheck=True)
    warned, changed = warned_and_hit(a, ent, date(2025, 3, 10), kind="routine")
    assert "INSP-03" not in warned and "INSP-03" not in changed
    assert key(recheck) not in hits("INSP-03")


def test_a_visit_before_the_units_own_complaint_check_is_not_warned_as_repeated():
    a = f.unit()
    ent = f.enterprise()
    f.inspection(a, ent, date(2025, 3, 20), kind="complaint")
    warned, changed = warned_and_hit(a, ent, date(2025, 3, 10), kind="routine")
    assert warned == changed == set()


def test_a_visit_before_the_units_own_routine_visit_is_warned_and_then_hits():
    a = f.unit()
    ent = f.enterprise()
    later = f.inspection(a, ent, date(2025, 3, 20))
    warnings = inspection_warnings(
        unit=a, enterprise=ent, inspected_on=date(2025, 3, 10), kind="routine"
    )
    (insp03,) = [w for w in warnings if w["rule"] == "INSP-03"]
    assert [o["inspection_no"] for o in insp03["others"]] == [later.inspection_no]
    warned, changed = warned_and_hit(a, ent, date(2025, 3, 10), kind="routine")
    assert warned == changed == {"INSP-03"}
    assert key(later) in hits("INSP-03")


def test_a_recheck_being_registered_is_not_warned_as_repeated():
    a = f.unit()
    ent = f.enterprise()
    f.inspection(a, ent, date(2025, 3, 1))
    warned, changed = warned_and_hit(a, ent, date(2025, 3, 10), kind="routine", is_recheck=True)
    assert warned == changed == set()


@pytest.mark.parametrize(
    "scenario",
    ["cap", "other_unit_before", "other_unit_after", "joint", "quiet", "far", "offsite"],
)
def test_registration_warnings_name_exactly_the_rules_the_visit_makes_hit(scenario):
    a, b = f.unit(), f.unit()
    ent = f.enterprise(quiet=scenario == "quiet")
    on = date(2025, 6, 10)
    visit = {"kind": "routine"}
    if scenario == "cap":
        f.inspection(a, ent, date(2025, 1, 5))
        f.inspection(a, ent, date(2025, 3, 5), kind="special")
    elif scenario == "other_unit_before":
        f.inspection(b, ent, on - timedelta(days=30))
    elif scenario == "other_unit_after":
        f.inspection(b, ent, on + timedelta(days=12))
    elif scenario == "joint":
        f.inspection(b, ent, on, joint_no="LH-1")
        visit["joint_no"] = "LH-1"
    elif scenario == "far":
        f.inspection(b, ent, on - timedelta(days=31))
        f.inspection(a, ent, on + timedelta(days=31))
    elif scenario == "offsite":
        f.inspection(b, ent, on - timedelta(days=3), mode="offsite")
    warned, changed = warned_and_hit(a, ent, on, **visit)
    assert warned == changed
    expected = {
        "cap": {"INSP-01"},
        "other_unit_before": {"INSP-02"},
        "other_unit_after": {"INSP-02"},
        "joint": set(),
        "quiet": {"INSP-05"},
        "far": set(),
        "offsite": set(),
    }[scenario]
    assert warned == expected


def cases_for_the_flag():
    u = f.unit()
    d = date(2025, 5, 6)
    return u, {
        "late_notice": f.case(u, served_on=d, credit_notice_on=d + timedelta(days=1)),
        "late_advice": f.case(u, served_on=d, compliance_advice_on=None),
        "together": f.case(u, served_on=d),
        "warning_only": f.case(
            u,
            served_on=d,
            kinds=("警告",),
            fine=None,
            credit_notice_on=None,
            compliance_advice_on=None,
        ),
        "not_punished": f.case(
            u,
            served_on=d,
            kinds=("不予处罚",),
            fine=None,
            tier="exempt",
            credit_notice_on=None,
            compliance_advice_on=None,
        ),
        "person": f.case(
            u,
            served_on=d,
            party_type="natural",
            party_uscc="",
            credit_notice_on=None,
            compliance_advice_on=None,
        ),
        "undecided": f.case(u, decided_on=None, served_on=None, credit_notice_on=None),
    }


def test_the_case_pages_three_docs_flag_agrees_with_serv01(personas, client_for):
    _, cases = cases_for_the_flag()
    found = hits("SERV-01")
    client = client_for(personas["supervisor"])
    flagged = set()
    for name, case in cases.items():
        html = client.get(reverse("enforcement:case", args=[case.pk])).content.decode()
        card = html[html.index("<h6>三书同达</h6>") : html.index("<h6>信用修复</h6>")]
        if "未同日送达" in card:
            flagged.add(name)
        assert ("不要求三书同达" in card) == (name in {"warning_only", "not_punished", "person"})
    assert flagged == {name for name, case in cases.items() if key(case) in found}
    assert flagged == {"late_notice", "late_advice"}


def test_the_case_pages_badges_mark_the_document_served_apart(personas, client_for):
    _, cases = cases_for_the_flag()
    client = client_for(personas["supervisor"])
    html = client.get(reverse("enforcement:case", args=[cases["late_advice"].pk])).content.decode()
    notice_row = html[html.index("信用修复告知书送达") : html.index("合规指导意见书送达")]
    advice_row = html[
        html.index("合规指导意见书送达") : html.index("</tbody>", html.index("合规指导意见书送达"))
    ]
    assert "未同日送达" not in notice_row and "未同日送达" in advice_row


def test_the_registration_page_warns_as_the_rule_would(units, personas, client_for):
    """On the page: a visit planned before the unit's own 整改复查 registers without an
    INSP-03 warning; one planned before its own routine visit is warned first."""
    from django.utils import timezone

    from jiandu.lib.uscc import make

    certs = f.officers(units["a"])
    ent, other = f.enterprise(), f.enterprise()
    for e, base in ((ent, "91331099MA2B3C4D5"), (other, "91331099MA7E8F9G0")):
        e.uscc = make(base)  # the form checks the code's check digit
        e.save()
    day = timezone.localdate() + timedelta(days=3)
    f.inspection(units["a"], ent, day + timedelta(days=10), is_recheck=True, is_planned=True)
    later = f.inspection(units["a"], other, day + timedelta(days=10), is_planned=True)
    client = client_for(personas["clerk_a"])

    def post(enterprise):
        data = {
            "enterprise_uscc": enterprise.uscc,
            "enterprise_name": "",
            "inspected_on": day.isoformat(),
            "kind": "routine",
            "mode": "onsite",
            "officers": certs,
            "items": "食品安全",
            "joint_no": "",
        }
        return client.post("/enforcement/inspections/new/", data)

    assert post(ent).status_code == 302  # saved at once: nothing to warn about
    html = post(other).content.decode()
    assert "INSP-03" in html and later.inspection_no in html and "仍要登记" in html
