"""The alert list on the list toolkit: filters kept in the URL and the export link, the
state default, the size choice, the sort and the count."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.monitoring import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("monitoring:alerts")


def _export_href(page):
    return re.search(r'href="([^"]*format=xlsx[^"]*)"', page).group(1).replace("&amp;", "&")


def _exported_subjects(response):
    ws = load_workbook(BytesIO(response.content)).active
    return {row[3] for row in ws.iter_rows(values_only=True)} - {None, "对象"}


def test_filters_stay_in_the_url_the_export_link_and_the_count(units, personas, client_for):
    grave = f.alert(units["a"], severity="grave")
    f.alert(units["a"], severity="normal")
    f.alert(units["b"], severity="grave")
    f.alert(units["a"], severity="grave", state="dismissed")
    c = client_for(personas["supervisor"])
    page = c.get(URL).content.decode()
    assert "共 3 条" in page and "已筛选" not in page  # state defaults to new
    assert "共 4 条（已筛选）" in c.get(URL, {"state": "all"}).content.decode()
    params = {"unit": "T-A", "severity": "grave", "rule": "proc-02", "sort": "rule", "page": "1"}
    page = c.get(URL, params).content.decode()
    assert "共 1 条（已筛选）" in page and grave.subject_key in page
    href = _export_href(page)
    assert "unit=T-A" in href and "severity=grave" in href and "sort=rule" in href
    assert "page=" not in href
    assert _exported_subjects(c.get(URL + href)) == {grave.subject_key}


def test_unit_filter_only_for_county_users_and_bad_values_open_the_list(
    units, personas, client_for
):
    own = f.alert(units["a"])
    page = client_for(personas["clerk_a"]).get(URL, {"unit": "T-B"}).content.decode()
    assert own.subject_key in page  # a unit user's ?unit= does not narrow
    c = client_for(personas["supervisor"])
    for bad in ({"state": "nonsense"}, {"area": "nonsense"}, {"assignee": "x"}, {"size": "9999"}):
        r = c.get(URL, bad)
        assert r.status_code == 200 and own.subject_key in r.content.decode()


def test_size_choice_pages_and_keeps_filters(units, personas, client_for):
    for _ in range(25):
        f.alert(units["a"])
    c = client_for(personas["supervisor"])
    page = c.get(URL, {"unit": "T-A"}).content.decode()
    assert "第 1 / 1 页" not in page and "每页" in page
    assert 'href="?unit=T-A&amp;size=20"' in page
    page = c.get(URL, {"unit": "T-A", "size": "20"}).content.decode()
    assert "第 1 / 2 页" in page and page.count("data-bulk-row") == 20
    assert 'name="size" value="20"' in page  # the filter form keeps the size


def test_phone_folds_secondary_columns_into_the_row(units, personas, client_for):
    a = f.alert(units["a"], severity="grave")
    page = client_for(personas["supervisor"]).get(URL).content.decode()
    assert 'class="d-md-none small text-muted jd-fold"' in page
    assert '<th class="d-none d-md-table-cell">依据</th>' in page
    fold = page.split("jd-fold")[1].split("</div>")[0]
    assert a.subject_key in fold and units["a"].name in fold and "严重" in fold
