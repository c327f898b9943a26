from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiandu.intake.blank import template_csv, template_xlsx
from jiandu.intake.schema import KINDS


class Command(BaseCommand):
    help = "生成某类数据的空白导入模板（表头、示例行、下拉可选值）。"

    def add_arguments(self, parser):
        parser.add_argument("kind", help="数据类型：" + "、".join(KINDS))
        parser.add_argument("path", help="输出文件（.xlsx 或 .csv）")

    def handle(self, *args, kind, path, **opts):
        if kind not in KINDS:
            raise CommandError(f"无法识别的数据类型“{kind}”，可选：{'、'.join(KINDS)}")
        out = Path(path)
        data = template_csv(kind) if out.suffix.lower() == ".csv" else template_xlsx(kind)
        out.write_bytes(data)
        self.stdout.write(f"已生成“{KINDS[kind].title}”模板：{out}")
