"""Frequency caps per enterprise category (检查频次上限): at most `cap` on-site visits a
calendar year by all units together, planned ones included.

An enterprise falls under the tightest cap of its categories (`tightest`).
`cap_breaches(year, enterprise_ids=None, added=None)` is the one rule function: over the
whole data set (one grouped count over the year) or narrowed to some enterprises (the
registration and plan checks: their ranges of the (enterprise, inspected_on) index
`insp_ent_date_idx`). The registration warning and the plan check add the visits being
planned (`added`) to what is recorded and ask the same question."""

from datetime import date

from django.db.models import Count

from jiandu.enforcement.models import Enterprise, Inspection
from jiandu.planning.models import FrequencyCap

RULE = "FREQ-CAP"
TITLE = "检查频次上限"


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def active_caps() -> list[FrequencyCap]:
    return list(FrequencyCap.objects.filter(active=True))


def visits_in_year(enterprise_id: int, year: int, *, exclude_pk=None) -> int:
    """On-site visits (done or planned) to one enterprise in a calendar year: one range
    scan of insp_ent_date_idx."""
    qs = Inspection.objects.filter(
        enterprise_id=enterprise_id,
        inspected_on__range=_year(year),
        mode=Inspection.Mode.ONSITE,
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


def tightest(caps, enterprise) -> FrequencyCap | None:
    """The lowest cap of the enterprise's categories (None when none applies)."""
    return next((c for c in sorted(caps, key=lambda c: c.cap) if c.matches(enterprise)), None)


def cap_breaches(year: int, enterprise_ids=None, *, added=None, caps=None) -> list[dict]:
    """Enterprises whose on-site visits in `year` (done or planned, all units) exceed the
    tightest cap of their categories: [{"enterprise_id", "cap": FrequencyCap, "count"}].
    `added` ({enterprise_id: visits}) counts visits not recorded yet (being planned).

    One grouped count over the year (for a few enterprises: their ranges of
    insp_ent_date_idx), then the categories of the enterprises over the lowest cap."""
    caps = active_caps() if caps is None else list(caps)
    if not caps:
        return []
    qs = Inspection.objects.filter(inspected_on__range=_year(year), mode=Inspection.Mode.ONSITE)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    counts = dict(
        qs.order_by()
        .values("enterprise_id")
        .annotate(n=Count("id"))
        .values_list("enterprise_id", "n")
    )
    for enterprise_id, visits in (added or {}).items():
        counts[enterprise_id] = counts.get(enterprise_id, 0) + visits
    lowest = min(c.cap for c in caps)
    over = {e: n for e, n in counts.items() if n > lowest}
    if not over:
        return []
    fields = ("id", "quiet_list", "industry", "kind")
    if len(over) <= 500:
        enterprises = Enterprise.objects.filter(pk__in=list(over)).only(*fields)
    else:  # most of the register: one pass over it beats a long IN list
        enterprises = (e for e in Enterprise.objects.only(*fields).iterator(2000) if e.pk in over)
    found = []
    for e in enterprises:
        cap = tightest(caps, e)
        if cap is not None and over[e.pk] > cap.cap:
            found.append({"enterprise_id": e.pk, "cap": cap, "count": over[e.pk]})
    return sorted(found, key=lambda r: r["enterprise_id"])


def visit_warnings(*, enterprise, inspected_on, mode="onsite", exclude_pk=None, **_) -> list[dict]:
    """The registration warning (enforcement/watch.py): the visit being registered would
    go beyond the cap of the enterprise's category. Names the cap and the visits counted."""
    if mode != "onsite" or enterprise is None or inspected_on is None:
        return []
    year = inspected_on.year
    added = 1
    if exclude_pk is not None:  # the visit being changed is counted once, as the new one
        added -= visits_in_year(enterprise.pk, year) - visits_in_year(
            enterprise.pk, year, exclude_pk=exclude_pk
        )
    hits = cap_breaches(year, [enterprise.pk], added={enterprise.pk: added})
    if not hits:
        return []
    cap, count = hits[0]["cap"], hits[0]["count"] - 1
    return [
        {
            "rule": RULE,
            "title": TITLE,
            "message": (
                f"该企业适用“{cap.label}”：每年现场检查不超过{cap.cap}次；"
                f"{year}年已记录{count}次（含计划），本次将是第{count + 1}次。"
            ),
            "others": [],
        }
    ]


def plan_warnings(plan) -> list[dict]:
    """The filing check: each enterprise of the plan whose recorded visits in the plan's
    year plus the plan's own visits to it exceed the cap of its category."""
    planned = {}
    for entry in plan.entries.exclude(enterprise=None):
        visits = 1 if entry.planned_on else len(entry.month_list)
        planned[entry.enterprise_id] = planned.get(entry.enterprise_id, 0) + visits
    if not planned:
        return []
    hits = cap_breaches(plan.year, list(planned), added=planned)
    names = dict(Enterprise.objects.filter(pk__in=planned).values_list("pk", "name"))
    return [
        {
            "rule": RULE,
            "title": TITLE,
            "enterprise": names[h["enterprise_id"]],
            "message": (
                f"{names[h['enterprise_id']]}适用“{h['cap'].label}”：每年现场检查不超过"
                f"{h['cap'].cap}次；{plan.year}年已记录{h['count'] - planned[h['enterprise_id']]}次"
                f"（含计划），本计划再安排{planned[h['enterprise_id']]}次，共{h['count']}次。"
            ),
        }
        for h in hits
    ]
