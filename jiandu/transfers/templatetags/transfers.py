"""`{% case_transfers case %}` for the enforcement case page (enforcement stands below
transfers: the template asks, the app does not import upward)."""

from django import template

from jiandu.orgs.access import is_unit_writer, scope
from jiandu.transfers.models import CaseTransfer

register = template.Library()


@register.inclusion_tag("transfers/includes/case_transfers.html", takes_context=True)
def case_transfers(context, case):
    user = context["request"].user
    qs = scope(
        CaseTransfer.objects.filter(case=case).select_related("to_unit"),
        user,
        ("from_unit", "to_unit"),
    )
    return {
        "case": case,
        "transfers": list(qs),
        "can_send": is_unit_writer(user, case.unit_id) and case.unit.is_enforcement_unit,
    }
