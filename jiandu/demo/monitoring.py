"""Demo: run every rule over the demo county's imported records, then act on a few
alerts as the supervisor would: confirm some (they become 预警 problems in the ledger),
dismiss one with a reason, and hand one to the discipline commission."""

from jiandu.monitoring import actions
from jiandu.monitoring.engine import run_rules
from jiandu.monitoring.models import Alert, RuleRun

CONFIRM = ["PROC-04", "DISC-02", "INSP-02", "SERV-01", "LENI-01"]


def seed(ctx):
    users = ctx.get("users") or {}
    supervisor = users.get("supervisor")
    discipline = users.get("discipline")
    out = ctx.get("stdout")
    run = run_rules(actor=supervisor, today=ctx.get("today"), trigger=RuleRun.Trigger.DEMO)
    # Imports queued their own reruns; the full run above supersedes them.
    RuleRun.objects.filter(status=RuleRun.Status.QUEUED, trigger=RuleRun.Trigger.IMPORT).delete()
    if out is not None:
        out.write(f"  预警规则：{len(run.results)} 条规则，命中 {run.hit_total} 个对象")
    if supervisor is None:
        return
    fresh = Alert.objects.filter(state=Alert.State.NEW, unit__isnull=False).order_by(
        "rule", "subject_key"
    )
    for rule_id in CONFIRM:
        alert = fresh.filter(rule=rule_id).first()
        if alert:
            actions.confirm_alert(alert, actor=supervisor, note="经核实属实，请限期整改。")
    alert = fresh.filter(rule="PROC-02").first()
    if alert:
        actions.dismiss_alert(
            alert, actor=supervisor, reason="送达回证显示已按期邮寄送达，台账日期录入有误。"
        )
    alert = fresh.filter(rule__in=["INTG-01", "PROC-01"]).first()
    if alert and discipline is not None:
        actions.transfer_alert_to_discipline(
            alert, actor=discipline, note="长期未办理，涉嫌不作为。"
        )
