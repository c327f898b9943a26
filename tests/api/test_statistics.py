"""The statistics through the API: the same figures as the page, a unit's token sees its
own unit only, a period that cannot be read is a 400 with the reason."""

from datetime import date

import pytest

from jiandu.dashboard import periods, unit_stats
from tests.api.helpers import bearer
from tests.dashboard.statistics_data import build

pytestmark = pytest.mark.django_db
NOV = periods.month(date(2026, 11, 1))


def get(client, raw, **params):
    return client.get("/api/v1/statistics", params, headers=bearer(raw))


def test_the_county_reads_every_units_figures_as_the_page_counts_them(
    client, tokens, units, personas
):
    build(units)
    data = get(client, tokens["county"], kind="month", value="2026-11").json()
    assert data["period"] == {"label": "2026年11月", "start": "2026-11-01", "end": "2026-11-30"}
    assert data["previous"]["label"] == "2026年10月"
    page = unit_stats.figures(personas["supervisor"], NOV, date.today())
    by_code = {u["code"]: u for u in data["units"]}
    for row in page.rows:
        got = by_code[row["code"]]
        assert got["rank"] == row["rank"]
        for metric in unit_stats.METRICS:
            assert got["figures"][metric.key] == float(row[metric.key]), metric.key
    assert data["totals"]["figures"]["fines"] == 3500.5
    assert data["totals"]["rates"]["problems_rate"] == 50.0
    assert data["previous_totals"]["figures"]["cases_filed"] == 2


def test_a_units_token_gets_its_own_unit_only(client, tokens, units):
    build(units)
    data = get(client, tokens["read_a"], kind="month", value="2026-11").json()
    assert [u["code"] for u in data["units"]] == ["T-A"]
    assert data["totals"]["figures"]["cases_decided"] == 2  # not b's third


def test_a_period_that_cannot_be_read_is_a_400_with_the_reason(client, tokens):
    response = get(client, tokens["county"], kind="custom", start="2026-11-10", end="2026-11-01")
    assert response.status_code == 400 and "不能早于" in response.json()["detail"]
    response = get(client, tokens["county"], kind="month", value="0001-01")
    assert response.status_code == 400 and "之间" in response.json()["detail"]
    assert client.get("/api/v1/statistics").status_code == 401
    assert get(client, tokens["import_only"]).status_code == 403


def test_dates_are_written_as_dates(client, tokens):
    """A custom range takes YYYY-MM-DD only: "0" is not 1970-01-01 (schemathesis)."""
    response = get(client, tokens["county"], kind="custom", start="0", end="2026-11-30")
    assert response.status_code == 422
    ok = get(client, tokens["county"], kind="custom", start="2026-11-01", end="2026-11-30")
    assert ok.status_code == 200 and ok.json()["period"]["start"] == "2026-11-01"
