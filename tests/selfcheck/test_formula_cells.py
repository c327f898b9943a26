"""Self-check exports (one unit's table, all units with the summary) hold what a unit
typed as text, even when it looks like a formula."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.formula_cells import HYPERLINK, assert_neutralised_xlsx
from tests.selfcheck.test_views import form_data


def test_self_check_exports_hold_typed_formulas_as_text(client_for, personas, report_a):
    first = report_a.answers.order_by("item__order").first()
    deadline = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = form_data(
        report_a,
        {
            first.pk: {
                "has_problem": "yes",
                "description": HYPERLINK,
                "cause": "+1",
                "measures": "-cmd",
                "deadline": deadline,
                "responsible_person": "@SUM(1)",
            }
        },
    )
    data.update(contact_name="=1+1", contact_phone="+86 577 6600 1234")
    client = client_for(personas["clerk_a"])
    assert (
        client.post(reverse("campaigns:report_save", args=[report_a.pk]), data).status_code == 302
    )

    typed = [HYPERLINK, "+1", "-cmd", "@SUM(1)"]
    response = client.get(reverse("campaigns:report_export", args=[report_a.pk]))
    assert_neutralised_xlsx(response.content, typed)
    response = client_for(personas["supervisor"]).get(
        reverse("campaigns:reports_export"), {"campaign": report_a.campaign_id}
    )
    assert_neutralised_xlsx(response.content, [*typed, "=1+1", "+86 577 6600 1234"])
