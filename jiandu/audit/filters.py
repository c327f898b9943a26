import django_filters

from jiandu.lib.lists import IdFilter, Sorts

DATE_MESSAGE = "日期格式应为 2026-01-01。"
UNIT_MESSAGE = "单位参数无效。"


class EventFilter(django_filters.FilterSet):
    """The audit trail's GET filters. A malformed value is named in a message and left
    out of the filter, so the page (and its export) never fails on a bad link."""

    action = django_filters.CharFilter(lookup_expr="startswith")
    unit = IdFilter(
        field_name="unit_id",
        error_messages={k: UNIT_MESSAGE for k in ("invalid", "min_value", "max_value")},
    )
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="icontains")
    since = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        error_messages={"invalid": f"起始{DATE_MESSAGE}"},
    )
    until = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        error_messages={"invalid": f"截止{DATE_MESSAGE}"},
    )

    def error_list(self) -> list[str]:
        return [e for errors in self.errors.values() for e in errors]


SORTING = Sorts(
    {
        "time": ("created_at",),
        "actor": ("actor_name",),
        "unit": ("unit__name",),
        "action": ("action",),
    },
    "-time",
)
