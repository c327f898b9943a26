from datetime import date, timedelta

import pytest
from django.urls import reverse

from jiandu.ledger.models import Problem
from jiandu.monitoring.engine import run_rules
from jiandu.monitoring.models import Alert, RuleRun, RuleSetting
from tests.monitoring import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2025, 12, 31)


@pytest.fixture
def alerts(units):
    d = date(2025, 5, 6)
    f.case(units["a"], decided_on=d, served_on=d + timedelta(days=9))
    f.case(units["b"], decided_on=d, served_on=d + timedelta(days=10))
    run_rules(["PROC-02"], today=TODAY)
    return {a.unit.code: a for a in Alert.objects.select_related("unit")}


def test_supervisor_lists_filters_and_exports(alerts, personas, client_for):
    c = client_for(personas["supervisor"])
    r = c.get(reverse("monitoring:alerts"))
    assert r.status_code == 200 and "共 2 条" in r.content.decode()
    r = c.get(reverse("monitoring:alerts"), {"unit": "T-A", "rule": "PROC-02", "area": "procedure"})
    assert "共 1 条" in r.content.decode()
    r = c.get(reverse("monitoring:alerts"), {"format": "xlsx", "unit": "T-A"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")


def test_unit_user_sees_own_alerts_read_only_and_other_units_get_404(alerts, personas, client_for):
    c = client_for(personas["clerk_a"])
    page = c.get(reverse("monitoring:alerts")).content.decode()
    assert alerts["T-A"].subject_key in page and alerts["T-B"].subject_key not in page
    detail = c.get(reverse("monitoring:alert", args=[alerts["T-A"].pk])).content.decode()
    assert "确认并列入整改台账" not in detail and "第六十一条" in detail
    assert c.get(reverse("monitoring:alert", args=[alerts["T-B"].pk])).status_code == 404
    r = c.post(reverse("monitoring:confirm", args=[alerts["T-A"].pk]))
    assert r.status_code == 403
    r = c.post(reverse("monitoring:dismiss", args=[alerts["T-B"].pk]), {"reason": "x"})
    assert r.status_code == 404
    assert c.get(reverse("monitoring:alerts"), {"format": "xlsx"}).status_code == 200
    assert c.get(reverse("monitoring:rules")).status_code == 404


def test_detail_shows_dates_and_working_days(alerts, personas, client_for):
    page = (
        client_for(personas["supervisor"])
        .get(reverse("monitoring:alert", args=[alerts["T-A"].pk]))
        .content.decode()
    )
    assert "2025-05-06" in page and "自然日 9 天" in page


def test_confirm_and_dismiss_through_the_page(alerts, personas, client_for):
    c = client_for(personas["supervisor"])
    c.post(reverse("monitoring:confirm", args=[alerts["T-A"].pk]), {"note": "限期整改"})
    assert Problem.objects.get().source == "alert"
    r = c.post(reverse("monitoring:dismiss", args=[alerts["T-B"].pk]), {"reason": ""}, follow=True)
    assert "请填写排除理由" in r.content.decode()
    assert Alert.objects.get(pk=alerts["T-B"].pk).state == "new"
    c.post(reverse("monitoring:dismiss", args=[alerts["T-B"].pk]), {"reason": "已补正送达回证"})
    assert Alert.objects.get(pk=alerts["T-B"].pk).state == "dismissed"


def test_rules_page_edit_form_and_run_button(
    personas, client_for, units, django_capture_on_commit_callbacks
):
    c = client_for(personas["supervisor"])
    page = c.get(reverse("monitoring:rules")).content.decode()
    assert "DISC-01" in page and "CAMP-01" in page and "第六十一条" in page
    url = reverse("monitoring:rule_edit", args=["PROC-02"])
    r = c.post(
        url,
        {"p_days": "-1", "p_day_type": "working", "effective_from": "2026-01-01", "enabled": "on"},
    )
    assert r.status_code == 200 and "不能为负数" in r.content.decode()
    assert 'value="2026-01-01"' in r.content.decode()
    r = c.post(
        url,
        {
            "p_days": "10",
            "p_day_type": "working",
            "effective_from": "2026-01-01",
            "enabled": "on",
            "note": "省规定",
        },
    )
    assert r.status_code == 302
    s = RuleSetting.objects.get()
    assert (
        s.params == {"days": 10, "day_type": "working"} and s.changed_by == personas["supervisor"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(reverse("monitoring:run_start"))
    run = RuleRun.objects.get()
    assert r.status_code == 302 and run.status == "done" and len(run.results) == 29
    r = c.get(reverse("monitoring:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "run-progress" in r.content.decode() and "<html" not in r.content.decode()


def test_discipline_reader_cannot_edit_rules_or_run(personas, client_for):
    c = client_for(personas["discipline"])
    assert c.get(reverse("monitoring:rules")).status_code == 200
    assert c.get(reverse("monitoring:rule_edit", args=["PROC-02"])).status_code == 403
    assert c.post(reverse("monitoring:run_start")).status_code == 403


def test_disc01_detail_marks_the_case_among_its_peers(units, personas, client_for):
    from decimal import Decimal

    for x in (1000, 1100, 900, 1000, 1050):
        f.case(units["a"], violation_code="V1", fine=Decimal(x))
    f.case(units["a"], violation_code="V1", fine=Decimal(9000))
    run_rules(["DISC-01"], today=TODAY)
    a = Alert.objects.get(rule="DISC-01")
    page = (
        client_for(personas["supervisor"])
        .get(reverse("monitoring:alert", args=[a.pk]))
        .content.decode()
    )
    assert 'class="jd-chart"' in page and "#dc3545" in page and "table-danger" in page


def test_inspection_alert_shows_the_enterprise_timeline(units, personas, client_for):
    ent = f.enterprise()
    f.inspection(units["a"], ent, date(2025, 3, 1))
    f.inspection(units["b"], ent, date(2025, 3, 10))
    run_rules(["INSP-02"], today=TODAY)
    a = Alert.objects.get(rule="INSP-02")
    page = (
        client_for(personas["supervisor"])
        .get(reverse("monitoring:alert", args=[a.pk]))
        .content.decode()
    )
    assert units["a"].name in page and units["b"].name in page and "&quot;time&quot;" in page


def test_disc02_detail_shows_the_tier_range(units, personas, client_for):
    from decimal import Decimal

    f.item("V2", {"general": (1000, 5000)})
    f.case(units["a"], violation_code="V2", fine=Decimal(6000))
    run_rules(["DISC-02"], today=TODAY)
    a = Alert.objects.get(rule="DISC-02")
    page = (
        client_for(personas["supervisor"])
        .get(reverse("monitoring:alert", args=[a.pk]))
        .content.decode()
    )
    assert "一般（本案）" in page and "5,000" in page


def test_compare_page_shows_unit_medians_beside_the_county(units, personas, client_for):
    from decimal import Decimal

    for u, fines in ((units["a"], (1000, 2000)), (units["b"], (5000, 7000, 9000))):
        for x in fines:
            f.case(u, violation_code="V9", fine=Decimal(x))
    page = client_for(personas["supervisor"]).get(reverse("monitoring:compare")).content.decode()
    assert "全县 5,000" in page and units["a"].name in page and units["b"].name in page
    own = client_for(personas["clerk_a"]).get(reverse("monitoring:compare")).content.decode()
    assert units["a"].name in own and units["b"].name not in own


def test_unit_users_export_holds_only_their_own_alerts(alerts, personas, client_for):
    import io

    from openpyxl import load_workbook

    r = client_for(personas["clerk_a"]).get(
        reverse("monitoring:alerts"), {"format": "xlsx", "state": "all"}
    )
    ws = load_workbook(io.BytesIO(r.content)).active
    keys = [ws.cell(row, 4).value for row in range(3, ws.max_row + 1)]
    assert keys == [alerts["T-A"].subject_key]
    r = client_for(personas["clerk_a"]).post(
        reverse("monitoring:transfer", args=[alerts["T-B"].pk])
    )
    assert r.status_code == 404


def test_rules_page_queries_do_not_grow_with_the_rules(
    personas, client_for, django_assert_max_num_queries
):
    from jiandu.monitoring.models import RuleSetting
    from jiandu.monitoring.rules import RULES

    for rule in RULES[:5]:
        RuleSetting.objects.create(
            rule_id=rule.id,
            params={},
            changed_by=personas["supervisor"],
            effective_from=date(2024, 1, 1),
        )
    client = client_for(personas["supervisor"])
    with django_assert_max_num_queries(15):
        response = client.get("/monitoring/rules/")
    assert response.status_code == 200 and RULES[0].id in response.content.decode()


def test_compare_page_answers_a_bad_year_with_a_message(units, personas, client_for):
    from decimal import Decimal

    f.case(units["a"], violation_code="V9-CMP", fine=Decimal(1000))
    c = client_for(personas["supervisor"])
    for bad in ("-1", "abc", "99999"):
        r = c.get(reverse("monitoring:compare"), {"year": bad})
        page = r.content.decode()
        assert r.status_code == 200 and "决定年度应为四位年份" in page and "V9-CMP" in page
    r = c.get(reverse("monitoring:compare"), {"year": "2024"})
    assert "决定年度应为四位年份" not in r.content.decode() and "V9-CMP" not in r.content.decode()


def test_unit_user_sees_only_own_units_peer_cases_on_disc01(units, personas, client_for):
    from decimal import Decimal

    for x in (1000, 1100, 900, 1000):
        f.case(units["b"], violation_code="V1", fine=Decimal(x))
    f.case(units["a"], violation_code="V1", fine=Decimal(1050))
    own = f.case(units["a"], violation_code="V1", fine=Decimal(9000))
    other_case = f.case(units["b"], violation_code="V1", fine=Decimal(950))
    run_rules(["DISC-01"], today=TODAY)
    disc = Alert.objects.get(rule="DISC-01", unit=units["a"])
    url = reverse("monitoring:alert", args=[disc.pk])
    page = client_for(personas["clerk_a"]).get(url).content.decode()
    assert own.case_no in page and other_case.case_no not in page and "仅显示本单位" in page
    page = client_for(personas["supervisor"]).get(url).content.decode()
    assert other_case.case_no in page and "仅显示本单位" not in page
