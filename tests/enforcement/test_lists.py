"""The enforcement lists on the list toolkit: filters kept in the URL and in the export
link, the export of exactly what is filtered, the size choice, one sort arrow, the count,
the officers' certificate state and the phone fold."""

import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.enforcement.factories import case, enterprise, inspection, officer

pytestmark = pytest.mark.django_db


def _export_href(html):
    return re.search(r'href="([^"]*export=xlsx[^"]*)"', html).group(1).replace("&amp;", "&")


def _cells(response):
    ws = load_workbook(BytesIO(response.content)).active
    return {c for row in ws.iter_rows(values_only=True) for c in row}


def test_cases_filter_travels_to_the_export_and_sorts_with_one_arrow(units, personas, client_for):
    case(units["a"], "A-1", tier="general", fine=100)
    case(units["a"], "A-2", tier="heavier", fine=900)
    case(units["b"], "B-1", tier="heavier", fine=500)
    client = client_for(personas["supervisor"])
    html = client.get("/enforcement/cases/?tier=heavier&sort=-fine&page=1").content.decode()
    assert "共 2 件（已筛选）" in html and html.index("A-2") < html.index("B-1")
    assert "罚款 ↓" in html and "▼" not in html and "▲" not in html
    href = _export_href(html)
    assert "tier=heavier" in href and "sort=-fine" in href and "page" not in href
    cells = _cells(client.get("/enforcement/cases/" + href))
    assert {"A-2", "B-1"} <= cells and "A-1" not in cells
    # The first click on a header sorts descending; the next one reverses it.
    assert "sort=-filed_on" in client.get("/enforcement/cases/?sort=fine").content.decode()
    html = client.get("/enforcement/cases/?sort=fine").content.decode()
    assert "罚款 ↑" in html and html.index("A-1") < html.index("B-1") < html.index("A-2")


def test_inspections_size_choice_keeps_filters_and_folds_on_a_phone(units, personas, client_for):
    ent = enterprise(1, quiet_list=True)
    for i in range(25):
        inspection(units["a"], ent, f"I-{i:02d}", joint_no="" if i % 2 else "J-1")
    client = client_for(personas["clerk_a"])
    html = client.get("/enforcement/inspections/?quiet=1").content.decode()
    assert "共 25 次（已筛选）" in html and 'href="?quiet=1&amp;size=20"' in html
    html = client.get("/enforcement/inspections/?quiet=1&size=20").content.decode()
    assert "第 1 / 2 页" in html and 'name="size" value="20"' in html
    assert 'class="d-md-none small text-muted jd-fold"' in html
    assert "共 13 次（已筛选）" in client.get("/enforcement/inspections/?joint=1").content.decode()
    html = client.get("/enforcement/inspections/?joint=maybe").content.decode()
    assert "共 25 次" in html  # a bad value is dropped, not an error


def test_enterprises_filter_and_sort(units, personas, client_for):
    enterprise(1, name="甲公司", founded_on=date(2020, 1, 1))
    enterprise(2, name="乙公司", founded_on=date(2010, 1, 1), quiet_list=True)
    client = client_for(personas["supervisor"])
    assert "共 1 家（已筛选）" in client.get("/enforcement/enterprises/?quiet=1").content.decode()
    html = client.get("/enforcement/enterprises/?sort=founded_on").content.decode()
    assert html.index("乙公司") < html.index("甲公司") and "成立日期 ↑" in html


def test_officers_show_and_filter_the_certificate_state_of_today(units, personas, client_for):
    officer(units["a"], "A-OK", valid_days=365)
    officer(units["a"], "A-SOON", valid_days=30)
    officer(units["a"], "A-OLD", valid_days=-1)
    officer(units["a"], "A-UNK", valid_days=None)
    client = client_for(personas["clerk_a"])
    html = client.get("/enforcement/officers/").content.decode()
    row = {
        no: html.split(no, 1)[1].split("</tr>", 1)[0] for no in ("A-OK", "A-SOON", "A-OLD", "A-UNK")
    }
    assert "有效" in row["A-OK"] and "即将到期" in row["A-SOON"]
    assert "已过期" in row["A-OLD"] and "未知" in row["A-UNK"]
    for validity, shown in {"valid": 2, "soon": 1, "expired": 1, "unknown": 1}.items():
        html = client.get(f"/enforcement/officers/?validity={validity}").content.decode()
        assert f"共 {shown} 人（已筛选）" in html
