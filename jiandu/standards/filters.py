"""The catalogue's and the lenient lists' GET filters and sorting (jiandu.lib.lists)."""

import django_filters
from django.db.models import Q

from jiandu.lib.lists import Sorts
from jiandu.standards.models import LenientListItem

ITEM_SORTS = Sorts({"code": ("code",), "domain": ("domain", "code")}, "code")
LENIENT_SORTS = Sorts(
    {"kind": ("list_kind", "code"), "code": ("code",), "effective": ("effective_on",)}, "kind"
)


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q")
    domain = django_filters.CharFilter()
    # Only active items unless ?active=all.
    active = django_filters.ChoiceFilter(choices=[("all", "含已停用")], method="keep")

    def filter_q(self, qs, name, value):
        return qs.filter(Q(code__istartswith=value) | Q(name__icontains=value))

    def keep(self, qs, name, value):
        return qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("active") != "all":
            qs = qs.filter(is_active=True)
        return qs


class LenientFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(field_name="list_kind", choices=LenientListItem.Kind.choices)
    q = django_filters.CharFilter(method="filter_q")
    state = django_filters.ChoiceFilter(choices=[("draft", "仅草稿")], method="filter_state")

    def filter_q(self, qs, name, value):
        return qs.filter(
            Q(code__istartswith=value) | Q(name__icontains=value) | Q(item__name__icontains=value)
        )

    def filter_state(self, qs, name, value):
        return qs.filter(published=False)
