"""{% instruments_about obj %}: the instruments about a problem, an alert, a complaint, a
case or a visit, on that object's page; {% unit_instruments %}: a unit's own, on its
start page."""

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("supervision/_about.html", takes_context=True)
def instruments_about(context, obj):
    from jiandu.orgs.access import is_discipline, is_supervisor
    from jiandu.supervision.instrument_views import instruments_about as about

    user = context["request"].user
    return {
        "items": list(about(obj, user)),
        "can_issue": is_supervisor(user) and getattr(obj, "unit_id", None),
        "about": f"{obj._meta.label_lower}:{obj.pk}",
        # The commission asks the supervisor for a 督办 on a problem.
        "can_request": is_discipline(user) and obj._meta.label_lower == "ledger.problem",
        "obj": obj,
    }


@register.inclusion_tag("supervision/_unit_instruments.html", takes_context=True)
def unit_instruments(context):
    from jiandu.supervision.instrument_views import _visible_instruments
    from jiandu.workdays import calendar

    user = context["request"].user
    today = timezone.localdate()
    items = list(_visible_instruments(user).filter(unit_id=user.unit_id).order_by("-issued_at"))
    cal = calendar() if items else None
    for item in items:
        item.left = item.workdays_left(today, cal)
        item.overdue = item.is_overdue(today)
    return {"items": items}
