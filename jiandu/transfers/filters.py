"""The transfer list's GET filters (jiandu.lib.lists): `?state=`, `?kind=`,
`?direction=sent|received` (for a unit's user: what it sent or received), `?q=`."""

import django_filters
from django.db.models import Q

from jiandu.lib.lists import Sorts
from jiandu.transfers.models import CaseTransfer

SORTS = Sorts(
    {"sent_on": ("sent_on",), "state": ("state",), "no": ("transfer_no",)},
    "-sent_on",
)


class TransferFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CaseTransfer.State.choices)
    kind = django_filters.ChoiceFilter(choices=CaseTransfer.Kind.choices)
    direction = django_filters.ChoiceFilter(
        choices=[("sent", "本单位移出"), ("received", "移送本单位")], method="by_direction"
    )
    q = django_filters.CharFilter(method="search")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def by_direction(self, qs, name, value):
        unit_id = getattr(self.user, "unit_id", None)
        if not unit_id:
            return qs
        return qs.filter(from_unit_id=unit_id) if value == "sent" else qs.filter(to_unit_id=unit_id)

    def search(self, qs, name, value):
        value = value.strip()[:100]
        if not value:
            return qs
        return qs.filter(Q(transfer_no__icontains=value) | Q(party_name__icontains=value))
