"""Statistics of a campaign for the cockpit, the exports and the summary report.

Every function takes the user (all data goes through `jiandu.orgs.access.scope`, so a
unit's user gets only their own unit's numbers) and the campaign, and answers with a
handful of aggregate queries: the cost grows with the number of units, areas and weeks,
never with the number of problems.

Which problems count for a campaign, and how they are counted (per state, overdue,
completion rate), is decided once, by `Problem.objects.of_campaign(...).counts()` /
`.counts_by(...)`; the campaign page, the acceptance page, the ledger's campaign filter
and the summary report call the same methods, so every page gives the same number.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    FilteredRelation,
    Min,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from jiandu.campaigns.models import Campaign
from jiandu.ledger.figures import completion_rate
from jiandu.ledger.models import Problem
from jiandu.orgs.access import enforcement_units, scope
from jiandu.orgs.models import FocusArea, Unit
from jiandu.selfcheck.models import SelfCheckReport

PROBLEM_STATES = [(value, label) for value, label in Problem.State.choices]
REPORT_STATES = [(value, label) for value, label in SelfCheckReport.State.choices]
NOT_STARTED = "none"
NOT_STARTED_LABEL = "未填报"
# A report counts as 已上报 while the justice bureau holds it; a returned one is back
# with the unit and is not counted until it is submitted again.
REPORTED_STATES = (SelfCheckReport.State.SUBMITTED, SelfCheckReport.State.ACCEPTED)


def _today(today):
    return today or timezone.localdate()


# --- campaign ---------------------------------------------------------------------


def current_campaign(today: date | None = None) -> Campaign | None:
    campaign = Campaign.objects.current(_today(today))
    if campaign is not None:
        # phase_on / phase / self_check_deadline all read phases.all(): fetch them once.
        prefetch_related_objects([campaign], "phases")
    return campaign


def campaign_by_id(pk, today: date | None = None) -> Campaign | None:
    """`?campaign=<id>` (an ended campaign stays readable with its own numbers), else the
    current one. None when the id names no campaign."""
    if not pk:
        return current_campaign(today)
    try:
        campaign = Campaign.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None
    if campaign is not None:
        prefetch_related_objects([campaign], "phases")
    return campaign


def campaign_choices() -> list[dict]:
    """Every campaign, newest first, named with the year it started (titles repeat
    from year to year). One query."""
    rows = Campaign.objects.annotate(first_day=Min("phases__start")).order_by("-id")
    return [
        {
            "pk": row["pk"],
            "label": row["title"] + (f"（{row['first_day'].year}年）" if row["first_day"] else ""),
            "active": row["is_active"],
        }
        for row in rows.values("pk", "title", "is_active", "first_day")
    ]


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
    """The campaign's problems the user may see (all problems when there is no campaign)."""
    problems = scope(Problem.objects.all(), user, "unit")
    if campaign is not None:
        problems = problems.of_campaign(campaign)
    return problems


def completion(user, campaign: Campaign | None, today: date | None = None) -> dict:
    """Overall: total, per state, open, overdue and the completion rate."""
    return campaign_problems(user, campaign).counts(_today(today))


def problems_by_focus_area(user, campaign: Campaign | None, today: date | None = None):
    """Every focus area (the campaign's, else all six), with its problems per state."""
    grouped = campaign_problems(user, campaign).counts_by("focus_area_id", _today(today))
    areas = campaign.focus_areas.all() if campaign is not None else FocusArea.objects.all()
    areas = list(areas.order_by("order", "id").values("id", "code", "name"))
    known = {a["id"] for a in areas}
    missing = [pk for pk in grouped if pk not in known]
    if missing:  # a problem filed under an area the campaign does not list
        areas += list(FocusArea.objects.filter(pk__in=missing).values("id", "code", "name"))
    return [{**grouped.get(a["id"], Problem.objects.no_counts()), **a} for a in areas]


def problems_by_unit(user, campaign: Campaign | None, today: date | None = None):
    """Every enforcement unit the user sees (even with no problem: a clean unit is news
    too) and any other unit that has problems, with counts per state, overdue and rate."""
    units = list(enforcement_units(user).order_by("kind", "code").values("id", "code", "name"))
    grouped = campaign_problems(user, campaign).counts_by_unit(
        _today(today), units=[u["id"] for u in units]
    )
    known = {u["id"] for u in units}
    others = [pk for pk in grouped if pk not in known]
    if others:  # e.g. a unit no longer active, or not an enforcement unit
        units += list(
            Unit.objects.filter(pk__in=others).order_by("kind", "code").values("id", "code", "name")
        )
    return [{**grouped[u["id"]], **u} for u in units]


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
                "rate": completion_rate(done, total),
            }
        )
        monday += timedelta(days=7)
    return rows
