from datetime import date
from decimal import Decimal

import pytest

from jiandu.lib.lists import COUNT_CAP
from tests.enforcement.factories import benchmark, case, enterprise, inspection, officer, uscc

pytestmark = pytest.mark.django_db


def test_cases_list_filters_search_and_masks_uscc(units, personas, client_for):
    case(
        units["a"],
        "A-1",
        tier="general",
        party_type="legal",
        source="complaint",
        filed_on=date(2025, 1, 5),
    )
    case(
        units["a"],
        "A-2",
        tier="heavier",
        party_type="natural",
        party_uscc="",
        party_name="张三",
        filed_on=date(2025, 6, 5),
    )
    case(units["b"], "B-1", tier="general", party_name="乙公司")
    client = client_for(personas["supervisor"])
    html = client.get("/enforcement/cases/").content.decode()
    assert "共 3 件" in html and "A-1" in html and "B-1" in html
    assert uscc(1) not in html and uscc(1)[:6] + "********" in html
    html = client.get("/enforcement/cases/?tier=general&source=complaint").content.decode()
    assert "共 1 件" in html and "A-1" in html
    html = client.get(f"/enforcement/cases/?unit={units['b'].pk}").content.decode()
    assert "B-1" in html and "A-1" not in html
    html = client.get("/enforcement/cases/?since=2025-06-01&until=2025-06-30").content.decode()
    assert "A-2" in html and "A-1" not in html
    assert "共 1 件" in client.get("/enforcement/cases/?q=张三").content.decode()
    assert "共 2 件" in client.get(f"/enforcement/cases/?q={uscc(1)}").content.decode()
    html = client.get("/enforcement/cases/?sort=fine&tier=heavier").content.decode()
    assert "A-2" in html


def test_unit_user_lists_only_own_units_cases(units, personas, client_for):
    case(units["a"], "A-1")
    case(units["b"], "B-1")
    html = client_for(personas["clerk_b"]).get("/enforcement/cases/").content.decode()
    assert "B-1" in html and "A-1" not in html
    # A unit filter pointing elsewhere cannot widen the scope.
    html = (
        client_for(personas["clerk_b"])
        .get(f"/enforcement/cases/?unit={units['a'].pk}")
        .content.decode()
    )
    assert "A-1" not in html


def queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_cases_list_query_count_does_not_grow_with_rows(units, personas, client_for):
    client = client_for(personas["supervisor"])
    case(units["a"], "A-0")
    few = queries(client, "/enforcement/cases/")
    for i in range(1, 40):
        case(units["a"] if i % 2 else units["b"], f"A-{i}")
    assert queries(client, "/enforcement/cases/") == few <= 14


def test_inspections_list_filters(units, personas, client_for):
    ent = enterprise(1, quiet_list=True)
    other = enterprise(2)
    inspection(
        units["a"],
        ent,
        "I-1",
        joint_no="J-1",
        registration_no="R-1",
        registered_on=date(2025, 5, 1),
    )
    inspection(units["a"], other, "I-2", mode="offsite", kind="special")
    client = client_for(personas["clerk_a"])
    assert "共 2 次" in client.get("/enforcement/inspections/").content.decode()
    for query, expected in [
        ("joint=1", "I-1"),
        ("joint=0", "I-2"),
        ("registered=1", "I-1"),
        ("registered=0", "I-2"),
        ("mode=offsite", "I-2"),
        ("kind=special", "I-2"),
        ("quiet=1", "I-1"),
        (f"q={other.uscc}", "I-2"),
    ]:
        html = client.get(f"/enforcement/inspections/?{query}").content.decode()
        assert "共 1 次" in html and expected in html, query


def test_inspections_and_officers_filter_by_unit_and_period(units, personas, client_for):
    ent = enterprise(1)
    inspection(units["a"], ent, "I-MAY", inspected_on=date(2025, 5, 6))
    inspection(units["a"], ent, "I-SEP", inspected_on=date(2025, 9, 6))
    inspection(units["b"], ent, "I-B", inspected_on=date(2025, 9, 7))
    officer(units["a"], "A001")
    officer(units["b"], "B001")
    client = client_for(personas["supervisor"])
    html = client.get(
        "/enforcement/inspections/?since=2025-09-01&until=2025-09-30"
    ).content.decode()
    assert "共 2 次" in html and "I-SEP" in html and "I-B" in html and "I-MAY" not in html
    html = client.get(
        f"/enforcement/inspections/?unit={units['a'].pk}&until=2025-06-30"
    ).content.decode()
    assert "共 1 次" in html and "I-MAY" in html
    html = client.get(f"/enforcement/officers/?unit={units['b'].pk}").content.decode()
    assert "B001" in html and "A001" not in html


def test_inspections_list_query_count_is_pinned(units, personas, client_for):
    client = client_for(personas["clerk_a"])
    inspection(units["a"], enterprise(0), "I-0")
    few = queries(client, "/enforcement/inspections/")
    for i in range(1, 25):
        inspection(units["a"], enterprise(i), f"I-{i}")
    assert queries(client, "/enforcement/inspections/") == few <= 14


