"""`{% reminder_history obj %}`: who was reminded about an item, when, through which
channel, and (for the supervisor) pausing or resuming its ladder. Item pages load it by
name, so the apps below import nothing of this one."""

from django import template

from jiandu.orgs.access import is_supervisor
from jiandu.reminders.actions import available_pause_actions
from jiandu.reminders.keys import watched
from jiandu.reminders.models import ReminderLog

register = template.Library()

SHOWN = 30


@register.inclusion_tag("reminders/_history.html", takes_context=True)
def reminder_history(context, obj):
    if not hasattr(obj, "_meta") or obj.pk is None:
        return {"item": None}
    request = context.get("request")
    user = getattr(request, "user", None)
    item = watched(obj)
    rows = list(
        ReminderLog.objects.filter(item_key=item.key).select_related("sent_by")[: SHOWN + 1]
    )
    return {
        "item": item,
        "rows": rows[:SHOWN],
        "more": len(rows) > SHOWN,
        "pause": item.pause,
        "can": available_pause_actions(item, user) if is_supervisor(user) else set(),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reminders/_rows.html")
def reminder_rows(rows):
    return {"rows": rows}
