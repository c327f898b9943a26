"""`{% case_three_docs case %}` for the enforcement case page: the 三书同达 buttons (the
template asks; enforcement, a lower floor, imports nothing from here)."""

from django import template

from jiandu.credit import actions
from jiandu.credit.models import ThreeDocsService

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
