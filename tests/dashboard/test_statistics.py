"""统计分析: periods, the figures of a county known by hand, the page and its export."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.audit.models import AuditEvent
from jiandu.dashboard import periods, unit_stats
from tests.dashboard.statistics_data import TODAY, build

NOV = periods.month(date(2026, 11, 1))


def q(text):
    return QueryDict(text)


# --- periods --------------------------------------------------------------------------


def test_periods_read_from_the_url_with_the_one_before():
    assert periods.parse(q(""), TODAY) == periods.Period(
        "month", date(2026, 12, 1), date(2026, 12, 31)
    )
    p = periods.parse(q("kind=quarter&value=2026-Q1"), TODAY)
    assert (p.start, p.end, p.label) == (date(2026, 1, 1), date(2026, 3, 31), "2026年第一季度")
    assert p.previous() == periods.Period("quarter", date(2025, 10, 1), date(2025, 12, 31))
    y = periods.parse(q("kind=year&value=2025"), TODAY)
    assert (y.start, y.end, y.previous().label) == (date(2025, 1, 1), date(2025, 12, 31), "2024年")
    m = periods.parse(q("kind=month&value=2026-03"), TODAY)
    assert (m.end, m.previous().start, m.previous().end) == (
        date(2026, 3, 31),
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    c = periods.parse(q("kind=custom&start=2026-11-10&end=2026-11-19"), TODAY)
    assert c.days == 10 and c.previous() == periods.Period(
        "custom", date(2026, 10, 31), date(2026, 11, 9)
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("kind=month&value=2026-13", "无法识别"),
        ("kind=quarter&value=2026-Q5", "无法识别"),
        ("kind=custom&start=2026-11-10&end=2026-11-01", "不能早于"),
        ("kind=custom&start=2026-11-31&end=2026-12-01", "不是有效日期"),
        ("kind=custom&start=2020-01-01&end=2026-12-01", "最长三年"),
        ("kind=weekly", "无法识别"),
    ],
)
def test_a_period_that_cannot_be_read_says_why(text, message):
    with pytest.raises(periods.PeriodError, match=message):
        periods.parse(q(text), TODAY)


def test_trend_steps_are_weeks_in_a_month_and_months_in_a_year():
    weeks = NOV.buckets()
    assert weeks[0] == (date(2026, 11, 1), date(2026, 11, 1), "11-01")  # a Sunday
    assert weeks[-1] == (date(2026, 11, 30), date(2026, 11, 30), "11-30")
    assert len(weeks) == 6
    months = periods.year(2026).buckets()
    assert [b[2] for b in months] == [f"2026-{m:02d}" for m in range(1, 13)]


# --- figures --------------------------------------------------------------------------


@pytest.fixture
def county(units, personas):
    build(units)
    return units


def _row(figures, unit):
    return next(r for r in figures.rows if r["id"] == unit.pk)


EXPECTED_NOV = {
    # key: (a, b, total)
    "cases_filed": (2, 0, 2),
    "cases_decided": (2, 1, 3),
    "fines": (Decimal("1000"), Decimal("2500.50"), Decimal("3500.50")),
    "lenient": (1, 0, 1),
    "inspections": (2, 1, 3),
    "inspections_late": (1, 1, 2),
    "alerts_raised": (1, 1, 2),
    "alerts_confirmed": (1, 0, 1),
    "alerts_dismissed": (0, 1, 1),
    "problems_opened": (2, 2, 4),
    "problems_closed": (2, 1, 3),
    "problems_due": (3, 1, 4),
    "problems_on_time": (1, 1, 2),
    "problems_late": (2, 0, 2),
    "complaints_received": (1, 0, 2),  # the one not yet assigned counts in the total
    "complaints_against": (0, 1, 1),
    "complaints_concluded": (2, 0, 2),
    "complaints_on_time": (1, 0, 1),
    "instruments": (0, 1, 1),
}


def test_november_figures_per_unit_and_in_total(county, personas):
    figures = unit_stats.figures(personas["supervisor"], NOV, TODAY)
    a, b = _row(figures, county["a"]), _row(figures, county["b"])
    got = {key: (a[key], b[key], figures.totals[key]) for key in EXPECTED_NOV}
    assert got == EXPECTED_NOV
    assert (a["problems_rate"], b["problems_rate"], figures.totals["problems_rate"]) == (
        33.3,
        100.0,
        50.0,
    )
    assert (a["complaints_rate"], b["complaints_rate"]) == (50.0, None)
    assert (b["rank"], a["rank"]) == (1, 2)


def test_the_previous_period_and_the_change(county, personas):
    user = personas["supervisor"]
    now = unit_stats.figures(user, NOV, TODAY)
    before = unit_stats.figures(user, NOV.previous(), TODAY)
    assert before.period.label == "2026年10月"
    assert (before.totals["cases_filed"], before.totals["fines"]) == (2, Decimal("300"))
    assert (before.totals["inspections"], before.totals["alerts_raised"]) == (1, 1)
    lines = {line["key"]: line for line in unit_stats.comparison(now, before)}
    assert (lines["cases_filed"]["delta"], lines["cases_filed"]["pct"]) == (0, 0.0)
    assert (lines["inspections"]["delta"], lines["inspections"]["pct"]) == (2, 200.0)
    assert lines["fines"]["delta"] == Decimal("3200.50")
    # Nothing was due in October: no rate, so no change either (never a fake 100 %).
    assert lines["problems_rate"]["before"] is None and lines["problems_rate"]["delta"] is None


def test_a_unit_user_gets_only_the_units_own_figures(county, personas):
    figures = unit_stats.figures(personas["clerk_a"], NOV, TODAY)
    assert [r["id"] for r in figures.rows] == [county["a"].pk]
    assert figures.totals["cases_decided"] == 2 and figures.totals["complaints_received"] == 1


def test_trend_counts_the_same_records_as_the_totals(county, personas):
    user = personas["supervisor"]
    trend = unit_stats.trend(user, NOV)
    totals = unit_stats.figures(user, NOV, TODAY).totals
    for key, values in trend["series"].items():
        assert sum(values) == totals[key], key
    # 11-30 is a Monday: b's alert at 23:30 that day is in the last week, not December.
    assert trend["series"]["alerts_raised"][-1] == 1


# --- the page and the export ----------------------------------------------------------


def test_only_the_county_reads_the_statistics(county, personas, client_for):
    url = reverse("dashboard:statistics")
    for who in ("clerk_a", "leader_b", "inspector"):
        assert client_for(personas[who]).get(url).status_code == 403, who
        assert client_for(personas[who]).get(url + "export/").status_code == 403, who
    for who in ("supervisor", "discipline"):
        assert client_for(personas[who]).get(url).status_code == 200, who


def test_the_page_shows_the_figures_and_a_bad_period_says_why(county, personas, client_for):
    client = client_for(personas["supervisor"])
    page = client.get(reverse("dashboard:statistics"), {"kind": "month", "value": "2026-11"})
    html = page.content.decode()
    assert "2026年11月" in html and "2026年10月" in html
    row_b = html.split('data-unit="T-B"')[1].split("</tr>")[0]
    assert "<td>1</td>" in row_b  # rank
    assert 'data-key="fines">2,500.50<' in row_b and 'data-key="problems_rate">100%<' in row_b
    total = html.split('data-unit="total"')[1].split("</tr>")[0]
    assert 'data-key="problems_due">4<' in total and 'data-key="problems_rate">50%<' in total

    bad = client.get(
        reverse("dashboard:statistics"),
        {"kind": "custom", "start": "2026-11-10", "end": "2026-11-01"},
    )
    assert bad.status_code == 200
    assert "结束日期不能早于开始日期。已改为显示本月。" in bad.content.decode()


def test_export_holds_what_the_page_shows_and_is_audited(county, personas, client_for):
    client = client_for(personas["discipline"])
    response = client.get(
        reverse("dashboard:statistics_export"), {"kind": "month", "value": "2026-11"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    units = book["分单位"]
    header = [c.value for c in units[3]]
    rows = {
        r[1]: dict(zip(header, r, strict=True))
        for r in units.iter_rows(min_row=4, values_only=True)
    }
    assert rows["测试县市场监督管理局"]["排名"] == 1
    assert rows["测试县市场监督管理局"]["行政处罚·罚款金额（元）"] == 2500.5
    assert rows["甲镇人民政府"]["整改·逾期"] == 2
    assert rows["合计（含未明确单位）"]["投诉举报·承办投诉"] == 2
    assert rows["合计（含未明确单位）"]["按时整改率"] == "50%"
    compare = {r[1]: r for r in book["环比"].iter_rows(min_row=3, values_only=True)}
    assert compare["行政检查"][2:6] == (3, 1, 2, 200.0)
    event = AuditEvent.objects.get(action="dashboard.statistics.export")
    assert event.data["period"] == "2026年11月"


def test_the_periodic_report_is_a_numbered_gongwen_of_the_same_figures(
    county, personas, client_for
):
    from docx import Document

    from jiandu.documents.models import IssuedDocument

    url = reverse("dashboard:statistics_report") + "?kind=month&value=2026-11"
    assert client_for(personas["discipline"]).post(url).status_code == 403
    client = client_for(personas["supervisor"])
    response = client.post(url)
    doc = IssuedDocument.objects.get(kind="periodic_report")
    assert response.status_code == 302 and response.url == reverse(
        "documents:issued_download", args=[doc.pk]
    )
    assert doc.number.text.endswith("〔2026〕1号") and "2026年11月" in doc.title
    word = Document(io.BytesIO(b"".join(client.get(response.url).streaming_content)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert doc.number.text in text and "关于2026年11月行政执法监督情况的通报" in text
    assert "按时整改率50%（上期—）" in text
    assert "甲镇人民政府（2个）" in text  # the unit with late problems is named
    rows = [[c.text for c in r.cells] for r in word.tables[0].rows]
    assert rows[0][0] == "单位" and rows[1][0] == "测试县市场监督管理局"  # ranked first
    assert rows[-1][0] == "合计" and rows[-1][-1] == "50%"
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37


def test_statistics_over_a_campaigns_span(county, personas, client_for):
    from jiandu.campaigns.models import Campaign, Phase

    campaign = Campaign.objects.create(title="破执法梗阻·优法治服务", lead_unit=county["justice"])
    Phase.objects.create(
        campaign=campaign, kind="self_check", start=date(2026, 11, 1), end=date(2026, 11, 15)
    )
    Phase.objects.create(
        campaign=campaign, kind="acceptance", start=date(2026, 11, 16), end=date(2026, 11, 30)
    )
    client = client_for(personas["supervisor"])
    page = client.get(reverse("dashboard:statistics"), {"campaign": campaign.pk})
    html = page.content.decode()
    assert "破执法梗阻·优法治服务（2026年）" in html
    assert (
        page.context["figures"].totals
        == unit_stats.figures(personas["supervisor"], NOV, TODAY).totals
    )
    assert client.get(reverse("dashboard:statistics"), {"campaign": 999999}).status_code == 404
