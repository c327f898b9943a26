import json

from django.core.management.base import BaseCommand, CommandError

from jiandu.lib.exports import render_csv, render_xlsx
from jiandu.monitoring.exports import AlertExporter, alert_record
from jiandu.monitoring.models import Alert


class Command(BaseCommand):
    help = "导出预警：JSON、CSV 或 Excel"

    def add_arguments(self, parser):
        parser.add_argument("--rule", action="append", dest="rules", metavar="ID")
        parser.add_argument(
            "--state", action="append", dest="states", choices=list(Alert.State.values)
        )
        parser.add_argument("--unit", action="append", dest="units", metavar="CODE")
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument(
            "--out", metavar="PATH", help="输出文件；缺省输出到标准输出（xlsx 必须指定）"
        )

    def handle(self, *args, rules=None, states=None, units=None, format="json", out=None, **opts):
        qs = Alert.objects.select_related("unit").order_by("rule", "subject_key")
        if rules:
            qs = qs.filter(rule__in=[r.upper() for r in rules])
        if states:
            qs = qs.filter(state__in=states)
        if units:
            qs = qs.filter(unit__code__in=units)
        if format == "json":
            data = json.dumps(
                [alert_record(a) for a in qs.iterator(chunk_size=2000)],
                ensure_ascii=False,
                indent=1,
            ).encode()
        elif format == "csv":
            data = render_csv(AlertExporter(qs))
        else:
            if not out:
                raise CommandError("导出 Excel 请用 --out 指定文件")
            data = render_xlsx(AlertExporter(qs))
        if out:
            with open(out, "wb") as fh:
                fh.write(data)
            self.stderr.write(f"已导出 {qs.count()} 条预警到 {out}")
        else:
            self.stdout.write(data.decode("utf-8-sig"))
