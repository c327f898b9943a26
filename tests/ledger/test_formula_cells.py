"""The ledger export holds formula-like texts typed into problems, rectification
measures, progress notes and complaints as text with a leading apostrophe."""

from datetime import timedelta

from django.utils import timezone

from jiandu.ledger.models import Problem
from jiandu.portal import actions as portal
from tests.formula_cells import BLANK_LED, HYPERLINK, assert_neutralised_xlsx

S = Problem.State


def test_ledger_export_holds_typed_formulas_as_text(personas, units, area, client_for):
    sup, clerk = client_for(personas["supervisor"]), client_for(personas["clerk_a"])
    response = sup.post(
        "/ledger/new/",
        {
            "unit": units["a"].pk,
            "focus_area": area.pk,
            "source": Problem.Source.SUPERVISION,
            "severity": Problem.Severity.NORMAL,
            "description": HYPERLINK,
        },
    )
    assert response.status_code == 302, response.content.decode()
    problem = Problem.objects.get()
    deadline = timezone.localdate() + timedelta(days=20)
    response = clerk.post(
        f"/ledger/{problem.pk}/start/",
        {"start-measures": "+1", "start-responsible_person": "-cmd", "start-deadline": deadline},
    )
    assert response.status_code == 302
    response = clerk.post(f"/ledger/{problem.pk}/progress/", {"progress-text": "@SUM(1)"})
    assert response.status_code == 302

    response = sup.get("/ledger/export/")
    assert_neutralised_xlsx(response.content, [HYPERLINK, "+1", "-cmd", "@SUM(1)"])


def test_ledger_export_holds_tab_and_cr_led_texts_as_text(personas, make_problem, client_for):
    # Forms strip leading blanks; a text stored by another path could still start so.
    make_problem("a", state=S.IN_PROGRESS, description=BLANK_LED[0], measures=BLANK_LED[1])
    response = client_for(personas["supervisor"]).get("/ledger/export/")
    assert_neutralised_xlsx(response.content, BLANK_LED)


def test_a_complaints_text_in_the_ledger_export_is_text(personas, units, client_for):
    complaint = portal.submit_complaint(
        category="fine", description="-2+3 罚款过重", reported_unit=units["a"]
    )
    sup = client_for(personas["supervisor"])
    assert sup.post(f"/public/manage/{complaint.pk}/accept/", {}).status_code == 302
    response = sup.post(
        f"/public/manage/{complaint.pk}/problem/",
        {"severity": "normal", "description": complaint.description},
    )
    assert response.status_code == 302, response.content.decode()
    problem = Problem.objects.get(source=Problem.Source.COMPLAINT)
    assert problem.description == "-2+3 罚款过重"
    response = sup.get("/ledger/export/")
    assert_neutralised_xlsx(response.content, ["-2+3 罚款过重"])
