"""The public lists' GET filters (jiandu.lib.lists): published cases by `?category=`,
the standards page's search `?q=` over benchmarks or the lenient lists (`?tab=`)."""

import django_filters
from django.db.models import Q

from jiandu.portal.models import Category

# The public pages are read on a phone: the smallest of the toolkit's page sizes.
PUBLIC_PAGE_SIZE = 20


class PublishedCaseFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)


def _query(value):
    return value.strip()[:100]


class BenchmarkSearch(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q")

    def filter_q(self, qs, name, value):
        q = _query(value)
        if not q:
            return qs
        return qs.filter(
            Q(item__name__icontains=q) | Q(item__code__icontains=q) | Q(item__domain=q)
        )


class LenientSearch(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q")

    def filter_q(self, qs, name, value):
        q = _query(value)
        if not q:
            return qs
        return qs.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(conditions__icontains=q))
