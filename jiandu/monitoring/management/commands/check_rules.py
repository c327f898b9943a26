import json

from django.core.management.base import BaseCommand, CommandError

from jiandu.monitoring.engine import run_rules
from jiandu.monitoring.models import RuleRun
from jiandu.monitoring.rules import get_rule
from jiandu.orgs.models import Unit


class Command(BaseCommand):
    """`jiandu check` (jiandu/cli.py maps it here, leaving Django's own `check` alone)."""

    help = "运行预警规则（全部或指定规则），结果写入预警并输出各规则耗时和命中数"

    def add_arguments(self, parser):
        parser.add_argument(
            "--rule", action="append", dest="rules", metavar="ID", help="规则编号，可重复"
        )
        parser.add_argument(
            "--unit", action="append", dest="units", metavar="CODE", help="只运行某单位，可重复"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, rules=None, units=None, json=False, **opts):
        unit_ids = None
        if units:
            found = dict(Unit.objects.filter(code__in=units).values_list("code", "pk"))
            missing = set(units) - set(found)
            if missing:
                raise CommandError("未知的单位编码：" + "、".join(sorted(missing)))
            unit_ids = list(found.values())
        try:
            run = run_rules(rules or None, unit_ids=unit_ids, trigger=RuleRun.Trigger.CLI)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(run))
            return
        for rule_id, r in run.results.items():
            rule = get_rule(rule_id)
            status = "失败：" + r.get("error", "") if r["status"] == "failed" else ""
            self.stdout.write(
                f"{rule_id:8} {rule.title:10} 命中 {r.get('hits', 0):>7}  新增 {r.get('new', 0):>6}"
                f"  消除 {r.get('resolved', 0):>6}  {r.get('ms', 0):>6} ms {status}"
            )
        self.stdout.write(
            f"共 {run.hit_total} 条命中，读取数据 {run.load_ms} ms，总耗时 {run.duration_ms} ms"
        )
        if run.status == RuleRun.Status.FAILED:
            raise CommandError("有规则运行失败")


def _dumps(run):
    return json.dumps(
        {
            "run": run.pk,
            "status": run.status,
            "duration_ms": run.duration_ms,
            "load_ms": run.load_ms,
            "params": run.params,
            "results": run.results,
        },
        ensure_ascii=False,
        indent=2,
    )
