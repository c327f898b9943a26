"""The result page's table of refused rows is a list of the toolkit: count, pager with
the size choice, a filter by column, and the error report of what is filtered."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.audit.models import AuditEvent
from jiandu.intake.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(personas):
    errors = [
        {"row": n, "column": "立案日期" if n % 3 else "案号", "message": f"第{n}行的错误"}
        for n in range(2, 62)
    ]
    return ImportBatch.objects.create(
        kind="cases",
        unit=personas["clerk_a"].unit,
        created_by=personas["clerk_a"],
        state="done",
        rows=60,
        rejected=60,
        errors=errors,
    )


def rows_shown(html):
    return html.count("的错误</td>")


def test_the_errors_are_paged_counted_and_sized(client_for, personas, batch):
    client = client_for(personas["clerk_a"])
    url = reverse("intake:batch", args=[batch.pk])
    html = client.get(url).content.decode()
    assert "共 60 条错误" in html and "第 1 / 2 页" in html and rows_shown(html) == 50
    html = client.get(url, {"size": 20, "page": 3}).content.decode()
    assert "第 3 / 3 页" in html and rows_shown(html) == 20 and "第61行的错误" in html
    html = client.get(url, {"size": 10_000}).content.decode()  # not a choice: the default
    assert rows_shown(html) == 50


def test_the_column_filter_narrows_the_list_and_the_report(client_for, personas, batch):
    client = client_for(personas["clerk_a"])
    html = client.get(reverse("intake:batch", args=[batch.pk]), {"column": "案号"}).content
    html = html.decode()
    assert "共 20 条错误（已筛选）" in html and rows_shown(html) == 20
    assert f'href="{reverse("intake:report", args=[batch.pk])}?column=' in html
    response = client.get(reverse("intake:report", args=[batch.pk]), {"column": "案号"})
    sheet = load_workbook(io.BytesIO(response.content))["错误明细"]
    reasons = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(reasons) == 20 and {r[1] for r in reasons} == {"案号"}
    event = AuditEvent.objects.get(action="intake.report")
    assert event.data == {"column": "案号"}
    # Unfiltered: every error.
    response = client.get(reverse("intake:report", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["错误明细"]
    assert sheet.max_row == 61


def test_an_unknown_column_lists_nothing_and_changes_nothing(client_for, personas, batch):
    client = client_for(personas["clerk_a"])
    response = client.get(reverse("intake:batch", args=[batch.pk]), {"column": "没有这列"})
    assert response.status_code == 200
    assert "没有符合筛选条件的错误。" in response.content.decode()
    batch.refresh_from_db()
    assert len(batch.errors) == 60
