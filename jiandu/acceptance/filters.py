"""The showcase list's GET filter (jiandu.lib.lists): `?kind=` (最佳案例 / 最佳实践)."""

import django_filters

from jiandu.acceptance.models import Showcase


class ShowcaseFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Showcase.Kind.choices)
