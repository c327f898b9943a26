"""Data written before issue 9 named a complaint by its tracking code. An INTG-02/03
alert about a complaint that became a problem (or a lead) carried the code in the
problem's source reference and description, where the unit reads it and could open the
complainant's tracking page. The upgrade replaces it with the internal reference."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from jiandu.ledger.actions import start_rectification
from jiandu.monitoring import actions as monitoring
from jiandu.monitoring.engine import run_rules
from jiandu.monitoring.models import Alert
from jiandu.portal import actions

upgrade = importlib.import_module(
    "jiandu.portal.migrations.0004_tracking_codes_out_of_alert_problems"
)


def _as_before_the_upgrade(obj, fields, ref, code):
    for f in fields:
        setattr(obj, f, getattr(obj, f).replace(ref, code))
    obj.save(update_fields=fields)


def test_a_late_complaints_alert_problem_no_longer_shows_the_tracking_code(
    submit, units, personas, client_for
):
    _, c = submit(client_for(None))
    c.received_at = timezone.now() - timedelta(days=90)
    c.save(update_fields=["received_at"])
    sup = personas["supervisor"]
    actions.accept_complaint(c, actor=sup)
    actions.assign_complaint(c, unit=units["a"], actor=sup)
    run_rules(["INTG-02"])
    alert = Alert.objects.get(rule="INTG-02")
    problem = monitoring.confirm_alert(alert, actor=sup)
    lead = monitoring.transfer_alert_to_discipline(alert, actor=sup)
    code, ref = c.tracking_code, c.reference
    assert ref in problem.source_ref and ref in problem.description and ref in lead.title
    _as_before_the_upgrade(problem, ["source_ref", "description"], ref, code)
    _as_before_the_upgrade(lead, ["title", "source_ref", "description"], ref, code)
    start_rectification(
        problem, actor=personas["clerk_a"], measures="按期办结", responsible_person="李四"
    )
    clerk = client_for(personas["clerk_a"])
    assert code in clerk.get(f"/ledger/{problem.pk}/").content.decode()

    upgrade.alert_problems_and_leads(apps, None)

    problem.refresh_from_db()
    lead.refresh_from_db()
    assert ref in problem.source_ref and ref in problem.description
    for text in (problem.source_ref, problem.description, lead.title, lead.source_ref):
        assert code not in text
    assert code not in lead.description
    page = clerk.get(f"/ledger/{problem.pk}/").content.decode()
    assert code not in page and actions.format_code(code) not in page
    assert code not in clerk.get("/ledger/", {"q": ref}).content.decode()
