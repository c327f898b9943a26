"""The alert list's GET filters and sorting (jiandu.lib.lists)."""

import django_filters
from django.db.models import Case, IntegerField, Value, When

from jiandu.lib.lists import Sorts
from jiandu.monitoring.models import Alert, Severity
from jiandu.monitoring.rules import AREA_LABELS, RULES
from jiandu.orgs.access import sees_all

# Severity sorts by its weight (严重 > 较重 > 一般), not its code: `with_severity_rank`.
SEVERITY_RANK = {Severity.NORMAL: 0, Severity.SERIOUS: 1, Severity.GRAVE: 2}
SORTS = Sorts(
    {
        "last_seen": ("last_seen", "rule", "subject_key"),
        "rule": ("rule", "subject_key"),
        "unit": ("unit__code", "-last_seen"),
        "severity": ("severity_rank", "-last_seen"),
        "state": ("state", "-last_seen"),
    },
    "-last_seen",
    # The first click on a header: the most recent and the most severe first.
    first_desc=("last_seen", "severity"),
)


def with_severity_rank(qs):
    return qs.annotate(
        severity_rank=Case(
            *(When(severity=v, then=Value(n)) for v, n in SEVERITY_RANK.items()),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


class AlertFilter(django_filters.FilterSet):
    """`?rule=` (any case), `?area=` (its rules), `?unit=` (a unit code, county-wide users
    only), `?severity=`, `?state=` (default new; `all` = every state), `?q=` (the
    subject's key), `?assignee=` (me / none / a user id, the id for county-wide users)."""

    rule = django_filters.CharFilter(method="filter_rule")
    area = django_filters.ChoiceFilter(choices=list(AREA_LABELS.items()), method="filter_area")
    unit = django_filters.CharFilter(method="filter_unit")
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    state = django_filters.ChoiceFilter(
        choices=[("all", "全部状态"), *Alert.State.choices], method="keep"
    )
    q = django_filters.CharFilter(method="filter_q")
    assignee = django_filters.CharFilter(method="filter_assignee")

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def filter_rule(self, qs, name, value):
        return qs.filter(rule=value.upper())

    def filter_area(self, qs, name, value):
        return qs.filter(rule__in=[r.id for r in RULES if r.area == value])

    def filter_unit(self, qs, name, value):
        return qs.filter(unit__code=value) if sees_all(self.user) else qs

    def filter_q(self, qs, name, value):
        value = value.strip()
        return qs.filter(subject_key__icontains=value) if value else qs

    def filter_assignee(self, qs, name, value):
        if value == "me":
            return qs.filter(assignee=self.user)
        if value == "none":
            return qs.filter(assignee__isnull=True)
        if value.isdigit() and sees_all(self.user):
            return qs.filter(assignee_id=int(value))
        return qs

    def keep(self, qs, name, value):
        return qs

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        state = self.data.get("state", "new")
        if state == "" or state == "all":
            return qs
        if state in Alert.State.values:
            return qs.filter(state=state)
        return qs.filter(state="new")
