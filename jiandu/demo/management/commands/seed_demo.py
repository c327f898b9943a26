"""Loads the demo county. Each part is a module of `jiandu/demo/` with `seed(ctx)`, run in
the order below; `ctx` carries what earlier steps made (units, users, campaign, today)."""

from contextlib import nullcontext
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from jiandu.demo import county as org_demo
from jiandu.orgs.models import Unit

# Monitoring runs after the portal so the complaint rules (INTG-02/03) see the complaints.
# The office's 公文 come last: the 工作总结 reads everything before it.
ORDER = [
    "county",
    "campaign",
    "ledger",
    "enforcement",
    "intake",
    "portal",
    "monitoring",
    "instruments",
    "papers",
]
# The app each part fills, as the progress lines name it.
APPS = {"county": "orgs", "campaign": "campaigns"}


class Command(BaseCommand):
    help = "载入演示县（平川县）的数据。已载入时不重复载入。"

    def handle(self, *args, **options):
        if Unit.objects.filter(code=org_demo.MARKER_UNIT).exists():
            self.stdout.write("演示数据已存在，未重复载入。")
        else:
            ctx = {"today": timezone.localdate(), "stdout": self.stdout}
            for part in ORDER:
                module = import_module(f"jiandu.demo.{part}")
                self.stdout.write(f"载入演示数据：{APPS.get(part, part)} …")
                with transaction.atomic() if getattr(module, "ATOMIC", True) else nullcontext():
                    module.seed(ctx)
        org_demo.print_accounts(self.stdout)
