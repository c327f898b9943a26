"""GET filters and sorting of the planning lists (jiandu.lib.lists)."""

import django_filters
from django.db.models import Q

from jiandu.lib.lists import IdFilter, Sorts
from jiandu.planning.models import Draw, JointVisit, Plan, PlanEntry

PLAN_SORTS = Sorts(
    {"year": ("year", "month"), "filed_on": ("filed_on",), "unit": ("unit__code",)},
    "-year",
    first_desc=("year", "filed_on"),
)
ENTRY_SORTS = Sorts(
    {
        "enterprise": ("enterprise__name",),
        "planned_on": ("planned_on",),
        "unit": ("plan__unit__code",),
    },
    "enterprise",
)
JOINT_SORTS = Sorts(
    {"visit_on": ("visit_on",), "joint_no": ("joint_no",)}, "-visit_on", first_desc=("visit_on",)
)
DRAW_SORTS = Sorts(
    {"draw_on": ("draw_on",), "draw_no": ("draw_no",)}, "-draw_on", first_desc=("draw_on",)
)


class PlanFilter(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    year = django_filters.NumberFilter()
    state = django_filters.ChoiceFilter(choices=Plan.State.choices)

    class Meta:
        model = Plan
        fields = []


class EntryFilter(django_filters.FilterSet):
    """Who plans to visit whom and when: the entries of filed plans."""

    q = django_filters.CharFilter(method="search")
    unit = IdFilter(field_name="plan__unit_id")
    year = django_filters.NumberFilter(field_name="plan__year")
    month = django_filters.NumberFilter(method="in_month")

    class Meta:
        model = PlanEntry
        fields = []

    def search(self, qs, name, value):
        value = value.strip()
        return qs.filter(
            Q(enterprise__uscc__startswith=value.upper()) | Q(enterprise__name__icontains=value)
        )

    def in_month(self, qs, name, value):
        return qs.filter(months__contains=f";{int(value)};")


class JointFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=JointVisit.State.choices)
    declined = django_filters.BooleanFilter(method="with_decline")

    class Meta:
        model = JointVisit
        fields = []

    def with_decline(self, qs, name, value):
        cond = Q(participants__state="declined")
        return (qs.filter(cond) if value else qs.exclude(cond)).distinct()


class DrawFilter(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    state = django_filters.ChoiceFilter(choices=Draw.State.choices)

    class Meta:
        model = Draw
        fields = []