def test_officers_list_query_count_is_pinned(units, personas, client_for):
    client = client_for(personas["supervisor"])
    officer(units["a"], "A000")
    few = queries(client, "/enforcement/officers/")
    for i in range(1, 25):
        officer(units["b"], f"B{i:03d}")
    assert queries(client, "/enforcement/officers/") == few <= 14


def test_enterprises_list_counts_are_scoped(units, personas, client_for):
    ent = enterprise(1)
    inspection(units["a"], ent, "I-1")
    inspection(units["b"], ent, "I-2")
    client = client_for(personas["clerk_a"])
    few = queries(client, "/enforcement/enterprises/")
    for i in range(2, 20):
        inspection(units["a"], enterprise(i), f"I-{i}")
    assert queries(client, "/enforcement/enterprises/") == few <= 15
    html = client.get("/enforcement/enterprises/?q=测试企业1").content.decode()
    assert "测试企业1" in html and ent.uscc not in html
    rows = html.split("测试企业1</a>")[1].split("</tr>")[0]
    assert "<td>1</td>" in rows  # unit A sees its own inspection only


def test_officers_list_scoped_and_validity_filter(units, personas, client_for):
    officer(units["a"], "A001")
    officer(units["a"], "A002", valid_days=-5)
    officer(units["b"], "B001")
    client = client_for(personas["clerk_a"])
    html = client.get("/enforcement/officers/").content.decode()
    assert "A001" in html and "A002" in html and "B001" not in html
    html = client.get("/enforcement/officers/?validity=expired").content.decode()
    assert "A002" in html and "A001" not in html
    assert (
        "B001" in client_for(personas["supervisor"]).get("/enforcement/officers/").content.decode()
    )


def test_count_is_capped(units, personas, client_for, monkeypatch):
    from jiandu.lib import lists

    monkeypatch.setattr(lists.CappedPaginator, "cap", 3)
    for i in range(5):
        case(units["a"], f"A-{i}")
    html = client_for(personas["supervisor"]).get("/enforcement/cases/").content.decode()
    assert "超过 3 件" in html
    assert COUNT_CAP >= 10_000


def test_cases_export_follows_filters_and_is_audited(units, personas, client_for):
    from jiandu.audit.models import AuditEvent

    case(units["a"], "A-1", tier="general")
    case(units["a"], "A-2", tier="heavier")
    response = client_for(personas["clerk_a"]).get("/enforcement/cases/?export=xlsx&tier=heavier")
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(response.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "A-2" in values and "A-1" not in values
    assert AuditEvent.objects.filter(action="enforcement.export").exists()


@pytest.mark.parametrize("url", ["/enforcement/cases/", "/enforcement/inspections/"])
def test_export_past_the_limit_says_it_is_cut(units, personas, client_for, monkeypatch, url):
    from io import BytesIO

    from openpyxl import load_workbook

    from jiandu.enforcement import exports

    ent = enterprise(1)
    for n in range(3):
        case(units["a"], f"A-{n}")
        inspection(units["a"], ent, f"I-{n}")
    client = client_for(personas["clerk_a"])
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 3)
    ws = load_workbook(BytesIO(client.get(url + "?export=xlsx").content)).active
    assert "超过" not in str(ws.cell(2, 1).value) and ws.max_row == 2 + 3  # title, header
    monkeypatch.setattr(exports, "EXPORT_LIMIT", 2)
    ws = load_workbook(BytesIO(client.get(url + "?export=xlsx").content)).active
    assert "超过 2 条，本表仅含前 2 条" in ws.cell(2, 1).value
    assert ws.max_row == 3 + 2  # title, the note, header, two rows


# --- the case page --------------------------------------------------------------------


def test_case_page_uses_benchmark_in_force_on_decision_date(units, personas, client_for, item):
    benchmark(item, 1, date(2024, 1, 1), [("general", "1000", "5000")])
    benchmark(item, 2, date(2025, 7, 1), [("general", "2000", "8000")])
    old = case(
        units["a"],
        "A-1",
        violation=item,
        decided_on=date(2025, 3, 20),
        tier="general",
        fine=Decimal("6000"),
    )
    new = case(
        units["a"],
        "A-2",
        violation=item,
        decided_on=date(2025, 8, 20),
        tier="general",
        fine=Decimal("6000"),
    )
    client = client_for(personas["clerk_a"])
    html = client.get(f"/enforcement/cases/{old.pk}/").content.decode()
    assert "第1版" in html and "1,000 元 ～ 5,000 元" in html and "不在该阶次幅度内" in html
    html = client.get(f"/enforcement/cases/{new.pk}/").content.decode()
    assert "第2版" in html and "2,000 元 ～ 8,000 元" in html and "在幅度内" in html


