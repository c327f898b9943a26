"""What other apps call into monitoring. Kept light so intake and enforcement
can call it without knowing how rules run."""

from datetime import date, timedelta

# Intake's kind codes (jiandu/intake/schema.py) are the names rules declare in Rule.reads,
# except that the lenient lists feed the rules reading standards and the unit list feeds none.
READS_ALIASES = {"lenient": "standards", "units": None}


def _reads_key(kind: str) -> str | None:
    return READS_ALIASES.get(kind, kind)


def rules_reading(kind: str) -> list[str]:
    from jiandu.monitoring.rules import RULES

    key = _reads_key(kind)
    if key is None:
        return []
    ids = [r.id for r in RULES if key in r.reads]
    return ids or [r.id for r in RULES]


def after_import(kind: str, unit_ids=None) -> None:
    """Called by intake after a batch was applied: re-run the rules that read `kind`
    (for the units touched) in the background."""
    from django.db import transaction

    from jiandu.monitoring.models import RuleRun

    rule_ids = rules_reading(kind)
    if not rule_ids:
        return None
    # Standards concern every unit's cases; a unit scope would miss them.
    scope = None if _reads_key(kind) == "standards" else unit_ids
    run = RuleRun.objects.create(
        trigger=RuleRun.Trigger.IMPORT, rule_ids=rule_ids, unit_ids=list(scope) if scope else None
    )

    def enqueue():
        from jiandu.monitoring.tasks import run_rules_task

        run_rules_task.enqueue(run.pk)

    transaction.on_commit(enqueue)
    return None


def inspection_warnings(
    *, unit, enterprise, inspected_on, kind="", mode="onsite", joint_no="", exclude_pk=None
):
    """Warnings shown at registration time when INSP-01/02/03/05 would hit: a list of
    {"rule": "INSP-02", "title": ..., "message": ..., "others": [{"unit": ..., "date": ..., "inspection_no": ..., "planned": bool}]}.

    One enterprise's inspections are few, so they are read with one query and checked
    here with the same thresholds the rules use."""
    from jiandu.enforcement.models import Inspection
    from jiandu.monitoring.engine import enabled, params_for
    from jiandu.monitoring.rules import get_rule

    if mode != "onsite" or enterprise is None or inspected_on is None:
        return []
    unit_id = getattr(unit, "pk", unit)
    qs = Inspection.objects.filter(enterprise=enterprise, mode="onsite").select_related("unit")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    # A year either side, within the calendar (a date near 9999-12-31 must not overflow).
    window = timedelta(days=366)
    since = inspected_on - window if inspected_on - date.min > window else date.min
    until = inspected_on + window if date.max - inspected_on > window else date.max
    visits = list(
        qs.filter(inspected_on__gte=since, inspected_on__lte=until).order_by("inspected_on", "id")
    )

    def other(i):
        return {
            "unit": i.unit.name,
            "unit_code": i.unit.code,
            "date": i.inspected_on.isoformat(),
            "inspection_no": i.inspection_no,
            "planned": i.is_planned,
        }

    warnings = []

    def add(rule_id, message, others):
        rule = get_rule(rule_id)
        if not enabled(rule, inspected_on):
            return
        warnings.append(
            {"rule": rule_id, "title": rule.title, "message": message, "others": others}
        )

    p1 = params_for(get_rule("INSP-01"), inspected_on)
    if kind in p1["counted_kinds"]:
        same_year = [
            i
            for i in visits
            if i.unit_id == unit_id
            and i.inspected_on.year == inspected_on.year
            and i.kind in p1["counted_kinds"]
        ]
        if len(same_year) >= p1["cap"]:
            add(
                "INSP-01",
                f"本单位{inspected_on.year}年已对该企业现场检查（含计划）{len(same_year)}次，"
                f"再检查将超过每年{p1['cap']}次的上限。",
                [other(i) for i in same_year],
            )
    w2 = int(params_for(get_rule("INSP-02"), inspected_on)["window"])
    near = [
        i
        for i in visits
        if i.unit_id != unit_id
        and abs((i.inspected_on - inspected_on).days) <= w2
        and not (joint_no and i.joint_no == joint_no)
    ]
    if near:
        add(
            "INSP-02",
            f"其他单位在前后{w2}日内已检查或计划检查该企业，请考虑联合检查（综合查一次）。",
            [other(i) for i in near],
        )
    w3 = int(params_for(get_rule("INSP-03"), inspected_on)["window"])
    if kind != "complaint":
        mine = [
            i
            for i in visits
            if i.unit_id == unit_id and abs((i.inspected_on - inspected_on).days) <= w3
        ]
        if mine:
            add(
                "INSP-03",
                f"本单位在前后{w3}日内已检查或计划检查该企业，属重复检查（投诉举报核查和整改复查除外）。",
                [other(i) for i in mine],
            )
    p5 = params_for(get_rule("INSP-05"), inspected_on)
    if enterprise.quiet_list and kind in p5["kinds"]:
        add("INSP-05", "该企业列入“无事不扰”清单，不宜以日常检查或专项检查方式现场检查。", [])
    return warnings
