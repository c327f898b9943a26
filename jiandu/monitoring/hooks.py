"""What other apps call into monitoring. Kept light so intake can call it without knowing
how rules run; enforcement, standing below monitoring, gets its answers through
jiandu/enforcement/watch.py (registered in apps.py). Imports nothing at module level:
apps.py imports it before the models are ready."""

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


def alerts_for(kind: str, subject_key: str, limit: int = 50) -> list:
    """Monitoring's alerts on one record, found by its natural key."""
    from jiandu.monitoring.models import Alert

    return list(Alert.objects.filter(subject_kind=kind, subject_key=subject_key)[:limit])


def inspection_warnings(**visit) -> list[dict]:
    """Warnings shown at registration time when INSP-01/02/03/05 would hit (see
    monitoring.subject.inspection_warnings)."""
    from jiandu.monitoring.subject import inspection_warnings

    return inspection_warnings(**visit)


def three_docs(case_id: int) -> dict:
    """What SERV-01 says about one case (see monitoring.subject.three_docs)."""
    from jiandu.monitoring.subject import three_docs

    return three_docs(case_id)
