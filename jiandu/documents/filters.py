"""The 文号 register's GET filters (jiandu.lib.lists): kind, year, state."""

import django_filters

from jiandu.documents.gongwen.kinds import KINDS
from jiandu.documents.models import DocumentNumber


class NumberFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=[(k, v.name) for k, v in KINDS.items()])
    year = django_filters.NumberFilter(min_value=2000, max_value=2100)
    state = django_filters.ChoiceFilter(choices=DocumentNumber.State.choices)

    class Meta:
        model = DocumentNumber
        fields = ["kind", "year", "state"]
