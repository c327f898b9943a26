from django.db import transaction

from jiandu.audit.log import log
from jiandu.orgs.access import require_role

ONLY_SUPERVISORS = "只有监督管理员或系统管理员可以维护节假日。"


def _data(day) -> dict:
    return {"date": day.date.isoformat(), "is_workday": day.is_workday, "name": day.name}


@transaction.atomic
def save_calendar_day(form, *, actor, request=None):
    require_role(actor, "supervisor", message=ONLY_SUPERVISORS)
    day = form.save()
    log("workdays.day.saved", actor=actor, obj=day, request=request, data=_data(day))
    return day


@transaction.atomic
def delete_calendar_day(day, *, actor, request=None):
    require_role(actor, "supervisor", message=ONLY_SUPERVISORS)
    log("workdays.day.deleted", actor=actor, obj=day, request=request, data=_data(day))
    day.delete()
