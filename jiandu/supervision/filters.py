"""The visit list's GET filters and sorting (jiandu.lib.lists)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from jiandu.lib.lists import IdFilter, Sorts, yes_no
from jiandu.supervision.models import Instrument, SupervisionVisit

VISIT_SORTS = Sorts({"date": ("visit_date",), "state": ("state",)}, "-date")


class VisitFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=SupervisionVisit.State.choices)
    # Only a unit of the drop-down filters: a malformed or huge id is ignored, not a 500.
    unit = django_filters.ChoiceFilter(field_name="unit_id", choices=[])

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra["choices"] = [(str(u.pk), u.name) for u in units]


class InstrumentFilter(django_filters.FilterSet):
    """The instrument list: `?kind=`, `?state=` (or `open`), `?unit=`, `?overdue=1|0`, `?q=`."""

    kind = django_filters.ChoiceFilter(choices=Instrument.Kind.choices)
    state = django_filters.CharFilter(method="filter_state")
    unit = IdFilter(field_name="unit_id")
    overdue = django_filters.CharFilter(method="filter_overdue")
    q = django_filters.CharFilter(method="filter_q")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def filter_state(self, qs, name, value):
        if value == "open":
            return qs.open()
        return qs.filter(state=value) if value in Instrument.State.values else qs

    def filter_overdue(self, qs, name, value):
        flag = yes_no(value)
        if flag is None:
            return qs
        overdue = Instrument.objects.overdue(self.today).values("pk")
        return qs.filter(pk__in=overdue) if flag else qs.exclude(pk__in=overdue)

    def filter_q(self, qs, name, value):
        q = value.strip()
        if not q:
            return qs
        return qs.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(facts__icontains=q))


INSTRUMENT_SORTS = Sorts(
    {
        "created": ("created_at",),
        "deadline": ("deadline",),
        "unit": ("unit__code",),
        "state": ("state",),
    },
    "-created",
    first_desc=("created",),
)