def test_case_page_ignores_unpublished_versions_and_computes_multiples(
    units, personas, client_for, item
):
    from jiandu.standards.models import Tier

    b = benchmark(item, 1, date(2024, 1, 1), [])
    Tier.objects.create(
        benchmark=b,
        level="general",
        multiple_of="illegal_income",
        multiple_min=Decimal("1"),
        multiple_max=Decimal("3"),
    )
    benchmark(item, 2, date(2025, 1, 1), [("general", "1", "2")], published=False)
    c = case(
        units["a"],
        "A-1",
        violation=item,
        decided_on=date(2025, 3, 20),
        tier="general",
        fine=Decimal("2500"),
        illegal_income=Decimal("1000"),
    )
    html = client_for(personas["clerk_a"]).get(f"/enforcement/cases/{c.pk}/").content.decode()
    assert "第1版" in html and "1,000 元 ～ 3,000 元" in html and "在幅度内" in html


def test_case_page_timeline_counts_calendar_and_working_days(units, personas, client_for):
    # 2025-09-26 (Fri) -> 2025-10-09 (Thu): the National Day week in between.
    c = case(
        units["a"],
        "A-1",
        filed_on=date(2025, 9, 26),
        notified_on=date(2025, 10, 9),
        officers=";A001;X999;",
    )
    officer(units["a"], "A001")
    html = client_for(personas["clerk_a"]).get(f"/enforcement/cases/{c.pk}/").content.decode()
    assert "距上一环节 13 天（4 个工作日）" in html
    assert "不在执法人员名录中" in html


def test_clerk_of_other_unit_gets_404_on_case_and_inspection(units, personas, client_for):
    c = case(units["a"], "A-1")
    i = inspection(units["a"], enterprise(1), "I-1")
    client = client_for(personas["clerk_b"])
    assert client.get(f"/enforcement/cases/{c.pk}/").status_code == 404
    assert client.get(f"/enforcement/inspections/{i.pk}/").status_code == 404
    assert (
        client.post(f"/enforcement/inspections/{i.pk}/", {"result": "none_found"}).status_code
        == 404
    )
    assert client_for(personas["discipline"]).get(f"/enforcement/cases/{c.pk}/").status_code == 200
    assert client_for(None).get(f"/enforcement/cases/{c.pk}/").status_code == 302


# --- the enterprise page ---------------------------------------------------------------


def test_enterprise_page_shows_all_units_visits_with_details_only_for_own(
    units, personas, client_for
):
    ent = enterprise(1)
    inspection(units["a"], ent, "I-A", items="消防通道")
    inspection(units["b"], ent, "I-B", items="秘密事项")
    case(units["b"], "B-1", party_uscc=ent.uscc)
    html = (
        client_for(personas["clerk_a"]).get(f"/enforcement/enterprises/{ent.pk}/").content.decode()
    )
    assert units["b"].name in html and "I-A" in html
    assert "I-B" not in html and "秘密事项" not in html
    assert "B-1" not in html and "其他单位另有 1 件" in html
    assert 'class="jd-chart"' in html and "scatter" in html
    html = (
        client_for(personas["supervisor"])
        .get(f"/enforcement/enterprises/{ent.pk}/")
        .content.decode()
    )
    assert "I-B" in html and "B-1" in html


def test_exports_of_other_units_rows_are_never_included(units, personas, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    ent = enterprise(1)
    case(units["a"], "A-1")
    case(units["b"], "B-1")
    inspection(units["a"], ent, "I-A")
    inspection(units["b"], ent, "I-B")
    client = client_for(personas["clerk_b"])
    for url, key, own in [
        ("/enforcement/cases/?export=xlsx", "A-1", "B-1"),
        ("/enforcement/inspections/?export=xlsx", "I-A", "I-B"),
    ]:
        response = client.get(f"{url}&unit={units['a'].pk}")
        ws = load_workbook(BytesIO(response.content)).active
        assert key not in [c.value for row in ws.iter_rows() for c in row]
        # The same export without the foreign filter has the unit's own rows only.
        ws = load_workbook(BytesIO(client.get(url).content)).active
        values = [c.value for row in ws.iter_rows() for c in row]
        assert own in values and key not in values


def test_inspection_detail_links_and_sort_toggle(units, personas, client_for):
    ent = enterprise(1)
    inspection(units["a"], ent, "I-OLD", inspected_on=date(2024, 1, 1))
    inspection(units["a"], ent, "I-NEW", inspected_on=date(2025, 1, 1))
    client = client_for(personas["clerk_a"])
    html = client.get("/enforcement/inspections/").content.decode()
    assert html.index("I-NEW") < html.index("I-OLD")
    assert "sort=inspected_on" in html  # the header link flips the order
    html = client.get("/enforcement/inspections/?sort=inspected_on").content.decode()
    assert html.index("I-OLD") < html.index("I-NEW")


@pytest.mark.parametrize(
    "url", ["/enforcement/cases/", "/enforcement/inspections/", "/enforcement/officers/"]
)
@pytest.mark.parametrize("params", [{"unit": "9" * 30}, {"unit": "-3"}, {"item": "   "}])
def test_mangled_filters_open_the_unfiltered_list(units, personas, client_for, url, params):
    case(units["a"], "A-1")
    inspection(units["a"], enterprise(), "I-1")
    officer(units["a"], "Z-1")
    response = client_for(personas["supervisor"]).get(url, params)
    assert response.status_code == 200
    assert "共 1 " in response.content.decode()
