"""Alert exports (the page's .xlsx, `jiandu alerts` as .csv and .xlsx) hold formula-like
texts — dismissal reasons as typed, a unit's name as the administrator entered it — as
text."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from jiandu.monitoring.engine import run_rules
from jiandu.monitoring.models import Alert
from tests.formula_cells import HYPERLINK, assert_neutralised_csv, assert_neutralised_xlsx
from tests.monitoring import factories as f

pytestmark = pytest.mark.django_db
TODAY = date(2025, 12, 31)


@pytest.fixture
def alerts(units, personas, client_for):
    d = date(2025, 5, 6)
    f.case(units["a"], decided_on=d, served_on=d + timedelta(days=9))
    f.case(units["b"], decided_on=d, served_on=d + timedelta(days=10))
    units["b"].name = "@SUM(1)"
    units["b"].save()
    run_rules(["PROC-02"], today=TODAY)
    client = client_for(personas["supervisor"])
    for alert, reason in zip(
        Alert.objects.order_by("unit__code"), [HYPERLINK, "-cmd"], strict=True
    ):
        response = client.post(reverse("monitoring:dismiss", args=[alert.pk]), {"reason": reason})
        assert response.status_code == 302
        assert Alert.objects.get(pk=alert.pk).dismissed_reason == reason
    return [HYPERLINK, "-cmd", "@SUM(1)"]


def test_alerts_page_export(alerts, personas, client_for):
    response = client_for(personas["supervisor"]).get(
        reverse("monitoring:alerts"), {"format": "xlsx", "state": ""}
    )
    assert_neutralised_xlsx(response.content, alerts)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_alerts_command_export(alerts, tmp_path, fmt):
    out = tmp_path / f"alerts.{fmt}"
    call_command("alerts", "--format", fmt, "--out", str(out))
    content = out.read_bytes()
    if fmt == "csv":
        assert_neutralised_csv(content, alerts)
    else:
        assert_neutralised_xlsx(content, alerts)
