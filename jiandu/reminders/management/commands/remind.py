"""`jiandu remind [--dry-run] [--json] [--date YYYY-MM-DD]`: send what the ladder owes today."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from jiandu.reminders.run import run


class Command(BaseCommand):
    help = "按提醒阶梯发送今天到期的提醒（站内通知、电子邮件、群机器人），并起草提醒函、督办函"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送也不记录")
        parser.add_argument("--json", action="store_true", help="每条消息输出一行 JSON")
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        result = run(today, dry_run=options["dry_run"])
        if options["json"]:
            for out in result.messages:
                self.stdout.write(json.dumps(out.as_json(), ensure_ascii=False))
            return
        if not result.workday:
            self.stdout.write(f"{result.today:%Y-%m-%d} 不是工作日，不发送提醒。")
            return
        if options["dry_run"]:
            for out in result.messages:
                row = out.as_json()
                self.stdout.write(f"[{row['channel']}] {row['recipient']}：{row['text']}")
            self.stdout.write(f"共 {len(result.messages)} 条待发送（试运行，未发送）。")
            return
        self.stdout.write(
            f"{result.today:%Y-%m-%d}：发送 {result.sent} 条，失败 {result.failed} 条，"
            f"重发成功 {result.retried} 条，起草文书 {result.drafts} 份。"
        )
