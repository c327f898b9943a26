"""Statistics of a campaign for the cockpit, the exports and the summary report.

Every function takes the user (all data goes through `jiandu.orgs.access.scope`, so a
unit's user gets only their own unit's numbers) and the campaign, and answers with a
handful of aggregate queries: the cost grows with the number of units, areas and weeks,
never with the number of problems.

Which problems count for a campaign: those tied to it, plus those tied to no campaign
(daily supervision: alerts, complaints found while it runs). Problems of another
campaign are left out. This keeps the cockpit's numbers equal to what the ledger list
shows when one drills down in the usual one-campaign county.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    FilteredRelation,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from jiandu.campaigns.models import Campaign, FocusArea, SelfCheckReport
from jiandu.ledger.models import Problem, overdue_q
from jiandu.orgs.access import enforcement_units, scope

PROBLEM_STATES = [(value, label) for value, label in Problem.State.choices]
REPORT_STATES = [(value, label) for value, label in SelfCheckReport.State.choices]
NOT_STARTED = "none"
NOT_STARTED_LABEL = "未填报"
# A report counts as 已上报 while the justice bureau holds it; a returned one is back
# with the unit and is not counted until it is submitted again.
REPORTED_STATES = (SelfCheckReport.State.SUBMITTED, SelfCheckReport.State.ACCEPTED)


def _today(today):
    return today or timezone.localdate()


def _rate(closed, total):
    """Completion rate in percent with one decimal, None when there is nothing to close."""
    return round(closed * 100 / total, 1) if total else None


# --- campaign ---------------------------------------------------------------------


def current_campaign(today: date | None = None) -> Campaign | None:
    campaign = Campaign.objects.current(_today(today))
    if campaign is not None:
        # phase_on / phase / self_check_deadline all read phases.all(): fetch them once.
        prefetch_related_objects([campaign], "phases")
    return campaign


def campaign_phase(campaign: Campaign, today: date | None = None) -> dict:
    """The phase today falls in and its days left; between or outside the phases, the
    next one and the days until it starts."""
    today = _today(today)
    phase = campaign.phase_on(today)
    phases = list(campaign.phases.all())
    nxt = min((p for p in phases if p.start > today), key=lambda p: p.start, default=None)
    return {
        "phase": phase,
        "days_left": phase.days_left(today) if phase else None,
        "next_phase": nxt,
        "days_to_next": (nxt.start - today).days if nxt else None,
        "finished": bool(phases) and all(p.end < today for p in phases),
    }


# --- self-check reports -------------------------------------------------------------


def _units_with_report(user, campaign):
    return enforcement_units(user).annotate(
        report=FilteredRelation(
            "self_check_reports", condition=Q(self_check_reports__campaign=campaign)
        )
    )


def _late(campaign, today):
    """`SelfCheckReport.is_late` as a condition on units annotated with their report:
    first submitted after the deadline, or not submitted (or no report) past it."""
    deadline = campaign.self_check_deadline
    if deadline is None:
        return Q(pk__in=[])
    # Submitted at or after the start of the day after the deadline (local time) is late.
    cutoff = timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time.min))
    late = Q(report__first_submitted_at__gte=cutoff)
    if today > deadline:
        late |= Q(report__first_submitted_at__isnull=True)
    return late


def report_submission(user, campaign: Campaign, today: date | None = None) -> list[dict]:
    """One row per enforcement unit: its report (id, state or 未填报, returned reason) and
    whether it is late."""
    rows = list(
        _units_with_report(user, campaign)
        .annotate(
            late=Case(
                When(_late(campaign, _today(today)), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("kind", "code")
        .values(
            "id",
            "code",
            "name",
            "kind",
            "late",
            "report__id",
            "report__state",
            "report__first_submitted_at",
            "report__returned_reason",
        )
    )
    labels = dict(REPORT_STATES)
    for row in rows:
        row["state"] = row["report__state"] or NOT_STARTED
        row["state_label"] = labels.get(row["state"], NOT_STARTED_LABEL)
    return rows


def report_counts(user, campaign: Campaign, today: date | None = None) -> dict:
    """Units by the state of their report, with 未填报 under "none"; `reported` are the
    reports the justice bureau holds (submitted or accepted) out of `units`; `late`."""
    counts = {value: 0 for value, _ in REPORT_STATES}
    counts[NOT_STARTED] = 0
    late = 0
    grouped = (
        _units_with_report(user, campaign)
        .order_by()
        .values("report__state")
        .annotate(n=Count("id"), late=Count("id", filter=_late(campaign, _today(today))))
    )
    for row in grouped:
        counts[row["report__state"] or NOT_STARTED] = row["n"]
        late += row["late"]
    return {
        "by_state": counts,
        "units": sum(counts.values()),
        "reported": sum(counts[s] for s in REPORTED_STATES),
        "late": late,
    }


# --- problems -----------------------------------------------------------------------


def campaign_problems(user, campaign: Campaign | None):
    problems = scope(Problem.objects.all(), user, "unit")
    if campaign is not None:
        problems = problems.filter(Q(campaign=campaign) | Q(campaign__isnull=True))
    return problems


def _counts(today):
    """Aggregates of one group of problems: one count per state, total, overdue."""
    annotations = {state: Count("id", filter=Q(state=state)) for state, _ in PROBLEM_STATES}
    annotations["total"] = Count("id")
    annotations["overdue"] = Count("id", filter=overdue_q(today))
    return annotations


def _with_counts(items, grouped) -> list[dict]:
    """Each item (a dict with its "id") with its group's counts (zeros when it has no
    problem) and completion rate."""
    zero = {state: 0 for state, _ in PROBLEM_STATES} | {"total": 0, "overdue": 0}
    result = []
    for item in items:
        row = {**zero, **grouped.get(item["id"], {}), **item}
        row["rate"] = _rate(row[Problem.State.CLOSED], row["total"])
        result.append(row)
    return result


def completion(user, campaign: Campaign | None, today: date | None = None) -> dict:
    """Overall: total, per state, overdue, closed and the completion rate (closed / total)."""
    row = campaign_problems(user, campaign).aggregate(**_counts(_today(today)))
    row["rate"] = _rate(row[Problem.State.CLOSED], row["total"])
    return row


def problems_by_focus_area(user, campaign: Campaign | None, today: date | None = None):
    """Every focus area (the campaign's, else all six), with its problems per state."""
    grouped = {
        row["focus_area_id"]: row
        for row in campaign_problems(user, campaign)
        .order_by()
        .values("focus_area_id")
        .annotate(**_counts(_today(today)))
    }
    areas = campaign.focus_areas.all() if campaign is not None else FocusArea.objects.all()
    areas = list(areas.order_by("order", "id").values("id", "code", "name"))
    known = {a["id"] for a in areas}
    missing = [pk for pk in grouped if pk not in known]
    if missing:  # a problem filed under an area the campaign does not list
        areas += list(FocusArea.objects.filter(pk__in=missing).values("id", "code", "name"))
    return _with_counts(areas, grouped)


def problems_by_unit(user, campaign: Campaign | None, today: date | None = None):
    """Every enforcement unit the user sees (even with no problem: a clean unit is news
    too) and any other unit that has problems, with counts per state, overdue and rate."""
    grouped = {
        row["unit_id"]: row
        for row in campaign_problems(user, campaign)
        .order_by()
        .values("unit_id", "unit__code", "unit__name", "unit__kind")
        .annotate(**_counts(_today(today)))
    }
    units = list(enforcement_units(user).order_by("kind", "code").values("id", "code", "name"))
    known = {u["id"] for u in units}
    units += [
        {"id": pk, "code": row["unit__code"], "name": row["unit__name"]}
        for pk, row in grouped.items()
        if pk not in known
    ]
    return _with_counts(units, grouped)


def problems_by_source(user, campaign: Campaign | None) -> list[dict]:
    grouped = dict(
        campaign_problems(user, campaign).order_by().values_list("source").annotate(n=Count("id"))
    )
    return [
        {"source": value, "label": label, "total": grouped.get(value, 0)}
        for value, label in Problem.Source.choices
    ]


def overdue_problems(user, campaign: Campaign | None, today: date | None = None):
    """Open problems past their deadline, the longest overdue first."""
    return (
        campaign_problems(user, campaign)
        .overdue(_today(today))
        .select_related("unit", "focus_area")
        .order_by("deadline", "id")
    )


def weekly_trend(user, campaign: Campaign | None, today: date | None = None) -> list[dict]:
    """Per week (Monday): problems created, problems closed, and the cumulative completion
    rate at the end of that week. Weeks with nothing happening are filled in."""
    today = _today(today)
    problems = campaign_problems(user, campaign).order_by()
    week = TruncWeek("created_at", output_field=DateField())
    created = dict(problems.annotate(week=week).values_list("week").annotate(n=Count("id")))
    closed = dict(
        problems.filter(state=Problem.State.CLOSED, closed_at__isnull=False)
        .annotate(week=TruncWeek("closed_at", output_field=DateField()))
        .values_list("week")
        .annotate(n=Count("id"))
    )
    weeks = set(created) | set(closed)
    if not weeks:
        return []
    first = min(weeks)
    last = max(max(weeks), today - timedelta(days=today.weekday()))
    rows = []
    total = done = 0
    monday = first
    while monday <= last:
        total += created.get(monday, 0)
        done += closed.get(monday, 0)
        rows.append(
            {
                "week": monday,
                "created": created.get(monday, 0),
                "closed": closed.get(monday, 0),
                "cum_created": total,
                "cum_closed": done,
                "rate": _rate(done, total),
            }
        )
        monday += timedelta(days=7)
    return rows
