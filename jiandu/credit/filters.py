"""The credit repair list's GET filters (jiandu.lib.lists): `?state=`, `?q=`."""

import django_filters
from django.db.models import Q

from jiandu.credit.models import RepairApplication
from jiandu.lib.lists import Sorts

SORTS = Sorts({"applied_on": ("applied_on",), "state": ("state",)}, "-applied_on")


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=RepairApplication.State.choices)
    q = django_filters.CharFilter(method="search")

    def search(self, qs, name, value):
        value = value.strip()[:100]
        if not value:
            return qs
        return qs.filter(Q(enterprise_name__icontains=value) | Q(decision_no__icontains=value))
