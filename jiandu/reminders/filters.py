import django_filters

from jiandu.lib.lists import IdFilter, Sorts
from jiandu.reminders.models import Channel, ReminderLog, Step


class LogFilter(django_filters.FilterSet):
    """`?unit=` (an id), `?channel=`, `?step=`, `?status=`."""

    unit = IdFilter(field_name="unit_id")
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    step = django_filters.ChoiceFilter(choices=Step.choices)
    status = django_filters.ChoiceFilter(choices=ReminderLog.Status.choices)


LOG_SORTS = Sorts(
    {"time": ("created_at",), "unit": ("unit__code",), "step": ("step",)},
    default="-time",
    first_desc=("time",),
)
