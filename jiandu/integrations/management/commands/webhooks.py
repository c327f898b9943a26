"""`jiandu webhooks`: emit the time-based events (problem.overdue) and send every
delivery that is due (new ones and retries). Run it from cron, e.g. every minute."""

from django.core.management.base import BaseCommand

from jiandu.integrations.events import emit_overdue
from jiandu.integrations.webhooks import deliver_due


class Command(BaseCommand):
    help = "推送到期的事件：登记逾期事件，发送待发送和到期重试的推送"

    def handle(self, *args, **options):
        overdue = emit_overdue()
        sent = deliver_due()
        self.stdout.write(f"新逾期事件 {overdue} 个，发送推送 {sent} 次。")
