"""The ledger's filters and sorting, read from GET parameters. The cockpit drills down
with the same names (unit, focus_area, source, state, overdue, severity, campaign, q),
and the export applies exactly the same FilterSet, so it exports what the list shows.
Unknown or malformed values are ignored rather than turning into an error page (a stale
bookmark still opens)."""

import django_filters
from django.db.models import Q

from jiandu.ledger.models import Lead, Problem
from jiandu.lib.lists import MAX_ID, IdFilter, Sorts, filter_rows

FILTER_PARAMS = (
    "unit",
    "focus_area",
    "source",
    "state",
    "overdue",
    "severity",
    "campaign",
    "extension",
    "q",
)

# sort key -> ordering; "-key" reverses. Empty values go last and ties are broken by id.
SORTS = {
    "created": ("created_at",),
    "deadline": ("deadline",),
    "unit": ("unit__kind", "unit__code"),
    "state": ("state",),
    "closed": ("closed_at",),
}
DEFAULT_SORT = "-created"
SORTING = Sorts(SORTS, DEFAULT_SORT)


def int_param(value):
    """A positive id from a GET parameter, or None: "²" passes isdigit() but not int(),
    and ids beyond 64 bits overflow the database driver (a 500, not an empty list)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n <= MAX_ID else None


class ProblemFilter(django_filters.FilterSet):
    unit = IdFilter(field_name="unit_id")
    focus_area = django_filters.CharFilter(field_name="focus_area__code")
    source = django_filters.ChoiceFilter(choices=Problem.Source.choices)
    state = django_filters.ChoiceFilter(
        choices=[("open", "未销号"), *Problem.State.choices], method="filter_state"
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("1", "已逾期"), ("0", "未逾期")], method="filter_overdue"
    )
    extension = django_filters.ChoiceFilter(
        choices=[("pending", "延期待审批")], method="filter_extension"
    )
    severity = django_filters.ChoiceFilter(choices=Problem.Severity.choices)
    # The campaign's problems as the cockpit and the acceptance page count them.
    campaign = IdFilter(method="filter_campaign")
    q = django_filters.CharFilter(method="filter_q")

    class Meta:
        model = Problem
        fields = list(FILTER_PARAMS)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def filter_state(self, qs, name, value):
        return qs.open() if value == "open" else qs.filter(state=value)

    def filter_overdue(self, qs, name, value):
        return qs.overdue(self.today) if value == "1" else qs.not_overdue(self.today)

    def filter_extension(self, qs, name, value):
        return qs.with_pending_extension()

    def filter_campaign(self, qs, name, value):
        return qs.of_campaign(value)

    def filter_q(self, qs, name, value):
        q = value.strip()
        if not q:
            return qs
        condition = (
            Q(description__icontains=q)
            | Q(measures__icontains=q)
            | Q(responsible_person__icontains=q)
            | Q(source_ref__icontains=q)
            | Q(unit__name__icontains=q)
        )
        pk = int_param(q.lstrip("#"))
        if pk is not None:
            condition |= Q(pk=pk)
        return qs.filter(condition)


def filter_problems(qs, params, today):
    """Apply the GET filters (the list, the export and the cockpit's drill-down)."""
    return filter_rows(ProblemFilter, params, qs, today=today)


def sort_problems(qs, sort):
    return SORTING.apply(qs, {"sort": sort})[0]


def active_filters(params) -> dict:
    return {k: params.get(k) for k in FILTER_PARAMS if params.get(k)}


class LeadFilter(django_filters.FilterSet):
    """The lead list (问题线索): `?state=`, `?unit=` (an id), `?q=` (title, content)."""

    state = django_filters.ChoiceFilter(choices=Lead.State.choices)
    unit = IdFilter(field_name="unit_id")
    q = django_filters.CharFilter(method="filter_q")

    def filter_q(self, qs, name, value):
        q = value.strip()
        return qs.filter(Q(title__icontains=q) | Q(description__icontains=q)) if q else qs


# The newest lead (and the latest closed one) first on the first click, as before.
LEAD_SORTS = Sorts(
    {
        "created": ("created_at",),
        "unit": ("unit__code",),
        "state": ("state",),
        "closed": ("closed_at",),
    },
    "-created",
    first_desc=("created", "closed"),
)


# The extension queue (延期待审批): the oldest request first, as before.
EXTENSION_SORTS = Sorts(
    {
        "requested": ("requested_at",),
        "deadline": ("problem__deadline",),
        "unit": ("problem__unit__code",),
    },
    "requested",
)
