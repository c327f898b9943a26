"""The lead list (问题线索) on the list toolkit: filters kept in the URL, the size choice,
the sort and the count."""

import pytest

from jiandu.ledger import actions

pytestmark = pytest.mark.django_db


def _lead(unit, title):
    return actions.create_lead(unit=unit, title=title, description="群众反映", source="complaint")


def test_leads_filter_sort_size_and_count(units, personas, client_for):
    for i in range(22):
        _lead(units["a"], f"甲线索{i:02d}")
    _lead(units["b"], "乙线索")
    client = client_for(personas["discipline"])
    html = client.get("/ledger/leads/").content.decode()
    assert "共 23 条" in html and "已筛选" not in html
    assert html.index("乙线索") < html.index("甲线索21")  # the newest first
    html = client.get(f"/ledger/leads/?unit={units['a'].pk}&size=20").content.decode()
    assert "共 22 条（已筛选）" in html and "乙线索" not in html
    assert "第 1 / 2 页" in html and 'name="size" value="20"' in html
    assert f"unit={units['a'].pk}" in html.split("下一页")[0].rsplit("href=", 1)[1]
    html = client.get("/ledger/leads/?sort=created&q=线索00").content.decode()
    assert "共 1 条（已筛选）" in html and "移交时间 ↑" in html
    html = client.get("/ledger/leads/?sort=-created").content.decode()
    assert "移交时间 ↓" in html and "sort=created" in html
    assert 'class="d-md-none small text-muted jd-fold"' in html
