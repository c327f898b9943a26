"""The visit list's GET filters and sorting (jiandu.lib.lists)."""

import django_filters

from jiandu.lib.lists import Sorts
from jiandu.supervision.models import SupervisionVisit

VISIT_SORTS = Sorts({"date": ("visit_date",), "state": ("state",)}, "-date")


class VisitFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=SupervisionVisit.State.choices)
    # Only a unit of the drop-down filters: a malformed or huge id is ignored, not a 500.
    unit = django_filters.ChoiceFilter(field_name="unit_id", choices=[])

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["unit"].extra["choices"] = [(str(u.pk), u.name) for u in units]
