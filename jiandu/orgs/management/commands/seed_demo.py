"""Loads the demo county. Each app seeds its part in `jiandu/<app>/demo.py` with
`seed(ctx)`, in the order below; `ctx` carries what earlier steps made (units, users,
campaign, today)."""

from contextlib import nullcontext
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from jiandu.orgs.models import Unit

# Monitoring runs after the portal so the complaint rules (INTG-02/03) see the complaints.
ORDER = ["orgs", "campaigns", "ledger", "enforcement", "intake", "portal", "monitoring"]


class Command(BaseCommand):
    help = "载入演示县（平川县）的数据。已载入时不重复载入。"

    def handle(self, *args, **options):
        from jiandu.orgs import demo as org_demo

        if Unit.objects.filter(code=org_demo.MARKER_UNIT).exists():
            self.stdout.write("演示数据已存在，未重复载入。")
        else:
            ctx = {"today": timezone.localdate(), "stdout": self.stdout}
            for app in ORDER:
                module = import_module(f"jiandu.{app}.demo")
                self.stdout.write(f"载入演示数据：{app} …")
                with transaction.atomic() if getattr(module, "ATOMIC", True) else nullcontext():
                    module.seed(ctx)
        org_demo.print_accounts(self.stdout)
