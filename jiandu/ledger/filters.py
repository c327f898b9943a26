"""The ledger's filters and sorting, read from GET parameters. The cockpit drills down
with the same names (unit, focus_area, source, state, overdue, severity, campaign, q),
and the export applies exactly the same function, so it exports what the list shows."""

from django.db.models import F, Q

from jiandu.ledger.models import Problem

FILTER_PARAMS = ("unit", "focus_area", "source", "state", "overdue", "severity", "campaign", "q")

# sort key -> ordering; "-key" reverses. Ties are broken by id so paging is stable.
SORTS = {
    "created": ("created_at",),
    "deadline": ("deadline",),
    "unit": ("unit__kind", "unit__code"),
    "state": ("state",),
    "closed": ("closed_at",),
}
DEFAULT_SORT = "-created"


def int_param(value):
    """A positive id from a GET parameter, or None: "²" passes isdigit() but not int(),
    and ids beyond 64 bits overflow the database driver (a 500, not an empty list)."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


def filter_problems(qs, params, today):
    """Apply the GET filters; unknown or malformed values are ignored rather than
    turning into an error page (a stale bookmark still opens)."""
    unit = int_param(params.get("unit"))
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if params.get("focus_area"):
        qs = qs.filter(focus_area__code=params["focus_area"])
    if params.get("source") in Problem.Source.values:
        qs = qs.filter(source=params["source"])
    state = params.get("state")
    if state in Problem.State.values:
        qs = qs.filter(state=state)
    elif state == "open":
        qs = qs.open()
    if params.get("overdue") == "1":
        qs = qs.overdue(today)
    elif params.get("overdue") == "0":
        qs = qs.not_overdue(today)
    if params.get("severity") in Problem.Severity.values:
        qs = qs.filter(severity=params["severity"])
    campaign = int_param(params.get("campaign"))
    if campaign is not None:
        # The campaign's problems as the cockpit and the acceptance page count them.
        qs = qs.of_campaign(campaign)
    q = (params.get("q") or "").strip()
    if q:
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
        qs = qs.filter(condition)
    return qs


def sort_problems(qs, sort):
    key = (sort or DEFAULT_SORT).strip()
    desc = key.startswith("-")
    fields = SORTS.get(key.lstrip("-"))
    if fields is None:
        return sort_problems(qs, DEFAULT_SORT)
    # Empty deadlines and closing dates go last either way, on SQLite and PostgreSQL alike.
    ordering = [F(f).desc(nulls_last=True) if desc else F(f).asc(nulls_last=True) for f in fields]
    ordering.append(F("id").desc() if desc else F("id").asc())
    return qs.order_by(*ordering)


def active_filters(params) -> dict:
    return {k: params.get(k) for k in FILTER_PARAMS if params.get(k)}
