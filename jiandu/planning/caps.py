"""Frequency caps per enterprise category (检查频次上限): at most `cap` on-site visits a
calendar year by all units together, planned ones included.

`cap_breaches(year, enterprise_ids=None)` is the one rule function: over the whole data
set (one grouped query per cap) or narrowed to some enterprises (the registration and plan
checks: one enterprise, one count on the (enterprise, inspected_on) index
`insp_ent_date_idx`). The registration warning and the plan check add the visits being
planned to what is recorded and ask the same question."""

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


def _enterprises_of(cap: FrequencyCap):
    qs = Enterprise.objects.all()
    if cap.quiet_list:
        qs = qs.filter(quiet_list=True)
    if cap.industry:
        qs = qs.filter(industry=cap.industry)
    if cap.kind:
        qs = qs.filter(kind=cap.kind)
    return qs


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


def cap_breaches(year: int, enterprise_ids=None, *, added=None, caps=None) -> list[dict]:
    """Enterprises whose on-site visits in `year` exceed a cap of their category:
    [{"enterprise_id", "cap": FrequencyCap, "count"}], the tightest cap per enterprise.
    `added` ({enterprise_id: visits}) counts visits not recorded yet (being planned)."""
    caps = active_caps() if caps is None else caps
    added = added or {}
    found = {}
    for cap in caps:
        if enterprise_ids is not None and len(enterprise_ids) <= 50:
            # One enterprise (or a plan's few): the category is tested on the row and the
            # count is one index range scan per enterprise.
            rows = []
            for e in Enterprise.objects.filter(pk__in=enterprise_ids):
                if cap.matches(e):
                    rows.append((e.pk, visits_in_year(e.pk, year)))
        else:
            qs = Inspection.objects.filter(
                inspected_on__range=_year(year),
                mode=Inspection.Mode.ONSITE,
                enterprise__in=_enterprises_of(cap),
            )
            if enterprise_ids is not None:
                qs = qs.filter(enterprise_id__in=enterprise_ids)
            counted = qs.values("enterprise_id").annotate(n=Count("id"))
            if not added:
                counted = counted.filter(n__gt=cap.cap)
            rows = [(r["enterprise_id"], r["n"]) for r in counted]
            rows += [(e, 0) for e in added if e not in {r[0] for r in rows}]
        for enterprise_id, count in rows:
            count += added.get(enterprise_id, 0)
            if count > cap.cap and (
                enterprise_id not in found or cap.cap < found[enterprise_id]["cap"].cap
            ):
                found[enterprise_id] = {"enterprise_id": enterprise_id, "cap": cap, "count": count}
    return sorted(found.values(), key=lambda r: r["enterprise_id"])


def visit_warnings(*, enterprise, inspected_on, mode="onsite", exclude_pk=None, **_) -> list[dict]:
    """The registration warning (enforcement/watch.py): the visit being registered would
    go beyond the cap of the enterprise's category. Names the cap and the visits counted."""
    if mode != "onsite" or enterprise is None or inspected_on is None:
        return []
    year = inspected_on.year
    warnings = []
    for cap in active_caps():
        if not cap.matches(enterprise):
            continue
        count = visits_in_year(enterprise.pk, year, exclude_pk=exclude_pk)
        if count + 1 > cap.cap:
            warnings.append(
                {
                    "rule": RULE,
                    "title": TITLE,
                    "message": (
                        f"该企业适用“{cap.label}”：每年现场检查不超过{cap.cap}次；"
                        f"{year}年已记录{count}次（含计划），本次将是第{count + 1}次。"
                    ),
                    "others": [],
                }
            )
            break  # the tightest cap (caps are ordered by cap) says it
    return warnings


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
