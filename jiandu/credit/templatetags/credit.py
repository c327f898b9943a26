"""`{% case_three_docs case %}` for the enforcement case page: the 三书同达 buttons (the
template asks; enforcement, a lower floor, imports nothing from here)."""

from django import template

from jiandu.credit import actions
from jiandu.credit.models import RepairApplication, ThreeDocsService
from jiandu.orgs.access import scope

register = template.Library()


@register.inclusion_tag("credit/includes/case_credit.html", takes_context=True)
def case_three_docs(context, case):
    user = context["request"].user
    return {
        "case": case,
        "required": case.three_docs_required,
        "service": ThreeDocsService.objects.filter(case=case).first(),
        "can_serve": "serve" in actions.available_case_actions(case, user),
        "methods": ThreeDocsService.Method.choices,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("credit/includes/case_applications.html", takes_context=True)
def case_applications(context, case):
    """The platform's applications for this case (the page is the case unit's already)."""
    user = context["request"].user
    qs = scope(RepairApplication.objects.filter(case=case), user, ("unit", "withdrawals__unit"))
    return {"applications": list(qs.prefetch_related("withdrawals__unit"))}
