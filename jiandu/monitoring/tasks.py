"""Background work: rule runs on demand and after imports (django-tasks)."""

from django_tasks import task

from jiandu.monitoring.engine import run_rules
from jiandu.monitoring.models import RuleRun


@task()
def run_rules_task(run_id: int):

    run = RuleRun.objects.filter(pk=run_id, status=RuleRun.Status.QUEUED).first()
    if run is None:  # superseded (e.g. by the demo's full run) or already done
        return None
    run_rules(
        run.rule_ids or None, actor=run.actor, unit_ids=run.unit_ids, trigger=run.trigger, run=run
    )
    return run_id
